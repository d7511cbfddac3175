"""Workbooks (issue 20): does python-calamine read an .xlsx to the same grid as openpyxl, and faster? And what does
reading an .xls / .ods / .xlsb of the same table cost?

    .venv/bin/python bench/bench_workbooks.py [--runs 5] [--rows 20000]

Same cells: each workbook is read both ways into the parser's Grid (cnpark/parse/workbooks.py: openpyxl's
_read_xlsx; calamine's _read_calamine, in its child process, with the percent cells it finds for that format) and the grids compared
row by row. The workbooks: tests/files' two .xlsx, and one made here with dates, numbers stored as text, a merged
header, a formula (with the value LibreOffice cached), percent-formatted cells and an empty first sheet, saved by
LibreOffice as .xlsx, .xls and .ods. Speed: a 20,000-row indicator table (openpyxl write, then LibreOffice converts
it to .xls/.ods; .xlsb by tests/office_files.py), median and min–max of --runs reads of each, interleaved.
Markdown to stdout. Needs LibreOffice (soffice) for the converted files.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import openpyxl  # noqa: E402
from office_files import soffice_convert, xlsb_from_xlsx  # noqa: E402

from cnpark.parse.workbooks import _read_calamine, _read_xlsx  # noqa: E402

LIMIT = 1_000_000


def feature_book(path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "说明"
    sheet = book.create_sheet("指标")
    sheet["B3"] = "2025年上半年"
    rows = [["指标", "期间", "数值", "备注"], ["营业收入", date(2025, 6, 1), 1234.56], ["农特产品加工转化率", "2025-06", 0.752],
            ["标准地出让占比", "2025-06", "=0.5+0.25"], ["工业总产值", "2025-06", "12345"]]
    for r, row in enumerate(rows, start=5):
        for c, value in enumerate(row, start=2):
            sheet.cell(r, c, value)
    sheet["D7"].number_format = sheet["D8"].number_format = "0.0%"
    sheet.merge_cells("E5:F5")
    book.save(path)


def big_book(path: Path, rows: int) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("指标")
    sheet.append(["指标", "期间", "数值", "单位", "片区", "备注"])
    for i in range(rows):
        sheet.append(["营业收入", f"{2000 + i // 12:04d}-{i % 12 + 1:02d}", 1000.5 + i, "万元", f"片区{i % 7}", ""])
    book.save(path)


def grid_rows(grid) -> list:
    if grid is None:
        return ["(cannot read)"]
    return grid.rows if not grid.problems else [str(p) for p in grid.problems]


def differences(a: list, b: list) -> tuple[int, int, str]:
    """(cells that differ because calamine gives a percent cell's fraction, other cells that differ, the first)."""
    percent = other = 0
    first = "" if len(a) == len(b) else f"{len(a)} rows ≠ {len(b)} rows"
    for x, y in zip(a, b, strict=False):
        if x == y:
            continue
        first = first or f"{x} ≠ {y}"
        if not (isinstance(x, tuple) and isinstance(y, tuple)):
            other += 1
            continue
        cells_x, cells_y = x[1], y[1]
        for i in range(max(len(cells_x), len(cells_y))):
            cx = cells_x[i] if i < len(cells_x) else ""
            cy = cells_y[i] if i < len(cells_y) else ""
            if cx != cy:
                if cx.endswith("%"):
                    percent += 1
                else:
                    other += 1
    return percent, other, first


def timed(read, runs: int) -> tuple[float, float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        read()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        feature_book(tmp / "features.xlsx")
        big_book(tmp / "big.xlsx", args.rows)
        made = {}
        for to in ("xlsx", "xls", "ods"):
            for name in ("features", "big"):
                made[(name, to)] = soffice_convert(tmp / f"{name}.xlsx", to, tmp / to, tmp / "profile",
                                                   import_filter=None).read_bytes()
        made[("big", "xlsb")] = xlsb_from_xlsx(tmp / "xlsx" / "big.xlsx")

        print("#### Same cells? openpyxl and calamine on the same .xlsx\n")
        print("| workbook | rows (openpyxl) | identical grid | % cells read as fractions | other differences | first "
              "difference |\n|---|---|---|---|---|---|")
        books = {"features.xlsx (LibreOffice-saved)": made[("features", "xlsx")],
                 "workbook_second_sheet.xlsx": (ROOT / "tests/files/workbook_second_sheet.xlsx").read_bytes(),
                 "damaged_workbook.xlsx": (ROOT / "tests/files/damaged_workbook.xlsx").read_bytes(),
                 f"big.xlsx ({args.rows:,} rows)": made[("big", "xlsx")]}
        for name, data in books.items():
            a, b = grid_rows(_read_xlsx(data, LIMIT)), grid_rows(_read_calamine(data, "xlsx", LIMIT))
            percent, other, first = differences(a, b)
            print(f"| {name} | {len(a)} | {'yes' if a == b else '**no**'} | {percent} | {other} | {first[:140]} |")

        print(f"\n#### Speed: {args.rows:,}-row table, median of {args.runs} (min–max)\n")
        print("| file | reader | median | spread | rows |\n|---|---|---|---|---|")
        cases = [("xlsx", "openpyxl (used)", lambda d: _read_xlsx(d, LIMIT)),
                 ("xlsx", "calamine (not used)", lambda d: _read_calamine(d, "xlsx", LIMIT)),
                 ("xls", "calamine + % records", lambda d: _read_calamine(d, "xls", LIMIT)),
                 ("ods", "calamine + % records", lambda d: _read_calamine(d, "ods", LIMIT)),
                 ("xlsb", "calamine + % records", lambda d: _read_calamine(d, "xlsb", LIMIT))]
        for kind, reader, read in cases:
            data = made[("big", kind)]
            med, lo, hi = timed(lambda data=data, read=read: read(data), args.runs)
            rows = len(read(data).rows)
            print(f"| .{kind} ({len(data) / 1024:,.0f} KB) | {reader} | {med * 1000:,.0f} ms | "
                  f"{lo * 1000:,.0f}–{hi * 1000:,.0f} ms | {rows:,} |")


if __name__ == "__main__":
    main()
