"""The 重点工作 and 重点项目 pages against the overview, in a real browser, in one run: each must be drawn within 1.3× of
the overview's time.

    .venv/bin/python bench/bench_pages.py [--runs 5] [--warmup 2]

One server (`python -m cnpark serve` on a temp store loaded with the sample: 29 gauges on the overview, 21 tasks ×
123 unit reports a month, 4,188 reports in all). Headless Debian chromium with the browser tests' arguments, a fresh
context for every visit at 1600×1000, the two pages alternating. A visit is timed from page.goto until the script has
finished (the matrices are HTML sent with the script's output) and every chart has painted: the overview's 29 gauges;
the one gauge of the task the tasks page shows in detail (第1条 carries 两新党建示范点); the projects page's two funnel
charts (24 sample projects, 683 ledger rows). Warm-up visits are discarded.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_overview import arguments, timed_visit  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.conftest import launch_chromium, load_demo_store, start_server  # noqa: E402

TARGET = 1.3
PAGES = [("总览 (29 gauges)", "", 29), ("重点工作 (7 matrices, 1 gauge)", "tasks", 1),
         ("重点项目 (2 charts, 3 tables)", "projects", 2)]
VIEWPORT = {"width": 1600, "height": 1000}


def main() -> int:
    args = arguments(__doc__)
    if args is None:
        return 1
    times: dict[str, list[float]] = {name: [] for name, *_ in PAGES}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        server = start_server(load_demo_store(tmp / "store"), tmp / "app.log")
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                for i in range(args.warmup + args.runs):
                    for name, path, gauges in PAGES:
                        t = timed_visit(browser, server.url + path, VIEWPORT, gauges)[1]
                        if i >= args.warmup:
                            times[name].append(t)
                browser.close()
        finally:
            server.stop()
    medians = [statistics.median(times[name]) for name, *_ in PAGES]
    overview = medians[0]
    print(f"Median of {args.runs} visits ({args.warmup} warm-up discarded), fresh context each, 1600×1000; "
          f"load average at the end {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs.\n")
    print(f"| page | median | spread | / overview (target ≤ {TARGET}×) |\n|---|---|---|---|")
    for (name, *_), m in zip(PAGES, medians):
        verdict = f" {'✓' if m / overview <= TARGET else '✗'}" if name != PAGES[0][0] else ""
        print(f"| {name} | {m:.2f} s | {min(times[name]):.2f}–{max(times[name]):.2f} s | {m / overview:.2f}×{verdict} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
