"""Benchmark of the overview in a real browser, against a bare Streamlit page drawing the same number of gauges.

    .venv/bin/python bench/bench_overview.py [--runs 5] [--warmup 2]

Two servers, both started here: the app on a temp store loaded with the sample (`python -m cnpark demo`), and
bench/bare_page.py (29 static Altair gauges of the same layers, built on every run, no caching: the framework's
floor; with ?specs=once the same specs built once per process, drawn with st.vega_lite_chart as the app does).
Headless Debian chromium with the browser tests' launch arguments (CHROMIUM overrides the path), a fresh browser
context for every run. A run is timed from page.goto to "all gauges drawn": the script state is notRunning, the
page's Vega charts have all painted (svg.marks or canvas) and hold the expected number of gauges (the app draws
a row of five as one chart; tests/browser/conftest.py RENDERED_JS counts each gauge); the time to "script
finished" is noted on the way. Warm-up runs are discarded; the pages alternate run by run. Medians and the ratio
overview / bare page go to stdout as a Markdown table, for the normal view (1600×1000) and meeting mode
(?mode=meeting, 1920×1080).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.conftest import (  # noqa: E402
    RENDERED_JS,
    chromium_path,
    launch_chromium,
    load_demo_store,
    start_server,
)

N_GAUGES = 29
TARGET, STRICT = 1.3, 1.0       # × the bare page building its gauges; × the bare page of prebuilt specs (issue 24)
# (view, the app's query, the bare page's query, gauges drawn, viewport): meeting mode's overview shows its gauges
# screen by screen; its first gauge screen (经济总量) has 9, compared with a bare page of 9 meeting-size gauges.
VIEWS = [("overview", "", "", N_GAUGES, {"width": 1600, "height": 1000}),
         ("meeting mode, screen 2", "mode=meeting&screen=2", "mode=meeting&n=9", 9, {"width": 1920, "height": 1080})]
PAGES = [("cnpark", "app", ""), ("bare", "bare", ""), ("bare, specs once", "bare", "specs=once"),
         ("bare, cnpark's charts", "bare", "specs=file")]
SCRIPT_DONE_JS = """() => document.querySelector('[data-testid="stApp"]')
    ?.getAttribute('data-test-script-state') === 'notRunning'"""


def timed_visit(browser, url: str, viewport: dict, n: int) -> tuple[float, float]:
    """(script finished, all n charts drawn) in seconds from page.goto, in a fresh browser context."""
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function(SCRIPT_DONE_JS, timeout=60_000, polling="raf")
        finished = time.perf_counter() - start
        page.wait_for_function(RENDERED_JS, arg=n, timeout=60_000, polling="raf")
        return finished, time.perf_counter() - start
    finally:
        context.close()


def arguments(doc: str, direct: bool = False) -> argparse.Namespace | None:
    """--runs and --warmup of a browser benchmark (and --direct: Streamlit without nginx in front); None (having
    said why) when there is no chromium to run."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    if direct:
        parser.add_argument("--direct", action="store_true", help="straight from Streamlit, not through nginx")
    args = parser.parse_args()
    if chromium_path() is None:
        print("no chromium: install Debian's chromium (or set CHROMIUM)", file=sys.stderr)
        return None
    return args


def own_specs(root: Path, tmp: Path) -> Path:
    """cnpark's own charts of the sample's default month as the overview draws them — each group's gauges in rows of
    five, a row one chart (charts.gauge_rows) — at the normal and the meeting size (specs-230.json, specs-330.json):
    the bare page's ?specs=file draws them without the page's frame, so that cnpark / that is the frame's own cost."""
    from cnpark.outputs.charts import GAUGE_SIZE, MEETING_GAUGE_SIZE, gauge_rows, gauge_specs
    from cnpark.plan.plans import load_plans
    from cnpark.service.readings import Readings
    from cnpark.store.snapshots import Store

    catalog = load_plans().default()
    statuses = Readings(Store(root), catalog).report.statuses
    for size in (GAUGE_SIZE, MEETING_GAUGE_SIZE):
        specs = gauge_specs(statuses, size)
        charts = [chart for group in catalog.groups
                  for chart in gauge_rows([specs[(s.code, s.deadline)] for s in statuses if s.group == group])]
        (tmp / f"specs-{size}.json").write_text(json.dumps(charts, ensure_ascii=False), encoding="utf-8")
    return tmp


def main() -> int:
    args = arguments(__doc__)
    if args is None:
        return 1

    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        root = load_demo_store(tmp / "store")
        servers = {"app": start_server(root, tmp / "app.log"),
                   "bare": start_server(None, tmp / "bare.log", script="bench/bare_page.py",
                                        env={**os.environ, "BARE_SPECS": str(own_specs(root, tmp))})}
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                for view, app_query, bare_query, n, viewport in VIEWS:
                    for i in range(args.warmup + args.runs):
                        for page_name, server, page_query in PAGES:
                            view_query = app_query if server == "app" else bare_query
                            q = "&".join(x for x in (view_query, page_query) if x)
                            t = timed_visit(browser, servers[server].url + (f"?{q}" if q else ""), viewport, n)
                            if i >= args.warmup:
                                results.setdefault((view, page_name), []).append(t)
                browser.close()
        finally:
            for s in servers.values():
                s.stop()

    def median(view: str, page: str, which: int) -> float:
        return statistics.median(t[which] for t in results[(view, page)])

    print(f"Time from `page.goto` to all gauges drawn, headless chromium, median of {args.runs} runs "
          f"({args.warmup} warm-up runs discarded), a fresh browser context per run; "
          f"load average at the end {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs.\n")
    print(f"| view | cnpark | bare page (built each run) | cnpark / bare (target ≤ {TARGET}×) "
          f"| bare page, specs built once | cnpark / that (target ≤ {STRICT}×) | bare page, cnpark's charts "
          "| cnpark / that (the frame) |")
    print("|---|---|---|---|---|---|---|---|")
    for view, *_ in VIEWS:
        app, bare, once, own = (median(view, p, 1) for p, _, _ in PAGES)
        print(f"| {view} | {app:.2f} s | {bare:.2f} s | {app / bare:.2f}× {'✓' if app / bare <= TARGET else '✗'} "
              f"| {once:.2f} s | {app / once:.2f}× {'✓' if app / once <= STRICT else '✗'} | {own:.2f} s "
              f"| {app / own:.2f}× |")
    print("\nOf which until the script finished (`notRunning`), medians:\n")
    for view, *_ in VIEWS:
        print(f"- {view}: " + ", ".join(f"{p} {median(view, p, 0):.2f} s" for p, _, _ in PAGES))
    print("\nAll runs, drawn (s):\n")
    for (view, page), times in results.items():
        print(f"- {view}, {page}: " + ", ".join(f"{t[1]:.2f}" for t in times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
