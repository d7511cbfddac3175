"""A room of viewers: N sessions open the overview at once; time until all gauges are drawn, errors, server memory.

    .venv/bin/python bench/load_viewers.py --viewers 1 10 30 [--runs 3] [--client browser ws] [--cold]
                                           [--option runner.postScriptGC=false] [--timeout 60] [--time-cap 1200]

For every client kind, N and run, a fresh `streamlit run app.py` on a free 127.0.0.1 port (loopback only) over a
temp store loaded with the sample (`python -m cnpark demo`); one viewer alone warms it up (not counted), then N
viewers start at the same moment on /?as_of=2024-06 (--cold: no warm-up, as right after a restart or an upload;
--option: a `streamlit run` option for the server, to try a setting). Two kinds of viewer:

- browser: a fresh context (no cache, no cookies) each in one headless Debian chromium (the browser tests' launch
  arguments; CHROMIUM overrides the path). Timed from page.goto to "all gauges drawn" (the browser tests' rule:
  script state notRunning, exactly 29 Vega charts, each painted). An error is a viewer that timed out, an
  stException element on its page, or a console error other than the known 404s of the frontend's probes.
- ws: Streamlit's own protocol without a browser: a websocket to /_stcore/stream, one BackMsg rerun_script with
  the query string, ForwardMsgs read until script_finished. Timed from connect to script_finished with 29 Vega
  chart elements received; an error is a timeout, a closed socket, an exception element or another chart count.
  This is the server's capacity alone: on a 2-core machine the browsers compete with the server for the CPUs.

Per round: p50/p95/max over the N viewers (nearest rank: p95 of 10 is the slowest), errors, the server's peak
memory (VmHWM of the streamlit process and any children, from /proc), and the CPU each side used during the N
viewers as a share of the machine's CPUs (client = this process, the Playwright driver and chromium). With
--runs K the table shows the median of each figure over the runs and the errors of all runs. Every viewer has a
time limit, and the whole script a time cap: rounds that would not fit are skipped and reported.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser.conftest import (  # noqa: E402
    RENDERED_JS,
    VIEWPORT,
    Server,
    chromium_path,
    launch_chromium,
    load_demo_store,
    start_server,
    watch_console,
)

N_GAUGES = 29                 # one per goal of the plan on the sample data (as tests/browser/test_dashboard.py)
QUERY = "as_of=2024-06"
CLIENTS = ("browser", "ws")
CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass
class Visit:
    seconds: float | None            # until all gauges drawn (ws: delivered); None when the viewer did not get there
    errors: list[str] = field(default_factory=list)


@dataclass
class Round:
    """N viewers at once against one server."""
    client: str
    viewers: int
    visits: list[Visit]
    wall: float                      # seconds from the first start to the last viewer done
    peak_rss_mb: float               # the server's VmHWM (with children) after the round, warm-up included
    warm_rss_mb: float               # its VmRSS before the N viewers (after the warm-up viewer, if any)
    server_cpu: float                # CPU seconds used during the N viewers
    client_cpu: float
    other_cpu: float                 # by the rest of the machine

    @property
    def times(self) -> list[float]:
        return sorted(v.seconds for v in self.visits if v.seconds is not None)

    @property
    def errors(self) -> list[str]:
        return [e for v in self.visits for e in v.errors]

    @property
    def drawn(self) -> int:
        return len(self.times)

    def percentile(self, p: float) -> float:
        """Nearest rank over all viewers; a viewer that never got there counts as infinitely slow."""
        times = self.times + [math.inf] * (self.viewers - self.drawn)
        return times[max(0, math.ceil(p / 100 * len(times)) - 1)]

    def cpu_share(self, cpu_seconds: float) -> float:
        """CPU used as a share of the whole machine during the round (1.0 = every CPU busy)."""
        return max(cpu_seconds, 0) / (self.wall * (os.cpu_count() or 1)) if self.wall > 0 else 0.0


# ------------------------------------------------------------------------------------------------ /proc

def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(p) for p in task.read_text().split()]
        except OSError:
            pass
    return found


def descendants(pid: int) -> list[int]:
    """pid and every live process below it."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += _children(p)
    return found


def status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory_mb(pid: int, key: str = "VmHWM") -> float:
    """VmHWM (peak) or VmRSS of a process and its live children, in MB."""
    return sum(status_kb(p, key) for p in descendants(pid)) / 1024


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15])          # utime, stime, and of reaped children (closed tabs)
    return total / CLK_TCK


def machine_cpu_seconds() -> float:
    """Busy CPU seconds of the whole machine since boot (all but idle and iowait)."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / CLK_TCK


class CpuMeter:
    """CPU seconds of the server (its process tree), the client (this process and everything else it started) and
    everything else on the machine (other users of the CPUs skew the figures: the table shows how much)."""

    def __init__(self, server: Server):
        self.server = server

    def read(self) -> tuple[float, float, float]:
        server = descendants(self.server.process.pid)
        mine = [p for p in descendants(os.getpid()) if p not in server]
        s, c = cpu_seconds(server), cpu_seconds(mine)
        return s, c, machine_cpu_seconds() - s - c    # coarse: the kernel counts these apart, in 10 ms ticks


# ------------------------------------------------------------------------------------------------ viewers

async def browser_visit(page, url: str, timeout: float) -> Visit:
    start = time.perf_counter()
    try:
        await page.goto(url, wait_until="commit", timeout=timeout * 1000)
        left = timeout - (time.perf_counter() - start)
        await page.wait_for_function(RENDERED_JS, arg=N_GAUGES, polling=100, timeout=max(left, 0.001) * 1000)
    except Exception as error:          # Playwright's TimeoutError, or a navigation that failed
        return Visit(None, [f"not drawn within {timeout:g} s: {type(error).__name__}: {str(error).splitlines()[0]}"])
    seconds = time.perf_counter() - start
    exceptions = await page.get_by_test_id("stException").count()
    return Visit(seconds, [f"{exceptions} stException on the page"] if exceptions else [])


async def browser_round(browser, url: str, viewers: int, timeout: float, done=None) -> list[Visit]:
    """viewers fresh contexts, their pages opened first, then all navigations started together; done() is called
    when every viewer has finished, before the contexts close."""
    contexts = await asyncio.gather(*(browser.new_context(viewport=VIEWPORT, locale="zh-CN") for _ in range(viewers)))
    try:
        pages = await asyncio.gather(*(c.new_page() for c in contexts))
        consoles = [watch_console(p) for p in pages]
        visits = await asyncio.gather(*(browser_visit(p, url, timeout) for p in pages))
        if done:
            done()
        for visit, console in zip(visits, consoles):     # read at the end: a late console error counts too
            visit.errors += console
        return visits
    finally:
        await asyncio.gather(*(c.close() for c in contexts), return_exceptions=True)


async def ws_visit(url: str, timeout: float) -> Visit:
    """One session over Streamlit's websocket protocol, as the frontend opens it: connect, ask for a run."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    parts = urlsplit(url)
    stream = f"ws://{parts.netloc}{parts.path}_stcore/stream"
    start = time.perf_counter()
    charts, exceptions = 0, 0
    try:
        async with asyncio.timeout(timeout):
            async with websockets.connect(stream, subprotocols=["streamlit"], max_size=None) as socket:
                ask = BackMsg()
                ask.rerun_script.query_string = parts.query
                await socket.send(ask.SerializeToString())
                async for data in socket:
                    message = ForwardMsg()
                    message.ParseFromString(data)
                    kind = message.WhichOneof("type")
                    if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                        element = message.delta.new_element.WhichOneof("type")
                        charts += element == "vega_lite_chart"
                        exceptions += element == "exception"
                    elif kind == "script_finished":
                        if message.script_finished in (ForwardMsg.FINISHED_SUCCESSFULLY,
                                                       ForwardMsg.FINISHED_WITH_COMPILE_ERROR):
                            break
                        charts = exceptions = 0       # finished early for a rerun: the next run redraws
                else:
                    return Visit(None, ["the server closed the websocket before the script finished"])
    except TimeoutError:
        return Visit(None, [f"script not finished within {timeout:g} s"])
    except OSError as error:
        return Visit(None, [f"websocket: {error}"])
    seconds = time.perf_counter() - start
    errors = [f"{exceptions} exception elements"] if exceptions else []
    if charts != N_GAUGES:
        errors.append(f"{charts} charts, not {N_GAUGES}")
    return Visit(seconds if not errors else None, errors)


async def _round(server: Server, client: str, viewers: int, timeout: float, warm: bool) -> Round:
    url = f"{server.url}?{QUERY}"
    assert urlsplit(url).hostname == "127.0.0.1", url         # loopback only
    meter = CpuMeter(server)
    if client == "ws":
        async def run(n: int, done=None) -> list[Visit]:
            visits = list(await asyncio.gather(*(ws_visit(url, timeout) for _ in range(n))))
            if done:
                done()
            return visits
        return await _measure(server, meter, client, viewers, run, warm)

    from playwright.async_api import async_playwright
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright)
        try:
            async def run(n: int, done=None) -> list[Visit]:
                return await browser_round(browser, url, n, timeout, done)
            return await _measure(server, meter, client, viewers, run, warm)
        finally:
            await browser.close()


async def _measure(server, meter, client, viewers, run, warm: bool) -> Round:
    if warm:
        first = await run(1)
        if first[0].errors:
            raise RuntimeError(f"the warm-up viewer failed: {first[0].errors}\n{server.log_tail()}")
    warm_rss = memory_mb(server.process.pid, "VmRSS")
    before = meter.read()
    after: list = []

    def done() -> None:
        after.extend([time.perf_counter() - start, *meter.read()])
    start = time.perf_counter()
    visits = await run(viewers, done)
    wall, *cpu = after
    return Round(client, viewers, visits, wall, memory_mb(server.process.pid), warm_rss,
                 *(a - b for a, b in zip(cpu, before)))


def load_round(server: Server, client: str, viewers: int, timeout: float = 60, warm: bool = True) -> Round:
    """One round against a running server: a warm-up viewer alone (unless not warm), then `viewers` at once.

    Runs in a thread with its own event loop, so it can be called from inside Playwright's sync API (pytest)."""
    result: list = []

    def work() -> None:
        try:
            result.append(asyncio.run(_round(server, client, viewers, timeout, warm)))
        except BaseException as error:      # handed to the caller's thread
            result.append(error)
    thread = threading.Thread(target=work, name=f"load-{client}-{viewers}")
    thread.start()
    thread.join()
    if isinstance(result[0], BaseException):
        raise result[0]
    return result[0]


# ------------------------------------------------------------------------------------------------ main

def median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def seconds_text(x: float) -> str:
    return "—" if math.isinf(x) or math.isnan(x) else f"{x:.2f}"


def round_line(run: int, r: Round) -> str:
    """One round in a line (to stderr while the script runs), with its distinct errors below."""
    share = {k: f"{r.cpu_share(v):.0%}" for k, v in (("server", r.server_cpu), ("client", r.client_cpu),
                                                      ("other", r.other_cpu))}
    line = (f"run {run} {r.client:7} N={r.viewers:2}: p50 {seconds_text(r.percentile(50))} "
            f"p95 {seconds_text(r.percentile(95))} max {seconds_text(r.percentile(100))} s, {len(r.errors)} errors, "
            f"drawn {r.drawn}/{r.viewers}, server peak {r.peak_rss_mb:.0f} MB (before the N {r.warm_rss_mb:.0f}), "
            f"CPU of {os.cpu_count()}: server {share['server']} client {share['client']} other {share['other']}, "
            f"wall {r.wall:.1f} s")
    return "\n".join([line] + [f"    error: {e}" for e in sorted(set(r.errors))[:5]])


def table(rounds: dict[tuple[str, int], list[Round]]) -> list[str]:
    """The Markdown table: medians over the runs, errors of all runs."""
    lines = ["| client | N | p50 s | p95 s | max s | errors (all runs) | server peak RSS MB | server CPU | client CPU "
             "| other CPU |", "|---|---|---|---|---|---|---|---|---|---|"]
    for (client, n), rs in rounds.items():
        times = [seconds_text(median([r.percentile(p) for r in rs])) for p in (50, 95, 100)]
        cpu = [f"{median([r.cpu_share(getattr(r, k)) for r in rs]):.0%}"
               for k in ("server_cpu", "client_cpu", "other_cpu")]
        lines.append(f"| {client} | {n} | {' | '.join(times)} | {sum(len(r.errors) for r in rs)} "
                     f"| {median([r.peak_rss_mb for r in rs]):.0f} | {' | '.join(cpu)} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--client", nargs="+", choices=CLIENTS, default=list(CLIENTS))
    parser.add_argument("--timeout", type=float, default=60, help="seconds a viewer may take (default 60)")
    parser.add_argument("--cold", action="store_true",
                        help="no warm-up viewer: the N are the first on the server (as right after an upload)")
    parser.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                        help="a `streamlit run` option for the server, e.g. runner.postScriptGC=false (repeatable)")
    parser.add_argument("--time-cap", type=float, default=1200, help="seconds for the whole script (default 1200)")
    args = parser.parse_args()
    if max(args.viewers) > 60 or min(args.viewers) < 1:
        parser.error("--viewers: between 1 and 60 at once")
    if any("=" not in o for o in args.option):
        parser.error("--option: NAME=VALUE")
    options = [x for o in args.option for x in ("--" + o.split("=", 1)[0], o.split("=", 1)[1])]
    if "browser" in args.client and chromium_path() is None:
        print("no chromium: install Debian's chromium (or set CHROMIUM), or use --client ws", file=sys.stderr)
        return 1

    deadline = time.monotonic() + args.time_cap
    rounds: dict[tuple[str, int], list[Round]] = {}
    skipped: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = load_demo_store(tmp / "store")
        for run in range(1, args.runs + 1):
            for client in args.client:
                for n in args.viewers:
                    # a round is a server start, a warm-up viewer and the N: about two viewer timeouts at most
                    if time.monotonic() + 2 * args.timeout + 30 > deadline:
                        skipped.append(f"{client} N={n} run {run}")
                        continue
                    server = start_server(store, tmp / f"{client}-{n}-{run}.log", *options)
                    try:
                        r = load_round(server, client, n, args.timeout, warm=not args.cold)
                    finally:
                        server.stop()
                    rounds.setdefault((client, n), []).append(r)
                    print(round_line(run, r), file=sys.stderr, flush=True)

    runs = max((len(v) for v in rounds.values()), default=0)
    print(f"\nOverview /?{QUERY} ({N_GAUGES} gauges): N viewers start at once on a fresh server "
          f"{'nobody has visited (cold)' if args.cold else 'warmed up by one viewer'}; "
          f"{f'median of {runs} runs' if runs > 1 else 'one run'}; viewer timeout {args.timeout:.0f} s; "
          f"{os.cpu_count()} CPUs, load average at the end {os.getloadavg()[0]:.2f}"
          f"{'; server options ' + ' '.join(args.option) if args.option else ''}. Seconds from navigation start "
          "(browser: until all gauges are drawn; ws: until all gauge specs are received and the script finished).\n")
    print("\n".join(table(rounds)))
    print("\nCPU: share of all the machine's CPUs used during the N viewers (server = the streamlit process; "
          "client = this script, the Playwright driver and chromium; other = the rest of the machine).")
    if skipped:
        print(f"\nSkipped for the time cap of {args.time_cap:.0f} s: " + ", ".join(skipped))
    failed = any(r.errors or r.drawn < r.viewers for rs in rounds.values() for r in rs)
    return 1 if failed or skipped else 0


if __name__ == "__main__":
    sys.exit(main())
