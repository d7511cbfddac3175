"""Benchmark of the data core, each against the naive way of doing the same work, in one process.

    .venv/bin/python bench/bench_core.py [--runs 5] [--rows 100000] [--snapshots 200]

1. ingest: a 100,000-row long CSV (GBK, as Excel writes it) → parse_upload → store.add_snapshot.
   Naive: pandas.read_csv, then each row's cells through the same cell parsers with DataFrame.apply, then to_parquet.
   Also shown: pandas.read_csv alone, the floor any parser of this file pays (it checks nothing).
2. status: compute every target's status over a store of 200 snapshots.
   Naive: pandas reads every snapshot's Parquet file, concatenates, sorts by upload and keeps the last row per key.
Medians of --runs runs; ratio = naive / ours (above 1: ours is faster). Results go to stdout as a Markdown table.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cnpark.parse import parse_upload  # noqa: E402
from cnpark.parse.cells import parse_number, parse_period  # noqa: E402
from cnpark.plan.catalog import load_catalog  # noqa: E402
from cnpark.rules.status import compute_status  # noqa: E402
from cnpark.store.snapshots import Store  # noqa: E402

CODES = [("营业收入", "万元"), ("工业总产值", "亿元"), ("多晶硅产能", "万吨"), ("农特产品加工转化率", "%"),
         ("主导产业营业收入占比", "%"), ("新增规上工业企业", "户")]


def make_csv(n_rows: int) -> bytes:
    """A long-layout CSV of n_rows distinct (indicator, period, area) rows, GBK with a title row."""
    lines = ["昌宁产业园区指标（基准测试数据）", "指标名称,统计期,片区,数值,单位"]
    areas = [f"片区{i}" for i in range(n_rows // (len(CODES) * 120) + 1)]
    i = 0
    for area in areas:
        for year in range(2016, 2026):
            for month in range(1, 13):
                for name, unit in CODES:
                    if i == n_rows:
                        break
                    value = f"{(i % 997) * 13.7 + 1:,.2f}" if unit != "%" else f"{i % 90 + 5}%"
                    if unit == "户":
                        value = str(i % 9)
                    lines.append(f"{name},{year}年{month}月,{area},\"{value}\",{unit}")
                    i += 1
    return ("\r\n".join(lines) + "\r\n").encode("gb18030")


def naive_ingest(data: bytes, catalog, out: Path) -> int:
    df = pd.read_csv(io.BytesIO(data), encoding="gb18030", skiprows=1, dtype=str)

    def row(r):
        value, unit = parse_number(r["数值"])
        return pd.Series({"indicator": catalog.lookup(r["指标名称"]), "period": parse_period(r["统计期"]).month,
                          "area": r["片区"], "value": value, "unit": unit or r["单位"]})
    parsed = df.apply(row, axis=1)
    parsed.to_parquet(out)
    return len(parsed)


def naive_status(store: Store, catalog, as_of: str):
    entries = [e for e in store.entries() if e.kind == "upload"]
    frames = {"indicators": [], "debt": []}
    for e in entries:
        frames[e.dataset].append(pd.read_parquet(store.root / "snapshots" / f"{e.id}.parquet"))
    ind = pd.concat(frames["indicators"]).sort_values("seq").drop_duplicates(["indicator", "period", "area"], keep="last")
    debt = (pd.concat(frames["debt"]).sort_values("seq").drop_duplicates(["debt_id", "period"], keep="last")
            if frames["debt"] else store.read("debt"))
    return compute_status(catalog, {"indicators": ind, "debt": debt}, as_of)


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def fill_store(store: Store, catalog, n: int) -> None:
    """n snapshots of park-wide indicators, each a month's report re-stating earlier months (realistic overlap)."""
    months = [f"{y}-{m:02d}" for y in range(2021, 2026) for m in range(1, 13)]
    codes = [t.code for t in catalog.targets if t.kind in ("numeric", "direction", "supporting")]
    for k in range(n):
        upto = months[: 1 + k % len(months)]
        rows = [(c, m, float(k + j)) for j, c in enumerate(codes) for m in upto[-12:]]
        df = pd.DataFrame({"indicator": [r[0] for r in rows], "period": [r[1] for r in rows], "area": "",
                           "value": [r[2] for r in rows], "unit": "", "cumulative": True, "note": "",
                           "source_row": range(2, len(rows) + 2)})
        store.add_snapshot("indicators", df, b"bench", f"bench-{k}.csv")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--snapshots", type=int, default=200)
    args = ap.parse_args()
    catalog = load_catalog()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        data = make_csv(args.rows)
        store = Store(Path(tmp) / "ingest")

        def ours_ingest():
            result = parse_upload(data, "bench.csv", catalog)
            assert result.ok and len(result.rows) == args.rows, result.problems[:3]
            store.add_snapshot("indicators", result.rows, data, "bench.csv")
        ours = median_time(ours_ingest, args.runs)
        naive = median_time(lambda: naive_ingest(data, catalog, Path(tmp) / "naive.parquet"), args.runs)
        results.append((f"ingest {args.rows:,}-row long CSV (GBK)", ours, naive))
        # A floor, not a rival: pandas.read_csv alone checks nothing and converts nothing.
        floor = median_time(lambda: pd.read_csv(io.BytesIO(data), encoding="gb18030", skiprows=1, dtype=str),
                            args.runs)
        results.append(("reference: pandas.read_csv of the same file alone (no checks)", ours, floor))

        store = Store(Path(tmp) / "status")
        fill_store(store, catalog, args.snapshots)
        ind = store.read("indicators")
        check_ours = compute_status(catalog, {"indicators": ind, "debt": store.read("debt")}, "2025-12")
        check_naive = naive_status(store, catalog, "2025-12")
        assert [(s.code, s.actual, s.status) for s in check_ours] == [(s.code, s.actual, s.status) for s in check_naive]
        ours = median_time(lambda: compute_status(catalog, {"indicators": store.read("indicators"), "debt": store.read("debt")}, "2025-12"),
                           args.runs)
        naive = median_time(lambda: naive_status(store, catalog, "2025-12"), args.runs)
        results.append((f"status over {args.snapshots} snapshots ({len(ind):,} current rows)", ours, naive))

    print(f"| work | cnpark (median of {args.runs}) | naive (median of {args.runs}) | naive / cnpark |")
    print("|---|---|---|---|")
    for name, ours, naive in results:
        print(f"| {name} | {ours:.3f} s | {naive:.3f} s | {naive / ours:.1f}× |")


if __name__ == "__main__":
    main()
