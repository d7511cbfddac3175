"""The snapshot store on real Parquet files and DuckDB in a temp directory."""

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from cnpark.store.snapshots import Store, StoreError

ROOT = Path(__file__).resolve().parent.parent


def rows(*values, period="2024-12", indicator="revenue"):
    return pd.DataFrame({
        "indicator": [indicator] * len(values), "period": [period] * len(values), "area": [""] * len(values),
        "value": [float(v) for v in values], "unit": ["万元"] * len(values), "cumulative": [True] * len(values),
        "note": [""] * len(values), "source_row": list(range(2, len(values) + 2)),
    })


def value_of(store, at=None):
    df = store.read("indicators", at)
    return dict(zip(df["period"], df["value"]))


def test_latest_upload_wins_and_history_is_kept(tmp_path):
    store = Store(tmp_path)
    a = store.add_snapshot("indicators", rows(100), b"a", "a.csv", user="张三")
    b = store.add_snapshot("indicators", pd.concat([rows(200), rows(7, period="2025-06")]), b"b", "b.csv")
    assert value_of(store) == {"2024-12": 200, "2025-06": 7}
    assert value_of(store, at=a.id) == {"2024-12": 100}          # as uploaded then
    assert store.read_snapshot(a.id)["value"].tolist() == [100]
    assert store.read_original(b.id) == b"b"
    assert [e.id for e in store.entries()] == [a.id, b.id]
    assert store.entries()[0].user == "张三" and store.entries()[0].rows == 1
    assert len(store.entries()[0].sha256) == 64


def test_rollback_is_a_new_entry_and_can_be_undone(tmp_path):
    store = Store(tmp_path)
    a = store.add_snapshot("indicators", rows(100), b"a", "a.csv")
    b = store.add_snapshot("indicators", rows(200), b"b", "b.csv")
    r = store.rollback(a.id, user="李四")
    assert value_of(store) == {"2024-12": 100}
    assert (r.kind, r.target, r.user) == ("rollback", a.id, "李四")
    assert len(list((tmp_path / "snapshots").glob("*.parquet"))) == 2   # nothing deleted
    c = store.add_snapshot("indicators", rows(300, period="2025-12"), b"c", "c.csv")
    assert value_of(store) == {"2024-12": 100, "2025-12": 300}          # b stays rolled back
    store.rollback(b.id)
    assert value_of(store) == {"2024-12": 200}                          # restore the later state again
    store.rollback(c.id)
    assert value_of(store) == {"2024-12": 100, "2025-12": 300}
    with pytest.raises(StoreError, match="没有编号为 S09999 的快照"):
        store.rollback("S09999")


def test_datasets_are_separate(tmp_path):
    store = Store(tmp_path)
    store.add_snapshot("indicators", rows(1), b"x", "x.csv")
    assert len(store.read("debt")) == 0
    assert list(store.read("debt").columns)[:2] == ["debt_id", "name"]


def test_file_name_never_becomes_a_path(tmp_path):
    store = Store(tmp_path / "store")
    e = store.add_snapshot("indicators", rows(1), b"x", "../../etc/evil.csv")
    assert e.file == "evil.csv" and e.original == f"{e.id}.csv"
    assert not (tmp_path / "etc").exists()
    e2 = store.add_snapshot("indicators", rows(1), b"x", "report.exe")
    assert e2.original == f"{e2.id}.bin"


def test_partial_manifest_line_is_ignored_then_repaired(tmp_path):
    store = Store(tmp_path)
    a = store.add_snapshot("indicators", rows(100), b"a", "a.csv")
    with open(tmp_path / "manifest.jsonl", "a") as f:
        f.write('{"id": "S00002", "seq": 2, "ki')                        # a writer died mid-line
    (tmp_path / "snapshots" / ".tmp-999-S00002.parquet").write_bytes(b"half")
    assert [e.id for e in store.entries()] == [a.id]
    assert value_of(store) == {"2024-12": 100}
    b = store.add_snapshot("indicators", rows(200), b"b", "b.csv")      # next writer repairs
    assert b.id == "S00002"
    lines = (tmp_path / "manifest.jsonl").read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["S00001", "S00002"]
    assert not list((tmp_path / "snapshots").glob(".tmp-*"))


def test_orphan_parquet_without_manifest_entry_is_invisible(tmp_path):
    store = Store(tmp_path)
    store.add_snapshot("indicators", rows(100), b"a", "a.csv")
    # a crash after the file rename but before the manifest append leaves an orphan file
    (tmp_path / "snapshots" / "S00002.parquet").write_bytes((tmp_path / "snapshots" / "S00001.parquet").read_bytes())
    assert value_of(store) == {"2024-12": 100} and len(store.entries()) == 1


WRITER = """
import sys
import pandas as pd
from cnpark.store.snapshots import Store
root, n, tag = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
store = Store(root)
for i in range(n):
    rows = pd.DataFrame({"indicator": ["revenue"], "period": [f"20{10 + tag}-01"], "area": [""], "value": [float(i)],
                         "unit": ["万元"], "cumulative": [True], "note": [""], "source_row": [2]})
    store.add_snapshot("indicators", rows, f"{tag}-{i}".encode(), f"{tag}.csv")
"""


def test_two_writers_at_once_lose_nothing(tmp_path):
    # separate interpreters, as two analysts' uploads in two server processes or CLI runs would be
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), "8", str(tag)], cwd=ROOT)
             for tag in range(3)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    entries = Store(tmp_path).entries()
    assert sorted(e.seq for e in entries) == list(range(1, 25))                # 3 × 8, no id reused
    assert len({e.sha256 for e in entries}) == 24
    assert len(list((tmp_path / "snapshots").glob("S*.parquet"))) == 24
    # each writer's last value wins for its own key
    assert value_of(Store(tmp_path)) == {"2010-01": 7, "2011-01": 7, "2012-01": 7}


def test_connection_cannot_read_outside_the_store(tmp_path):
    (tmp_path / "store").mkdir()
    outside = tmp_path / "secret.csv"
    outside.write_text("a\n1\n")
    store = Store(tmp_path / "store")
    with store._con.cursor() as cur:
        with pytest.raises(duckdb.PermissionException):
            cur.sql("SELECT * FROM read_csv($p)", params={"p": str(outside)}).fetchall()
        with pytest.raises(duckdb.Error):
            cur.execute("SET enable_external_access = true")
        with pytest.raises(duckdb.PermissionException):
            cur.sql("SELECT * FROM read_parquet($p)",
                    params={"p": str(tmp_path / "store" / ".." / "secret.csv")}).fetchall()


def test_version_changes_with_each_entry(tmp_path):
    store = Store(tmp_path)
    v0 = store.version()
    store.add_snapshot("indicators", rows(1), b"x", "x.csv")
    v1 = store.version()
    store.add_snapshot("indicators", rows(2), b"y", "y.csv")
    v2 = store.version()
    store.rollback("S00001")
    assert len({v0, v1, v2, store.version()}) == 4


def test_store_files_are_written_atomically(tmp_path, monkeypatch):
    """A failure while writing the Parquet file leaves no entry and no visible file."""
    store = Store(tmp_path)
    import pyarrow.parquet as pq

    def boom(*a, **k):
        raise OSError("disk full")
    monkeypatch.setattr(pq, "write_table", boom)
    with pytest.raises(OSError):
        store.add_snapshot("indicators", rows(1), b"x", "x.csv")
    assert store.entries() == [] and not list((tmp_path / "snapshots").glob("S*.parquet"))
    assert os.path.exists(tmp_path / "manifest.jsonl") is False


def test_state_of_a_long_history_is_linear(tmp_path):
    """Finding a state walks back from the entry; building a set per entry was quadratic (seconds at 5,000)."""
    from cnpark.store.manifest import Entry
    from cnpark.store.manifest import state as _state
    entries = [Entry(id=f"S{i:05d}", seq=i, kind="upload", dataset="indicators", uploaded_at="", user="", file="",
                     rows=1, sha256="") for i in range(1, 20_001)]
    entries.append(Entry(id="S20001", seq=20_001, kind="rollback", dataset="", uploaded_at="", user="", file="",
                         rows=0, sha256="", target="S10000"))
    import time
    t0 = time.perf_counter()
    state = _state(entries, None)
    assert time.perf_counter() - t0 < 1.0
    assert [e.id for e in state] == [f"S{i:05d}" for i in range(1, 10_001)]
    with pytest.raises(StoreError, match="S99999"):
        _state(entries, "S99999")


def test_reads_for_the_status_are_the_full_reads_narrowed(tmp_path):
    """read_for_status and periods answer what compute_status and the month selector took from full reads."""
    store = Store(tmp_path)
    assert store.periods() == [] and {k: len(f) for k, f in store.read_for_status().items()} == {"indicators": 0, "debt": 0}
    a = store.add_snapshot("indicators", pd.concat([rows(1), rows(2, period="2025-01").assign(area="园中园")]), b"a",
                           "a.csv")
    store.add_snapshot("indicators", rows(3), b"b", "b.csv")                 # restates the park-wide 2024-12
    ledger = pd.DataFrame({"debt_id": ["ZW1", "ZW1"], "name": "贷款", "creditor": "银行", "debt_type": "银行贷款",
                           "period": ["2024-06", "2025-03"], "balance": [10.0, 5.0], "new_debt": 0.0,
                           "resolved": [1.0, 5.0], "due_date": "2027-06-20", "overdue": [False, True], "note": "",
                           "source_row": [2, 3]})
    store.add_snapshot("debt", ledger, b"d", "d.csv")
    read = store.read_for_status()
    indicators, debt = read["indicators"], read["debt"]
    full = store.read("indicators")
    assert indicators.equals(full[full["area"] == ""].reset_index(drop=True))
    assert indicators["value"].tolist() == [3]
    assert debt.equals(store.read("debt")[["debt_id", "period", "resolved", "overdue"]])
    assert store.periods() == ["2025-03", "2025-01", "2024-12", "2024-06"]
    assert store.periods(at=a.id) == ["2025-01", "2024-12"]
    assert store.periods(datasets=("debt",)) == ["2025-03", "2024-06"]
