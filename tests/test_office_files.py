"""Every office file goes in (issue 20): .xls, .ods written by LibreOffice and .xlsb ingest to exactly the rows of the
CSV they were made from; files that are no table (a WPS .et, a picture, a PDF, a Word file) get one sentence."""

import io
import os
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from office_files import SOFFICE, soffice_convert, xlsb_bytes, xlsb_from_xlsx
from pandas.testing import assert_frame_equal

from cnpark.parse import parse_upload
from cnpark.parse.decode import read_grid
from cnpark.parse.percent import is_percent_format

FILES = Path(__file__).parent / "files"
SAMPLE = Path(__file__).parent.parent / "data" / "sample"
SOURCES = [FILES / "number_forms.csv", FILES / "title_unit_footnotes.csv", FILES / "wide_period_title_year.csv",
           FILES / "debt_ledger.csv", FILES / "enterprise_list.csv", SAMPLE / "02_里程碑.csv",
           SAMPLE / "08_重点工作进展_2023-2025.csv", SAMPLE / "09_重点项目台账_2023-2025.csv"]
KINDS = ("xls", "ods", "xlsb")


@pytest.fixture(scope="session")
def office(tmp_path_factory) -> dict[tuple[str, str], bytes]:
    """(CSV name, kind) → the workbook LibreOffice wrote from that CSV (.xlsb: transcribed from its .xlsx)."""
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice, libreoffice-calc-nogui) is missing: scripts/test.sh installs it")
        pytest.skip("LibreOffice is not installed")
    root = tmp_path_factory.mktemp("office")
    made = {}
    for source in SOURCES:        # ASCII names: what LibreOffice writes is found without guessing its encoding
        (root / f"{SOURCES.index(source)}.csv").write_bytes(source.read_bytes())
    for to in ("xls", "ods", "xlsx"):
        paths = soffice_convert([root / f"{i}.csv" for i in range(len(SOURCES))], to, root / to, root / "profile")
        for source, path in zip(SOURCES, paths, strict=True):
            made[(source.name, to)] = path.read_bytes()
            if to == "xlsx":
                made[(source.name, "xlsb")] = xlsb_from_xlsx(path)
    return made


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("source", SOURCES, ids=[s.name for s in SOURCES])
def test_a_workbook_libreoffice_wrote_ingests_to_the_rows_of_its_csv(office, catalog, source, kind):
    from_csv = parse_upload(source.read_bytes(), source.name, catalog)
    from_book = parse_upload(office[(source.name, kind)], f"表.{kind}", catalog)
    assert from_csv.ok and from_book.ok, [str(p) for p in from_book.problems]
    assert from_book.dataset == from_csv.dataset
    assert_frame_equal(from_book.rows, from_csv.rows)
    assert from_book.source.startswith({"xls": "Excel 97-2003 工作簿（.xls，工作表“",
                                        "ods": "开放文档表格（.ods，工作表“", "xlsb": "Excel 二进制工作簿（.xlsb，工作表“"}[kind])


def test_number_forms_read_from_an_xls_keep_their_percent(office, catalog):
    # number_forms.csv row 4 is 标准地出让占比 "75%": LibreOffice stores 0.75 formatted as a percentage; read as
    # 0.75 it would be 0.75 %, so the percent format is found in the file's own records.
    r = parse_upload(office[("number_forms.csv", "xls")], "表.xls", catalog)
    row = r.rows[r.rows["indicator"] == "standard_land_share"]
    assert row["value"].tolist() == [75.0] and row["unit"].tolist() == ["%"]


def test_sheet_offsets_dates_text_numbers_and_percent_formulas(tmp_path):
    # An .xlsx with the table at B5 on its second sheet, a date, a number stored as text, a percent formula and a
    # merged header: LibreOffice saves it as .xls and .ods; each reads to the same grid as the .xlsx (openpyxl).
    book = openpyxl.Workbook()
    book.active.title = "说明"
    sheet = book.create_sheet("指标")
    sheet["B3"] = "2025年上半年"
    for r, row in enumerate([["指标", "期间", "数值", "备注"], ["营业收入", date(2025, 6, 1), 1234.56],
                             ["农特产品加工转化率", "2025-06", 0.752], ["标准地出让占比", "2025-06", "=0.5+0.25"],
                             ["工业总产值", "2025-06", "12345"]], start=5):
        for c, value in enumerate(row, start=2):
            sheet.cell(r, c, value)
    sheet["D7"].number_format = sheet["D8"].number_format = "0.0%"
    sheet.merge_cells("E5:F5")
    path = tmp_path / "offset.xlsx"
    book.save(path)
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed") if not os.environ.get("CI") else pytest.fail("soffice missing")
    expected = [(3, ("", "2025年上半年")), (5, ("", "指标", "期间", "数值", "备注")),
                (6, ("", "营业收入", "2025-06-01", "1234.56")), (7, ("", "农特产品加工转化率", "2025-06", "75.2%")),
                (8, ("", "标准地出让占比", "2025-06", "75%")), (9, ("", "工业总产值", "2025-06", "12345"))]
    for kind in ("xls", "ods"):
        made = soffice_convert(path, kind, tmp_path / kind, tmp_path / "profile", import_filter=None)
        grid = read_grid(made.read_bytes(), 100, made.name)
        assert grid.problems == [] and grid.rows == expected, kind


def test_percent_formats_are_told_from_percent_signs_in_quotes():
    assert is_percent_format("0.0%") and is_percent_format("0%;[Red]-0%")
    assert not is_percent_format('0.0"%"') and not is_percent_format("0\\%") and not is_percent_format("General")


def test_an_xlsb_with_a_percent_cell_and_an_offset(catalog):
    data = xlsb_bytes([[], ["指标", "期间", "数值"], ["农特产品加工转化率", "2025-06", 0.752]], {(2, 2)})
    r = parse_upload(data, "表.xlsb", catalog)
    assert r.ok and r.rows[["indicator", "period", "value", "unit"]].values.tolist() == [
        ["agri_processing_rate", "2025-06", 75.2, "%"]]


@pytest.mark.skipif(SOFFICE is None and not os.environ.get("CI"), reason="LibreOffice is not installed")
def test_libreoffice_reads_the_xlsb_the_tests_write(tmp_path):
    # The writer in tests/office_files.py is checked by a real office suite: LibreOffice opens it and sees its cells.
    (tmp_path / "t.xlsb").write_bytes(xlsb_bytes([["债务编号", "期末余额"], ["ZW01", 1200.5]]))
    back = soffice_convert(tmp_path / "t.xlsb", "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path / "csv",
                           tmp_path / "profile", import_filter=None)
    assert back.read_text(encoding="utf-8").splitlines() == ["债务编号,期末余额", "ZW01,1200.5"]


# ---------------------------------------------------------------------------------------- files that are no table

PNG = b"\x89PNG\r\n\x1a\n" + bytes(40)
OLE_JUNK = (FILES / "old_excel.xls").read_bytes()
SAVE = "另存为 Excel 工作簿（.xlsx）或 CSV 后再上传"


def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize("data, filename, reason", [
    (OLE_JUNK, "进度.et", "这是 WPS 表格（.et）文件，请在 WPS 中“另存为”Excel 工作簿（.xlsx）或 CSV 后再上传"),
    (b"\x01\x00\x00\x00WPS\x00" + bytes(64), "进度.et", "这是 WPS 表格（.et）文件，请在 WPS 中“另存为”Excel 工作簿（.xlsx）或 CSV 后再上传"),
    (OLE_JUNK, "进度.xls", f"无法读取这个 Excel 97-2003（.xls）文件：文件已损坏，或是其他软件的专有格式，请在 Excel 或 WPS 中{SAVE}"),
    (PNG, "截图.png", "这是图片（PNG），无法从中读取数字，请上传原始的 Excel 工作簿（.xlsx、.xls）、.ods 或 CSV 文件"),
    (PNG, "报表.csv", "这是图片（PNG），无法从中读取数字，请上传原始的 Excel 工作簿（.xlsx、.xls）、.ods 或 CSV 文件"),
    (b"\xff\xd8\xff\xe0" + bytes(40), "照片.jpg", "这是图片（JPEG），无法从中读取数字，请上传原始的 Excel 工作簿（.xlsx、.xls）、.ods 或 CSV 文件"),
    (b"GIF89a" + bytes(40), "动图.gif", "这是图片（GIF），无法从中读取数字，请上传原始的 Excel 工作簿（.xlsx、.xls）、.ods 或 CSV 文件"),
    (bytes(range(32)) * 4, "数据.csv", "不是表格文件（含有二进制内容），请上传 CSV、TXT（Unicode 文本）或 .xlsx 文件"),
    (b"%PDF-1.7\n" + bytes(40), "报表.pdf", "这是 PDF 文件，无法从中读取表格，请上传原始的 Excel 工作簿（.xlsx、.xls）、.ods 或 CSV 文件"),
    (_zip({"word/document.xml": b"<w/>"}), "说明.docx", f"这是 Word 文档，不是表格，请把表格复制到 Excel 或 WPS 表格中，{SAVE}"),
    (_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}), "说明.odt",
     f"这是开放文档格式的文字或演示文件，不是表格，请把表格复制到 Excel 或 WPS 表格中，{SAVE}"),
])
def test_a_file_that_is_no_table_gets_one_sentence(catalog, data, filename, reason):
    r = parse_upload(data, filename, catalog)
    assert [str(p) for p in r.problems] == [f"文件: {reason}"] and r.rows.empty


def renamed_stream(data: bytes, old: str, new: str) -> bytes:
    """An OLE2 file with one directory entry renamed in place (its name field and length): what an encrypted workbook
    (EncryptionInfo, EncryptedPackage) or WPS's own .et (no Workbook stream calamine reads) looks like from outside."""
    at = data.index(old.encode("utf-16-le") + b"\x00\x00")
    name = (new.encode("utf-16-le") + b"\x00\x00").ljust(64, b"\x00")
    return data[:at] + name + (2 * len(new) + 2).to_bytes(2, "little") + data[at + 66:]


@pytest.mark.parametrize("new, filename, reason", [
    ("EncryptionInfo", "加密.xlsx", f"文件设有打开密码，无法读取，请在 Excel 或 WPS 中取消密码后{SAVE}"),
    ("WpsBook", "进度.et", "这是 WPS 表格（.et）文件，请在 WPS 中“另存为”Excel 工作簿（.xlsx）或 CSV 后再上传"),
    ("WpsBook", "进度.xls", f"无法读取这个 Excel 97-2003（.xls）文件：文件已损坏，或是其他软件的专有格式，请在 Excel 或 WPS 中{SAVE}"),
])
def test_ole2_files_that_are_no_readable_workbook(office, catalog, new, filename, reason):
    data = renamed_stream(office[("number_forms.csv", "xls")], "Workbook", new)
    r = parse_upload(data, filename, catalog)
    assert [str(p) for p in r.problems] == [f"文件: {reason}"] and r.rows.empty


@pytest.mark.skipif(SOFFICE is None and not os.environ.get("CI"), reason="LibreOffice is not installed")
def test_a_word_97_document_gets_one_sentence(tmp_path, catalog):
    (tmp_path / "说明.txt").write_text("指标,期间,数值\n", encoding="utf-8")
    doc = soffice_convert(tmp_path / "说明.txt", "doc", tmp_path / "doc", tmp_path / "profile", import_filter=None)
    r = parse_upload(doc.read_bytes(), "说明.doc", catalog)
    assert [str(p) for p in r.problems] == [f"文件: 这是 Word 文档，不是表格，请把表格复制到 Excel 或 WPS 表格中，{SAVE}"]


def test_an_et_that_is_a_readable_workbook_is_read(office, catalog):
    # the name alone decides nothing: an .et whose bytes are an Excel 97-2003 workbook is simply read
    r = parse_upload(office[("number_forms.csv", "xls")], "进度.et", catalog)
    assert r.ok and len(r.rows) == 7


def test_a_workbook_that_makes_calamine_abort_its_process_is_refused(catalog):
    # fuzz_seed.xls with a few bytes changed (found by fuzzing): calamine tries to allocate about 500 GB and aborts
    # the process it runs in. It runs in a child (parse/sheet_reader.py), so this process lives and says why.
    data = (FILES / "xls_calamine_aborts.xls").read_bytes()
    r = parse_upload(data, "进度.xls", catalog)
    assert [str(p) for p in r.problems] == [
        f"文件: 无法读取这个 Excel 97-2003（.xls）文件：文件已损坏，或是其他软件的专有格式，请在 Excel 或 WPS 中{SAVE}"]


def test_the_command_line_reads_an_xls_and_refuses_an_et(office, tmp_path):
    from test_cli import cnpark, snapshots

    (tmp_path / "表.xls").write_bytes(office[("debt_ledger.csv", "xls")])
    (tmp_path / "进度.et").write_bytes(OLE_JUNK)
    code, out, err = cnpark(tmp_path / "store", "ingest", tmp_path / "进度.et")
    assert (code, out) == (1, "")
    assert err.splitlines() == ["文件未入库：进度.et 有 1 个问题",
                                "文件: 这是 WPS 表格（.et）文件，请在 WPS 中“另存为”Excel 工作簿（.xlsx）或 CSV 后再上传"]
    code, out, err = cnpark(tmp_path / "store", "ingest", tmp_path / "表.xls")
    assert code == 0 and out.strip() == "已入库：快照 S00001，debt（债务台账），3 行，文件 表.xls", err
    assert [(e["file"], e["rows"]) for e in snapshots(tmp_path / "store")] == [("表.xls", 3)]
