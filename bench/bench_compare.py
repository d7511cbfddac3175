"""Two checkouts of cnpark on the same store, in turn: the status reading (`Readings(store, catalog).report`, as bench_scale.py
times it) of each, A B A B …, so that a refactor is measured against the code before it in one command.

    .venv/bin/python bench/bench_compare.py BEFORE_DIR AFTER_DIR [--store /tmp/cnpark-synth/L] [--rounds 4] [--runs 9]

BEFORE_DIR is e.g. `git worktree add /tmp/before <commit>`. The store comes from bench/synth.py (bench_scale.py builds
it on first use). Each round starts a fresh process per checkout, reads once to warm, then times --runs readings and
prints their median; the ratio AFTER / BEFORE is taken round by round (the machine's speed drifts between rounds).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ONE = """
import statistics, sys, time
sys.path.insert(0, ".")
from cnpark.plan.catalog import load_catalog
from cnpark.service.readings import Readings

from cnpark.store.snapshots import Store
store, catalog = Store(sys.argv[1]), load_catalog()
Readings(store, catalog).report
times = []
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    Readings(store, catalog).report
    times.append(time.perf_counter() - start)
print(statistics.median(times))
"""


def median_in(tree: Path, store: Path, runs: int) -> float:
    out = subprocess.run([sys.executable, "-c", ONE, str(store), str(runs)], cwd=tree, capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--store", type=Path, default=Path("/tmp/cnpark-synth/L"))
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    ratios = []
    for k in range(args.rounds):
        a = median_in(args.before, args.store, args.runs)
        b = median_in(args.after, args.store, args.runs)
        ratios.append(b / a)
        print(f"round {k + 1}: before {a:.3f} s, after {b:.3f} s, after / before {b / a:.2f}×", flush=True)
    print(f"median after / before: {statistics.median(ratios):.2f}× (range {min(ratios):.2f}–{max(ratios):.2f}×)")


if __name__ == "__main__":
    main()
