"""The overview's script time against a bare Streamlit script drawing the same number of static Altair gauges.

    .venv/bin/python bench/bench_script.py [--runs 5]

Both run under streamlit.testing's AppTest in this process (no browser, no server: the script and Streamlit's
element building only). The app reads a temp store loaded with the sample; the baseline is bench/bare_page.py
(29 layered gauges like cnpark's, no cnpark code), in both its forms: specs built on every run, and specs built once
(`?specs=once`, as the app draws its cached specs).
- warm: the same session runs the script again (the app's caches filled, as for every viewer after the first);
- cold: every Streamlit cache cleared before the run (the first viewer after a restart or an upload).
Medians and spread of --runs runs; ratio = overview / bare page (target ≤ 1.3× warm). Markdown on stdout.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from cnpark.plan.catalog import load_catalog  # noqa: E402
from cnpark.service.uploads import load_demo  # noqa: E402
from cnpark.store.snapshots import Store  # noqa: E402

N_GAUGES = 29


def timed_runs(make, runs: int, cold: bool) -> list[float]:
    at = make()
    at.run()                                      # the session's first run is not counted
    out = []
    for _ in range(runs):
        if cold:
            st.cache_data.clear()
            st.cache_resource.clear()
        start = time.perf_counter()
        at.run()
        out.append(time.perf_counter() - start)
        assert not at.exception, [e.value for e in at.exception]
        assert len(at.get("vega_lite_chart")) == N_GAUGES, len(at.get("vega_lite_chart"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CNPARK_DATA_DIR"] = tmp
        load_demo(Store(tmp), load_catalog())

        def overview() -> AppTest:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            at.query_params["as_of"] = "2024-06"
            return at

        def bare(once: bool):
            def make() -> AppTest:
                at = AppTest.from_file(str(ROOT / "bench" / "bare_page.py"), default_timeout=120)
                if once:
                    at.query_params["specs"] = "once"
                return at
            return make

        rows = []
        for label, cold in (("warm", False), ("cold", True)):
            app = timed_runs(overview, args.runs, cold)
            floor = timed_runs(bare(False), args.runs, cold)
            once = timed_runs(bare(True), args.runs, cold)
            rows.append((label, app, floor, once))
    med = statistics.median
    print(f"overview script (AppTest), {N_GAUGES} gauges, {args.runs} runs each, load {os.getloadavg()[0]:.1f}\n")
    print("| cache | overview | bare page, built each run | overview / bare (target ≤ 1.3× warm) "
          "| bare page, specs once | overview / that |\n|---|---|---|---|---|---|")
    for label, app, floor, once in rows:
        print(f"| {label} | {med(app):.3f} s ({min(app):.3f}–{max(app):.3f}) | {med(floor):.3f} s "
              f"| {med(app) / med(floor):.2f}× | {med(once):.3f} s | {med(app) / med(once):.2f}× |")


if __name__ == "__main__":
    main()
