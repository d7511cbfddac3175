"""How long a leader waits for the 调度会 brief of a past month, against the floor of drawing its charts.

    .venv/bin/python bench/bench_brief.py [--runs 5] [--as-of 2024-06]

On a store loaded with the sample data (temp directory):
1. cold: `python -m cnpark brief --as-of … --out x.pdf` in a fresh process (imports, status, 督办 history, every gauge
   built and drawn, PDF) — what the command line costs.
2. the page's button: in a running process, the brief of the month the page shows, reusing the gauge specs the page
   has cached (ui.cache.gauge_spec_set at GAUGE_SIZE: what `briefs._files` passes) — what a leader waits for on the 督办 page.
3. warm, specs built here: the same without the page's specs (a month no page has drawn yet).
4. floor: vl-convert alone turning the same 29 gauge specs into 29 one-page PDFs (no text, tables or layout):
   what any brief with these charts pays at least. Ratio = time / floor (target for the page's button ≤ 1.5×).
5. the page's other two buttons, with the same cached specs: the ZIP (slides and 29 gauge PNGs, each gauge drawn
   once) and the Excel workbook.
Medians of --runs rounds, each timing every row in turn (spread = min–max); a Markdown table on stdout, under a line with the CPUs and the load
average before and after (the machine may be shared: compare ratios measured in one run). The brief draws in two
processes (cnpark/outputs/drawing.py); the floor is vl-convert in this one, as any caller would use it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import vl_convert as vlc  # noqa: E402

from cnpark.outputs import brief  # noqa: E402
from cnpark.outputs.charts import gauge_specs  # noqa: E402
from cnpark.plan.catalog import load_catalog  # noqa: E402
from cnpark.service.readings import Readings  # noqa: E402
from cnpark.service.uploads import load_demo  # noqa: E402
from cnpark.store.snapshots import Store  # noqa: E402


def timed(fns: list, runs: int) -> list[list[float]]:
    """Each function's times, the functions taking turns in every round: a shared machine's load, which comes and
    goes, weighs on all of them alike, and their ratios hold."""
    out: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, times in zip(fns, out):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return out


def row(name: str, times: list[float], note: str = "") -> str:
    return f"| {name} | {statistics.median(times):.2f} s | {min(times):.2f}–{max(times):.2f} s | {note} |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--as-of", default="2024-06")
    args = parser.parse_args()
    load_before = os.getloadavg()
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "store"
        store = Store(root)
        load_demo(store, catalog)
        out = Path(tmp) / "brief.pdf"

        def cold() -> None:
            subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(root), "brief", "--as-of", args.as_of,
                            "--out", str(out)], cwd=ROOT, check=True, capture_output=True, timeout=120)

        def warm() -> None:
            brief.pdf(brief.gather(Readings(store, catalog, args.as_of)))

        cached = gauge_specs(Readings(store, catalog, args.as_of).report.statuses, brief.PDF_GAUGE)   # the page's cache

        def button() -> None:
            brief.pdf(brief.gather(Readings(store, catalog, args.as_of)), cached)

        def images() -> None:
            brief.images_zip(brief.gather(Readings(store, catalog, args.as_of)), cached)

        def workbook() -> None:
            brief.status_xlsx(brief.gather(Readings(store, catalog, args.as_of)))

        specs = list(cached.values())

        def floor() -> None:
            for spec in specs:
                vlc.vegalite_to_pdf(spec)

        warm()                                    # first call pays vl-convert's start and font loading
        floor()
        cold_t, button_t, warm_t, floor_t, images_t, workbook_t = timed([cold, button, warm, floor, images, workbook],
                                                                          args.runs)
        pages = out.read_bytes().count(b"/Type /Page\n") or out.read_bytes().count(b"/Type /Page ")
    load = " / ".join(f"{a:.2f}" for a in load_before), " / ".join(f"{a:.2f}" for a in os.getloadavg())
    print(f"brief as of {args.as_of}, sample data, {len(specs)} gauges, {args.runs} runs each; {os.cpu_count()} CPUs "
          f"(nproc {len(os.sched_getaffinity(0))}), load average (1/5/15 min) {load[0]} before, {load[1]} after\n")
    print("| what | median | spread | note |\n|---|---|---|---|")
    floor_m = statistics.median(floor_t)
    print(row("cold: `python -m cnpark brief` (fresh process)", cold_t,
              f"target < 10 s; {pages} A4 pages; {statistics.median(cold_t) / floor_m:.2f}× the floor"))
    print(row("the page's button (the page's cached gauge specs)", button_t,
              f"{statistics.median(button_t) / floor_m:.2f}× the floor (target ≤ 1.5×)"))
    print(row("warm, specs built here", warm_t, f"{statistics.median(warm_t) / floor_m:.2f}× the floor"))
    print(row("floor: vl-convert, 29 gauges → 29 PDFs", floor_t, "charts only"))
    print(row("the page's ZIP button (slides and gauge PNGs)", images_t, f"{statistics.median(images_t) / floor_m:.2f}× the floor"))
    print(row("the page's Excel button", workbook_t, "status reading and workbook"))


if __name__ == "__main__":
    main()
