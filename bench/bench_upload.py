"""An analyst's wait on the 数据上传 page: from choosing a typical monthly file to its check painted (counts, the
parsed rows, what storing it would change, 确认入库), against a page view, in a real browser.

    .venv/bin/python bench/bench_upload.py [--runs 5] [--warmup 2] [--profile out.prof]

One server (`python -m cnpark serve`) on a temp store loaded with the sample, with a temp secrets file holding one
analyst account. The file is what an analyst sends each month: the 指标 template for the sample's last month
(outputs.exports.make_template) filled with the store's figures of that month, one of them revised a little
differently in every run (so that no run finds an earlier run's check in the page's cache: warm server, cold check).
Each run, in a fresh browser context at 1600×1000 (a sign-in lives in the session): open /upload, sign in, then

  check   timed from handing the file to the uploader's input to the check painted: the script stopped, the four
          counts, 入库后的变化 and its tables drawn, 确认入库 enabled;
  view    a page view for comparison: the sidebar link 总览 clicked, timed to all 29 gauges painted (as bench_fill).

The two alternate in order from run to run; warm-up runs are discarded. Targets (issue 24): check ≤ 1.0 s and
≤ 1.3× the page view. --profile: cProfile of check_upload on the same file in this process (where a check's
server time goes), written to the path given and summarised on stdout.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_fill import ports_from_env, sidebar_link  # noqa: E402
from bench_overview import N_GAUGES  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

import tests.browser.conftest as browser_tests  # noqa: E402
from cnpark.auth import hash_password  # noqa: E402
from cnpark.outputs.exports import make_template  # noqa: E402
from cnpark.plan.plans import load_plans  # noqa: E402
from cnpark.service.uploads import check_upload  # noqa: E402
from cnpark.store.snapshots import Store  # noqa: E402
from tests.browser.conftest import RENDERED_JS, launch_chromium, load_demo_store, start_server  # noqa: E402

CHECK_TARGET, VIEW_TARGET = 1.0, 1.3            # seconds; × the page view
LOGIN, PASSWORD = "fenxi", "分析口令-2026"
MONTH = "2025-12"                               # the sample's last month
VIEWPORT = {"width": 1600, "height": 1000}

# The check painted by a finished run: four counts, the change summary, its tables drawn, 确认入库 enabled.
CHECKED_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main || main.querySelectorAll('[data-testid="stMetric"]').length < 4) return false;
  if (!main.textContent.includes('入库后的变化')) return false;
  const grids = [...main.querySelectorAll('[data-testid="stDataFrame"]')].filter(g => g.checkVisibility());
  if (grids.length < 2 || !grids.every(g => g.querySelector('canvas'))) return false;   // shown ones: changes, history
  return [...main.querySelectorAll('button')].some(b => b.textContent.includes('确认入库') && !b.disabled);
}"""
SIGNED_IN_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !!document.querySelector('[data-testid="stFileUploaderDropzoneInput"]');
}"""


def monthly_file(store: Store, catalog, run: int) -> bytes:
    """The 指标 template of MONTH filled with the store's figures of that month (完成/未完成 for a milestone), the
    first figure revised by run‰: an analyst's monthly file, different bytes every run."""
    current = store.read("indicators")
    current = current[(current["period"] == MONTH) & (current["area"] == "")]
    figures = dict(zip(current["indicator"], current["value"]))
    lines = make_template("indicators", catalog, MONTH).splitlines()
    out, revised = lines[:2], False
    for line in lines[2:]:
        cells = line.split(",")
        code = catalog.lookup(cells[0])
        if code in figures:
            value = figures[code]
            if catalog[code].unit == "" and value in (0, 1):
                cells[2] = "完成" if value else "未完成"
            else:
                cells[2] = f"{value * (1 + (run + 1) / 1000) if not revised else value:.10g}"
                revised = True
        out.append(",".join(cells))
    return ("\n".join(out) + "\n").encode("utf-8-sig")


def secrets_file(path: Path) -> Path:
    path.write_text(f'[accounts.{LOGIN}]\nname = "分析人员"\n'
                    f'password_hash = "{hash_password(PASSWORD, iterations=1000)}"\n', encoding="utf-8")
    return path


def signed_in(browser, url: str):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = context.new_page()
    page.goto(url + "upload")
    form = page.get_by_test_id("stForm")
    form.get_by_label("账号").fill(LOGIN)
    form.get_by_label("密码").fill(PASSWORD)
    form.get_by_role("button", name="登录").click()
    page.wait_for_function(SIGNED_IN_JS, timeout=60_000, polling=50)
    return page


def timed_check(browser, url: str, path: Path) -> float:
    page = signed_in(browser, url)
    try:
        start = time.perf_counter()
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(path)
        page.wait_for_function(CHECKED_JS, timeout=60_000, polling="raf")
        return time.perf_counter() - start
    finally:
        page.context.close()


def timed_view(browser, url: str) -> float:
    page = signed_in(browser, url)
    try:
        link = sidebar_link(page, "总览")
        start = time.perf_counter()
        link.click()
        page.wait_for_function(RENDERED_JS, arg=N_GAUGES, timeout=60_000, polling="raf")
        return time.perf_counter() - start
    finally:
        page.context.close()


def profile(root: Path, catalog, out: str) -> None:
    store = Store(root)
    data = monthly_file(store, catalog, 999)
    check_upload(store, catalog, monthly_file(store, catalog, 998), "warm.csv")      # imports, first reads
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.runcall(check_upload, store, catalog, data, "月报.csv")
    print(f"\ncheck_upload in this process: {time.perf_counter() - start:.3f} s under cProfile\n")
    profiler.dump_stats(out)
    text = io.StringIO()
    pstats.Stats(out, stream=text).sort_stats("cumulative").print_stats(25)
    print("```\n" + text.getvalue().strip() + "\n```")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--profile", help="write a cProfile of check_upload here")
    parser_args = parser.parse_args()
    if browser_tests.chromium_path() is None:
        print("no chromium: install Debian's chromium (or set CHROMIUM)", file=sys.stderr)
        return 1
    profile_to = parser_args.profile
    ports_from_env()
    catalog = load_plans().default()
    load_start = os.getloadavg()[0]
    times: dict[str, list[float]] = {"check": [], "view": []}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        root = load_demo_store(tmp / "store")
        store = Store(root)
        rows = len(monthly_file(store, catalog, 0).decode("utf-8-sig").splitlines()) - 2
        server = start_server(root, tmp / "app.log", "--secrets.files", str(secrets_file(tmp / "secrets.toml")))
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                for i in range(parser_args.warmup + parser_args.runs):
                    path = tmp / f"月报-{i}.csv"
                    path.write_bytes(monthly_file(store, catalog, i))
                    order = ("check", "view") if i % 2 == 0 else ("view", "check")
                    for what in order:
                        t = timed_check(browser, server.url, path) if what == "check" else timed_view(browser, server.url)
                        if i >= parser_args.warmup:
                            times[what].append(t)
                browser.close()
        finally:
            server.stop()
        if profile_to:
            profile(root, catalog, profile_to)
    load_end = os.getloadavg()[0]
    check, view = (statistics.median(times[k]) for k in ("check", "view"))
    print(f"\nan analyst's monthly 指标 file ({rows} rows, {MONTH}), the sample, headless chromium 1600×1000, "
          f"{parser_args.runs} runs after {parser_args.warmup} warm-up runs; {os.cpu_count()} CPUs, load average "
          f"{load_start:.2f} at the start, {load_end:.2f} at the end\n")
    print("| what | median | spread | target |\n|---|---|---|---|")
    print(f"| check → preview painted | {check:.2f} s | {min(times['check']):.2f}–{max(times['check']):.2f} s | "
          f"≤ {CHECK_TARGET:.1f} s {'✓' if check <= CHECK_TARGET else '✗'} |")
    print(f"| page view (总览, 29 gauges) | {view:.2f} s | {min(times['view']):.2f}–{max(times['view']):.2f} s | |")
    print(f"| check ÷ page view | {check / view:.2f}× | | ≤ {VIEW_TARGET}× {'✓' if check / view <= VIEW_TARGET else '✗'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
