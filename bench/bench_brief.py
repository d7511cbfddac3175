"""How long a leader waits for the 调度会 brief of a past month, against the floor of drawing its charts.

    .venv/bin/python bench/bench_brief.py [--runs 5] [--as-of 2024-06] [--before /tmp/before-brief]

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
--before DIR: that checkout's cold command and button timed in the same rounds (DIR/bench/bench_brief.py must be
this script: copy it into a scratch worktree; its button runs in a process of its own with cwd DIR).
Medians of --runs rounds, each timing every row in turn (spread = min–max); a Markdown table on stdout, under a line
with the CPUs and the load average before and after (the machine may be shared: compare ratios measured in one run).
The brief draws in two processes (cnpark/outputs/drawing.py); the floor is vl-convert in this one, as any caller
would use it.
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


def setup(tmp: str, as_of: str) -> tuple[dict, list[dict], Path]:
    """A store with the sample data in tmp; what is timed, by name; the page's gauge specs; where cold writes."""
    catalog = load_catalog()
    root = Path(tmp) / "store"
    store = Store(root)
    load_demo(store, catalog)
    out = Path(tmp) / "brief.pdf"

    def cold() -> None:
        subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(root), "brief", "--as-of", as_of,
                        "--out", str(out)], cwd=ROOT, check=True, capture_output=True, timeout=300)

    def warm() -> None:
        brief.pdf(brief.gather(Readings(store, catalog, as_of)))

    cached = gauge_specs(Readings(store, catalog, as_of).report.statuses, brief.PDF_GAUGE)   # the page's cache

    def button() -> None:
        brief.pdf(brief.gather(Readings(store, catalog, as_of)), cached)

    def images() -> None:
        brief.images_zip(brief.gather(Readings(store, catalog, as_of)), cached)

    def workbook() -> None:
        brief.status_xlsx(brief.gather(Readings(store, catalog, as_of)))

    specs = list(cached.values())

    def floor() -> None:
        for spec in specs:
            vlc.vegalite_to_pdf(spec)

    warm()                                    # first call pays vl-convert's start and font loading
    floor()
    return {"cold": cold, "button": button, "warm": warm, "floor": floor, "images": images, "workbook": workbook}, \
        specs, out


def worker(as_of: str) -> None:
    """--worker (run by --before in the other tree): time what stdin names, one name a line; the seconds on stdout."""
    with tempfile.TemporaryDirectory() as tmp:
        fns = setup(tmp, as_of)[0]
        print("ready", flush=True)
        for name in sys.stdin:
            start = time.perf_counter()
            fns[name.strip()]()
            print(time.perf_counter() - start, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--as-of", default="2024-06")
    parser.add_argument("--before", help="a checkout holding this same script: its cold command and its button timed "
                                         "in the same rounds (its button in a process of its own, cwd there)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.as_of)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        fns, specs, out = setup(tmp, args.as_of)
        names = ["cold", "button", "warm", "floor", "images", "workbook"]
        if args.before:
            other = subprocess.Popen([sys.executable, "bench/bench_brief.py", "--worker", "--as-of", args.as_of],
                                     cwd=args.before, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            assert other.stdout.readline().strip() == "ready"

            def ask(name: str):
                def run() -> None:
                    other.stdin.write(name + "\n")
                    other.stdin.flush()
                    float(other.stdout.readline())
                return run
            fns.update({"before cold": ask("cold"), "before button": ask("button")})
            names[2:2] = ["before cold", "before button"]
        t = dict(zip(names, timed([fns[n] for n in names], args.runs)))
        if args.before:
            other.stdin.close()
            other.wait()
        pages = out.read_bytes().count(b"/Type /Page\n") or out.read_bytes().count(b"/Type /Page ")
    load = " / ".join(f"{a:.2f}" for a in load_before), " / ".join(f"{a:.2f}" for a in os.getloadavg())
    print(f"brief as of {args.as_of}, sample data, {len(specs)} gauges, {args.runs} rounds; {os.cpu_count()} CPUs "
          f"(nproc {len(os.sched_getaffinity(0))}), load average (1/5/15 min) {load[0]} before, {load[1]} after\n")
    print("| what | median | spread | note |\n|---|---|---|---|")
    floor_m = statistics.median(t["floor"])

    def ratio(name: str) -> str:
        return f"{statistics.median(t[name]) / floor_m:.2f}× the floor"
    print(row("cold: `python -m cnpark brief` (fresh process)", t["cold"],
              f"target < 10 s; {pages} A4 pages; **{ratio('cold')}** (target ≤ 1.5×)"))
    print(row("the page's button (the page's cached gauge specs)", t["button"], f"**{ratio('button')}** (target ≤ 1.5×)"))
    if args.before:
        for name in ("cold", "button"):
            print(row(f"before ({args.before}): {name}", t[f"before {name}"],
                      f"{ratio(f'before {name}')}; after / before "
                      f"{statistics.median(t[name]) / statistics.median(t[f'before {name}']):.2f}×"))
    print(row("warm, specs built here", t["warm"], ratio("warm")))
    print(row("floor: vl-convert, 29 gauges → 29 PDFs", t["floor"], "charts only, in one process"))
    print(row("the page's ZIP button (slides and gauge PNGs)", t["images"], ratio("images")))
    print(row("the page's Excel button", t["workbook"], "status reading and workbook"))


if __name__ == "__main__":
    main()
