"""Files users download (problem lists, templates, tables, the upload history): Excel-friendly and safe to open.

CSV is UTF-8 with a BOM so that Excel shows Chinese; any cell that Excel would run as a formula
(starting with = + - @, or a tab/CR before one) is prefixed with an apostrophe, so a hostile name
in an upload cannot become a formula on the analyst's machine.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from cnpark.datasets import DATASET_NAMES, get
from cnpark.manifest import Entry
from cnpark.parse.decode import Problem

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A cell as written to an export: text that would start a formula gets a leading apostrophe.

    Numbers stay numbers (a negative number is not a formula).
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table as CSV for Excel: UTF-8 with BOM, CRLF, every text cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow(["" if v is None or (isinstance(v, float) and v != v) else safe_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """The problems of a rejected upload as a table: 行, 列, 值, 原因 (行 empty for whole-file problems)."""
    return pd.DataFrame({"行": ["" if p.row is None else str(p.row) for p in problems],
                         "列": [p.column for p in problems], "值": [p.value for p in problems],
                         "原因": [p.reason for p in problems]})


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Sheet1", title: str | None = None,
               more: tuple[tuple[pd.DataFrame, str, str | None], ...] = ()) -> bytes:
    """Tables as an .xlsx workbook, one sheet each (`frame` first, then each of `more`: (frame, sheet, title)), under an
    optional title line; every text cell neutralised and stored as text."""
    from openpyxl import Workbook  # only downloads pay for the import

    book = Workbook()
    _sheet(book.active, frame, sheet, title)
    for other, name, heading in more:
        _sheet(book.create_sheet(), other, name, heading)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(ws, frame: pd.DataFrame, sheet: str, title: str | None) -> None:
    ws.title = sheet[:31]
    if title:
        ws.append([safe_cell(title)])
    ws.append([safe_cell(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        ws.append([None if v is None or (isinstance(v, float) and v != v) else safe_cell(v) for v in row])
    for column in ws.columns:
        widest = max(len(str(c.value or "")) for c in column[1 if title else 0:])
        ws.column_dimensions[column[0].column_letter].width = max(10, min(40, widest * 2))


def make_template(dataset: str, catalog, period: str | None = None) -> str:
    """A dataset's fill-in template (datasets.Dataset.template) as CSV text; the caller adds a BOM for Excel."""
    t = get(dataset).template(catalog, period)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if t.title:
        writer.writerow([t.title])
    writer.writerows([t.header, *t.rows])
    return out.getvalue()


def template_xlsx(dataset: str, catalog, period: str | None = None) -> bytes:
    """The same template, from the same rows, as an .xlsx workbook."""
    t = get(dataset).template(catalog, period)
    return xlsx_bytes(pd.DataFrame(t.rows, columns=t.header), sheet="填报模板", title=t.title or None)


def history_frame(entries: list[Entry], short: bool = False) -> pd.DataFrame:
    """Every upload and rollback, newest first, with Chinese headers: the upload page's history and the CLI's
    `snapshots` table (short: the checksum's first 12 characters, for a terminal)."""
    return pd.DataFrame([{
        "编号": e.id, "时间": e.uploaded_at[:19].replace("T", " "), "用户": e.user or "—",
        "数据集": DATASET_NAMES.get(e.dataset, f"回滚至 {e.target}"), "文件": e.file or "—", "行数": e.rows,
        "文件校验码": (e.sha256[:12] if short else e.sha256) or "—", "示例数据": "是" if e.sample else "",
    } for e in reversed(entries)], columns=["编号", "时间", "用户", "数据集", "文件", "行数", "文件校验码", "示例数据"])
