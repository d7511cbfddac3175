"""Crash safety: an ingest killed with SIGKILL at random moments leaves the old state or the new one, never half;
and four writers at once with a reader lose nothing.

CI runs 30 kills and 4 × 20 uploads; the long run (docs/RELIABILITY.md) sets CNPARK_CRASH_TRIALS, CNPARK_WRITER_ROUNDS
and CNPARK_CRASH_SEED."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from cnpark.store.snapshots import Store

ROOT = Path(__file__).resolve().parent.parent
TRIALS = int(os.environ.get("CNPARK_CRASH_TRIALS", "30"))
ROUNDS = int(os.environ.get("CNPARK_WRITER_ROUNDS", "20"))
SEED = int(os.environ.get("CNPARK_CRASH_SEED", "20251124"))

# A writer that stores one 20,000-row snapshot (~0.55 s from process start here).
WRITER = """
import sys
import pandas as pd
from cnpark.store.snapshots import Store
n = 20_000
rows = pd.DataFrame({"indicator": ["revenue"] * n, "period": [f"{2000 + i // 12:04d}-{i % 12 + 1:02d}" for i in range(n)],
                     "area": [f"片区{i // 2400}" for i in range(n)], "value": [float(sys.argv[2])] * n,
                     "unit": ["万元"] * n, "cumulative": [True] * n, "note": [""] * n, "source_row": range(2, n + 2)})
store = Store(sys.argv[1])
print("writing", flush=True)
store.add_snapshot("indicators", rows, b"x" * 1000, "big.csv")
"""


def test_sigkill_during_ingest_leaves_old_or_new_state(tmp_path):
    rng = random.Random(SEED)
    outcomes = {"old": 0, "new": 0, "caught mid-write": 0}
    # the writer's whole time on this machine, as it is loaded now: the unaimed kills fall anywhere within 1.5× of it,
    # so that some land after the write (a fixed window missed every write on a busy CI machine)
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", WRITER, str(tmp_path), "-1"], cwd=ROOT, check=True, timeout=120,
                   stdout=subprocess.DEVNULL)
    whole = time.monotonic() - started
    for trial in range(TRIALS):
        before = len(Store(tmp_path).entries())
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), str(trial)], cwd=ROOT,
                                start_new_session=True, stdout=subprocess.PIPE)
        if trial % 2:                         # aimed: at a random instant of add_snapshot itself (~26 ms here:
            assert proc.stdout.readline() == b"writing\n"    # Arrow table, Parquet to a temp file ~14 ms, fsync,
            time.sleep(rng.uniform(0, 0.03))                  # rename, original, manifest line)
        else:                                 # anywhere: start and imports ~0.4 s, then the write
            time.sleep(rng.uniform(0.05, 1.5 * whole))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        manifest = tmp_path / "manifest.jsonl"
        # evidence of a kill inside the write: a temporary file, or a manifest line without its newline
        left = list(tmp_path.glob("*/.tmp-*"))
        torn = manifest.exists() and not manifest.read_bytes().endswith(b"\n") and manifest.stat().st_size > 0
        outcomes["caught mid-write"] += bool(left or torn)
        store = Store(tmp_path)               # opening cleans up what the dead writer left
        entries = store.entries()
        assert len(entries) in (before, before + 1)
        outcomes["new" if len(entries) == before + 1 else "old"] += 1
        # every entry's file is complete and readable; the manifest has only whole lines
        for e in entries:
            assert len(store.read_snapshot(e.id)) == e.rows == 20_000
        data = manifest.read_bytes() if manifest.exists() else b""
        assert data == b"" or data.endswith(b"\n")                        # a partial last line was cut off
        assert [json.loads(line)["id"] for line in data.splitlines()] == [e.id for e in entries]
        assert not list((tmp_path / "snapshots").glob(".tmp-*")) and not list((tmp_path / "originals").glob(".tmp-*"))
    # a later ingest works and the latest complete upload wins
    subprocess.run([sys.executable, "-c", WRITER, str(tmp_path), "999"], cwd=ROOT, check=True, timeout=120)
    final = Store(tmp_path)
    assert final.read("indicators")["value"].unique().tolist() == [999.0]
    print(f"SIGKILL trials (seed {SEED}): {outcomes}")
    assert outcomes["old"] > 0 and outcomes["new"] > 0, outcomes


def test_temp_files_of_a_dead_writer_are_removed_on_start(tmp_path):
    Store(tmp_path)
    (tmp_path / "snapshots" / ".tmp-4242-S00001.parquet").write_bytes(b"half a file")
    (tmp_path / "originals" / ".tmp-4242-S00001.csv").write_bytes(b"half")
    store = Store(tmp_path)
    assert not list(tmp_path.rglob(".tmp-*"))
    assert store.entries() == [] and len(store.read("indicators")) == 0


# Four analysts' uploads at once: each process ingests its own files through the same path as the page and CLI.
# Writer w reports 多晶硅产能 for month 2024-0(w+1) with value w*1000 + i in its i-th file, so its last file wins.
INGESTER = """
import sys
from cnpark.plan.catalog import load_catalog
from cnpark.service.uploads import ingest_bytes
from cnpark.store.snapshots import Store
root, writer, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
catalog = load_catalog()
for i in range(rounds):
    data = f"指标,期间,数值,单位\\n多晶硅产能,2024-0{writer + 1},{writer * 1000 + i},吨\\n".encode()
    result, entry = ingest_bytes(Store(root), catalog, data, f"writer{writer}-{i:02d}.csv", user=f"分析员{writer}")
    assert result.ok and entry is not None, result.problems
"""

# A reader asks for the status over and over while they write: it must never fail or see entries go backwards.
READER = """
import json, sys
from pathlib import Path
from cnpark.plan.catalog import load_catalog
from cnpark.service.readings import Readings
from cnpark.store.snapshots import Store
root, stop = sys.argv[1], Path(sys.argv[2])
catalog = load_catalog()
seen = []
while not stop.exists():
    store = Store(root)
    report = Readings(store, catalog, "2024-06").report
    assert len(report.statuses) == 29, len(report.statuses)   # 25 targets, yearly goals counted apart
    seen.append(len(store.entries()))
print(json.dumps(seen))
"""


def test_four_writers_twenty_rounds_and_a_reader(tmp_path):
    rounds, writers = ROUNDS, 4
    store_dir, stop = tmp_path / "store", tmp_path / "stop"
    Store(store_dir)
    reader = subprocess.Popen([sys.executable, "-c", READER, str(store_dir), str(stop)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    procs = [subprocess.Popen([sys.executable, "-c", INGESTER, str(store_dir), str(w), str(rounds)], cwd=ROOT)
             for w in range(writers)]
    codes = [p.wait(timeout=300) for p in procs]
    stop.touch()
    out, _ = reader.communicate(timeout=120)
    assert codes == [0] * writers and reader.returncode == 0
    seen = json.loads(out)
    assert seen and seen == sorted(seen)                                     # never saw the store go backwards
    print(f"reader: {len(seen)} status reads while writing, entries seen {seen[0]}..{seen[-1]}")

    store = Store(store_dir)
    entries = store.entries()
    total = rounds * writers
    assert [e.seq for e in entries] == list(range(1, total + 1))             # every upload once, ids in order
    assert sorted(e.file for e in entries) == sorted(f"writer{w}-{i:02d}.csv" for w in range(writers)
                                                     for i in range(rounds))
    assert len({e.sha256 for e in entries}) == total
    assert sorted(p.name for p in (store_dir / "snapshots").glob("*.parquet")) == [f"{e.id}.parquet" for e in entries]
    assert not list(store_dir.rglob(".tmp-*"))
    lines = (store_dir / "manifest.jsonl").read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [e.id for e in entries]
    for w in range(writers):                                                 # each writer's uploads kept their order
        mine = [e.file for e in entries if e.file.startswith(f"writer{w}-")]
        assert mine == sorted(mine)
    for e in entries:
        assert len(store.read_snapshot(e.id)) == e.rows == 1
    latest = store.read("indicators").set_index("period")["value"].to_dict()
    # the last file of writer w (i = rounds − 1, 19 in CI) wins for its month: w*1000 + rounds − 1 tonnes
    assert latest == {f"2024-0{w + 1}": float(w * 1000 + rounds - 1) for w in range(writers)}
