"""A dataset is one declaration (cnpark/store/datasets.py): a toy dataset declared here, and nowhere else, gets the store's
latest-wins reads, compaction, templates in CSV and XLSX from the same rows, the history and backups — with no other
code; and one declared to feed the status rule is read for the target whose catalog entry names it. Real Parquet
files and DuckDB in a temp directory."""

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import cnpark.store.compaction as compaction
from cnpark.outputs.exports import history_frame, make_template, template_xlsx
from cnpark.plan.catalog import load_catalog
from cnpark.service.readings import Readings
from cnpark.store import datasets
from cnpark.store.backup import backup, restore
from cnpark.store.datasets import REGISTRY, Dataset, Field, StatusRead
from cnpark.store.snapshots import Store, empty_frame

FILES = Path(__file__).resolve().parent / "files"

# Its key is named "order", a word SQL reserves, and a figure's column holds a double quote: the store quotes every
# identifier it writes into a query.
TOY = Dataset(
    "toys", "玩具台账",
    (Field("order", "str", "序号", ("序号", "编号")),
     Field("period", "str", "期间", ("期间",)),
     Field('count"s', "float", "数量", ("数量",)),
     Field("source_row", "int", "原文件行号")),
    keys=("order", "period"),
    required=("序号", "期间"),
    figures=('count"s',),
    template_header=("序号", "期间", "数量"),
    examples=(("T-1", "{period}", "3"),),
)


@pytest.fixture
def toys(monkeypatch):
    monkeypatch.setitem(REGISTRY, "toys", TOY)
    return TOY


def frame(*rows):
    return pd.DataFrame({"order": [r[0] for r in rows], "period": [r[1] for r in rows],
                         'count"s': [float(r[2]) for r in rows], "source_row": list(range(2, len(rows) + 2))})


def counts(store, at=None, **kw):
    df = store.read("toys", at, **kw)
    return {(o, p): c for o, p, c in zip(df["order"], df["period"], df['count"s'])}


def test_a_declared_dataset_gets_latest_wins_and_compaction(toys, tmp_path, monkeypatch):
    monkeypatch.setattr(compaction, "COMPACT_AFTER", 2)
    store = Store(tmp_path)
    ids = []
    for k in range(5):          # T-1 restated by every upload (k), T-2 only by the first two (10, 11)
        rows = [("T-1", "2025-01", k)] + ([("T-2", "2025-01", 10 + k)] if k < 2 else [])
        ids.append(store.add_snapshot("toys", frame(*rows), f"{k}".encode(), f"{k}.csv").id)
    assert list((tmp_path / "compacted").glob("toys@*.parquet"))          # 5 uploads > 2: compacted
    assert counts(store) == {("T-1", "2025-01"): 4, ("T-2", "2025-01"): 11}
    assert counts(store, ids[2]) == {("T-1", "2025-01"): 2, ("T-2", "2025-01"): 11}   # as it stood then
    store.rollback(ids[0])
    assert counts(store) == {("T-1", "2025-01"): 0, ("T-2", "2025-01"): 10}
    only = store.read("toys", columns=("order", "period", 'count"s'), equal={"order": "T-2"})
    assert only.values.tolist() == [["T-2", "2025-01", 10.0]]
    assert list(empty_frame("toys").columns) == ["order", "period", 'count"s', "source_row", "snapshot_id", "seq"]
    assert store.periods(datasets=("toys",)) == ["2025-01"]


def test_a_declared_dataset_gets_its_templates_history_and_backup(toys, tmp_path, catalog):
    assert make_template("toys", catalog, "2025-06") == "序号,期间,数量\r\nT-1,2025-06,3\r\n"
    sheet = openpyxl.load_workbook(io.BytesIO(template_xlsx("toys", catalog, "2025-06"))).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["序号", "期间", "数量"], ["T-1", "2025-06", "3"]]
    store = Store(tmp_path / "a")
    store.add_snapshot("toys", frame(("T-1", "2025-01", 7)), b"x", "toys.csv", user="张三")
    assert history_frame(store.entries())[["数据集", "文件", "行数", "用户"]].values.tolist() == \
        [["玩具台账", "toys.csv", 1, "张三"]]
    backup(store, tmp_path / "b.tar.gz")
    copy = Store(tmp_path / "restored")
    restore(tmp_path / "b.tar.gz", copy)
    assert counts(copy) == {("T-1", "2025-01"): 7.0}


def test_every_bundled_dataset_is_declared_consistently():
    for ds in REGISTRY.values():
        names = [f.name for f in ds.fields]
        assert set(ds.keys) <= set(names) and "period" in ds.keys and names[-1] == "source_row", ds.name
        assert set(ds.figures) <= set(names) and set(ds.order) <= set(names), ds.name
        assert all(f.kind in datasets.KINDS for f in ds.fields), ds.name
        assert len(ds.template_header) == len(set(ds.template_header)), ds.name
    with pytest.raises(ValueError, match="unknown dataset"):
        datasets.get("nothing")


# A dataset that feeds a target: its declaration says the status rule reads it and that its months are as-of months;
# the catalog's target names it as its source. Nothing else is written for it.
PLANTS = Dataset(
    "plants", "厂房台账",
    (Field("indicator", "str", "指标", ("指标",)),
     Field("period", "str", "期间", ("期间",)),
     Field("area", "str", "片区", ("片区",)),
     Field("value", "float", "数值", ("数值",)),
     Field("source_row", "int", "原文件行号")),
    keys=("indicator", "period", "area"),
    required=("指标", "期间", "数值"),
    status=StatusRead(equal=(("area", ""),)),
    months=True,
)


def test_a_declared_dataset_feeds_the_target_that_names_it(monkeypatch, tmp_path):
    monkeypatch.setitem(REGISTRY, "plants", PLANTS)
    text = (FILES / "catalog_tiny.toml").read_text(encoding="utf-8")
    text = text.replace('code = "vacant_factory_share"', 'code = "vacant_factory_share"\nsource = "plants"')
    (tmp_path / "tiny.toml").write_text(text, encoding="utf-8")
    tiny = load_catalog(tmp_path / "tiny.toml")
    assert tiny["vacant_factory_share"].source == "plants" and tiny["steel_capacity"].source == "indicators"
    store = Store(tmp_path / "store")
    rows = pd.DataFrame({"indicator": ["vacant_factory_share"] * 2, "period": ["2022-12", "2022-12"],
                         "area": ["", "某片区"], "value": [8.0, 30.0], "source_row": [2, 3]})
    store.add_snapshot("plants", rows, b"p", "plants.csv")
    r = Readings(store, tiny)
    assert r.months == ["2022-12"] and r.as_of == "2022-12"          # its period is an as-of month
    found = {s.code: s for s in r.report.statuses}
    # ≤ 10 % by 2022-12: the park-wide 8 % (the 片区's 30 % is not the park's) → met; steel has no data
    assert (found["vacant_factory_share"].actual, found["vacant_factory_share"].status) == (8.0, "met")
    assert found["steel_capacity"].status == "no_data"
