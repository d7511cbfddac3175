"""Accepting a file into a real store: every kind of bad input is refused with its message and leaves no trace."""

from pathlib import Path

import pytest

from cnpark.service.readings import Readings
from cnpark.service.uploads import ingest_bytes
from cnpark.store.snapshots import Store

FILES = Path(__file__).parent / "files"

BAD_FILES = [
    ("empty.csv", "文件: 文件为空"),
    ("blank_rows_only.csv", "文件: 文件为空"),
    ("binary_with_nul.csv", "文件: 这是图片（PNG），无法从中读取数字，请上传原始的 Excel 工作簿（.xlsx、.xls）、.ods 或 CSV 文件"),
    ("undecodable.csv", "文件: 不是表格文件：无法识别文字编码（支持 UTF-8、GBK/GB18030、UTF-16），请另存为 CSV 或 .xlsx 后再上传"),
    ("old_excel.xls", "文件: 无法读取这个 Excel 97-2003（.xls）文件：文件已损坏，或是其他软件的专有格式，"
                      "请在 Excel 或 WPS 中另存为 Excel 工作簿（.xlsx）或 CSV 后再上传"),
    ("damaged_workbook.xlsx", "文件: Excel 文件已损坏或无法读取，请另存为 .xlsx 或 CSV 后再上传"),
    ("not_a_table.txt", "文件: 不是可识别的表格：没有找到表头（应有 指标、期间、数值 等列名）"),
    ("header_only.csv", "文件: 表头下没有数据行"),
    ("missing_period_column.csv", "文件: 缺少必需的列：期间（或在标题中写明期间，如“2025年1-6月”）"),
    ("bad_values.csv", "第2行 数值: abc — 不是数字"),
    ("unknown_indicator.csv", "第2行 指标: 多晶硅产量 — 未知指标，是否为“多晶硅产能”？"),
    ("conflicting_duplicates.csv", "第4行 数值: 120 — 与第2行重复（指标、期间、片区相同）但内容不同"),
    ("enterprise_bad_values.csv", "第2行 产业链环节: 硅材料 — 产业链环节应为以下之一：茶叶、核桃、制糖、畜牧、蚕茧、果蔬、林产品、"
                                  "工业硅、多晶硅、切片、电池组装、光伏发电"),
    ("wide_indicator_bad_headers.csv", "第1行 农特产品加工转化率(吨): 农特产品加工转化率(吨) — 单位“吨”不适用于该指标（应为%）"),
    ("wide_period_without_year.csv", "第1行 1-2月: 1-2月 — 缺少年份（请写成 2025年1-6月 这样的完整期间，或在标题中注明年份）"),
]


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def store(tmp_path, catalog):
    store = Store(tmp_path)
    result, entry = ingest_bytes(store, catalog, (FILES / "cli_capacity_first_upload.csv").read_bytes(), "good.csv")
    assert entry is not None
    return store


@pytest.mark.parametrize("name, first_message", BAD_FILES)
def test_bad_input_is_refused_and_leaves_the_store_unchanged(store, catalog, name, first_message):
    before = tree(store.root)
    result, entry = ingest_bytes(store, catalog, (FILES / name).read_bytes(), name, user="分析员")
    assert entry is None and not result.ok
    assert str(result.problems[0]) == first_message
    assert result.rows.empty
    assert tree(store.root) == before


def test_over_the_limits_is_refused_and_leaves_the_store_unchanged(store, catalog, monkeypatch):
    before = tree(store.root)
    monkeypatch.setenv("CNPARK_MAX_ROWS", "1")
    result, entry = ingest_bytes(store, catalog, (FILES / "utf8_long.csv").read_bytes(), "many.csv")
    assert entry is None and [str(p) for p in result.problems] == ["文件: 数据行数超过上限（最多 1 行），请拆分后分批上传"]
    monkeypatch.setenv("CNPARK_MAX_UPLOAD_MB", "0.0001")
    result, entry = ingest_bytes(store, catalog, (FILES / "utf8_long.csv").read_bytes(), "big.csv")
    assert entry is None and str(result.problems[0]).startswith("文件: 文件过大")
    assert tree(store.root) == before


def test_dry_run_parses_but_stores_nothing(store, catalog):
    before = tree(store.root)
    result, entry = ingest_bytes(store, catalog, (FILES / "cli_capacity_correction.csv").read_bytes(), "x.csv",
                                 dry_run=True)
    assert result.ok and entry is None and tree(store.root) == before


def test_report_reads_as_of_a_snapshot(store, catalog):
    ingest_bytes(store, catalog, (FILES / "cli_capacity_correction.csv").read_bytes(), "x.csv")
    now = {s.code: s for s in Readings(store, catalog, "2024-06").report.statuses}
    then = {s.code: s for s in Readings(store, catalog, "2024-06", at="S00001").report.statuses}
    assert now["polysilicon_capacity"].actual == 150_000       # the correction
    assert then["polysilicon_capacity"].actual == 100_000      # 10 万吨 as first uploaded
    with pytest.raises(ValueError, match="YYYY-MM"):
        Readings(store, catalog, "2024-6")
