"""Crash safety: an ingest killed with SIGKILL at random moments leaves the old state or the new one, never half."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from cnpark.store import Store

ROOT = Path(__file__).resolve().parent.parent
TRIALS = 30

# A writer that stores one 20,000-row snapshot (~0.55 s from process start here).
WRITER = """
import sys
import pandas as pd
from cnpark.store import Store
n = 20_000
rows = pd.DataFrame({"indicator": ["revenue"] * n, "period": [f"{2000 + i // 12:04d}-{i % 12 + 1:02d}" for i in range(n)],
                     "area": [f"片区{i // 2400}" for i in range(n)], "value": [float(sys.argv[2])] * n,
                     "unit": ["万元"] * n, "cumulative": [True] * n, "note": [""] * n, "source_row": range(2, n + 2)})
Store(sys.argv[1]).add_snapshot("indicators", rows, b"x" * 1000, "big.csv")
"""


def test_sigkill_during_ingest_leaves_old_or_new_state(tmp_path):
    rng = random.Random(20251124)
    outcomes = {"old": 0, "new": 0}
    for trial in range(TRIALS):
        before = len(Store(tmp_path).entries())
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), str(trial)], cwd=ROOT,
                                start_new_session=True)
        time.sleep(rng.uniform(0.05, 0.75))   # start and imports ~0.4 s, the write ~0.15 s: kills fall before,
                                              # during (Parquet, rename, manifest) and after it
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        store = Store(tmp_path)               # opening cleans up what the dead writer left
        entries = store.entries()
        assert len(entries) in (before, before + 1)
        outcomes["new" if len(entries) == before + 1 else "old"] += 1
        # every entry's file is complete and readable; the manifest has only whole lines
        for e in entries:
            assert len(store.read_snapshot(e.id)) == e.rows == 20_000
        manifest = tmp_path / "manifest.jsonl"
        data = manifest.read_bytes() if manifest.exists() else b""
        assert data == b"" or data.endswith(b"\n")                        # a partial last line was cut off
        assert [json.loads(line)["id"] for line in data.splitlines()] == [e.id for e in entries]
        assert not list((tmp_path / "snapshots").glob(".tmp-*")) and not list((tmp_path / "originals").glob(".tmp-*"))
    # a later ingest works and the latest complete upload wins
    subprocess.run([sys.executable, "-c", WRITER, str(tmp_path), "999"], cwd=ROOT, check=True, timeout=120)
    final = Store(tmp_path)
    assert final.read("indicators")["value"].unique().tolist() == [999.0]
    print(f"SIGKILL trials: {outcomes}")
    assert outcomes["old"] > 0, outcomes


def test_temp_files_of_a_dead_writer_are_removed_on_start(tmp_path):
    Store(tmp_path)
    (tmp_path / "snapshots" / ".tmp-4242-S00001.parquet").write_bytes(b"half a file")
    (tmp_path / "originals" / ".tmp-4242-S00001.csv").write_bytes(b"half")
    store = Store(tmp_path)
    assert not list(tmp_path.rglob(".tmp-*"))
    assert store.entries() == [] and len(store.read("indicators")) == 0
