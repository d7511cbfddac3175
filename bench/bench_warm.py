"""No cold page: how long the first viewer waits after a start and after an upload, against a warm view.

    .venv/bin/python bench/bench_warm.py [--runs 5]

Each run, in this one command, on a fresh copy of a store loaded with the sample (temp directories):
1. start `python -m cnpark serve` (the production launcher, caches built in the background) and time a fresh browser
   context's visit to the overview (page.goto → all 29 gauges painted), as soon as /_stcore/health answers
   ("after start, at once") and, on another fresh server, once the server has logged its warm-up ("after start,
   warmed") — a start under systemd is followed by minutes before the first viewer; the first column is the worst case;
2. the warm view: another fresh context on the same server (every cache filled by the first viewer);
3. after an upload: `python -m cnpark ingest` of a file that changes a figure, then a fresh context's visit — at once
   (the watcher polls every `warm_interval` = 1 s, so this viewer may race it) and after the server's log shows the
   warm-up of the new version;
4. the baseline it replaced: `streamlit run app.py` with no warmer, the first visit after start (the cold path).
Ratios are medians against the warm view of the same runs (target ≤ 1.3×). Headless Debian chromium with the browser
tests' arguments; the overview at 1600×1000. A Markdown table on stdout.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench.bench_overview import timed_visit  # noqa: E402
from tests.browser.conftest import chromium_path, launch_chromium, load_demo_store, start_server  # noqa: E402

N_GAUGES = 29
VIEWPORT = {"width": 1600, "height": 1000}
TARGET = 1.3
CHANGE = ROOT / "tests" / "files" / "cli_capacity_correction.csv"


def warm_count(log: Path) -> int:
    return log.read_text(errors="replace").count("预热完成")


def wait_warm(log: Path, n: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while warm_count(log) < n:
        if time.monotonic() > deadline:
            raise RuntimeError(f"no warm-up #{n} in {log}")
        time.sleep(0.05)


def visit(browser, url: str) -> float:
    return timed_visit(browser, url, VIEWPORT, N_GAUGES)[1]


def ingest(store: Path) -> None:
    subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(store), "ingest", str(CHANGE)], cwd=ROOT,
                   check=True, capture_output=True, timeout=120)


def one_run(browser, sample: Path, tmp: Path, i: int) -> dict[str, float]:
    out: dict[str, float] = {}
    # 1a, 2, 3a: the viewer arrives at once — after the start, after the upload
    store = tmp / f"store-a{i}"
    shutil.copytree(sample, store)
    server = start_server(store, tmp / f"a{i}.log")
    try:
        out["after start, at once"] = visit(browser, server.url)
        out["warm view"] = visit(browser, server.url)
        wait_warm(server.log, 1)
        before = warm_count(server.log)
        ingest(store)
        out["after upload, at once"] = visit(browser, server.url)
        wait_warm(server.log, before + 1)
        out["warm view"] = statistics.median([out["warm view"], visit(browser, server.url)])
    finally:
        server.stop()
    # 1b, 3b: the viewer arrives once the server has warmed up
    store = tmp / f"store-b{i}"
    shutil.copytree(sample, store)
    server = start_server(store, tmp / f"b{i}.log")
    try:
        wait_warm(server.log, 1)
        out["after start, warmed"] = visit(browser, server.url)
        ingest(store)
        wait_warm(server.log, 2)
        out["after upload, warmed"] = visit(browser, server.url)
    finally:
        server.stop()
    # 4: the cold path without the warmer (plain streamlit run)
    store = tmp / f"store-c{i}"
    shutil.copytree(sample, store)
    server = start_server(store, tmp / f"c{i}.log", script="app.py", plain=True)
    try:
        out["no warmer (streamlit run), after start"] = visit(browser, server.url)
    finally:
        server.stop()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if chromium_path() is None:
        print("no chromium: install Debian's chromium (or set CHROMIUM)", file=sys.stderr)
        return 1
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sample = load_demo_store(tmp / "sample")
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            visit_warmup = start_server(sample, tmp / "warmup.log")     # chromium's own first start is not counted
            try:
                visit(browser, visit_warmup.url)
            finally:
                visit_warmup.stop()
            for i in range(args.runs):
                for name, seconds in one_run(browser, sample, tmp, i).items():
                    results.setdefault(name, []).append(seconds)
            browser.close()
    warm = statistics.median(results["warm view"])
    print(f"Time from `page.goto` to all {N_GAUGES} gauges painted, fresh browser context, median of {args.runs} runs; "
          f"load average at the end {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs.\n")
    print(f"| the viewer | median | spread | / warm view (target ≤ {TARGET}×) |")
    print("|---|---|---|---|")
    for name in ("warm view", "after start, at once", "after start, warmed", "after upload, at once",
                 "after upload, warmed", "no warmer (streamlit run), after start"):
        times = results[name]
        ratio = statistics.median(times) / warm
        mark = "" if name == "warm view" else (" ✓" if ratio <= TARGET else " ✗")
        print(f"| {name} | {statistics.median(times):.2f} s | {min(times):.2f}–{max(times):.2f} s | {ratio:.2f}×{mark} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
