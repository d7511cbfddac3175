"""parse_upload never raises, whatever the bytes; whatever it accepts obeys the catalog's rules.

CI runs a bounded number of examples. `CNPARK_FUZZ_SCALE=50 pytest tests/test_ingest_fuzz.py` multiplies them
(scripts/fuzz.sh; figures in docs/RELIABILITY.md).
"""

import io
import os
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from cnpark.parse import ParseResult, parse_upload
from cnpark.store.datasets import COLUMNS

FILES = Path(__file__).resolve().parent / "files"
SEEDS = [(FILES / name).read_bytes() for name in (
    "utf8_long.csv", "title_unit_footnotes.csv", "wide_period_title_year.csv", "debt_ledger.csv",
    "enterprise_list.csv", "utf16le_unicode_text.txt", "gbk_excel_crlf.csv", "workbook_second_sheet.xlsx",
    "fuzz_seed.xls", "fuzz_seed.ods", "fuzz_seed.xlsb")]          # made by tests/office_files.py
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
INTERNAL_ERROR = "程序内部错误"
SCALE = int(os.environ.get("CNPARK_FUZZ_SCALE", "1"))


def examples(n: int):
    return settings(max_examples=n * SCALE, deadline=None)


def check(result: ParseResult, catalog) -> None:
    """The invariants of any result; for an accepted one, the catalog's rules on every row."""
    assert not any(INTERNAL_ERROR in p.reason for p in result.problems), result.problems
    assert len(result.problems) <= 201
    if not result.ok:
        assert result.rows.empty
        return
    assert list(result.rows.columns) == list(COLUMNS[result.dataset])
    assert (result.rows["source_row"] >= 1).all()
    assert result.rows["period"].map(lambda p: bool(MONTH.match(p))).all()
    if result.dataset != "indicators":
        return
    for row in result.rows.itertuples(index=False):
        target = catalog[row.indicator]          # a known code
        assert target.kind != "debt"
        assert row.unit == target.unit
        if target.min is not None:
            assert row.value >= target.min
        if target.max is not None:
            assert row.value <= target.max
        if target.integer or target.kind == "milestone":
            assert row.value == round(row.value)


@examples(100)
@given(data=st.binary(max_size=3000))
def test_arbitrary_bytes_never_raise(catalog, data):
    check(parse_upload(data, "random.csv", catalog), catalog)


def _mutate(draw, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["insert", "delete", "duplicate", "swap", "truncate", "replace"]))
        n = len(buf)
        at = draw(st.integers(0, max(n - 1, 0)))
        if kind == "insert":
            buf[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "replace" and n:
            buf[at] = draw(st.integers(0, 255))
        elif kind == "delete" and n:
            del buf[at:at + draw(st.integers(1, 16))]
        elif kind == "duplicate" and n:
            buf[at:at] = buf[at:at + draw(st.integers(1, 64))]
        elif kind == "swap" and n > 1:
            other = draw(st.integers(0, n - 1))
            buf[at], buf[other] = buf[other], buf[at]
        elif kind == "truncate":
            del buf[at:]
    return bytes(buf)


@examples(120)
@given(st.data())
def test_mutated_good_files_never_raise_and_accepted_rows_obey_the_catalog(catalog, data):
    seed = data.draw(st.sampled_from(SEEDS))
    mutated = _mutate(data.draw, seed)
    check(parse_upload(mutated, "mutated.csv", catalog), catalog)


# Text built from the pieces real uploads are made of, so that most examples reach the row readers.
_PIECES = st.sampled_from([
    "指标", "期间", "数值", "单位", "片区", "备注", "营业收入", "多晶硅产能", "农特产品加工转化率", "新增规上工业企业",
    "绿美园区建成", "2025-06", "2025年1-6月", "1-2月", "2025", "万吨", "亿元", "%", "完成", "—", "abc", "=A1",
    "#REF!", "-5", "101", "2.5", "4.5万吨", "1,234", '"', '""', ",", "\t", ";", "，", "|", "\n", "\r\n", " ",
    "单位：万元", "注：", "企业名称", "产业链环节", "债务编号", "期末余额(亿元)", "茶叶", "是",
])


@examples(80)
@given(pieces=st.lists(_PIECES, max_size=120), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
def test_table_like_text_never_raises(catalog, pieces, encoding):
    check(parse_upload("".join(pieces).encode(encoding), "pieces.csv", catalog), catalog)


# Real workbooks with arbitrary cells: strings, numbers, dates, formulas, errors, blanks, in any sheet and place.
_CELLS = st.one_of(_PIECES, st.text(max_size=40), st.integers(-10**12, 10**12),
                   st.floats(allow_nan=True, allow_infinity=True), st.none(), st.booleans(),
                   st.dates(date(1899, 12, 31), date(2100, 1, 1)), st.datetimes(datetime(1900, 1, 1)),
                   st.sampled_from(["=1/0", "=SUM(A1:A3)", "#DIV/0!", "#N/A"]))


def _workbook(sheets: list[list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for i, rows in enumerate(sheets):
        sheet = book.create_sheet(f"表{i + 1}")
        for row in rows:
            sheet.append([_clean(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _clean(value):
    """openpyxl refuses control characters in strings; a real workbook cannot hold them either."""
    if isinstance(value, str):
        return openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


@examples(40)
@given(sheets=st.lists(st.lists(st.lists(_CELLS, max_size=8), max_size=12), min_size=1, max_size=3))
def test_generated_workbooks_never_raise(catalog, sheets):
    check(parse_upload(_workbook(sheets), "生成.xlsx", catalog), catalog)


@examples(40)
@given(st.data())
def test_workbooks_with_mutated_sheet_xml_never_raise(catalog, data):
    """Inside a valid zip: the sheet and shared-string XML damaged byte by byte, as a broken export would."""
    seed = zipfile.ZipFile(io.BytesIO((FILES / "workbook_second_sheet.xlsx").read_bytes()))
    target = data.draw(st.sampled_from([n for n in seed.namelist()
                                        if n.startswith("xl/worksheets/") or n == "xl/sharedStrings.xml"]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in seed.namelist():
            body = seed.read(name)
            z.writestr(name, _mutate(data.draw, body) if name == target else body)
    check(parse_upload(out.getvalue(), "损坏.xlsx", catalog), catalog)
