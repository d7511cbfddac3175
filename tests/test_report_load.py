"""The monthly reporting loop under load (四(四)): the plan's 30 units report the same month at the same moment, each
from its own process, while the 督查室 reviews in another; some correct their report before it is reviewed, some
resubmit after a return. And a unit's resubmission killed with SIGKILL at each step of the write leaves its previous
report in force, or the new one whole. Real Parquet files and DuckDB in a temp directory; the processes go through
the command line (`submit`, `submissions`) and the service (`decide`) as the page does.

Every expectation is worked out from what the test sends: which file each unit sent, in which order, and which
decision the reviewer reported for which upload it had seen.
"""

import contextlib
import io
import json
import os
import queue
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timedelta

import pandas as pd

from cnpark.cli.commands import main
from cnpark.outputs.exports import filled_csv
from cnpark.rules.tasks import units_of
from cnpark.service.review import decide
from cnpark.service.uploads import check_upload, commit_upload
from cnpark.store.manifest import parse
from cnpark.store.snapshots import Store
from tests.conftest import ROOT

MONTH = "2025-06"
STATES = ("已完成", "推进中", "滞后", "未启动")
COLUMNS = ["task", "unit", "period", "state", "progress", "problems", "next_steps", "submitted", "note"]
WAIT = 120          # seconds any one step may take before the test gives up (a hang is a failure, not a pass)

# A unit's process: imports, says ready, then submits each file named on its stdin through `python -m cnpark submit`
# (the command's own main, in this process), and reports each result; an empty line ends it.
SUBMITTER = r"""
import contextlib, io, json, sys
from cnpark.cli.commands import main
root, unit = sys.argv[1], sys.argv[2]
print(json.dumps({"ready": unit}, ensure_ascii=False), flush=True)
while file := sys.stdin.readline().strip():
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--data-dir", root, "submit", "--unit", unit, file])
    print(json.dumps({"unit": unit, "file": file, "code": code, "out": out.getvalue(), "err": err.getvalue()},
                     ensure_ascii=False), flush=True)
"""

# The 督查室: reads the states as of the latest entry, and decides every report awaiting review, approving and
# returning in turn, on exactly the upload it read (decide's `seen`, as the 审核 page does). It stops once told that
# every unit is done (checked before its read, so no upload can come after) and nothing awaits review.
REVIEWER = r"""
import json, sys, time
from pathlib import Path
from cnpark.plan.catalog import load_catalog
from cnpark.service.readings import Readings
from cnpark.service.review import decide
from cnpark.store.manifest import StoreError
from cnpark.store.snapshots import Store
root, month, stop = sys.argv[1], sys.argv[2], Path(sys.argv[3])
catalog, store = load_catalog(), Store(root)
print(json.dumps({"ready": "督查室"}), flush=True)
made, idle_at = 0, None
while True:
    finished = stop.exists()
    entries = store.entries()
    at = entries[-1].id if entries else None
    if at == idle_at and not finished:      # nothing new since a read that found nothing to decide
        time.sleep(0.005)                   # paces the polling; no step waits on it
        continue
    waiting = [s for s in Readings(store, catalog, month, at=at).review_states if s.state == "submitted"] if at else []
    if not waiting:
        if finished:
            break
        idle_at = at
        continue
    for s in waiting:
        approve = made % 2 == 0
        reason = "" if approve else f"第{made + 1}次审核：请写明{s.unit}各项任务的存在问题"
        seen = {"unit": s.unit, "seen": s.entry, "read_at": at}
        try:
            [e] = decide(store, catalog, s.unit, month, approve, reason, "督查室", "tasks", seen=[s.entry])
        except StoreError as err:
            print(json.dumps({**seen, "refused": str(err)}, ensure_ascii=False), flush=True)
            continue
        made += 1
        print(json.dumps({**seen, "review": e.id, "decision": e.decision, "reason": reason}, ensure_ascii=False),
              flush=True)
"""


def report(catalog, unit: str, version: str) -> bytes:
    """The unit's 工作进展 for MONTH as the template file: every task the plan gives it, its texts naming the version."""
    rows = [{"任务": t.label, "责任单位": unit, "期间": MONTH, "完成状态": STATES[(t.number + len(version)) % 4],
             "进展情况": f"{unit}第{t.number}条进展({version})", "存在问题": f"问题({version})",
             "下步打算": f"打算({version})", "报送日期": "2025-07-03"}
            for t in catalog.tasks if unit in t.units]
    return filled_csv("tasks", rows)


def version_of(frame: pd.DataFrame) -> set[str]:
    """The versions a unit's rows were sent in (the tag every text carries)."""
    return {re.search(r"\((\w+)\)$", p).group(1) for p in frame["progress"]}


def manifest_whole(root) -> list:
    """The manifest parsed line by line: every line a whole entry, seq 1, 2, 3 … and ids unique."""
    data = (root / "manifest.jsonl").read_bytes()
    assert data.endswith(b"\n")
    entries = parse(data)
    assert len(entries) == data.count(b"\n")
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert len({e.id for e in entries}) == len(entries)
    return entries


def cli_json(root, *args) -> dict:
    """A `python -m cnpark` reading command's JSON (its own main, in this process)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--data-dir", str(root), *args]) == 0
    return json.loads(out.getvalue())


def expected_states(entries: list, unit_of: dict[str, str]) -> dict[str, tuple]:
    """Each unit's state worked from the manifest alone: its latest upload, and the last review of that upload."""
    out = {}
    for e in entries:
        if e.kind == "upload":
            out[unit_of[e.id]] = ("submitted", e.uploaded_at, None, e.id)
        elif e.kind == "review":
            state, at, _, target = out[e.unit]
            if target == e.target:
                out[e.unit] = (e.decision, at, e.reason if e.decision == "returned" else None, target)
    return {u: v[:3] for u, v in out.items()}


def pump(name: str, stream, events: queue.Queue) -> None:
    for line in stream:
        events.put((name, json.loads(line)))
    events.put((name, None))


def test_thirty_units_report_at_once_while_the_office_reviews(tmp_path, catalog):
    units = units_of(catalog)
    assert len(units) == 30
    correctors = set(units[2:29:9])              # 3 units send a corrected report right after their first
    tasks_of = {u: sum(u in t.units for t in catalog.tasks) for u in units}
    root, stop = tmp_path / "store", tmp_path / "all-units-done"
    Store(root)
    files = {}
    for i, unit in enumerate(units):
        for version in ("v1", "v1b", "v2"):
            files[unit, version] = tmp_path / f"u{i:02d}-{version}.csv"
            files[unit, version].write_bytes(report(catalog, unit, version))

    events: queue.Queue = queue.Queue()
    procs = {u: subprocess.Popen([sys.executable, "-c", SUBMITTER, str(root), u], cwd=ROOT, text=True,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE) for u in units}
    procs["督查室"] = subprocess.Popen([sys.executable, "-c", REVIEWER, str(root), MONTH, str(stop)], cwd=ROOT,
                                       text=True, stdout=subprocess.PIPE)
    pumps = [threading.Thread(target=pump, args=(name, p.stdout, events), daemon=True) for name, p in procs.items()]
    for t in pumps:
        t.start()
    results, decisions, refusals, ended = [], [], [], set()

    def send(unit: str, *versions: str) -> None:
        procs[unit].stdin.write("".join(f"{files[unit, v]}\n" for v in versions))
        procs[unit].stdin.flush()

    try:
        ready = set()
        while len(ready) < 31:                              # every process imported and waiting: the barrier
            name, event = events.get(timeout=WAIT)
            assert event is not None and event.get("ready") == name, (name, event)
            ready.add(name)
        t0 = time.monotonic()
        for unit in units:                                  # released together: 30 reports of the same month
            send(unit, *(["v1", "v1b"] if unit in correctors else ["v1"]))
        owed = 30 + len(correctors)
        resubmitters: list[str] = []
        while owed or len(resubmitters) < 5:
            name, event = events.get(timeout=WAIT)
            assert event is not None, f"{name} ended early"
            if name != "督查室":
                results.append(event)
                owed -= 1
            elif "refused" in event:
                refusals.append(event)
            else:
                decisions.append(event)
                # the first 5 units returned on their only report resubmit, together, once the fifth is returned
                if (event["decision"] == "returned" and event["unit"] not in correctors and len(resubmitters) < 5
                        and event["unit"] not in resubmitters):
                    resubmitters.append(event["unit"])
                    if len(resubmitters) == 5:
                        for unit in resubmitters:
                            send(unit, "v2")
                        owed += 5
        for unit in units:
            procs[unit].stdin.write("\n")
            procs[unit].stdin.close()
        assert [procs[u].wait(timeout=WAIT) for u in units] == [0] * 30
        stop.touch()
        assert procs["督查室"].wait(timeout=WAIT) == 0
        for t in pumps:
            t.join(timeout=WAIT)
        while not events.empty():
            name, event = events.get()
            if event is None:
                ended.add(name)
            elif "refused" in event:
                refusals.append(event)
            else:
                decisions.append(event)
        elapsed = time.monotonic() - t0
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.kill()
                p.wait()
    assert ended == set(procs)

    # every process says each of its files was stored, with the snapshot it got
    sent = {(u, "v1") for u in units} | {(u, "v1b") for u in correctors} | {(u, "v2") for u in resubmitters}
    assert len(sent) == 30 + 3 + 5 == len(results)
    stored = {}
    for r in results:
        assert r["code"] == 0 and not r["err"], r
        found = re.search(r"已入库：快照 (S\d{5})，tasks", r["out"])
        assert found, r
        version = r["file"].rsplit("-", 1)[1].removesuffix(".csv")
        stored[r["unit"], version] = found.group(1)
    assert set(stored) == sent and len(set(stored.values())) == len(sent)

    # the manifest: whole, seq contiguous; exactly those uploads (none lost, none twice), each its unit's rows whole
    store = Store(root)
    entries = manifest_whole(root)
    seq = {e.id: e.seq for e in entries}
    uploads = [e for e in entries if e.kind == "upload"]
    reviews = [e for e in entries if e.kind == "review"]
    assert len(uploads) == 38 and len(reviews) == len(decisions) and len(entries) == 38 + len(decisions)
    assert {e.id for e in uploads} == set(stored.values())
    unit_of = {sid: unit for (unit, _), sid in stored.items()}
    assert Counter(unit_of[e.id] for e in uploads) == Counter(u for u, _ in sent)
    for (unit, version), sid in stored.items():
        rows = store.read_snapshot(sid)
        assert (set(rows["unit"]), set(rows["period"]), version_of(rows)) == ({unit}, {MONTH}, {version})
        assert len(rows) == tasks_of[unit] == store.entry(sid).rows
    first_round = [datetime.fromisoformat(store.entry(stored[u, v]).uploaded_at) for u, v in sent if v != "v2"]
    assert max(first_round) - min(first_round) < timedelta(minutes=1)          # the 30 reports in the same minute
    # each unit's correction and resubmission came after its first report
    for unit in correctors:
        assert seq[stored[unit, "v1"]] < seq[stored[unit, "v1b"]]
    for unit in resubmitters:
        assert seq[stored[unit, "v1"]] < seq[stored[unit, "v2"]]

    # the reviews: each one the reviewer reported, on the very upload it had read, which was then that unit's latest
    by_review = {d["review"]: d for d in decisions}
    assert set(by_review) == {e.id for e in reviews}
    superseded = 0                  # recorded after the unit's next upload (its check came before it: by design)
    for e in reviews:
        d = by_review[e.id]
        assert (e.unit, e.month, e.dataset, e.target, e.user) == (d["unit"], MONTH, "tasks", d["seen"], "督查室")
        assert unit_of[e.target] == e.unit and seq[e.target] <= seq[d["read_at"]] < e.seq
        mine = [u.seq for u in uploads if unit_of[u.id] == e.unit and u.seq <= seq[d["read_at"]]]
        assert max(mine) == seq[e.target]           # the latest of that unit in the state the reviewer read
        superseded += max(u.seq for u in uploads if unit_of[u.id] == e.unit and u.seq < e.seq) != seq[e.target]
        assert (e.decision, e.reason) == (d["decision"], d["reason"])
        assert e.decision in ("approved", "returned") and bool(e.reason) == (e.decision == "returned")
    assert Counter(e.target for e in reviews).most_common(1)[0][1] == 1       # no upload decided twice
    assert [e.decision for e in reviews] == ["approved", "returned"] * (len(reviews) // 2) + ["approved"] * (
        len(reviews) % 2)
    # a refusal only when the unit had sent a newer report than the one read
    for r in refusals:
        assert "重新报送" in r["refused"] and r["unit"] in correctors, r
        assert any(unit_of[u.id] == r["unit"] and u.seq > seq[r["seen"]] for u in uploads), r
    # each resubmitter's first report was returned before it sent the second, and the second was decided too
    for unit in resubmitters:
        returned = [e for e in reviews if e.target == stored[unit, "v1"]]
        assert [e.decision for e in returned] == ["returned"] and returned[0].seq < seq[stored[unit, "v2"]]
    # every report's latest version was decided: the reviewer left nothing awaiting review
    latest = {unit: stored[unit, "v2" if unit in resubmitters else "v1b" if unit in correctors else "v1"]
              for unit in units}
    assert {e.target for e in reviews} >= set(latest.values())

    # the data: each unit's rows of the month are its latest version, whole
    rows = store.read("tasks")
    assert len(rows) == sum(tasks_of.values())
    for unit in units:
        mine = rows[rows["unit"] == unit]
        assert (set(mine["snapshot_id"]), len(mine)) == ({latest[unit]}, tasks_of[unit])

    # `submissions --format json` agrees with the manifest, state by state
    doc = cli_json(root, "submissions", "--month", MONTH, "--format", "json")
    assert doc["month"] == MONTH
    shown = {s["unit"]: (s["state"], s["at"], s["reason"]) for s in doc["submissions"]}
    assert all((s["dataset"], s["by"]) == ("tasks", s["unit"]) for s in doc["submissions"])
    assert shown == expected_states(entries, unit_of) and len(shown) == 30
    last_decision = {e.target: e.decision for e in reviews}
    assert {u: s for u, (s, _, _) in shown.items()} == {u: last_decision[latest[u]] for u in units}
    assert not list(root.rglob(".tmp-*"))
    print(f"30 units + {len(correctors)} corrections + 5 resubmissions in {elapsed:.1f} s; {len(reviews)} decisions, "
          f"{len(refusals)} refused as resubmitted since read, {superseded} recorded on a report superseded between "
          f"the reviewer's check and its entry")


# A unit's resubmission through `python -m cnpark submit` in a process that SIGKILLs itself just before the n-th
# os.fsync/os.replace the write makes (n = 0: never), counting the calls; "torn": first it cuts the manifest's last
# line in half, as a crash inside that line's write() would leave it.
KILLED = r"""
import json, os, signal, sys
from cnpark.cli.commands import main
root, unit, path, point, torn = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5] == "torn"
calls = []
def dying(name, real):
    def call(*args):
        calls.append(name)
        if len(calls) == point:
            if torn:
                manifest = os.path.join(root, "manifest.jsonl")
                data = open(manifest, "rb").read()
                start = data.rstrip(b"\n").rfind(b"\n") + 1
                os.truncate(manifest, start + (len(data) - start) // 2)
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args)
    return call
os.fsync, os.replace = dying("fsync", os.fsync), dying("replace", os.replace)
code = main(["--data-dir", root, "submit", "--unit", unit, path])
print(json.dumps({"code": code, "calls": calls}))
"""
# add_snapshot's steps, in order: fsync the Parquet temp file, rename it, fsync the original's temp file, rename it,
# fsync snapshots/, then (the manifest line written) fsync the manifest, fsync the store's folder.
STEPS = ["fsync", "replace", "fsync", "replace", "fsync", "fsync", "fsync"]
# Killed before step n: until the manifest line is written (n ≤ 5) the previous report stands; after (6, 7) the new
# one is in; torn at 6 the half line is cut off and the previous one stands; not killed (0): the new one.
POINTS = [(1, "", "old"), (2, "", "old"), (3, "", "old"), (4, "", "old"), (5, "", "old"), (6, "torn", "old"),
          (6, "", "new"), (7, "", "new"), (0, "", "new")]
UNIT, OTHER = "县自然资源局", "县水务局"      # the plan gives them tasks 4, 5, 6, 14, 15, 18 and 6, 11, 14


def test_a_resubmission_killed_mid_write_leaves_the_previous_report_or_the_new_one_whole(tmp_path, catalog):
    root = tmp_path / "store"
    store = Store(root)
    for unit in (UNIT, OTHER):
        upload = check_upload(store, catalog, report(catalog, unit, "v0"), "v0.csv", preview=False, unit=unit)
        commit_upload(store, upload, unit)
        decide(store, catalog, unit, MONTH, approve=True, user="督查室")
    other = store.read("tasks").query("unit == @OTHER").reset_index(drop=True)
    assert len(other) == 3
    rng = random.Random(20251124)
    trials = [("hook", point, torn, expect) for point, torn, expect in POINTS]
    trials += [("timed", rng.uniform(0.3, 1.0), "", None) for _ in range(4)]     # the whole command, no hook
    outcomes = Counter()
    for i, (how, when, torn, expect) in enumerate(trials):
        version = f"v{i + 1}"
        path = tmp_path / f"{version}.csv"
        path.write_bytes(report(catalog, UNIT, version))
        before = Store(root)
        bytes_before = (root / "manifest.jsonl").read_bytes()
        previous = before.read("tasks").query("unit == @UNIT").reset_index(drop=True)
        previous_entry = previous["snapshot_id"].iloc[0]
        assert len(previous) == 6
        if how == "hook":
            proc = subprocess.run([sys.executable, "-c", KILLED, str(root), UNIT, str(path), str(when), torn or "-"],
                                  cwd=ROOT, capture_output=True, text=True, timeout=WAIT)
            if when:
                assert proc.returncode == -signal.SIGKILL, proc.stderr
            else:
                assert proc.returncode == 0 and json.loads(proc.stdout.splitlines()[-1]) == {"code": 0, "calls": STEPS}, proc
        else:
            proc = subprocess.Popen([sys.executable, "-m", "cnpark", "--data-dir", str(root), "submit", "--unit", UNIT,
                                     str(path)], cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            time.sleep(when)            # the kill's moment, not a synchronisation
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

        store = Store(root)             # opening a store repairs what the dead writer left
        entries = manifest_whole(root)
        assert not list(root.rglob(".tmp-*"))
        data = (root / "manifest.jsonl").read_bytes()
        mine = store.read("tasks").query("unit == @UNIT").reset_index(drop=True)
        state = next(s for s in cli_json(root, "submissions", "--month", MONTH, "--format", "json")["submissions"]
                     if s["unit"] == UNIT)
        if data == bytes_before:        # the previous report still in force, exactly
            outcome = "old"
            assert mine.equals(previous)
            assert (state["state"], state["at"]) == ("approved", before.entry(previous_entry).uploaded_at)
        else:                           # the new one, whole: one more line, an upload of all six rows
            outcome = "new"
            assert data.startswith(bytes_before) and len(entries) == len(parse(bytes_before)) + 1
            new = entries[-1]
            assert (new.kind, new.user, new.rows) == ("upload", UNIT, 6)
            assert set(mine["snapshot_id"]) == {new.id} and len(mine) == 6 and version_of(mine) == {version}
            assert mine[COLUMNS].equals(store.read_snapshot(new.id)[COLUMNS])
            assert (state["state"], state["at"]) == ("submitted", new.uploaded_at)
            decide(store, catalog, UNIT, MONTH, approve=True, user="督查室", seen=[new.id])    # the next one starts approved
        assert store.read("tasks").query("unit == @OTHER").reset_index(drop=True).equals(other)
        if expect is not None:
            assert outcome == expect, (how, when, torn)
        outcomes[how, outcome] += 1

    # a following submission works, and leaves no file the manifest does not name (a dead writer's are replaced)
    path = tmp_path / "after.csv"
    path.write_bytes(report(catalog, UNIT, "after"))
    subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(root), "submit", "--unit", UNIT, str(path)],
                   cwd=ROOT, check=True, capture_output=True, timeout=WAIT)
    store = Store(root)
    entries = manifest_whole(root)
    assert version_of(store.read("tasks").query("unit == @UNIT")) == {"after"}
    assert sorted(p.name for p in (root / "snapshots").iterdir()) == sorted(
        f"{e.id}.parquet" for e in entries if e.kind == "upload")
    assert sorted(p.name for p in (root / "originals").iterdir()) == sorted(
        e.original for e in entries if e.kind == "upload")
    print(f"kills: {dict(outcomes)}")
