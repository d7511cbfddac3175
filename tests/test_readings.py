"""The read model (cnpark/service/readings.py): each reading computed once and shared, the months of one state
sharing its reads, and the walk back of 督办 and 重点工作 giving what the whole month history gives. Real Parquet files
and DuckDB (the sample store)."""

import threading

from cnpark.rules import status as status_rule
from cnpark.rules.supervision import BEHIND, key
from cnpark.service.readings import Readings
from cnpark.store.snapshots import Store


class CountingStore(Store):
    """The real store, counting its dataset reads."""

    def __init__(self, root):
        super().__init__(root)
        self.reads = []

    def read(self, dataset, at=None, **kw):
        self.reads.append(dataset)
        return super().read(dataset, at, **kw)


def test_a_reading_is_computed_once_even_when_sessions_ask_at_once(demo_store, catalog):
    store = CountingStore(demo_store)
    r = Readings(store, catalog, "2025-12")
    got = []
    threads = [threading.Thread(target=lambda: got.append(r.report)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 8 and all(g is got[0] for g in got)
    assert sorted(store.reads) == ["debt", "indicators"]         # the status rule's two inputs, read once
    assert r.projects() is r.projects("", "", "")                  # one reading, however its defaults are written


def test_the_months_of_one_state_share_its_reads(demo_store, catalog):
    store = CountingStore(demo_store)
    base = Readings(store, catalog)
    dec, nov = base.month("2025-12"), base.month("2025-11")
    assert dec.dataset("tasks") is nov.dataset("tasks") and dec.judge is nov.judge
    dec.build("report", "tasks")
    nov.build("report", "tasks")
    assert store.reads.count("tasks") == 1 and store.reads.count("indicators") == 1
    assert dec.report.as_of == "2025-12" and nov.report.as_of == "2025-11"


def test_since_when_walks_back_no_further_than_the_runs_and_agrees_with_the_whole_history(demo_store, catalog,
                                                                                          monkeypatch):
    store = Store(demo_store)
    frames = store.read_for_status()
    months = sorted(m for m in store.periods() if m <= "2025-12")
    history = {m: {key(s): s.status for s in status_rule.compute_status(catalog, frames, m)} for m in months}
    judged = []
    at = status_rule.Judge._at
    monkeypatch.setattr(status_rule.Judge, "_at", lambda self, t, goal, as_of: judged.append(as_of) or
                        at(self, t, goal, as_of))
    items = Readings(store, catalog, "2025-12").behind
    for item in items:       # the definition: the first month of the unbroken run of behind readings up to 2025-12
        run = [m for m in months if all(history[x].get(key(item.status)) in BEHIND for x in months if m <= x)]
        assert item.since == run[0], item.status.code
    # the whole history judges every goal at every month (twice, with the month before); the walk far fewer
    assert len(judged) < len(months) * len(history["2025-12"])
    assert len(items) >= 8
