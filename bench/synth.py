"""Synthetic stores at three scales, written through the real store API (Store.add_snapshot), for bench_scale.py.

    .venv/bin/python bench/synth.py [S M L] [--root /tmp/cnpark-synth] [--force]

S  this park as it is: the sample data loaded by cnpark.service.uploads.load_demo (7 snapshots).
M  one park, 10 years monthly (2016-01 … 2025-12): 60 indicator series, 500 snapshots (380 indicator uploads by
   3 offices, 120 monthly debt-ledger uploads of 50 items).
L  30 parks, 10 years monthly: 100 indicator series a park (the catalog's 25 codes for the park and 3 片区) plus
   the county's 25 park-wide series, 5,000 snapshots (4,880 indicator uploads, 120 monthly debt-ledger uploads of
   8,334 items: a 1,000,080-row ledger).

30 parks are 30 areas of ONE store, not 30 stores: a city-level view needs them in one place, and one store with
5,000 snapshots and a 1,000,000-row ledger is the worst case for the store (30 stores of ~170 snapshots each
would be M thirty times over, which M already measures). Rows with area "" are the county roll-up that 统计局
reports; they feed the status (cnpark.rules.series.park_series), as a park's own totals do in S. Park and 片区 rows are
areas "园区07" and "园区07·片区2".

Every indicator code is the catalog's (data/plan/changning-2023-2025.toml), with values shaped by its measure
(flows cumulative within the year, rates in 0–100, milestones 0 then 1), so statuses come out mixed. A snapshot is
one office's (or park's) upload for a month: that month's rows, plus a restatement of the previous month for
about one series in five with a slightly different value (the corrections analysts send).

Stores are cached under <root>/<scale> and reused when their manifest is complete (a `.done` marker); L takes a
few minutes.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cnpark.plan.catalog import Catalog, load_catalog  # noqa: E402
from cnpark.service.uploads import load_demo  # noqa: E402
from cnpark.store.snapshots import Store  # noqa: E402

ROOT = Path("/tmp/cnpark-synth")
MONTHS = [f"{y}-{m:02d}" for y in range(2016, 2026) for m in range(1, 13)]
SCALES = {
    # indicator uploads, uploaders (offices or parks; the county is one more in L), debt items, parks
    "M": dict(indicator_uploads=380, debt_items=50, parks=0),
    "L": dict(indicator_uploads=4880, debt_items=8334, parks=30),
}
CREDITORS = ["国家开发银行", "中国农业发展银行", "云南省农村信用社", "中国建设银行", "融资租赁公司"]
DEBT_TYPES = ["银行贷款", "政府专项债", "融资租赁", "信托融资"]


def series_codes(catalog: Catalog) -> list[tuple[str, str, str]]:
    """(code, measure, rule) of every catalog entry that indicator uploads carry (the debt rule reads the ledger)."""
    return [(t.code, t.measure, t.rule) for t in catalog.targets if t.rule != "debt"]


def values(code: str, measure: str, rule: str, scale: float, rng: np.random.Generator) -> np.ndarray:
    """One series over MONTHS, shaped by the target's measure; scale sizes a park's share of the county."""
    n = len(MONTHS)
    years = np.arange(n) // 12
    month = np.arange(n) % 12 + 1
    if rule == "done":                               # milestone: 0 until the month it is done
        done_at = rng.integers(80, n + 12)
        return (np.arange(n) >= done_at).astype(float)
    if measure == "rate":
        start = rng.uniform(20, 60)
        return np.clip(start + np.arange(n) * rng.uniform(0.05, 0.35) + rng.normal(0, 1, n), 0, 100).round(1)
    if measure == "yearly_sum":                      # 当年新增 so far this year
        per_year = rng.integers(2, 9, size=10) * scale
        return np.ceil(per_year[years] * month / 12)
    growth = rng.uniform(1.08, 1.30)
    annual = rng.uniform(1e4, 1e6) * scale * growth ** years
    if measure == "flow":                            # cumulative within the year; a year is its December
        return (annual * month / 12 * rng.normal(1, 0.02, n)).round(0)
    return (annual * rng.normal(1, 0.01, n)).round(0)   # stock


def series_table(catalog: Catalog, scale: str, rng: np.random.Generator) -> tuple[list[tuple], list[list[int]]]:
    """[(code, area, values)] and, per uploader, the indexes of its series."""
    codes = series_codes(catalog)
    series, uploaders = [], []
    if scale == "M":
        areas = ["", "田园镇片区", "园中园"]
        for (code, measure, rule), area in [(c, a) for a in areas for c in codes][:60]:
            series.append((code, area, values(code, measure, rule, 1.0 if area == "" else 0.4, rng)))
        uploaders = [list(range(i, len(series), 3)) for i in range(3)]   # 经发部 / 统计局 / 自然资源: interleaved
    else:
        county = []
        for code, measure, rule in codes:
            county.append(len(series))
            series.append((code, "", values(code, measure, rule, 30.0, rng)))
        uploaders.append(county)
        for p in range(1, SCALES[scale]["parks"] + 1):
            mine = []
            for area in [f"园区{p:02d}"] + [f"园区{p:02d}·片区{k}" for k in (1, 2, 3)]:
                for code, measure, rule in codes:
                    mine.append(len(series))
                    series.append((code, area, values(code, measure, rule, 1.0, rng)))
            uploaders.append(mine)
    return series, uploaders


def indicator_rows(series: list[tuple], mine: list[int], m: int, revision: int, rng) -> pd.DataFrame:
    """An uploader's rows for month m, plus corrections of month m-1 for about one series in five."""
    codes, periods, areas, vals = [], [], [], []
    for i in mine:
        code, area, v = series[i]
        codes.append(code)
        areas.append(area)
        periods.append(MONTHS[m])
        vals.append(float(v[m]) * (1 + 0.003 * revision))      # a resubmission in the same month moves a little
        if m > 0 and rng.random() < 0.2:
            codes.append(code)
            areas.append(area)
            periods.append(MONTHS[m - 1])
            vals.append(float(v[m - 1]) * rng.uniform(0.99, 1.01))
    n = len(codes)
    return pd.DataFrame({"indicator": codes, "period": periods, "area": areas, "value": vals, "unit": "",
                         "cumulative": True, "note": "", "source_row": np.arange(2, n + 2)})


def debt_rows(items: int, m: int, rng: np.random.Generator) -> pd.DataFrame:
    """The ledger as of month m: one row per item (balance falls as debt is resolved; a few are overdue)."""
    ids = np.arange(items)
    start = (ids * 7919) % 1e5 * 10 + 5e3
    resolved_share = np.minimum(1.0, (m + 1) / (120 + ids % 60))
    balance = (start * (1 - resolved_share)).round(2)
    resolved = (start / (120 + ids % 60)).round(2) * (balance > 0)
    due = 2024 + ids % 8
    overdue = (ids % 97 == 0) & (m > 90)
    return pd.DataFrame({
        "debt_id": [f"ZW{i:05d}" for i in ids], "name": [f"园区项目贷款{i:05d}" for i in ids],
        "creditor": [CREDITORS[i % len(CREDITORS)] for i in ids], "debt_type": [DEBT_TYPES[i % len(DEBT_TYPES)] for i in ids],
        "period": MONTHS[m], "balance": balance, "new_debt": 0.0, "resolved": resolved,
        "due_date": [f"{d}-{(i % 12) + 1:02d}-20" for d, i in zip(due, ids)], "overdue": overdue, "note": "",
        "source_row": np.arange(2, items + 2)})


def build(scale: str, root: Path = ROOT, force: bool = False) -> Path:
    """The store of a scale under root/scale, generated unless a complete one is there."""
    path = root / scale
    if (path / ".done").exists() and not force:
        return path
    shutil.rmtree(path, ignore_errors=True)
    catalog = load_catalog()
    store = Store(path)
    started = time.perf_counter()
    if scale == "S":
        load_demo(store, catalog)
    else:
        rng = np.random.default_rng(7)
        spec = SCALES[scale]
        series, uploaders = series_table(catalog, scale, rng)
        n = spec["indicator_uploads"]
        seen: dict[tuple[int, int], int] = {}
        for k in range(n):
            m = k * len(MONTHS) // n
            u = k % len(uploaders)
            revision = seen[(u, m)] = seen.get((u, m), -1) + 1
            store.add_snapshot("indicators", indicator_rows(series, uploaders[u], m, revision, rng), b"synthetic",
                               f"{MONTHS[m]}_上报{u:02d}.csv", user=f"uploader{u:02d}")
            if (k + 1) * len(MONTHS) // n > m or k == n - 1:          # the month's ledger, after its indicators
                store.add_snapshot("debt", debt_rows(spec["debt_items"], m, rng), b"synthetic",
                                   f"{MONTHS[m]}_债务台账.csv", user="finance")
    (path / ".done").write_text(f"{time.perf_counter() - started:.1f} s\n")
    return path


def describe(path: Path) -> dict:
    """Snapshots, current rows and bytes on disk of a generated store."""
    store = Store(path)
    entries = store.entries()
    size = sum(f.stat().st_size for f in (path / "snapshots").glob("*.parquet"))
    return {"snapshots": len(entries), "indicator_rows": len(store.read("indicators")),
            "debt_rows": len(store.read("debt")), "parquet_mb": size / 1e6}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scales", nargs="*", default=["S", "M", "L"], choices=["S", "M", "L"])
    ap.add_argument("--root", type=Path, default=ROOT)
    ap.add_argument("--force", action="store_true", help="regenerate even if a complete store is cached")
    args = ap.parse_args()
    for scale in args.scales:
        t0 = time.perf_counter()
        path = build(scale, args.root, args.force)
        print(f"{scale}: {path} ({time.perf_counter() - t0:.1f} s) {describe(path)}", flush=True)


if __name__ == "__main__":
    main()
