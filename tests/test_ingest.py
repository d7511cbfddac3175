"""Uploads as they really come → canonical rows, or the exact messages a person reads.

The files are in tests/files/, written by tests/files/make_ingest_files.py and named for what they exercise.
Expected values are worked out by hand in the comments (4.5万吨 = 4.5 × 10 000 吨 = 45 000 吨 …).
"""

import math
from pathlib import Path

import pandas as pd
import pytest

from cnpark.outputs.exports import make_template
from cnpark.parse import ParseResult, Problem, detect_dataset, parse_upload
from cnpark.store.datasets import COLUMNS

FILES = Path(__file__).resolve().parent / "files"


def parse(name: str, catalog, dataset: str | None = None) -> ParseResult:
    return parse_upload((FILES / name).read_bytes(), name, catalog, dataset)


def messages(result: ParseResult) -> list[str]:
    return [str(p) for p in result.problems]


def records(result: ParseResult) -> list[tuple]:
    """The rows as plain tuples in schema order; NaN and <NA> as None."""
    def plain(v):
        if v is pd.NA or (isinstance(v, float) and math.isnan(v)):
            return None
        return v.item() if hasattr(v, "item") else v
    return [tuple(plain(v) for v in row) for row in result.rows.itertuples(index=False)]


def assert_rejected(result: ParseResult, expected: list[str]) -> None:
    assert messages(result) == expected
    assert not result.ok
    assert result.rows.empty


SMALL_ROWS = [  # indicator, period, area, value, unit, cumulative, note, source_row
    ("revenue", "2025-06", "", 1234567.8, "万元", False, "", 2),
    ("agri_processing_rate", "2025-06", "", 75.2, "%", False, "", 3),  # ７５．２％ → 75.2
]

# ---------------------------------------------------------------------------------------- encodings


def test_utf8_long_layout(catalog):
    r = parse("utf8_long.csv", catalog)
    assert r.ok and r.dataset == "indicators" and r.layout == "long"
    assert records(r) == [
        ("revenue", "2025-06", "", 123456.7, "万元", False, "快报", 2),
        ("output_value", "2025-06", "", 15000.0, "万元", True, "", 3),            # 1.5 亿元 × 10 000
        ("polysilicon_capacity", "2025-06", "园中园", 45000.0, "吨", False, "", 4),  # 4.5万吨 × 10 000
        ("agri_processing_rate", "2025-06", "田园镇片区", 68.5, "%", False, "", 5),
        ("new_above_scale_firms", "2025-12", "", 3.0, "户", True, "", 6),         # 2025 = its December; 全园区 = ''
    ]
    assert r.conversions == ["工业总产值：亿元 → 万元（×10000）", "多晶硅产能：万吨 → 吨（×10000）"]
    assert (r.rows_read, r.skipped) == (5, 0)


@pytest.mark.parametrize("name, source", [
    ("utf8_bom.csv", "CSV/TXT（UTF-8，逗号分隔）"),
    ("gbk_excel_crlf.csv", "CSV/TXT（GB18030，逗号分隔）"),
    ("utf16le_unicode_text.txt", "CSV/TXT（UTF-16，制表符分隔）"),
    ("utf16be_unicode_text.txt", "CSV/TXT（UTF-16，制表符分隔）"),
])
def test_encodings(catalog, name, source):
    r = parse(name, catalog)
    assert r.ok, messages(r)
    assert records(r) == SMALL_ROWS
    assert r.source == source


def test_gb18030_only_characters_in_enterprise_names(catalog):
    r = parse("gb18030_only_characters.csv", catalog)
    assert r.ok and r.dataset == "enterprises" and r.layout == "table"
    assert records(r) == [
        # 6万吨 = 60 000 吨; 1.2亿元 = 12 000 万元
        ("云南䶮业科技有限公司", "工业硅", "园中园", "投产", True, 2024, 60000.0, 12000.0, "2025-06", "", 2),
        ("阿尔法•硅材有限公司", "多晶硅", "园中园", "在建", False, None, None, None, "2025-06", "", 3),
    ]
    assert r.skipped == 2  # the two — cells
    assert r.conversions == ["产能：万吨 → 吨（×10000）", "营业收入：亿元 → 万元（×10000）"]


def test_lines_in_two_encodings(catalog):
    r = parse("mixed_gbk_utf8_lines.csv", catalog)
    assert records(r) == [("revenue", "2025-06", "", 100.0, "万元", False, "", 2),
                          ("output_value", "2025-06", "", 200.0, "万元", False, "", 3)]
    assert r.source == "CSV/TXT（GB18030/UTF-8 混合，逗号分隔）"


def test_workbook_data_on_second_sheet(catalog):
    r = parse("workbook_second_sheet.xlsx", catalog)
    assert r.ok, messages(r)
    assert records(r) == [
        ("revenue", "2025-06", "", 1234.56, "万元", False, "", 5),             # a date cell → its month
        ("agri_processing_rate", "2025-06", "", 75.2, "%", False, "", 6),     # 0.752 shown as 75.2%
        ("polysilicon_capacity", "2025-06", "", 250000.0, "吨", False, "", 7),  # 25 万吨
        ("plan_approval", "2023-09", "", 1.0, "", False, "", 8),               # 完成 → 1
    ]
    assert r.source == "Excel 工作簿（工作表“指标”）"


@pytest.mark.parametrize("name, message", [
    ("old_excel.xls", "文件: 无法读取这个 Excel 97-2003（.xls）文件：文件已损坏，或是其他软件的专有格式，"
                      "请在 Excel 或 WPS 中另存为 Excel 工作簿（.xlsx）或 CSV 后再上传"),
    ("binary_with_nul.csv", "文件: 这是图片（PNG），无法从中读取数字，请上传原始的 Excel 工作簿（.xlsx、.xls）、.ods 或 CSV 文件"),
    ("undecodable.csv", "文件: 不是表格文件：无法识别文字编码（支持 UTF-8、GBK/GB18030、UTF-16），请另存为 CSV 或 .xlsx 后再上传"),
    ("damaged_workbook.xlsx", "文件: Excel 文件已损坏或无法读取，请另存为 .xlsx 或 CSV 后再上传"),
    ("zip_not_workbook.xlsx", "文件: 不是 Excel 工作簿（.xlsx），请另存为 .xlsx 或 CSV 后再上传"),
    ("empty.csv", "文件: 文件为空"),
    ("blank_rows_only.csv", "文件: 文件为空"),
    ("not_a_table.txt", "文件: 不是可识别的表格：没有找到表头（应有 指标、期间、数值 等列名）"),
    ("header_only.csv", "文件: 表头下没有数据行"),
    ("missing_period_column.csv", "文件: 缺少必需的列：期间（或在标题中写明期间，如“2025年1-6月”）"),
])
def test_files_that_are_not_usable_tables(catalog, name, message):
    r = parse(name, catalog)
    assert_rejected(r, [message])


# ---------------------------------------------------------------------------------------- delimiters and quoting


@pytest.mark.parametrize("name", ["delimiter_semicolon.csv", "delimiter_tab.txt", "delimiter_fullwidth_comma.csv",
                                  "delimiter_pipe.csv"])
def test_delimiters(catalog, name):
    r = parse(name, catalog)
    assert records(r) == [("revenue", "2025-06", "", 1234.5, "万元", False, "快报", 2),
                          ("output_value", "2025-06", "", 2345.0, "万元", False, "", 3)]


def test_quoted_newlines_keep_spreadsheet_row_numbers(catalog):
    # Records 2 and 4 span two lines each (Alt+Enter); Excel still shows them as rows 2 and 4.
    r = parse("quoted_newlines_crlf.csv", catalog)
    assert_rejected(r, ["第3行 数值: abc — 不是数字", "第5行 数值: 101 — 数值不合理：应在0～100%之间"])
    assert r.rows_read == 4


def test_nested_quotes(catalog):
    # """""""营业收入""""""" is the text "营业收入" in three pairs of quotes: a name, decorated; """1""" is not a number.
    assert_rejected(parse("nested_quotes.csv", catalog), ['第2行 数值: "1" — 不是数字'])


# ---------------------------------------------------------------------------------------- structure


def test_title_unit_line_footnotes_blank_rows_and_repeated_header(catalog):
    r = parse("title_unit_footnotes.csv", catalog)
    assert r.ok, messages(r)
    assert records(r) == [
        ("revenue", "2025-06", "", 12000.0, "万元", True, "", 5),           # 12000万元 in the cell beats 单位：亿元
        ("output_value", "2025-06", "", 98765.0, "万元", True, "", 6),       # 9.8765 亿元 (title line) × 10 000
        ("agri_processing_rate", "2025-06", "", 68.0, "%", True, "", 8),    # 单位：亿元 cannot apply to a rate
        ("standard_land_share", "2025-06", "", 45.0, "%", True, "", 10),    # row 9 repeated the header
    ]
    assert r.rows_read == 4  # title, unit line, blank rows, repeated header and three footer lines not counted
    assert r.conversions == ["工业总产值：亿元 → 万元（×10000）"]


def test_header_synonyms_and_name_spellings(catalog):
    # 指标名称/统计期/本年累计/计量单位/园区片区/说明, with quotes, spaces and invisible characters in the headers;
    # rows 3 and 4 repeat row 2 with the name spelled "标准地" and  标准地 出让占比​: identical, counted once.
    r = parse("header_synonyms.csv", catalog)
    assert records(r) == [
        ("standard_land_share", "2025-06", "", 40.0, "%", True, "", 2),
        ("polysilicon_capacity", "2025-06", "园中园", 250000.0, "吨", True, "备注文字", 5),
    ]
    assert r.rows_read == 4


def test_wide_by_indicator_with_units_in_headers(catalog):
    r = parse("wide_indicator_header_units.csv", catalog)
    assert r.layout == "wide_indicator"
    assert records(r) == [
        ("revenue", "2025-03", "", 5000.0, "万元", False, "", 2),              # 0.5 亿元
        ("polysilicon_capacity", "2025-03", "", 50000.0, "吨", False, "", 2),   # 5 万吨
        ("agri_processing_rate", "2025-03", "", 60.5, "%", False, "", 2),
        ("revenue", "2025-06", "", 12500.0, "万元", False, "", 3),             # 1.25 亿元
        ("polysilicon_capacity", "2025-06", "", 250000.0, "吨", False, "", 3),
    ]
    assert r.skipped == 1  # the — under 农特产品加工转化率; 序号 is read past
    assert r.conversions == ["营业收入：亿元 → 万元（×10000）", "多晶硅产能：万吨 → 吨（×10000）"]


def test_wide_by_period_takes_the_year_from_the_title(catalog):
    r = parse("wide_period_title_year.csv", catalog)
    assert r.layout == "wide_period"
    assert records(r) == [
        ("revenue", "2025-02", "", 12000.0, "万元", True, "", 3),    # 1-2月 of 2025: 1.2 亿元
        ("revenue", "2025-03", "", 18000.0, "万元", True, "", 3),
        ("revenue", "2025-06", "", 36000.0, "万元", True, "", 3),
        ("output_value", "2025-02", "", 10000.0, "万元", True, "", 4),
        ("output_value", "2025-03", "", 15000.0, "万元", True, "", 4),
    ]
    assert r.skipped == 1  # 同比增长% is read past; the — is skipped


def test_wide_by_period_without_a_year(catalog):
    reason = "缺少年份（请写成 2025年1-6月 这样的完整期间，或在标题中注明年份）"
    assert_rejected(parse("wide_period_without_year.csv", catalog),
                    [f"第1行 1-2月: 1-2月 — {reason}", f"第1行 1-3月: 1-3月 — {reason}"])


def test_period_from_the_title_line(catalog):
    r = parse("title_period_only.csv", catalog)
    assert r.layout == "long"
    assert records(r) == [("revenue", "2025-06", "", 56789.0, "万元", True, "", 3),
                          ("agri_processing_rate", "2025-06", "", 70.2, "%", True, "", 4)]


def test_unit_precedence(catalog):
    # cell > unit column > header 数值(万吨) > "单位：亿元" above the header > catalog unit; the last two only where they fit
    r = parse("unit_precedence.csv", catalog)
    assert [(row[0], row[1], row[3]) for row in records(r)] == [
        ("polysilicon_capacity", "2025-06", 45000.0),   # 4.5万吨 in the cell, although the unit column says 吨
        ("polysilicon_capacity", "2025-07", 30000.0),   # 3 × 万吨 from the header
        ("revenue", "2025-06", 2.0),                    # the unit column's 万元 beats the title's 亿元
        ("revenue", "2025-07", 20000.0),                # 2 亿元 from the title line (万吨 does not fit money)
        ("agri_processing_rate", "2025-06", 50.0),      # neither 万吨 nor 亿元 fits a rate: % as typed
    ]
    assert r.conversions == ["多晶硅产能：万吨 → 吨（×10000）", "营业收入：亿元 → 万元（×10000）"]


def test_wide_by_indicator_bad_headers(catalog):
    assert_rejected(parse("wide_indicator_bad_headers.csv", catalog), [
        "第1行 农特产品加工转化率(吨): 农特产品加工转化率(吨) — 单位“吨”不适用于该指标（应为%）",
        "第1行 多晶硅产量: 多晶硅产量 — 未知指标，是否为“多晶硅产能”？",
    ])


@pytest.mark.parametrize("role, names", [
    ("indicator", ["指标", "指标名称", "项目"]),
    ("period", ["期间", "统计期", "时间", "月份", "日期"]),
    ("value", ["数值", "本期", "本年累计", "本月累计", "累计", "值", "完成值"]),
    ("unit", ["单位", "计量单位"]),
    ("area", ["片区", "区域", "园区片区"]),
    ("note", ["备注", "说明"]),
])
def test_every_header_synonym(catalog, role, names):
    base = {"indicator": "指标", "period": "期间", "value": "数值", "unit": "单位", "area": "片区", "note": "备注"}
    for name in names:
        header = ",".join(name if r == role else h for r, h in base.items())
        r = parse_upload(f"{header}\n营业收入,2025-06,2,亿元,园中园,快报\n".encode(), "x.csv", catalog)
        assert records(r) == [("revenue", "2025-06", "园中园", 20000.0, "万元", name in ("本年累计", "累计"), "快报", 2)], name


# ---------------------------------------------------------------------------------------- numbers and markers


def test_number_forms(catalog):
    r = parse("number_forms.csv", catalog)
    assert [(row[0], row[3]) for row in records(r)] == [
        ("revenue", 1234567.8),
        ("agri_processing_rate", 75.2),
        ("standard_land_share", 75.0),
        ("polysilicon_capacity", 45000.0),
        ("output_value", 12345.6),
        ("unsupplied_land_disposal_rate", 0.3),   # a bare number for a rate is taken as % as typed
        ("foreign_trade", 15000.0),               # 1.5亿元
    ]


def test_negative_signs_are_read_and_impossible(catalog):
    assert_rejected(parse("negative_signs.csv", catalog), [
        "第2行 数值: −5 — 数值不合理：不能小于0吨",
        "第3行 数值: -3.2 — 数值不合理：不能小于0万元",
        "第4行 数值: -1 — 数值不合理：不能小于0万元",
    ])


def test_missing_markers_are_skipped_not_stored(catalog):
    r = parse("missing_markers.csv", catalog)
    assert records(r) == [("revenue", "2025-09", "", 100.0, "万元", False, "", 10)]
    assert (r.rows_read, r.skipped) == (9, 8)


def test_milestone_words(catalog):
    r = parse("milestones_done_words.csv", catalog)
    assert [(row[0], row[1], row[3]) for row in records(r)] == [
        ("plan_approval", "2023-09", 1.0), ("mgmt_restructure", "2023-12", 1.0), ("market_operation", "2024-12", 1.0),
        ("mechanism_complete", "2025-12", 1.0), ("clusters_formed", "2025-12", 0.0)]


# ---------------------------------------------------------------------------------------- ledgers


def test_debt_ledger(catalog):
    r = parse("debt_ledger.csv", catalog)
    assert r.ok and r.dataset == "debt" and r.layout == "table"
    assert records(r) == [
        # 1.2 亿元 (header) = 12 000 万元; 1500 under 单位：万元
        ("ZW-001", "标准厂房项目贷款", "某银行", "银行贷款", "2025-06", 12000.0, 0.0, 1500.0, "2026-06-30", False, "", 4),
        # 3500万元 in the cell beats the header's 亿元; a month alone as the due date
        ("ZW-002", "道路工程欠款", "某建设公司", "工程款", "2025-06", 3500.0, None, 200.0, "2025-03", True, "已协商", 5),
        # 800,000元 = 80 万元
        ("ZW-003", "土地收储欠款", "县土储中心", "其他", "2025-06", 80.0, None, None, "", False, "", 6),
    ]
    assert r.skipped == 3
    assert r.conversions == ["期末余额：亿元 → 万元（×10000）", "期末余额：元 → 万元（×0.0001）"]


def test_debt_name_serves_as_id(catalog):
    r = parse("debt_name_as_id.csv", catalog)
    assert records(r) == [("标准厂房项目贷款", "标准厂房项目贷款", "", "", "2025-06", 12000.0, None, 1500.0, "", False,
                           "", 2)]


def test_enterprise_list(catalog):
    r = parse("enterprise_list.csv", catalog)
    assert records(r) == [
        ("云南通威高纯晶硅有限公司", "多晶硅", "园中园", "达产", True, 2022, 50000.0, 1000000.0, "2025-06", "示例数据", 2),
        ("某茶叶加工有限公司", "茶叶", "田园镇片区", "投产", False, None, None, 8500.0, "2025-06", "", 3),
    ]
    assert str(r.rows["above_scale_year"].dtype) == "Int64"


def test_enterprise_bad_values(catalog):
    assert_rejected(parse("enterprise_bad_values.csv", catalog), [
        "第2行 产业链环节: 硅材料 — 产业链环节应为以下之一：茶叶、核桃、制糖、畜牧、蚕茧、果蔬、林产品、工业硅、多晶硅、切片、电池组装、光伏发电",
        "第3行 状态: 停产 — 状态应为以下之一：签约、在建、投产、达产",
        "第3行 是否规上: 也许 — 应填 是 或 否",
    ])


# ---------------------------------------------------------------------------------------- bad indicator files


def test_unknown_indicator_suggests_the_closest_name(catalog):
    assert_rejected(parse("unknown_indicator.csv", catalog), [
        "第2行 指标: 多晶硅产量 — 未知指标，是否为“多晶硅产能”？",
        "第4行 指标: 园区债务化解进度 — 由债务台账自动计算，不能直接上传",
    ])


def test_every_bad_value_at_once(catalog):
    assert_rejected(parse("bad_values.csv", catalog), [
        "第2行 数值: abc — 不是数字",
        "第3行 数值: 120 — 数值不合理：应在0～100%之间",
        "第4行 数值: -5 — 数值不合理：不能小于0吨",
        "第5行 期间: 2025-13 — 月份不在 1–12 之间",
        "第6行 数值: 2.5 — 应为整数",
        "第7行 单位: 吨 — 单位“吨”不适用于该指标（应为%）",
        "第8行 数值: =B2*2 — 是公式而不是数值，请粘贴为数值后再上传",
        "第9行 数值: #REF! — 是 Excel 错误值，不是数字",
        "第10行 单位: 斤 — 无法识别的单位",
        "第11行 数值: 差不多 — 应填 完成/未完成（或 1/0）",
        '第12行 指标: =HYPERLINK("http://a","营业收入") — 是公式而不是指标名称，请“粘贴为数值”后再上传',
    ])


def test_conflicting_duplicates_name_both_rows(catalog):
    # Row 3 repeats row 2 (2025年6月 = 2025-06) with the same value: fine. Row 4 says otherwise.
    assert_rejected(parse("conflicting_duplicates.csv", catalog),
                    ["第4行 数值: 120 — 与第2行重复（指标、期间、片区相同）但内容不同"])


def test_identical_duplicates_count_once(catalog):
    r = parse("identical_duplicates.csv", catalog)
    assert records(r) == [("revenue", "2025-06", "", 100.0, "万元", False, "", 2)]
    assert r.rows_read == 2


# ---------------------------------------------------------------------------------------- datasets


@pytest.mark.parametrize("name, dataset", [
    ("utf8_long.csv", "indicators"), ("wide_period_title_year.csv", "indicators"),
    ("debt_ledger.csv", "debt"), ("debt_name_as_id.csv", "debt"), ("enterprise_list.csv", "enterprises"),
    ("not_a_table.txt", None), ("binary_with_nul.csv", None),
])
def test_detect_dataset(catalog, name, dataset):
    assert detect_dataset((FILES / name).read_bytes(), catalog) == dataset


def test_explicit_dataset_overrides_detection(catalog):
    r = parse("utf8_long.csv", catalog, "debt")
    assert r.dataset == "debt"
    assert_rejected(r, ["文件: 缺少必需的列：债务编号（或债务名称）、期末余额/本期新增/本期化解（至少一列）"])
    # 营业收入 is an indicator's name, but one among six other columns does not make a table by indicator
    r = parse("enterprise_list.csv", catalog, "indicators")
    assert_rejected(r, ["文件: 缺少必需的列：指标、数值"])
    assert parse("debt_ledger.csv", catalog, "debt").ok


def test_unknown_dataset_name_is_a_programmer_error(catalog):
    with pytest.raises(ValueError):
        parse_upload(b"", "x.csv", catalog, "debts")


@pytest.mark.parametrize("name, dataset", [("utf8_long.csv", "indicators"), ("debt_ledger.csv", "debt"),
                                           ("enterprise_list.csv", "enterprises"), ("bad_values.csv", "indicators")])
def test_frames_have_the_schema_columns(catalog, name, dataset):
    r = parse(name, catalog)
    assert list(r.rows.columns) == list(COLUMNS[dataset])
    kinds = {"str": "str", "float": "float64", "int": "int64", "bool": "bool"}
    for column, kind in COLUMNS[dataset].items():
        expected = "Int64" if column == "above_scale_year" else kinds[kind]
        assert str(r.rows[column].dtype) == expected, column


# ---------------------------------------------------------------------------------------- limits and hostile input


def test_file_too_big(catalog, monkeypatch):
    monkeypatch.setenv("CNPARK_MAX_UPLOAD_MB", "1")
    data = ("指标,期间,数值\n" + "营业收入,2025-06,1\n" * 68_000).encode()   # 23 bytes × 68 000 ≈ 1.5 MB
    assert_rejected(parse_upload(data, "big.csv", catalog), ["文件: 文件过大（1.5 MB），上限为 1 MB"])


def test_too_many_rows(catalog, monkeypatch):
    monkeypatch.setenv("CNPARK_MAX_ROWS", "5")
    data = ("指标,期间,数值\n" + "".join(f"营业收入,2025-{m:02d},1\n" for m in range(1, 7))).encode()
    assert_rejected(parse_upload(data, "x.csv", catalog), ["文件: 数据行数超过上限（最多 5 行），请拆分后分批上传"])
    # far beyond: reading stops early instead of holding every record
    data = ("指标,期间,数值\n" + "营业收入,2025-06,1\n" * 5000).encode()
    assert_rejected(parse_upload(data, "x.csv", catalog), ["文件: 数据行数超过上限（最多 5 行），请拆分后分批上传"])


def test_problem_list_is_capped(catalog):
    data = ("指标,期间,数值\n" + "营业收入,2025-06,abc\n" * 500).encode()
    r = parse_upload(data, "x.csv", catalog)
    assert len(r.problems) == 201
    assert str(r.problems[0]) == "第2行 数值: abc — 不是数字"
    assert str(r.problems[-1]) == "文件: …另有 300 个问题未列出"


def test_hundred_thousand_columns(catalog):
    data = ("指标,期间,数值," + ",".join(f"c{i}" for i in range(100_000)) + "\n营业收入,2025-06,1\n").encode()
    assert_rejected(parse_upload(data, "wide.csv", catalog), ["文件: 列数过多（超过 1000 列），不是可识别的表格"])


def test_deeply_nested_quotes_and_huge_fields(catalog):
    for data in ['指标,期间,数值\n' + '"' * 200_001 + '\n',
                 '指标,期间,数值\n营业收入,2025-06,"' + "9" * 300_000 + '"\n',
                 '指标,期间,数值\n"营业收入,2025-06,1\n' * 1000]:
        r = parse_upload(data.encode(), "x.csv", catalog)
        assert not r.ok and r.rows.empty
    r = parse_upload(('指标,期间,数值\n营业收入,2025-06,"' + "9" * 40_000 + '"\n').encode(), "x.csv", catalog)
    assert messages(r) == ["第2行: " + "9" * 39 + "… — 单元格内容过长（超过 32767 个字符）"]


def test_long_cells_stay_out_of_the_parsers_caches(catalog):
    # Those caches outlive the upload: 50 rows of 300-character cells must not settle in them.
    from cnpark.parse import cells, locate
    from cnpark.plan import units
    caches = [units.normalize_name, cells.parse_number, cells.parse_period, locate._clean]
    before = sum(f.cache_info().currsize for f in caches)
    lines = ["指标,期间,数值,单位,片区,备注"] + [
        ",".join([f"营业收入{i}" + "长" * 300, f"2025-{i}" + "6" * 300, f"{i}" + "1" * 300, f"{i}" + "万" * 300,
                  f"{i}" + "片" * 300, f"{i}" + "注" * 300]) for i in range(50)]
    r = parse_upload("\n".join(lines).encode(), "x.csv", catalog)
    assert len(r.problems) == 150  # 未知指标, 无法识别的期间 and 不是数字 on each row
    assert sum(f.cache_info().currsize for f in caches) - before < 20


def test_hundred_thousand_rows_are_all_read(catalog):
    # how fast is measured in bench/bench_core.py, not here
    names = ["营业收入", "工业总产值", "多晶硅产能", "新增规上工业企业"]
    lines = ["指标,期间,数值,单位,片区,备注"]
    # every key distinct: 4 names × 12 months × 100 years × 21 areas
    lines += [f"{names[i % 4]},{2000 + i // 48 % 100}-{i // 4 % 12 + 1:02d},{i % 97},,片区{i // 4800},"
              for i in range(100_000)]
    data = "\n".join(lines).encode("gbk")
    r = parse_upload(data, "big.csv", catalog)
    assert r.rows_read == 100_000 and not r.problems[:1], messages(r)[:3]
    assert len(r.rows) == 100_000 and r.rows["value"].iloc[-1] == 99_999 % 97


# ---------------------------------------------------------------------------------------- small pieces of the API


def test_problem_text():
    assert str(Problem(7, "数值", "abc", "不是数字")) == "第7行 数值: abc — 不是数字"
    assert str(Problem(3, "指标", "", "指标名称为空")) == "第3行 指标: （空） — 指标名称为空"
    assert str(Problem(None, "", "", "文件为空")) == "文件: 文件为空"


def test_ok_needs_rows_and_no_problems(catalog):
    assert parse("utf8_long.csv", catalog).ok
    r = parse_upload("指标,期间,数值\n营业收入,2025-06,—\n".encode(), "x.csv", catalog)
    assert_rejected(r, ["文件: 没有可导入的数据（数值均为空）"])
    assert r.skipped == 1


def test_indicator_template_round_trip(catalog):
    text = make_template("indicators", catalog)
    example, *lines = text.splitlines()
    assert example.startswith("填写示例：指标 多晶硅产能 / 期间 2025-06 / 数值 25 / 单位 万吨")
    assert lines[0] == "指标,期间,数值,单位,片区,备注"
    assert "营业收入,2025-12,,万元,," in lines and "多晶硅产能,2025-12,,吨,," in lines
    assert not any(line.startswith("园区债务化解进度") for line in lines)   # computed from the ledger
    # Unfilled, it stores nothing; filled in, every row is accepted.
    assert not parse_upload(("\ufeff" + text).encode(), "t.csv", catalog).ok
    filled = [example, lines[0]] + [line.replace(",2025-12,,", ",2025-12,完成," if line.split(",")[3] == "" else ",2025-12,1,")
                           for line in lines[1:]]
    r = parse_upload(("\ufeff" + "\r\n".join(filled)).encode(), "t.csv", catalog)
    assert r.ok, messages(r)
    assert len(r.rows) == len(lines) - 1


@pytest.mark.parametrize("dataset", ["debt", "enterprises"])
def test_ledger_templates_parse(catalog, dataset):
    r = parse_upload(("\ufeff" + make_template(dataset, catalog)).encode(), "t.csv", catalog)
    assert r.ok and r.dataset == dataset and len(r.rows) == 1, messages(r)


def test_a_workbook_that_unpacks_to_gigabytes_is_refused_before_reading(catalog, monkeypatch):
    """A zip bomb: 150 MB of shared strings compress to a few hundred KB; openpyxl would hold them all in memory."""
    import io
    import zipfile

    import openpyxl
    good = (FILES / "workbook_second_sheet.xlsx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            dst.writestr(name, src.read(name))
        dst.writestr("xl/sharedStrings.xml", b"<sst>" + b"<si><t>a</t></si>" * (150 * 1024 * 1024 // 16) + b"</sst>")
    bomb = out.getvalue()
    assert len(bomb) < 2 * 1024 * 1024                      # small enough to pass the upload size limit
    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(1))
    assert_rejected(parse_upload(bomb, "bomb.xlsx", catalog),
                    ["文件: Excel 文件解压后过大（超过 200 MB），请删去无关的工作表或另存为 CSV 后再上传"])
    assert opened == []                                     # refused from the zip's directory, before unpacking
