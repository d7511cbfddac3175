"""Writes the upload test files of tests/test_ingest.py, each named for what it exercises.

Run from the project root: `.venv/bin/python tests/files/make_ingest_files.py`. The files are committed;
this script says exactly which bytes they hold (encodings, BOMs, CRLF, quoting), which an editor would hide.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent


def write(name: str, text: str, encoding: str = "utf-8", newline: str = "\n") -> None:
    (HERE / name).write_bytes(text.replace("\n", newline).encode(encoding))


SMALL = "指标,期间,数值\n营业收入,2025-06,\"1,234,567.8\"\n农特产品加工转化率,2025-06,７５．２％\n"
SMALL_TABS = "指标\t期间\t数值\n营业收入\t2025-06\t1,234,567.8\n农特产品加工转化率\t2025-06\t７５．２％\n"


def main() -> None:
    # ------------------------------------------------------------------ encodings
    write("utf8_long.csv",
          "指标,期间,数值,单位,片区,备注\n"
          "营业收入,2025-06,123456.7,万元,,快报\n"
          "工业总产值,2025年1-6月,1.5,亿元,,\n"
          "多晶硅产能,2025-06,4.5万吨,,园中园,\n"
          "农特产品加工转化率,2025年6月,68.5,%,田园镇片区,\n"
          "新增规上工业企业,2025,3,户,全园区,\n")
    write("utf8_bom.csv", SMALL, "utf-8-sig")
    write("gbk_excel_crlf.csv", SMALL, "gbk", "\r\n")
    write("utf16le_unicode_text.txt", SMALL_TABS, "utf-16", "\r\n")  # Python writes the LE BOM
    write("utf16be_unicode_text.txt", "\ufeff" + SMALL_TABS, "utf-16-be", "\r\n")
    write("gb18030_only_characters.csv",
          "企业名称,产业链环节,片区,状态,是否规上,入规年份,产能(万吨),营业收入(亿元),期间\n"
          "云南䶮业科技有限公司,工业硅,园中园,投产,是,2024,6,1.2,2025-06\n"
          "阿尔法•硅材有限公司,多晶硅,园中园,在建,否,,—,—,2025-06\n", "gb18030")
    (HERE / "mixed_gbk_utf8_lines.csv").write_bytes(
        "指标,期间,数值\n营业收入,2025-06,100\n".encode("gbk") + "工业总产值,2025-06,200\n".encode())
    (HERE / "old_excel.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    (HERE / "binary_with_nul.csv").write_bytes(
        b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00" * 20)
    (HERE / "undecodable.csv").write_bytes(b"\xff\xff\xff,\xfe\xfe\n\x80abc,\x81\n")

    # ------------------------------------------------------------------ delimiters, quoting, CRLF
    rows = [["指标", "期间", "数值", "备注"], ["营业收入", "2025-06", "1,234.5", "快报"], ["工业总产值", "2025-06", "2345", ""]]
    for name, delimiter in (("delimiter_semicolon.csv", ";"), ("delimiter_tab.txt", "\t"),
                            ("delimiter_fullwidth_comma.csv", "，"), ("delimiter_pipe.csv", "|")):
        write(name, "".join(delimiter.join(r) + "\n" for r in rows))
    write("quoted_newlines_crlf.csv",
          "指标,期间,数值,备注\n"
          "营业收入,2025-06,100,\"第一行\n第二行\"\n"
          "工业总产值,2025-06,abc,\n"
          "\"多晶硅\n产能\",2025-06,1,\n"
          "农特产品加工转化率,2025-06,101,\n", newline="\r\n")
    write("nested_quotes.csv", '指标,期间,数值\n"""""""营业收入""""""",2025-06,"""1"""\n')

    # ------------------------------------------------------------------ structure
    write("title_unit_footnotes.csv",
          "昌宁产业园区2025年1-6月主要经济指标完成情况表,,,,\n"
          "填报单位：昌宁产业园区管委会（盖章）,,,,单位：亿元\n"
          ",,,,\n"
          "指标,期间,数值,单位,备注\n"
          "营业收入,2025年1-6月,12000万元,,\n"
          "工业总产值,2025年1-6月,9.8765,,\n"
          ",,,,\n"
          "农特产品加工转化率,2025年1-6月,68,%,\n"
          "指标,期间,数值,单位,备注\n"
          "标准地出让占比,2025年1-6月,45,,\n"
          "注：1.本表为快报数；,,,,\n"
          "2.增加值增速按可比价计算。,,,,\n"
          "填表人：张三,审核人：李四,填报日期：2025年7月5日,,\n", newline="\r\n")
    write("header_synonyms.csv",
          "\" 指标名称 \",统计期\u200b,\u3000本年累计,计量单位,园区片区,说明\n"
          "“标准地”出让占比,2025-06,40,%,全园区,\n"
          "\"\"\"标准地\"\"出让占比\",2025-06,40,%,,\n"
          " 标准地 出让占比\u200b,2025-06,40,％,,\n"
          "多晶硅产能,2025-06,25,万吨,园中园,备注文字\n")
    write("wide_indicator_header_units.csv",
          "月份,\"营业收入\n(亿元)\",多晶硅产能（万吨）,农特产品加工转化率,序号\n"
          "2025-03,0.5,5,60.5,1\n"
          "2025年6月,1.25,25,—,2\n")
    write("wide_period_title_year.csv",
          "昌宁产业园区2025年主要指标（按月累计）\n"
          "指标名称,计量单位,1-2月,1-3月,2025年1-6月,同比增长%\n"
          "营业收入,亿元,1.2,1.8,3.6,12.5\n"
          "工业总产值,万元,10000,15000,—,8\n")
    write("unit_precedence.csv",
          "单位：亿元\n"
          "指标,期间,数值(万吨),单位\n"
          "多晶硅产能,2025-06,4.5万吨,吨\n"
          "多晶硅产能,2025-07,3,\n"
          "营业收入,2025-06,2,万元\n"
          "营业收入,2025-07,2,\n"
          "农特产品加工转化率,2025-06,50,\n")
    write("wide_indicator_bad_headers.csv", "期间,农特产品加工转化率(吨),多晶硅产量,营业收入\n2025-06,50,4000,100\n")
    write("wide_period_without_year.csv", "指标,1-2月,1-3月\n营业收入,100,200\n")
    write("title_period_only.csv",
          "昌宁产业园区2025年1-6月主要经济指标\n指标,本年累计\n营业收入,56789\n农特产品加工转化率,70.2\n")
    write("header_only.csv", "指标,期间,数值\n")
    write("empty.csv", "")
    write("blank_rows_only.csv", "\n,,,\n  \n", newline="\r\n")
    write("not_a_table.txt", "这是一份会议纪要。\n会议讨论了园区发展。\n")
    write("missing_period_column.csv", "指标,数值\n营业收入,100\n")

    # ------------------------------------------------------------------ numbers, units, markers
    write("number_forms.csv",
          "指标,期间,数值\n"
          "营业收入,2025-01,\"1,234,567.8\"\n"
          "农特产品加工转化率,2025-01,７５．２％\n"
          "标准地出让占比,2025-01,75%\n"
          "多晶硅产能,2025-01,4.5万吨\n"
          "工业总产值,2025-01,１２３４５．６\n"
          "批而未供土地处置率,2025-01,0.3\n"
          "进出口总额,2025-01,1.5亿元\n")
    write("negative_signs.csv", "指标,期间,数值\n多晶硅产能,2025-01,−5\n营业收入,2025-01,－3.2\n工业总产值,2025-01,-1\n")
    write("missing_markers.csv", "指标,期间,数值\n" + "".join(
        f"营业收入,2025-{m:02d},{v}\n" for m, v in enumerate(["—", "空", "/", "无", "", "--", "―", "－", "100"], 1)))
    write("milestones_done_words.csv",
          "指标,期间,数值\n规划环评及总体规划审批,2023-09,完成\n园区管理机构优化调整,2023-12,已完成\n"
          "市场化运营模式建立,2024-12,是\n管理运营体制机制全面完善,2025-12,√\n两大产业集群基本形成,2025-12,未完成\n")

    # ------------------------------------------------------------------ ledgers
    write("debt_ledger.csv",
          "园区债务统计台账（2025年6月）\n"
          "单位：万元\n"
          "债务编号,债务名称,债权人,债务类型,期间,期末余额(亿元),本期新增,本期化解,到期日,是否逾期,备注\n"
          "ZW-001,标准厂房项目贷款,某银行,银行贷款,2025-06,1.2,0,1500,2026-06-30,否,\n"
          "ZW-002,道路工程欠款,某建设公司,工程款,2025年6月,3500万元,—,200,2025年3月,是,已协商\n"
          "ZW-003,土地收储欠款,县土储中心,其他,2025-06,\"800,000元\",,,,,\n")
    write("debt_name_as_id.csv", "债务名称,期间,期末余额,本期化解\n标准厂房项目贷款,2025-06,12000,1500\n")
    write("enterprise_list.csv",
          "企业名称,产业链环节,片区,状态,是否规上,入规年份,产能(万吨),营业收入(万元),期间,备注\n"
          "云南通威高纯晶硅有限公司,多晶硅,园中园,达产,是,2022,5,1000000,2025-06,示例数据\n"
          "某茶叶加工有限公司,茶叶,田园镇片区,投产,否,,,8500,2025-06,\n")
    write("enterprise_bad_values.csv",
          "企业名称,产业链环节,片区,状态,是否规上,期间\n"
          "某硅业公司,硅材料,园中园,投产,是,2025-06\n"
          "某茶厂,茶叶,田园镇片区,停产,也许,2025-06\n")

    # ------------------------------------------------------------------ bad indicator files
    write("unknown_indicator.csv",
          "指标,期间,数值\n多晶硅产量,2025-06,4000\n营业收入,2025-06,100\n园区债务化解进度,2025-06,100\n")
    write("bad_values.csv",
          "指标,期间,数值,单位\n"
          "营业收入,2025-06,abc,万元\n"
          "农特产品加工转化率,2025-06,120,%\n"
          "多晶硅产能,2025-06,-5,吨\n"
          "营业收入,2025-13,100,万元\n"
          "新增规上工业企业,2025,2.5,户\n"
          "农特产品加工转化率,2025-06,5,吨\n"
          "营业收入,2025-06,=B2*2,万元\n"
          "工业总产值,2025-06,#REF!,万元\n"
          "工业总产值,2025-07,100,斤\n"
          "绿美园区建成,2025-12,差不多,\n"
          "\"=HYPERLINK(\"\"http://a\"\",\"\"营业收入\"\")\",2025-06,100,万元\n")
    write("conflicting_duplicates.csv", "指标,期间,数值\n营业收入,2025-06,100\n营业收入,2025年6月,100\n营业收入,2025-06,120\n")
    write("identical_duplicates.csv", "指标,期间,数值\n营业收入,2025-06,100\n营业收入,2025-06,100.0\n")

    # ------------------------------------------------------------------ workbooks
    book = openpyxl.Workbook()
    book.active.title = "封面"  # an empty first sheet: the data is on the second
    sheet = book.create_sheet("指标")
    sheet["A1"] = "昌宁产业园区2025年主要经济指标"
    sheet["A2"] = "单位：万元"
    for column, text in zip("ABCD", ["指标", "期间", "数值", "单位"]):
        sheet[f"{column}4"] = text
    rows = [["营业收入", datetime.datetime(2025, 6, 1), 1234.5600000000001, None],
            ["农特产品加工转化率", 202506, 0.752, None],
            ["多晶硅产能", "2025年6月", 25, "万吨"],
            ["规划环评及总体规划审批", "2023-09", "完成", None]]
    for offset, row in enumerate(rows):
        for column, value in zip("ABCD", row):
            sheet[f"{column}{5 + offset}"] = value
    sheet["C6"].number_format = "0.0%"
    sheet["A10"] = "注：本表为快报数"
    _save_book(book, "workbook_second_sheet.xlsx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    (HERE / "zip_not_workbook.xlsx").write_bytes(buffer.getvalue())
    (HERE / "damaged_workbook.xlsx").write_bytes(b"PK\x03\x04" + b"\x14\x00" * 40)


def _save_book(book, name: str) -> None:
    # Fixed document dates; the zip still stamps each entry with the time of writing, so the bytes differ per run.
    book.properties.created = book.properties.modified = datetime.datetime(2025, 7, 1)
    book.save(HERE / name)


if __name__ == "__main__":
    main()
