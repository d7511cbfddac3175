"""The read model's refactor, before and after in one run: compute_status calls of a cold 督办 page, its cold script
time, and the warm script time of every page, each code version in a process of its own.

    .venv/bin/python bench/bench_readmodel.py --before /work/wt-base --after . [--runs 5] [--rounds 4]

For each tree (a checkout of cnpark): a temp store loaded with the sample by that tree's own CLI
(`python -m cnpark --data-dir D demo`, cwd=tree), then this script again with the hidden --measure flag in a fresh
process with cwd=tree, sys.path[0]=tree and CNPARK_DATA_DIR=D, so the two versions never mix. It relies on nothing but
the CLI, the page scripts' paths (app.py, pages/*.py) and compute_status being in cnpark.rules.status or cnpark.status.
Under streamlit.testing's AppTest (entrypoint app.py, switch_page to the page, the default month):
- 督办, cold: every Streamlit cache cleared before each run; calls of compute_status counted through a wrapper put
  in every module that holds it by name, under any name (after importing cnpark.ui and every module under cnpark;
  any other reference left to the original, through which calls would escape the count, is reported); the session's
  first run is not timed, then --runs timed runs, each after clearing the caches;
- every page, warm: one run to warm, then --runs reruns of the same session timed.
The warmer thread (cnpark/ui/warm.py) is kept out: its start() is replaced by a no-op (AppTest's stand-in runtime
already stops it; there is no setting to turn it off). --rounds N (default 4): N processes per tree, in the order
A B, B A, … (the machine drifts: a fixed order favours one side), their runs pooled. Medians, min–max and
after / before (target ≤ 1.1× warm) of the wall-clock times as Markdown on stdout, with the ratio of CPU times beside
them (the process's CPU time, every thread: less sensitive to other jobs on a shared machine) and the rounds in order.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 1.1
SUPERVISION = "pages/supervision.py"


# ------------------------------------------------------------------------------------------- in the tree's process

def _import_everything() -> list[str]:
    """Import cnpark.ui and every module under cnpark (not __main__, which would run the CLI); the failures."""
    import importlib
    import pkgutil

    import cnpark
    errors: list[str] = []
    importlib.import_module("cnpark.ui")
    for info in pkgutil.walk_packages(cnpark.__path__, "cnpark.", onerror=lambda name: errors.append(name)):
        if info.name.rsplit(".", 1)[-1] == "__main__":
            continue
        try:
            importlib.import_module(info.name)
        except Exception as e:     # reported, not fatal: a module no page imports cannot change the figures
            errors.append(f"{info.name}: {type(e).__name__}: {e}")
    return errors


def _replace_everywhere(original, replacement) -> list[str]:
    """Put replacement wherever a loaded module holds original, under any name; those places as module.name."""
    done = []
    for module_name, module in list(sys.modules.items()):
        try:
            names = [name for name, value in vars(module).items() if value is original]
        except TypeError:          # vars() of an odd stand-in in sys.modules
            continue
        for name in names:
            setattr(module, name, replacement)
            done.append(f"{module_name}.{name}")
    return sorted(done)


def _escaped(original, wrapper) -> list[str]:
    """What still refers to the original compute_status once every module holds the wrapper (a partial, a registry,
    a default argument, a cached function built at import): calls through these would not be counted."""
    import gc
    import types

    own = {id(wrapper.__dict__), *(id(c) for c in wrapper.__closure__ or ())}
    return [type(r).__name__ for r in gc.get_referrers(original)
            if id(r) not in own and not isinstance(r, types.FrameType)]


def measure(tree: Path, runs: int, out: Path) -> None:
    import functools
    import gc
    import importlib
    import threading

    sys.path[0] = str(tree)         # this tree's cnpark, not the checkout the script lives in
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    import_errors = _import_everything()
    import cnpark
    assert Path(cnpark.__file__).resolve().is_relative_to(tree), (cnpark.__file__, tree)

    # the warmer: a no-op start() wherever it is held (AppTest's MagicMock runtime already keeps it from starting)
    warm_patched = []
    for name, module in list(sys.modules.items()):
        if name.startswith("cnpark.") and "warm" in name.rsplit(".", 1)[-1] and callable(getattr(module, "start", None)):
            warm_patched += _replace_everywhere(module.start, lambda *a, **k: None)

    # compute_status, counted wherever a module holds it (by name, or under another)
    for home in ("cnpark.rules.status", "cnpark.status"):
        try:
            original = importlib.import_module(home).compute_status
            break
        except (ImportError, AttributeError):
            continue
    else:
        raise SystemExit(f"no compute_status in cnpark.rules.status or cnpark.status of {tree}")
    lock, calls = threading.Lock(), [0]

    @functools.wraps(original)
    def counted(*args, **kwargs):
        with lock:
            calls[0] += 1
        return original(*args, **kwargs)
    wrapped = _replace_everywhere(original, counted)
    escaped = _escaped(original, counted)

    # what compute_status stands for, however the code reaches it: whole-plan judgments (compute_status, or the read
    # model's Judge.month over every target) and single goal judgments (status._judge_goal before, Judge._at after)
    status_module = importlib.import_module(original.__module__)
    plans_judged, goals_judged = [0], [0]

    def tally(box, fn, only_whole=False):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            if not only_whole or (len(args) < 3 and kwargs.get("codes") is None):
                with lock:
                    box[0] += 1
            return fn(*args, **kwargs)
        return wrapper
    judge = getattr(status_module, "Judge", None)
    if judge is not None:
        judge.month = tally(plans_judged, judge.month, only_whole=True)
        judge._at = tally(goals_judged, judge._at)
    elif callable(getattr(status_module, "_judge_goal", None)):     # else no single goal count (0, shown as —)
        status_module._judge_goal = tally(goals_judged, status_module._judge_goal)

    def session(page: str) -> AppTest:
        at = AppTest.from_file(str(tree / "app.py"), default_timeout=600)     # the entrypoint, as `streamlit run`
        if page != "app.py":
            at.switch_page(page)
        return at

    def run(at: AppTest, page: str) -> tuple[float, float]:
        """(wall, CPU) seconds of one run; CPU is the process's, every thread (the script runs in AppTest's). A full
        collection first, untimed: garbage of earlier runs would otherwise be collected inside whichever run crosses
        the threshold (the app's config turns Streamlit's own after-run collection off)."""
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        at.run()
        took = time.perf_counter() - start, time.process_time() - cpu
        if at.exception:
            raise SystemExit(f"{page} failed in {tree}: {[e.value for e in at.exception]}")
        return took

    def clear() -> None:
        st.cache_data.clear()
        st.cache_resource.clear()

    # 督办, cold
    at = session(SUPERVISION)
    clear()
    calls[0] = 0
    run(at, SUPERVISION)
    cold_calls, cold, title = [calls[0]], [], [t.value for t in at.title]
    plans_judged[0] = goals_judged[0] = 0
    assert any("督办" in t for t in title), title
    plan_counts, goal_counts = [], []
    for _ in range(runs):
        clear()
        calls[0] = plans_judged[0] = goals_judged[0] = 0
        cold.append(run(at, SUPERVISION))
        cold_calls.append(calls[0])
        # before, every compute_status is one whole-plan judgment; after, Judge.month over every target is
        plan_counts.append(plans_judged[0] + (calls[0] if judge is None else 0))
        goal_counts.append(goals_judged[0])

    # every page, warm
    pages = ["app.py", *sorted(str(p.relative_to(tree)) for p in (tree / "pages").glob("*.py"))]
    warm: dict[str, dict] = {}
    for page in pages:
        at = session(page)
        run(at, page)
        calls[0] = 0
        timed = [run(at, page) for _ in range(runs)]
        warm[page] = {"times": [t[0] for t in timed], "cpu": [t[1] for t in timed], "calls": calls[0]}

    warm_threads = [t.name for t in threading.enumerate() if "warm" in t.name]
    out.write_text(json.dumps({
        "tree": str(tree), "cnpark": cnpark.__file__, "compute_status": f"{original.__module__}.{original.__qualname__}",
        "wrapped_in": wrapped, "escaped_references": escaped, "import_errors": import_errors,
        "warm_start_patched_in": sorted(set(warm_patched)), "warm_threads": warm_threads,
        "supervision_title": title, "cold_calls": cold_calls, "cold_plan_judgments": plan_counts,
        "cold_goal_judgments": goal_counts,
        "cold_times": [t[0] for t in cold], "cold_cpu": [t[1] for t in cold], "warm": warm,
    }, ensure_ascii=False, indent=1))


# ------------------------------------------------------------------------------------------- the driver

def describe(tree: Path) -> str:
    """The tree's commit, and whether its working files differ from it."""
    head = subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(tree), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True)
    commit = head.stdout.strip() or "not a git checkout"
    return commit + (" + uncommitted changes" if dirty.stdout.strip() else "")


def load_store(tree: Path, store: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(store), "demo"], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=600)
    if done.returncode:
        raise SystemExit(f"demo load failed in {tree}:\n{done.stdout}\n{done.stderr}")


def measure_in(tree: Path, store: Path, runs: int, work: Path) -> dict:
    out, log = work / f"{tree.name}-{time.monotonic_ns()}.json", work / "measure.log"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"CNPARK_DATA_DIR": str(store)}
    with open(log, "w") as err:
        done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--measure", str(tree), "--out", str(out),
                               "--runs", str(runs)], cwd=tree, env=env, stdout=err, stderr=subprocess.STDOUT,
                              timeout=3600)
    if done.returncode:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        raise SystemExit(f"measuring {tree} failed ({done.returncode}):\n{tail}")
    return json.loads(out.read_text())


def pooled(results: list[dict]) -> dict:
    """One tree's rounds as one: their runs together."""
    def every(key: str, page: str | None = None) -> list:
        return [x for r in results for x in (r[key] if page is None else r["warm"][page][key])]
    return {**results[0], "cold_calls": every("cold_calls"), "cold_plan_judgments": every("cold_plan_judgments"),
            "cold_goal_judgments": every("cold_goal_judgments"), "cold_times": every("cold_times"),
            "cold_cpu": every("cold_cpu"),
            "warm": {page: {"times": every("times", page), "cpu": every("cpu", page),
                            "calls": max(r["warm"][page]["calls"] for r in results)} for page in results[0]["warm"]}}


def spread(times: list[float]) -> str:
    return f"{statistics.median(times):.3f} s ({min(times):.3f}–{max(times):.3f})"


def calls_text(counts: list[int]) -> str:
    return str(counts[0]) if len(set(counts)) == 1 else f"{statistics.median(counts):g} (varies: {counts})"


def round_line(k: int, label: str, r: dict, load: float) -> str:
    warm = sum(statistics.median(w["times"]) for w in r["warm"].values())
    return (f"round {k + 1}, {label}: cold 督办 {statistics.median(r['cold_times']):.3f} s, warm pages' medians summed "
            f"{warm:.3f} s, load {load:.2f}")


def report(before: dict, after: dict, labels: tuple[str, str], args: argparse.Namespace, rounds: list[str],
           load: float) -> None:
    med = statistics.median
    command = " ".join([".venv/bin/python bench/bench_readmodel.py", *sys.argv[1:]])
    print(f"`{command}` — {args.runs} runs × {args.rounds} round(s) per tree, each round a fresh AppTest process per "
          f"tree (A B, B A, …); load average {load:.2f} at the start, {os.getloadavg()[0]:.2f} at the end, "
          f"on {os.cpu_count()} CPUs. Wall-clock script times; the CPU-time ratio (the process's CPU, less "
          "sensitive to other jobs on the machine) beside them.\n")
    print(f"- before: {before['tree']} ({labels[0]}), compute_status = {before['compute_status']}")
    print(f"- after: {after['tree']} ({labels[1]}), compute_status = {after['compute_status']}\n")
    print("**督办清单, cold** (every Streamlit cache cleared before each run; the default month)\n")
    print("| | before | after | after / before | CPU time, after / before |\n|---|---|---|---|---|")
    b_calls, a_calls = before["cold_calls"], after["cold_calls"]
    print(f"| compute_status calls | {calls_text(b_calls)} | {calls_text(a_calls)} "
          f"| {f'{med(a_calls) / med(b_calls):.2f}×' if med(b_calls) else '—'} | |")
    for key, what in (("cold_plan_judgments", "whole-plan judgments (every target as of a month)"),
                      ("cold_goal_judgments", "single goal judgments")):
        b, a = before[key], after[key]
        ratio = f"{med(a) / med(b):.3f}×" if med(b) else "—"
        print(f"| {what} | {calls_text(b)} | {calls_text(a)} | {ratio} | |")
    print(f"| script time | {spread(before['cold_times'])} | {spread(after['cold_times'])} "
          f"| {med(after['cold_times']) / med(before['cold_times']):.2f}× "
          f"| {med(after['cold_cpu']) / med(before['cold_cpu']):.2f}× |\n")
    print(f"**Every page, warm** (reruns of one AppTest session after one warming run; median (min–max) of "
          f"{args.runs * args.rounds})\n")
    print(f"| page | before | after | after / before (target ≤ {TARGET}×) | CPU time, after / before |\n"
          "|---|---|---|---|---|")
    for page in sorted(set(before["warm"]) | set(after["warm"]), key=lambda p: (p != "app.py", p)):
        bw, aw = before["warm"].get(page), after["warm"].get(page)
        if bw is None or aw is None:
            print(f"| {page} | {spread(bw['times']) if bw else '—'} | {spread(aw['times']) if aw else '—'} | — | — |")
            continue
        ratio = med(aw["times"]) / med(bw["times"])
        print(f"| {page} | {spread(bw['times'])} | {spread(aw['times'])} | {ratio:.2f}× {'✓' if ratio <= TARGET else '✗'} "
              f"| {med(aw['cpu']) / med(bw['cpu']):.2f}× |")
    both = set(before["warm"]) & set(after["warm"])
    total = {key: [sum(med(r["warm"][p][key]) for p in both) for r in (before, after)] for key in ("times", "cpu")}
    ratio = total["times"][1] / total["times"][0]
    print(f"| all {len(both)} pages (sum of the medians) | {total['times'][0]:.3f} s | {total['times'][1]:.3f} s "
          f"| {ratio:.2f}× {'✓' if ratio <= TARGET else '✗'} | {total['cpu'][1] / total['cpu'][0]:.2f}× |")
    print()
    for label, r in (("before", before), ("after", after)):
        warm_calls = {p: w["calls"] for p, w in r["warm"].items() if w["calls"]}
        notes = [f"compute_status wrapped in {', '.join(r['wrapped_in'])}",
                 f"warmer's start() made a no-op in {', '.join(r['warm_start_patched_in']) or 'no module (none found)'}",
                 f"compute_status calls during warm reruns: {warm_calls or 'none'}"]
        if r["escaped_references"]:
            notes.append(f"references to compute_status not wrapped (their calls are not counted): "
                         f"{r['escaped_references']}")
        if r["warm_threads"]:
            notes.append(f"warm-up threads alive: {r['warm_threads']}")
        if r["import_errors"]:
            notes.append(f"modules that failed to import: {r['import_errors']}")
        print(f"- {label}: " + "; ".join(notes) + ".")
    print("\nThe rounds, in order:\n\n" + "\n".join(f"- {line}" for line in rounds))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path)
    parser.add_argument("--after", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=4, help="processes per tree, in the order A B, B A, …")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure.resolve(), args.runs, args.out)
        return 0
    if args.before is None or args.after is None:
        parser.error("--before and --after are required")
    trees = (args.before.resolve(), args.after.resolve())
    for tree in trees:
        if not (tree / "app.py").is_file() or not (tree / "cnpark").is_dir():
            parser.error(f"{tree} is not a cnpark checkout (no app.py or cnpark/)")
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="cnpark-readmodel-") as tmp:
        work = Path(tmp)
        stores = []
        for i, tree in enumerate(trees):
            stores.append(work / f"store-{i}")
            load_store(tree, stores[-1])
        results: list[list[dict]] = [[], []]
        rounds: list[str] = []
        for k in range(args.rounds):
            for i in ((0, 1) if k % 2 == 0 else (1, 0)):
                results[i].append(measure_in(trees[i], stores[i], args.runs, work))
                rounds.append(round_line(k, ("before", "after")[i], results[i][-1], os.getloadavg()[0]))
                print(rounds[-1], file=sys.stderr, flush=True)
    report(pooled(results[0]), pooled(results[1]), tuple(describe(t) for t in trees), args, rounds, load)
    return 0


if __name__ == "__main__":
    sys.exit(main())
