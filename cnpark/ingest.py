"""An uploaded file → canonical rows of one dataset (schema.COLUMNS), or every problem found in it.

The path: bytes → grid (tables.py) → header, title and data rows (layout.py) → records (indicators.py,
ledgers.py), all collected in a Reading (records.py). Every cell
that cannot be understood becomes a Problem naming the spreadsheet row, the column, the value and the
reason; rows come back only when there is none. No streamlit, no duckdb.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import pandas as pd

from cnpark import settings
from cnpark.catalog import Catalog
from cnpark.indicators import read_indicators
from cnpark.layout import HEADER_SCAN, Title, data_rows, find_header
from cnpark.ledgers import ALL_CHAIN_LINKS, read_debt, read_enterprises
from cnpark.records import Reading
from cnpark.schema import COLUMNS, DATASETS
from cnpark.tables import Problem, read_grid

__all__ = ["Problem", "ParseResult", "parse_upload", "detect_dataset", "make_template", "LAYOUTS"]

LAYOUTS = ("long", "wide_indicator", "wide_period", "table")   # table: the ledgers' one row per record
EXTRA_RECORDS = 1000   # title, blank and footnote rows allowed beyond settings' max_rows


@dataclass(eq=False)
class ParseResult:
    """What parse_upload found: canonical rows (empty whenever there is a problem) and every problem."""
    dataset: str | None             # indicators | debt | enterprises | None (not recognised)
    rows: pd.DataFrame              # columns exactly as schema.COLUMNS[dataset], in that order
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
    """Read an uploaded CSV/TXT/XLSX into canonical rows of `dataset` (detected from the columns when None).

    Never raises for any bytes: every failure is a Problem. An unknown dataset name is a programmer error.
    The filename is not trusted for the format (the bytes decide); it is accepted for the callers' records.
    """
    if dataset is not None and dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}; expected one of {DATASETS}")
    try:
        return _parse(bytes(data), catalog, dataset)
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


def make_template(dataset: str, catalog: Catalog) -> str:
    """CSV text for analysts to fill in (the caller adds a BOM so that Excel reads it as UTF-8).

    indicators: one row per uploadable indicator (name, period, unit; the value left empty);
    debt and enterprises: the header and one example row marked 示例.
    """
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    period = catalog.end or "2025-12"
    if dataset == "indicators":
        # The example is a title line (read past by the parser, and naming no 20xx年 period it could lend to rows),
        # so a template uploaded unfilled stores nothing.
        writer.writerow(["填写示例：指标 多晶硅产能 / 期间 2025-06 / 数值 25 / 单位 万吨（自动换算为吨）。"
                         "里程碑填 完成 或 未完成；空着的行不会导入"])
        writer.writerow(["指标", "期间", "数值", "单位", "片区", "备注"])
        writer.writerows([t.name, period, "", t.unit, "", ""] for t in catalog.targets if t.kind != "debt")
    elif dataset == "debt":
        writer.writerow(["债务编号", "债务名称", "债权人", "债务类型", "期间", "期末余额(万元)", "本期新增(万元)",
                         "本期化解(万元)", "到期日", "是否逾期", "备注"])
        writer.writerow(["ZW-001", "示例：某项目银行贷款", "某银行", "银行贷款", period, "12000", "0", "1500",
                         "2026-06-30", "否", "示例行，填报时请删除"])
    else:
        writer.writerow(["企业名称", "产业链环节", "片区", "状态", "是否规上", "入规年份", "产能(吨)", "营业收入(万元)",
                         "期间", "备注"])
        writer.writerow(["示例：某茶叶加工有限公司", "茶叶", "田园镇片区", "投产", "是", "2023", "5000", "12000", period,
                         "示例行，填报时请删除；产业链环节可填：" + "、".join(ALL_CHAIN_LINKS)])
    return out.getvalue()


# ---------------------------------------------------------------------------------------- the whole file

def _failed(dataset: str | None, reason: str, **counts) -> ParseResult:
    return ParseResult(dataset, _frame(dataset), [Problem(None, "", "", reason)], **counts)


def _parse(data: bytes, catalog: Catalog, dataset: str | None) -> ParseResult:
    limit_mb = settings.number("max_upload_mb")
    max_rows = int(settings.number("max_rows"))
    too_many = f"数据行数超过上限（最多 {max_rows} 行），请拆分后分批上传"
    if len(data) > limit_mb * 1024 * 1024:  # before any decoding: the cheapest refusal first
        return _failed(dataset, f"文件过大（{len(data) / 1048576:.1f} MB），上限为 {limit_mb:g} MB")
    grid = read_grid(data, max_rows + EXTRA_RECORDS)
    if grid.problems:
        return ParseResult(dataset, _frame(dataset), grid.problems, source=grid.source)
    found = find_header(grid.rows, catalog, dataset)
    if found is None:
        if dataset is None:
            return _failed(None, "不是可识别的表格：没有找到表头（应有 指标、期间、数值 等列名）", source=grid.source)
        return _failed(dataset, f"缺少必需的列：{'、'.join(_REQUIRED[dataset])}", source=grid.source)
    index, dataset, header = found
    if grid.truncated:
        return _failed(dataset, too_many, source=grid.source)
    reading = Reading(catalog, dataset, header, Title.read(grid.rows[:index]))
    rows = data_rows(grid.rows[index + 1:], header)
    reading.rows_read = len(rows)
    if reading.rows_read > max_rows:
        return _failed(dataset, too_many, rows_read=reading.rows_read, source=grid.source)
    if dataset == "indicators":
        layout = read_indicators(reading, rows)
    else:
        layout = "table"
        (read_debt if dataset == "debt" else read_enterprises)(reading, rows)
    source, has_rows = grid.source, bool(rows)
    del grid, rows  # the cells are read: let a big upload's grid go before the canonical frame is built
    if not reading.problems:
        if not has_rows:
            reading.problems.add(None, "", "", "表头下没有数据行")
        elif not reading.records.count:
            reading.problems.add(None, "", "", "没有可导入的数据（数值均为空）")
    problems = reading.problems.final()
    return ParseResult(dataset, _frame(dataset, None if problems else reading.records.columns), problems,
                       rows_read=reading.rows_read, skipped=reading.skipped, conversions=list(reading.conversions),
                       layout=layout, source=source)


_REQUIRED = {"indicators": ["指标", "期间", "数值"],
             "debt": ["债务编号（或债务名称）", "期间", "期末余额/本期新增/本期化解（至少一列）"],
             "enterprises": ["企业名称", "产业链环节", "期间"]}
_DTYPES = {"str": "str", "float": "float64", "int": "int64", "bool": "bool"}


def _frame(dataset: str | None, columns: dict[str, list] | None = None) -> pd.DataFrame:
    """The canonical frame, built once; above_scale_year is nullable Int64 (an unknown year stays <NA>)."""
    if dataset is None:
        return pd.DataFrame()
    return pd.DataFrame({name: pd.Series([] if columns is None else columns[name],
                                         dtype="Int64" if name == "above_scale_year" else _DTYPES[kind])
                         for name, kind in COLUMNS[dataset].items()})
