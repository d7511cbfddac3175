"""Files users download (problem lists, templates, tables): Excel-friendly and safe to open.

CSV is UTF-8 with a BOM so that Excel shows Chinese; any cell that Excel would run as a formula
(starting with = + - @, or a tab/CR before one) is prefixed with an apostrophe, so a hostile name
in an upload cannot become a formula on the analyst's machine.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from cnpark.tables import Problem

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


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Sheet1", title: str | None = None) -> bytes:
    """A table as an .xlsx workbook (under an optional title line), every text cell neutralised and stored as text."""
    from openpyxl import Workbook  # only downloads pay for the import

    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    if title:
        ws.append([safe_cell(title)])
    ws.append([safe_cell(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        ws.append([None if v is None or (isinstance(v, float) and v != v) else safe_cell(v) for v in row])
    for column in ws.columns:
        widest = max(len(str(c.value or "")) for c in column[1 if title else 0:])
        ws.column_dimensions[column[0].column_letter].width = max(10, min(40, widest * 2))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_xlsx(dataset: str, catalog) -> bytes:
    """The dataset's fill-in template (as `make_template` writes it) as an .xlsx workbook."""
    from cnpark.ingest import make_template
    rows = list(csv.reader(io.StringIO(make_template(dataset, catalog))))
    head = 1 if len(rows[0]) == 1 else 0          # the indicators template starts with an example line
    return xlsx_bytes(pd.DataFrame(rows[head + 1:], columns=rows[head]), sheet="填报模板", title=rows[0][0] if head else None)
