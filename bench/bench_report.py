"""How long the clerk waits for the 终期评估 draft, against the 调度会 brief of the same month as the yardstick.

    .venv/bin/python bench/bench_report.py [--runs 7] [--as-of 2025-12]

On a store loaded with the sample data (temp directory), in one process, alternating A B A B …:
  A: the report the 督办 page's button makes — report.gather (status, 督办 history, tasks, projects, debt) and the
     .docx (python-docx);
  B: the brief the same page makes for the same month — brief.gather and its PDF with every gauge drawn.
Medians of --runs runs after one warm-up each; the ratio is taken pair by pair (target: ≤ 1.0, the report must not
cost more than the brief a leader already waits for). A Markdown line on stdout, for docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cnpark.outputs import brief  # noqa: E402
from cnpark.outputs import evaluation as report  # noqa: E402
from cnpark.plan.catalog import load_catalog  # noqa: E402
from cnpark.service.readings import Readings  # noqa: E402
from cnpark.service.uploads import load_demo  # noqa: E402
from cnpark.store.snapshots import Store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--as-of", default="2025-12")
    args = parser.parse_args()
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(tmp)
        load_demo(store, catalog)

        def make_report() -> int:
            return len(report.docx_bytes(report.gather(Readings(store, catalog, args.as_of))))

        def make_brief() -> int:
            return len(brief.pdf(brief.gather(Readings(store, catalog, args.as_of))))

        make_report(), make_brief()                       # warm-up: imports, fonts, first reads
        a, b, ratios = [], [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            size = make_report()
            t1 = time.perf_counter()
            make_brief()
            t2 = time.perf_counter()
            a.append(t1 - t0)
            b.append(t2 - t1)
            ratios.append((t1 - t0) / (t2 - t1))
    print(f"| 终期评估 .docx（截至 {args.as_of}，{size / 1024:.0f} KB） | {statistics.median(a):.2f} s "
          f"({min(a):.2f}–{max(a):.2f}) | 同月简报 PDF {statistics.median(b):.2f} s ({min(b):.2f}–{max(b):.2f}) | "
          f"**{statistics.median(ratios):.2f}×** ({min(ratios):.2f}–{max(ratios):.2f}) | {args.runs} 对 |")


if __name__ == "__main__":
    main()
