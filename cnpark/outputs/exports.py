"""Files users download (problem lists, templates, tables, the upload history): Excel-friendly and safe to open.

No text from an upload can become a formula on the analyst's machine:
  * CSV is UTF-8 with a BOM so that Excel shows Chinese; CSV has no cell types, so any cell that Excel would run as a
    formula (starting with = + - @, or a tab/CR before one) is prefixed with an apostrophe (safe_cell).
  * XLSX cells are typed: every text is written as a text cell (an inline string, never a formula or an error code,
    whatever it starts with), and text that starts like a formula also carries Excel's own hidden quote prefix (the
    quotePrefix style), so that it stays text when the cell is edited. No character is added: "+11.2 个百分点" reads as
    itself in Excel, WPS and LibreOffice Calc. Numbers are numbers, with a number format when given one (Number).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pandas as pd

from cnpark.parse.decode import Problem
from cnpark.store.datasets import DATASET_NAMES, get
from cnpark.store.manifest import Entry

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Number:
    """A workbook cell's number and the format it shows in: Number(0.804, "0.0%") reads 80.4% and stays a number."""
    value: float
    format: str


def safe_cell(value: object) -> object:
    """A cell as written to a CSV export: text that would start a formula gets a leading apostrophe.

    Numbers stay numbers (a negative number is not a formula).
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table as CSV for Excel: UTF-8 with BOM, CRLF, every text cell neutralised."""
    return _csv([[safe_cell(str(c)) for c in frame.columns],
                 *[["" if _empty(v) else safe_cell(v.value if isinstance(v, Number) else v) for v in row]
                   for row in frame.itertuples(index=False)]]).encode("utf-8-sig")


def _empty(value: object) -> bool:
    return value is None or (not isinstance(value, (str, Number)) and bool(pd.isna(value)))


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """The problems of a rejected upload as a table: 行, 列, 值, 原因 (行 empty for whole-file problems)."""
    return pd.DataFrame({"行": ["" if p.row is None else str(p.row) for p in problems],
                         "列": [p.column for p in problems], "值": [p.value for p in problems],
                         "原因": [p.reason for p in problems]})


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Sheet1", title: str | None = None,
               more: tuple[tuple[pd.DataFrame, str, str | None], ...] = ()) -> bytes:
    """Tables as an .xlsx workbook, one sheet each (`frame` first, then each of `more`: (frame, sheet, title)), under an
    optional title line, the heading row frozen; text cells are text (never formulas, no visible quote), numbers are
    numbers (a Number cell with its format)."""
    from openpyxl import Workbook  # only downloads pay for the import

    book = Workbook()
    _sheet(book.active, frame, sheet, title)
    for other, name, heading in more:
        _sheet(book.create_sheet(), other, name, heading)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _put(cell, value: object) -> None:
    """One value into one cell: text as a text cell, with the hidden quote prefix when it starts like a formula."""
    if isinstance(value, Number):
        cell.value, cell.number_format = value.value, value.format
    elif isinstance(value, str):
        cell.value = value
        cell.data_type = "s"                    # openpyxl would make "=…" a formula and "#N/A" an error: text is text
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True
    elif not _empty(value):
        cell.value = value


def _shown_width(value: object) -> int:
    """About how many narrow characters a cell shows (a Chinese character counts two)."""
    if isinstance(value, Number):
        return len(f"{value.value:,.2f}") + 2
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(value or ""))


def _sheet(ws, frame: pd.DataFrame, sheet: str, title: str | None) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    ws.title = sheet[:31]
    rows = [list(frame.columns), *frame.itertuples(index=False)]
    top = 1
    if title:
        _put(ws.cell(1, 1), title)
        ws.cell(1, 1).font = Font(bold=True)
        top = 2
    for r, row in enumerate(rows, top):
        for c, value in enumerate(row, 1):
            _put(ws.cell(r, c), str(value) if r == top else value)
    for c in range(1, len(frame.columns) + 1):
        if any(isinstance(row[c - 1], Number) for row in rows[1:]):      # words among numbers line up with them
            for r in range(top + 1, top + len(rows)):
                ws.cell(r, c).alignment = Alignment(horizontal="right")
        head = ws.cell(top, c)
        head.font, head.fill = Font(bold=True), PatternFill("solid", fgColor="D9D9D9")
        widest = max(_shown_width(row[c - 1]) for row in rows)
        ws.column_dimensions[head.column_letter].width = max(8, min(50, widest + 2))
    ws.freeze_panes = ws.cell(top + 1, 1)
    ws.page_setup.orientation = "landscape"             # printed: as wide as the page, the heading on every page
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = f"1:{top}"


def make_template(dataset: str, catalog, period: str | None = None) -> str:
    """A dataset's fill-in template (datasets.Dataset.template) as CSV text; the caller adds a BOM for Excel."""
    t = get(dataset).template(catalog, period)
    return _csv([*([[t.title]] if t.title else []), t.header, *t.rows])


def template_xlsx(dataset: str, catalog, period: str | None = None) -> bytes:
    """The same template, from the same rows, as an .xlsx workbook."""
    t = get(dataset).template(catalog, period)
    return xlsx_bytes(pd.DataFrame(t.rows, columns=t.header), sheet="填报模板", title=t.title or None)


def filled_csv(dataset: str, rows: list[dict[str, str]]) -> bytes:
    """A form's rows as the dataset's template file (its header, as offices name the columns): what the 填报 page
    sends through the one upload check, so a form and a file are read alike."""
    header = list(get(dataset).template_header)
    return _csv([header, *[[row.get(h, "") for h in header] for row in rows]]).encode("utf-8")


def _csv(lines: list[list]) -> str:
    """Lines as CSV text with Excel's line ends."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(lines)
    return out.getvalue()


def entry_text(e: Entry) -> str:
    """What an entry did, in a few words: the file of an upload, '回滚至 S00003', '审核退回：县林草局 2025-06（S00007）'."""
    if e.kind == "rollback":
        return f"回滚至 {e.target}"
    if e.kind == "review":
        return f"{'审核通过' if e.decision == 'approved' else '审核退回'}：{e.unit} {e.month}（{e.target}）"
    return e.file


def history_frame(entries: list[Entry], short: bool = False) -> pd.DataFrame:
    """Every upload, rollback and review, newest first, with Chinese headers: the upload page's history and the
    CLI's `snapshots` table (short: the checksum's first 12 characters, for a terminal)."""
    return pd.DataFrame([{
        "编号": e.id, "时间": e.uploaded_at[:19].replace("T", " "), "用户": e.user or "—",
        "数据集": DATASET_NAMES.get(e.dataset, "—"), "文件": entry_text(e) or "—", "行数": e.rows,
        "文件校验码": (e.sha256[:12] if short else e.sha256) or "—", "示例数据": "是" if e.sample else "",
    } for e in reversed(entries)], columns=["编号", "时间", "用户", "数据集", "文件", "行数", "文件校验码", "示例数据"])
