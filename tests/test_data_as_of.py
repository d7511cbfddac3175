"""A ledger whose latest rows are older than the as-of month says so on its page: the sample with its debt ledger
cut at 2024 (data/sample/05 holds 2022–2025 year-end rows; the 2025 rows left out) read as of 2025-12."""

from __future__ import annotations

from pathlib import Path

from cnpark.plan.catalog import load_catalog
from cnpark.service.uploads import SAMPLE_DIR, ingest_bytes
from cnpark.store.snapshots import Store
from tests.conftest import app_test


def _store(root: Path) -> Path:
    catalog, store = load_catalog(), Store(root)
    for path in sorted(SAMPLE_DIR.glob("*.csv")):
        data = path.read_bytes()
        if path.name.startswith("05_"):        # the debt ledger, GBK as Excel writes it: without its 2025 rows
            text = data.decode("gb18030")
            data = "\n".join(line for line in text.splitlines() if ",2025年," not in line).encode("gb18030")
        result, entry = ingest_bytes(store, catalog, data, path.name, sample=True)
        assert entry is not None, (path.name, [str(p) for p in result.problems[:3]])
    return root


def test_an_older_ledger_says_its_month(monkeypatch, tmp_path, fresh_caches):
    store = _store(tmp_path / "store")
    at = app_test(monkeypatch, store, "pages/debt.py")
    assert not at.exception
    assert "债务台账数据截至 2024-12：2025-12 尚无债务台账，本页据此所示为 2024-12 的情况。" in [w.value for w in at.warning]
    at = app_test(monkeypatch, store, "pages/cluster.py")      # the enterprise list is up to date: nothing said
    assert not any("企业名录数据截至" in w.value for w in at.warning)


def test_following_the_default_month_moves_with_new_data(monkeypatch, tmp_path, fresh_caches):
    catalog = load_catalog()
    store = Store(tmp_path)
    ingest_bytes(store, catalog, "指标,期间,数值\n营业收入,2025-05,100\n".encode(), "may.csv")
    at = app_test(monkeypatch, tmp_path, "pages/tasks.py")
    assert at.sidebar.selectbox(key="as_of").value == "2025-05" and "as_of" not in at.query_params
    ingest_bytes(store, catalog, "指标,期间,数值\n营业收入,2025-06,120\n".encode(), "june.csv")   # e.g. a unit's report
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox(key="as_of").value == "2025-06" and "as_of" not in at.query_params
    assert not any("历史月份" in w.value for w in at.warning)
    # a month chosen stays chosen when newer data comes in
    at.sidebar.selectbox(key="as_of").set_value("2025-05").run()
    ingest_bytes(store, catalog, "指标,期间,数值\n营业收入,2025-07,140\n".encode(), "july.csv")
    at.run()
    assert at.sidebar.selectbox(key="as_of").value == "2025-05" and at.query_params["as_of"] == "2025-05"
