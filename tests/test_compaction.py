"""Compaction (cnpark/store/compaction.py): reads of a long history through one compacted file give what latest-wins over
every upload gives, in every state; compacted files are only a cache. Real Parquet files and DuckDB in a temp
directory."""

import pandas as pd

import cnpark.store.compaction as compaction
from cnpark.store.snapshots import Store
from tests.test_store import rows, value_of


def _history(tmp_path, name, compact_after, monkeypatch):
    """A store of 12 uploads (each restating the previous month and adding one) with a rollback in the middle,
    then 4 more uploads; the list of every entry id."""
    monkeypatch.setattr(compaction, "COMPACT_AFTER", compact_after)
    store = Store(tmp_path / name)
    ids = []
    for k in range(12):
        ids.append(store.add_snapshot("indicators", pd.concat([rows(k * 10, period=f"2024-{k:02d}"),
                                                               rows(k, period=f"2024-{k + 1:02d}")]),
                                      b"x", f"{k}.csv").id)
    ids.append(store.rollback(ids[4]).id)
    for k in range(12, 16):
        ids.append(store.add_snapshot("indicators", rows(k, period=f"2025-{k - 11:02d}"), b"x", f"{k}.csv").id)
    return store, ids


def test_compaction_bounds_the_files_a_read_opens_and_keeps_history(tmp_path, monkeypatch):
    plain, ids = _history(tmp_path, "plain", 10_000, monkeypatch)
    store, same = _history(tmp_path, "compacted", 3, monkeypatch)
    assert ids == same
    assert list((tmp_path / "compacted" / "compacted").glob("indicators@*.parquet"))      # some were written
    assert not (tmp_path / "plain" / "compacted").exists()
    for at in [None, *ids]:                                                                # every state, any time
        expected = plain.read("indicators", at)
        assert store.read("indicators", at).equals(expected), at
        base, loose = store.files("indicators", at)
        assert len(base) <= 1 and len(loose) <= 3
    assert len(list((tmp_path / "compacted" / "snapshots").glob("S*.parquet"))) == 16     # nothing rewritten
    assert store.read_snapshot(ids[0])["value"].tolist() == [0, 0]


def test_compacted_files_are_only_a_cache(tmp_path, monkeypatch):
    store, ids = _history(tmp_path, "s", 3, monkeypatch)
    expected = store.read("indicators")
    folder = tmp_path / "s" / "compacted"
    for path in folder.glob("*.parquet"):            # from another manifest (same ids, other lines): ignored
        path.rename(path.with_name(path.name.split("-")[0] + "-000000000000.parquet"))
    assert store.read("indicators").equals(expected)
    assert store.files("indicators")[0] == []
    for path in folder.glob("*.parquet"):
        path.unlink()
    assert Store(tmp_path / "s").read("indicators").equals(expected)
    (folder / ".tmp-1-indicators@S00001-x.parquet").write_bytes(b"half")   # a writer died while compacting
    store.rollback(ids[0])
    assert not list(folder.glob(".tmp-*"))


def test_ledger_for_the_status_over_a_compacted_file(tmp_path, monkeypatch):
    """The anti-join over a compacted ledger gives the rows latest-wins gives, in every state."""
    monkeypatch.setattr(compaction, "COMPACT_AFTER", 2)
    store, plain = Store(tmp_path), Store(tmp_path / "plain")
    ids = []
    for k in range(7):                       # each month's ledger restates last month's rows of two items
        ledger = pd.DataFrame({"debt_id": ["ZW1", "ZW2", "ZW1", "ZW2"], "name": "贷款", "creditor": "银行",
                               "debt_type": "银行贷款",
                               "period": [f"2024-{k + 1:02d}"] * 2 + [f"2024-{k + 2:02d}"] * 2,
                               "balance": 1.0, "new_debt": 0.0, "resolved": [k, k + 10, k + 20, k + 30],
                               "due_date": "2027-06-20", "overdue": [k % 2 == 0, False, True, k > 4], "note": "",
                               "source_row": [2, 3, 4, 5]})
        ids.append(store.add_snapshot("debt", ledger, b"d", f"{k}.csv").id)
        monkeypatch.setattr(compaction, "COMPACT_AFTER", 10_000)
        plain.add_snapshot("debt", ledger, b"d", f"{k}.csv")
        monkeypatch.setattr(compaction, "COMPACT_AFTER", 2)
    ids.append(store.rollback(ids[3]).id)
    plain.rollback(ids[3])
    assert list((tmp_path / "compacted").glob("debt@*.parquet"))
    assert not (tmp_path / "plain" / "compacted").exists()
    for at in [None, *ids]:
        full = store.read("debt", at)
        assert full.equals(plain.read("debt", at)), at
        debt = store.read_for_status(at)["debt"].sort_values(["debt_id", "period"]).reset_index(drop=True)
        assert debt.equals(full[["debt_id", "period", "resolved", "overdue"]]), at


def test_a_failed_compaction_does_not_fail_the_upload(tmp_path, monkeypatch):
    monkeypatch.setattr(compaction, "COMPACT_AFTER", 1)
    store = Store(tmp_path)
    store.add_snapshot("indicators", rows(1), b"a", "a.csv")

    write = compaction.write_atomic

    def full_in_compacted(path, how):
        if path.parent.name == "compacted":
            raise OSError("disk full")
        write(path, how)
    monkeypatch.setattr(compaction, "write_atomic", full_in_compacted)
    entry = store.add_snapshot("indicators", rows(2), b"b", "b.csv")          # would compact: fails, quietly
    assert store.entries()[-1] == entry and value_of(store) == {"2024-12": 2}
    assert not (tmp_path / "compacted").exists() or not list((tmp_path / "compacted").glob("*.parquet"))
