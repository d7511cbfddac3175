"""How cost grows with the store: status of every target as of the latest month at three scales, and the server's
peak memory, in one command.

    .venv/bin/python bench/bench_scale.py [--runs 5] [--scales S M L] [--no-server] [--root /tmp/cnpark-synth]

Stores come from bench/synth.py (generated on first use, then reused from /tmp/cnpark-synth/<scale>).
1. status: cnpark.service.readings.Readings(store, catalog).report — DuckDB reads the current state's Parquet files, latest
   upload wins per key — against the naive way, in the same process right after: pandas reads every snapshot's
   Parquet file, concatenates, sorts by upload and keeps the last row per key, then the same compute_status
   (as bench/bench_core.py). Both must give identical statuses before anything is timed. Median and spread of
   --runs runs; ratio = naive / cnpark.
2. memory: a real `streamlit run app.py` with CNPARK_DATA_DIR=<store>; one viewer opens the overview over Streamlit's
   websocket protocol (bench/load_viewers.py's client, all gauges delivered); then the server's VmHWM (peak
   resident memory, with its children) from /proc. Target ≤ 500 MB at L.
The load average is printed with every row (2 shared CPUs: other users skew the figures).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import sys
import tempfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402
from bench_brief import timed as timings  # noqa: E402  one timing loop for the benches
from load_viewers import memory_mb, ws_visit  # noqa: E402

from cnpark.plan.catalog import load_catalog  # noqa: E402
from cnpark.rules.status import compute_status, latest_month  # noqa: E402
from cnpark.service.readings import Readings
from cnpark.store.snapshots import Store  # noqa: E402
from tests.browser.conftest import start_server  # noqa: E402

MEMORY_TARGET_MB = 500


def naive_status(store: Store, catalog):
    """Every snapshot file through pandas, last row per key, then the same status rule as of the latest month."""
    frames = {"indicators": [], "debt": []}
    for e in store.entries():
        if e.kind == "upload" and e.dataset in frames:
            frames[e.dataset].append(pd.read_parquet(store.root / "snapshots" / f"{e.id}.parquet"))
    ind = pd.concat(frames["indicators"]).sort_values("seq").drop_duplicates(["indicator", "period", "area"], keep="last")
    debt = (pd.concat(frames["debt"]).sort_values("seq").drop_duplicates(["debt_id", "period"], keep="last")
            if frames["debt"] else store.read("debt"))
    return compute_status(catalog, {"indicators": ind, "debt": debt}, latest_month({"indicators": ind, "debt": debt}))


def signature(statuses) -> list[tuple]:
    """What must agree: every goal's status and value (sums of a million floats differ in the last bits by order)."""
    return [(s.code, s.deadline, s.status, None if s.actual is None else round(s.actual, 4)) for s in statuses]



def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def server_memory(path: Path) -> tuple[float, float | None, list[str]]:
    """(peak MB, seconds to the first overview, errors) of a fresh server on the store after one overview."""
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(path, Path(tmp) / "streamlit.log", "--server.runOnSave", "false")
        try:
            visit = asyncio.run(ws_visit(server.url, timeout=300))
            return memory_mb(server.process.pid), visit.seconds, visit.errors
        finally:
            server.stop()


def spread(xs: list[float]) -> str:
    return f"{min(xs):.3f}–{max(xs):.3f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--scales", nargs="*", default=["S", "M", "L"], choices=["S", "M", "L"])
    ap.add_argument("--no-server", action="store_true", help="skip the server's memory")
    ap.add_argument("--root", type=Path, default=synth.ROOT, help="where the generated stores are cached")
    args = ap.parse_args()
    catalog = load_catalog()
    rows = {}
    for scale in args.scales:
        path = synth.build(scale, args.root)
        store = Store(path)
        entries = store.entries()
        ours_report = Readings(store, catalog).report
        check = naive_status(store, catalog)
        assert signature(ours_report.statuses) == signature(check), scale
        before = load()
        ours = timings(lambda store=store: Readings(store, catalog).report, args.runs)
        naive = timings(lambda store=store: naive_status(store, catalog), args.runs)
        peak, first, errors = (None, None, []) if args.no_server else server_memory(path)
        ind, debt = store.read("indicators"), store.read("debt")
        rows[scale] = dict(snapshots=len(entries), ind=len(ind), debt=len(debt), ours=ours, naive=naive,
                           peak=peak, first=first, errors=errors, load=f"{before}/{load()}",
                           statuses=ours_report.statuses)
        print(f"{scale} done: ours {statistics.median(ours):.3f} s, naive {statistics.median(naive):.3f} s, "
              f"peak {peak} MB, load {rows[scale]['load']}", file=sys.stderr, flush=True)

    print(f"| scale | snapshots | current rows (indicators / debt) | cnpark `Readings.report` (median of {args.runs}; spread) "
          f"| naive pandas (median; spread) | naive / cnpark | server peak RSS after the overview | first overview "
          f"| load avg (before/after) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for scale, r in rows.items():
        o, n = statistics.median(r["ours"]), statistics.median(r["naive"])
        mem = "—" if r["peak"] is None else (f"{r['peak']:.0f} MB"
                                             + (" ✓" if r["peak"] <= MEMORY_TARGET_MB or scale != "L" else " ✗"))
        first = "—" if r["first"] is None else f"{r['first']:.2f} s"
        if r["errors"]:
            first += " (" + "; ".join(r["errors"]) + ")"
        print(f"| {scale} | {r['snapshots']:,} | {r['ind']:,} / {r['debt']:,} | {o:.3f} s ({spread(r['ours'])}) "
              f"| {n:.3f} s ({spread(r['naive'])}) | {n / o:.1f}× | {mem} | {first} | {r['load']} |")
    if "S" in rows and len(rows) > 1:
        print()
        s = rows["S"]
        for scale in [x for x in rows if x != "S"]:
            r = rows[scale]
            k = r["snapshots"] / s["snapshots"]
            for who in ("ours", "naive"):
                g = statistics.median(r[who]) / statistics.median(s[who])
                print(f"- S → {scale}, {'cnpark' if who == 'ours' else 'naive'}: snapshots ×{k:,.0f}, time ×{g:,.1f} "
                      f"(exponent {math.log(g) / math.log(k):.2f}; below 1 = sublinear)")
    counts = {scale: pd.Series([s.status for s in r["statuses"]]).value_counts().to_dict() for scale, r in rows.items()}
    print()
    for scale, c in counts.items():
        print(f"- statuses at {scale}: {c}")
    print(f"\nPID {os.getpid()}; load average at the end {load()}")


if __name__ == "__main__":
    main()
