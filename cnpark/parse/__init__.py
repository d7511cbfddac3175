"""The parser: an uploaded file → canonical rows of one dataset (datasets.py), or every problem found in it.

Its stages, one module each:
  1. decode.py       bytes → a grid of cell texts (encodings, delimiters); workbooks.py the office files by their
                     bytes (.xlsx, .xls, .ods, .xlsb; pictures, Word, WPS .et refused), percent.py their % cells
  2. locate.py       find the table: the header row and its columns, the title lines above, the data rows below
  3. cells.py        read cells: numbers with units, 完成/未完成, periods; collect.py gathers records and problems
  4. <dataset>.py    records per dataset (indicators.py, debt.py, enterprises.py, tasks.py, projects.py), registered in READERS
A plain long indicator CSV/TXT — the common big upload — is read first by columnar.py: the same stages on whole
columns in Arrow, answering only when certain to give exactly what the row reader gives, else handing the file to it.
Every cell that cannot be understood becomes a Problem naming the spreadsheet row, the column, the value and the
reason; rows come back only when there is none. No streamlit, no duckdb.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from cnpark import settings
from cnpark.parse.collect import Reading
from cnpark.parse.columnar import read_long
from cnpark.parse.debt import read_debt
from cnpark.parse.decode import Problem, read_grid
from cnpark.parse.enterprises import read_enterprises
from cnpark.parse.indicators import read_indicators
from cnpark.parse.locate import HEADER_SCAN, Title, data_rows, find_header
from cnpark.parse.projects import read_projects
from cnpark.parse.tasks import read_tasks
from cnpark.plan.catalog import Catalog
from cnpark.store.datasets import REGISTRY

__all__ = ["Problem", "ParseResult", "parse_upload", "detect_dataset", "READERS"]

# Stage 4: each dataset's reader fills the Reading from the data rows and returns the layout it found
# (indicators: long | wide_indicator | wide_period; a ledger: table, one record per row).
READERS: dict[str, Callable[[Reading, list], str]] = {
    "indicators": read_indicators, "debt": read_debt, "enterprises": read_enterprises, "tasks": read_tasks,
    "projects": read_projects,
}
EXTRA_RECORDS = 1000   # title, blank and footnote rows allowed beyond settings' max_rows


@dataclass(eq=False)
class ParseResult:
    """What parse_upload found: canonical rows (empty whenever there is a problem) and every problem."""
    dataset: str | None             # indicators | debt | enterprises | None (not recognised)
    rows: pd.DataFrame              # columns exactly as datasets.COLUMNS[dataset], in that order
    problems: list[Problem]
    rows_read: int = 0              # data rows seen (not title, blank, footnote or repeated-header rows)
    skipped: int = 0                # cells/rows left out because they held a missing marker (—, 空, / …)
    conversions: list[str] = field(default_factory=list)   # "营业收入：亿元 → 万元（×10000）"
    layout: str = ""                # long | wide_indicator | wide_period | table
    source: str = ""                # how the file was read: "CSV/TXT（GB18030，逗号分隔）"

    @property
    def ok(self) -> bool:
        """True when the upload can be stored: no problem and at least one row."""
        return not self.problems and len(self.rows) > 0


# ---------------------------------------------------------------------------------------- entry points

def parse_upload(data: bytes, filename: str, catalog: Catalog, dataset: str | None = None) -> ParseResult:
    """Read an uploaded CSV/TXT/XLSX/XLS/ODS/XLSB into canonical rows of `dataset` (detected from the columns when None).

    Never raises for any bytes: every failure is a Problem. An unknown dataset name is a programmer error.
    The filename is not trusted for the format (the bytes decide); it only names a WPS .et that cannot be read.
    """
    if dataset is not None and dataset not in REGISTRY:
        raise ValueError(f"unknown dataset {dataset!r}; expected one of {tuple(REGISTRY)}")
    return _parse_upload(data, filename, catalog, dataset, fast=True)


def _parse_upload(data: bytes, filename: str, catalog: Catalog, dataset: str | None, fast: bool) -> ParseResult:
    """parse_upload; fast=False leaves out columnar.py: the reference its results are compared with in tests."""
    try:
        return _parse(bytes(data), catalog, dataset, filename, fast)
    except Exception as exc:  # last resort: a bug must reach the user as a message, not as a crashed page
        reason = f"文件无法解析（程序内部错误 {type(exc).__name__}），请联系管理员"
        return ParseResult(dataset, _frame(dataset), [Problem(None, "", "", reason)])


def detect_dataset(data: bytes, catalog: Catalog) -> str | None:
    """The dataset an upload's columns belong to ('indicators', 'debt', 'enterprises'), or None."""
    try:
        found = find_header(read_grid(bytes(data), HEADER_SCAN * 4).rows, catalog, None)
    except Exception:  # same promise as parse_upload: bad bytes never raise
        return None
    return found[1] if found else None


# ---------------------------------------------------------------------------------------- the whole file

def _failed(dataset: str | None, reason: str, **counts) -> ParseResult:
    return ParseResult(dataset, _frame(dataset), [Problem(None, "", "", reason)], **counts)


def _parse(data: bytes, catalog: Catalog, dataset: str | None, filename: str = "", fast: bool = True) -> ParseResult:
    limit_mb = settings.number("max_upload_mb")
    max_rows = int(settings.number("max_rows"))
    too_many = f"数据行数超过上限（最多 {max_rows} 行），请拆分后分批上传"
    if len(data) > limit_mb * 1024 * 1024:  # before any decoding: the cheapest refusal first
        return _failed(dataset, f"文件过大（{len(data) / 1048576:.1f} MB），上限为 {limit_mb:g} MB")
    if fast:
        found = read_long(data, filename, catalog, dataset, max_rows, max_rows + EXTRA_RECORDS)
        if found is not None:
            rows, reading, source = found
            return ParseResult("indicators", rows, [], rows_read=reading.rows_read, skipped=reading.skipped,
                               conversions=list(reading.conversions), layout="long", source=source)
    grid = read_grid(data, max_rows + EXTRA_RECORDS, filename)
    if grid.problems:
        return ParseResult(dataset, _frame(dataset), grid.problems, source=grid.source)
    found = find_header(grid.rows, catalog, dataset)
    if found is None:
        if dataset is None:
            return _failed(None, "不是可识别的表格：没有找到表头（应有 指标、期间、数值 等列名）", source=grid.source)
        return _failed(dataset, f"缺少必需的列：{'、'.join(REGISTRY[dataset].required)}", source=grid.source)
    index, dataset, header = found
    if grid.truncated:
        return _failed(dataset, too_many, source=grid.source)
    reading = Reading(catalog, dataset, header, Title.read(grid.rows[:index]))
    rows = data_rows(grid.rows[index + 1:], header)
    reading.rows_read = len(rows)
    if reading.rows_read > max_rows:
        return _failed(dataset, too_many, rows_read=reading.rows_read, source=grid.source)
    layout = READERS[dataset](reading, rows)
    source, has_rows = grid.source, bool(rows)
    del grid, rows  # the cells are read: let a big upload's grid go before the canonical frame is built
    if not reading.problems:
        if not has_rows:
            reading.problems.add(None, "", "", "表头下没有数据行")
        elif not reading.records.count:
            reading.problems.add(None, "", "", f"没有可导入的数据（{REGISTRY[dataset].empty}）")
    problems = reading.problems.final()
    return ParseResult(dataset, _frame(dataset, None if problems else reading.records.columns), problems,
                       rows_read=reading.rows_read, skipped=reading.skipped, conversions=list(reading.conversions),
                       layout=layout, source=source)


_DTYPES = {"str": "str", "float": "float64", "int": "int64", "bool": "bool"}


def _frame(dataset: str | None, columns: dict[str, list] | None = None) -> pd.DataFrame:
    """The canonical frame, built once; a nullable int column (入规年份) is Int64 (an unknown year stays <NA>)."""
    if dataset is None:
        return pd.DataFrame()
    return pd.DataFrame({f.name: pd.Series([] if columns is None else columns[f.name],
                                           dtype="Int64" if f.nullable else _DTYPES[f.kind])
                         for f in REGISTRY[dataset].fields})
