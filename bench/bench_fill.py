"""The 填报 page in a real browser (issue 22): (1) a signed-in unit's 填报 page opens within 1.3× the overview;
(2) a submission is visible on /tasks within 2 s of submit.

    .venv/bin/python bench/bench_fill.py [--runs 5] [--warmup 2]

One server (`python -m cnpark serve`, as bench_overview starts it) on a temp store loaded with the sample, with a
temp secrets file (`--secrets.files`) holding one unit account: 县发展改革局, which carries 16 of the 21 tasks (the
form: 16 完成状态 choices and 48 text areas). BENCH_PORTS=8760-8779 makes the server take its port from that range
(a shared machine); otherwise any free port. Headless Debian chromium with the browser tests' arguments, 1600×1000.

1. Page open. A sign-in lives in the Streamlit session, and a `page.goto` opens a new session (signed out again), so
   both pages are timed as in-app navigation: in a fresh browser context the unit opens 填报, signs in, clicks the
   sidebar link 目标清单 (a neutral page without charts or forms) and then, timed from the click, the sidebar link
   (A) 填报 until its form is drawn (all 16 choices, 提交报送) and the script is notRunning, or (B) 总览 until all 29
   gauges have painted (RENDERED_JS, as bench_overview). A and B alternate, each in its own context; warm-up runs
   are discarded.
2. Submit → visible. The signed-in unit sets task 7's 完成状态 to a state other than its current one (a different one
   every run) and clicks 提交报送; a second context meanwhile loads the deep link /tasks?as_of=…&unit=…&task=7 over
   and over (each load as soon as the last has drawn its detail table) until that table shows the unit's new state.
   Timed from the click (a capture listener's Date.now() in the unit's page) to that table (Date.now() in the
   viewer's page); on the way, when the unit's own page says 已报送. Every other run makes the same change without the
   page: the rows committed from this process straight into the server's store (as an ingest from the command line;
   the warmer finds the version on its poll), timed from check_upload to the table, to tell the page's share from
   the viewer's. Before each change, one load of the deep link with nothing changed, for comparison. Then the bare
   store part in this process, on a second sample store: the same rows through check_upload → commit_upload → a
   new Readings(...).tasks showing it.

A /tasks load takes about a second by itself, so the reload loop's first load (begun at the click) is the one that
shows the change when the change lands before that load's script reads the store: the figure is a whole page load
beside the submission's own work, all on one machine (the unit's browser, the viewer's and the server share its CPUs).
"""

from __future__ import annotations

import os
import re
import socket
import statistics
import sys
import tempfile
import time
import urllib.parse
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_overview import N_GAUGES, arguments  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

import tests.browser.conftest as browser_tests  # noqa: E402
from cnpark.auth import hash_password  # noqa: E402
from cnpark.outputs.exports import filled_csv  # noqa: E402
from cnpark.plan.plans import load_plans  # noqa: E402
from cnpark.service.readings import Readings  # noqa: E402
from cnpark.service.uploads import check_upload, commit_upload  # noqa: E402
from cnpark.store.datasets import TASK_STATES  # noqa: E402
from cnpark.store.snapshots import Store  # noqa: E402
from tests.browser.conftest import RENDERED_JS, launch_chromium, load_demo_store, start_server  # noqa: E402

OPEN_TARGET, VISIBLE_TARGET = 1.3, 2.0          # × the overview; seconds
LOGIN, PASSWORD, UNIT = "fgj", "单位口令-2026", "县发展改革局"
MONTH, TASK = "2025-12", 7                      # the sample's last month; 第7条 开展专业化招商 (推进中 in the sample)
VIEWPORT = {"width": 1600, "height": 1000}

# The 填报 form drawn by a finished run: n choices in the form and its submit button.
FORM_JS = """n => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]')) return false;
  const form = document.querySelector('[data-testid="stMain"] [data-testid="stForm"]');
  if (!form || form.querySelectorAll('[data-testid="stSelectbox"]').length !== n) return false;
  return [...form.querySelectorAll('button')].some(b => b.textContent.includes('提交报送'));
}"""
# The /tasks detail table's row of the unit, once the run has finished: {state, month, at: Date.now()}.
UNIT_ROW_JS = """unit => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return null;
  for (const t of document.querySelectorAll('[data-testid="stMain"] table')) {
    const head = [...t.querySelectorAll('thead th')].map(th => th.textContent.trim());
    const u = head.indexOf('责任单位'), s = head.indexOf('本单位'), m = head.indexOf('最近报送');
    if (u < 0 || s < 0 || m < 0) continue;
    for (const row of t.querySelectorAll('tbody tr')) {
      const cells = [...row.children].map(c => c.textContent.trim());
      if (cells[u] === unit) return {state: cells[s], month: cells[m], at: Date.now()};
    }
  }
  return null;
}"""
# In the unit's page: when 提交报送 is clicked and when the page says 已报送 (Date.now(), the viewer's clock too).
WATCH_SUBMIT_JS = """() => {
  window.__clickAt = null; window.__doneAt = null;
  if (!window.__watching) {
    window.__watching = true;
    document.addEventListener('click', e => {
      const b = e.target.closest('button');
      if (b && b.textContent.includes('提交报送')) window.__clickAt = Date.now();
    }, true);
    new MutationObserver(() => {
      if (window.__clickAt && !window.__doneAt && [...document.querySelectorAll('[data-testid="stAlert"]')]
          .some(a => a.textContent.includes('已报送：'))) window.__doneAt = Date.now();
    }).observe(document.body, {childList: true, subtree: true, characterData: true});
  }
}"""


def ports_from_env() -> None:
    """BENCH_PORTS=LOW-HIGH: the servers take the first free port in that range (browser_tests.free_port)."""
    spec = os.environ.get("BENCH_PORTS")
    if not spec:
        return
    low, high = (int(x) for x in spec.split("-"))

    def free_port() -> int:
        for port in range(low, high + 1):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
        raise RuntimeError(f"no free port in {spec}")
    browser_tests.free_port = free_port


def secrets_file(path: Path) -> Path:
    path.write_text(f'[accounts.{LOGIN}]\nrole = "unit"\nunit = "{UNIT}"\n'
                    f'password_hash = "{hash_password(PASSWORD, iterations=1000)}"\n', encoding="utf-8")
    return path


def n_tasks() -> int:
    return sum(UNIT in t.units for t in load_plans().default().tasks)


def sidebar_link(page, label: str):
    return page.get_by_test_id("stSidebar").get_by_role("link", name=label, exact=True)


def signed_in_page(browser, url: str, n: int, query: str = ""):
    """A page in a fresh context: the unit signed in on 填报, its form drawn."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = context.new_page()
    page.goto(url + "report" + query)
    form = page.get_by_test_id("stForm")
    form.get_by_label("账号").fill(LOGIN)
    form.get_by_label("密码").fill(PASSWORD)
    form.get_by_role("button", name="登录").click()
    page.wait_for_function(FORM_JS, arg=n, timeout=60_000, polling=50)
    return page


def timed_navigation(browser, url: str, target: str, n: int) -> float:
    """Seconds from the click on the sidebar link to the target ("填报" or "总览") drawn, in a fresh context that
    signed in and then went to 目标清单."""
    page = signed_in_page(browser, url, n)
    try:
        sidebar_link(page, "目标清单").click()
        page.wait_for_url("**/targets**")
        browser_tests.wait_rendered(page)
        link = sidebar_link(page, target)
        start = time.perf_counter()
        link.click()
        if target == "填报":
            page.wait_for_function(FORM_JS, arg=n, timeout=60_000, polling="raf")
        else:
            page.wait_for_function(RENDERED_JS, arg=N_GAUGES, timeout=60_000, polling="raf")
        return time.perf_counter() - start
    finally:
        page.context.close()


def choose(page, task: int, state: str) -> None:
    """Task's 完成状态 in the form (no rerun: it is a form)."""
    box = page.locator(f".st-key-fill-{MONTH}-{task}-state")
    option = page.get_by_role("option", name=state, exact=True)
    # A click that first has to scroll the choice into view opens its list and the scroll closes it again: scroll
    # first (and click again should a list still not open).
    box.scroll_into_view_if_needed()
    for _ in range(20):
        box.get_by_role("combobox").click()
        try:
            option.wait_for(timeout=1_000)
            break
        except PlaywrightTimeout:
            continue
    option.click()
    expect(box.get_by_role("combobox")).to_have_value(state)


def unit_rows(store: Store, catalog, state: str) -> bytes:
    """The unit's form as the page sends it (filled_csv): its 16 tasks as last reported, task TASK set to state."""
    drafts = Readings(store, catalog, MONTH).drafts(UNIT)
    return filled_csv("tasks", [{"任务": d.task.label, "责任单位": UNIT, "期间": MONTH,
                                 "完成状态": state if d.task.number == TASK else d.state, "进展情况": d.progress,
                                 "存在问题": d.problems, "下步打算": d.next_steps, "报送日期": date.today().isoformat()}
                                for d in drafts])


def store_submit(store: Store, catalog, data: bytes) -> dict:
    """The page's path without the page: check_upload → commit_upload as the unit; the seconds of each."""
    t0 = time.perf_counter()
    upload = check_upload(store, catalog, data, f"填报-{UNIT}-{MONTH}.csv", "tasks", preview=False, unit=UNIT)
    t1 = time.perf_counter()
    commit_upload(store, upload, UNIT)
    return {"check": t1 - t0, "commit": time.perf_counter() - t1}


def submit_to_visible(browser, url: str, store_root: Path, n: int, runs: int) -> dict[str, list[dict]]:
    """Each run: task TASK to a new state, then reload the /tasks deep link until it shows the state. Alternately
    "page": the unit chooses the state and clicks 提交报送 (timed from the click); "store": the same rows committed
    from this process straight into the server's store, as an ingest from the command line would (timed from the
    start of check_upload; the warmer then finds the new version on its poll, nobody nudges it)."""
    unit_page = signed_in_page(browser, url, n, f"?month={MONTH}")
    viewer = browser.new_context(viewport=VIEWPORT, locale="zh-CN").new_page()
    deep_link = url + "tasks?" + urllib.parse.urlencode({"as_of": MONTH, "unit": UNIT, "task": str(TASK)})
    viewer.goto(deep_link)
    current = viewer.wait_for_function(UNIT_ROW_JS, arg=UNIT, timeout=60_000, polling=50).json_value()["state"]
    store, catalog = Store(store_root), load_plans().default()
    results: dict[str, list[dict]] = {"page": [], "store": []}
    try:
        for i in range(2 * runs):
            how = ("page", "store")[i % 2]
            new = TASK_STATES[(TASK_STATES.index(current) + 1) % len(TASK_STATES)]
            started = time.perf_counter()       # the reference: the same load with nothing changed
            viewer.goto(deep_link)
            viewer.wait_for_function(UNIT_ROW_JS, arg=UNIT, timeout=60_000, polling=20)
            unchanged_load = time.perf_counter() - started
            if how == "page":
                choose(unit_page, TASK, new)
                unit_page.evaluate(WATCH_SUBMIT_JS)
                unit_page.get_by_role("button", name="提交报送").click()
            else:
                data = unit_rows(store, catalog, new)
                change_at = time.time() * 1000
                store_part_times = store_submit(store, catalog, data)
            loads, seen, load_started = 0, None, 0.0
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                load_started = time.time() * 1000
                viewer.goto(deep_link)
                seen = viewer.wait_for_function(UNIT_ROW_JS, arg=UNIT, timeout=60_000, polling=20).json_value()
                loads += 1
                if seen["state"] == new:
                    break
            assert seen and seen["state"] == new, f"/tasks never showed {new}: {seen}"
            run = {"state": new, "loads": loads, "unchanged_load": unchanged_load}
            if how == "page":
                unit_page.wait_for_function("() => window.__doneAt", timeout=60_000, polling=20)
                unit_page.wait_for_function(FORM_JS, arg=n, timeout=60_000, polling=50)
                change_at, done = unit_page.evaluate("() => [window.__clickAt, window.__doneAt]")
                run |= {"unit_done": (done - change_at) / 1000, "last_load_after_done": load_started >= done}
            else:
                run |= store_part_times
            run |= {"visible": (seen["at"] - change_at) / 1000, "last_load": (seen["at"] - load_started) / 1000}
            results[how].append(run)
            current = new
    finally:
        unit_page.context.close()
        viewer.context.close()
    return results


def store_part(root: Path, runs: int) -> list[dict]:
    """In this process, on a sample store of its own: the unit's 16 rows (task TASK's state changed each run) through
    check_upload → commit_upload → Readings(...).tasks showing it (a new Readings: the server's first reading after
    the store's version changed)."""
    store = Store(load_demo_store(root))
    catalog = load_plans().default()
    current = next(d.state for d in Readings(store, catalog, MONTH).drafts(UNIT) if d.task.number == TASK)
    results = []
    for _ in range(runs):
        new = TASK_STATES[(TASK_STATES.index(current) + 1) % len(TASK_STATES)]
        data = unit_rows(store, catalog, new)
        run = store_submit(store, catalog, data)
        t0 = time.perf_counter()
        shown = next(u.word for s in Readings(store, catalog, MONTH).tasks if s.task.number == TASK
                     for u in s.units if u.unit == UNIT)
        run["read"] = time.perf_counter() - t0
        assert shown == new, (shown, new)
        results.append(run | {"total": run["check"] + run["commit"] + run["read"]})
        current = new
    return results


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


def main() -> int:
    args = arguments(__doc__)
    if args is None:
        return 1
    ports_from_env()
    n = n_tasks()
    load_start = os.getloadavg()[0]
    opens: dict[str, list[float]] = {"填报": [], "总览": []}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        server = start_server(load_demo_store(tmp / "store"), tmp / "app.log",
                              "--secrets.files", str(secrets_file(tmp / "secrets.toml")))
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                for i in range(args.warmup + args.runs):
                    order = ("填报", "总览") if i % 2 == 0 else ("总览", "填报")
                    for target in order:
                        t = timed_navigation(browser, server.url, target, n)
                        if i >= args.warmup:
                            opens[target].append(t)
                changes = submit_to_visible(browser, server.url, tmp / "store", n, args.warmup + args.runs)
                browser.close()
        finally:
            server.stop()
        # the warmer's line per store version (预热完成：数据版本 …，x 秒): the start's, then one per change
        warmups = [float(m) for m in re.findall(r"预热完成：.*?([0-9.]+) 秒", (tmp / "app.log").read_text(errors="replace"))]
        stored = store_part(tmp / "store-inprocess", args.warmup + args.runs)[args.warmup:]
    load_end = os.getloadavg()[0]
    page, direct = (changes[k][args.warmup:] for k in ("page", "store"))

    def of(runs: list[dict], key: str) -> str:
        return spread([r[key] for r in runs])

    fill, overview = (statistics.median(opens[k]) for k in ("填报", "总览"))
    ratio = fill / overview
    pairs = [a / b for a, b in zip(opens["填报"], opens["总览"])]
    visible = statistics.median(r["visible"] for r in page)
    print(f"{UNIT} ({n} tasks), the sample, headless chromium 1600×1000, {args.runs} runs after {args.warmup} "
          f"warm-up runs; load average {load_start:.2f} at the start, {load_end:.2f} at the end, on {os.cpu_count()} "
          "CPUs. Medians (min–max).\n")
    print("| measure | median (range) | target | |")
    print("|---|---|---|---|")
    print(f"| (A) 填报, signed in: sidebar click → form drawn ({n} choices), script notRunning | "
          f"{spread(opens['填报'])} | | |")
    print(f"| (B) 总览: sidebar click → {N_GAUGES} gauges painted, script notRunning | {spread(opens['总览'])} | | |")
    print(f"| **A / B** (of the medians; run by run {min(pairs):.2f}–{max(pairs):.2f}) | **{ratio:.2f}×** | "
          f"≤ {OPEN_TARGET}× | {'✓' if ratio <= OPEN_TARGET else '✗'} |")
    print(f"| **提交报送 click → /tasks deep link shows the new state** (reload loop) | **{of(page, 'visible')}** | "
          f"≤ {VISIBLE_TARGET:.0f} s | {'✓' if visible <= VISIBLE_TARGET else '✗'} |")
    print(f"| of which: click → the unit's page says 已报送 | {of(page, 'unit_done')} | | |")
    print(f"| of which: the /tasks load that showed it (goto → table) | {of(page, 'last_load')} | | |")
    print(f"| the same rows committed from this process into the server's store → /tasks shows them (no unit page, "
          f"no nudge) | {of(direct, 'visible')} | | |")
    print(f"| of which: the /tasks load that showed it | {of(direct, 'last_load')} | | |")
    print(f"| for comparison: a /tasks load with nothing changed (before each change) | "
          f"{of(page + direct, 'unchanged_load')} | | |")
    if len(warmups) > 1:
        print(f"| the server's warm-up of each new version (its log; {len(warmups) - 1} of them, warm-up runs "
              f"included), beside the page runs | {spread(warmups[1:])} | | |")
    print(f"| store alone, in process: check_upload → commit_upload → Readings(...).tasks shows it | "
          f"{of(stored, 'total')} | | |")
    print("| of which check_upload · commit_upload · Readings.tasks (medians) | "
          + " · ".join(f"{statistics.median(r[k] for r in stored):.3f} s" for k in ("check", "commit", "read"))
          + " | | |")
    print("\nAll runs (s):\n")
    for k, times in opens.items():
        print(f"- {k}: " + ", ".join(f"{t:.2f}" for t in times))
    print("- 提交报送 → visible: " + ", ".join(
        f"{r['visible']:.2f} (→{r['state']}, {r['loads']} load{'s' * (r['loads'] > 1)}, 已报送 {r['unit_done']:.2f}, "
        f"last load {r['last_load']:.2f}{'' if r['last_load_after_done'] else ' begun before 已报送'})" for r in page))
    print("- store commit → visible: " + ", ".join(
        f"{r['visible']:.2f} (→{r['state']}, {r['loads']} load{'s' * (r['loads'] > 1)}, last load "
        f"{r['last_load']:.2f})" for r in direct))
    print("- nothing changed: " + ", ".join(f"{r['unchanged_load']:.2f}" for r in page + direct))
    print("- warm-ups: " + ", ".join(f"{w:.2f}" for w in warmups))
    print("- store alone: " + ", ".join(f"{r['total']:.3f}" for r in stored))
    return 0


if __name__ == "__main__":
    sys.exit(main())
