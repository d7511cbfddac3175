"""The dashboard in a real browser: every page loads, the overview agrees with the CLI, links keep their state,
meeting mode, the copy-link control and a path prefix. The focus pages (cluster, polysilicon, agri, debt) are
only required to load without error: their content is not fixed here."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from cnpark.plan.catalog import load_catalog
from cnpark.rules.display import STATUS_LABELS
from cnpark.ui.registry import PAGES
from tests.browser.conftest import (
    PROJECTOR,
    ROOT,
    VIEWS_JS,
    new_page,
    screenshot,
    view_labels,
    visit,
    wait_rendered,
)

AS_OF = "2024-06"
N_GAUGES = 29            # one per goal of the plan on the sample data

# Every page by its url path, plus the group page for one group.
PAGE_LINKS = [(p.path or "overview", p.path) for p in PAGES] + [("group-yaosubaozhang", "group?group=要素保障")]


def gauge_descriptions(page) -> list[str]:
    """Each gauge in words, as the browser exposes it: its view's aria-label (Vega-Lite's `description`)."""
    return view_labels(page)


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def as_of_box(page):
    return page.get_by_test_id("stSidebar").get_by_role("combobox", name="截至月份")


def assert_no_exception(page) -> None:
    assert page.get_by_test_id("stException").count() == 0, page.get_by_test_id("stException").first.inner_text()




# ------------------------------------------------------------------------------------------------ 1. pages

@pytest.mark.parametrize("name, link", PAGE_LINKS, ids=[n for n, _ in PAGE_LINKS])
def test_every_page_loads_without_error(server, open_page, name, link):
    page, errors = open_page(link)
    assert_no_exception(page)
    assert urlsplit(page.url).path == urlsplit(server.url + link).path     # not sent back to the overview
    screenshot(page, f"page-{name}")
    assert errors == []


def test_no_request_leaves_the_server(server, open_page):
    page, _ = open_page(None)
    outside = []
    page.on("request", lambda r: outside.append(r.url) if r.url.startswith("http") and not r.url.startswith(server.url)
            else None)
    visit(page, server.url + f"?as_of={AS_OF}", N_GAUGES)
    assert outside == []


# ------------------------------------------------------------------------------------------------ 2. the numbers

def cli_status(data_dir, as_of: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(data_dir), "status", "--as-of", as_of,
                           "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def expected_words(target: dict, kind: str, rule: str, titles: Counter) -> tuple[str, dict[int, str]]:
    """(title, {position in the gauge's words: text}) for one goal of the CLI's JSON, by the headline rule of
    docs/RULES.md "仪表盘上的数字": amounts read as completion, rates as themselves, growth with its sign, milestones as a
    state (逾期完成 when done after the deadline)."""
    title = target["name"] + (f" · {target['deadline'][:4]}年" if titles[target["code"]] > 1 else "")
    status = STATUS_LABELS[target["status"]]
    actual, unit = target["actual"], target["unit"]
    words = {1: status}
    if kind == "milestone":
        words[3] = f"期限 {target['deadline']}"
        words[4] = f"数据期 {target['period'] or '—'}"
        if actual is not None:
            late = actual >= 1 and target["status"] == "missed"
            words[0] = "逾期完成" if late else ("已完成" if actual >= 1 else "未完成")
        return title, words
    words[4] = f"期限 {target['deadline']} · 数据期 {target['period'] or '—'}"
    if actual is None:
        words[0] = "—"
    elif rule == "growth":
        words[0] = f"{actual:+.1f}%"
    elif unit == "%" and kind == "numeric":
        words[0] = f"{actual:.1f}%"
    elif kind in ("numeric", "debt"):
        words[0] = f"{target['completion'] * 100:.1f}%"          # one decimal, one rounding
        if target["completion"] <= 1:
            words[1] = status                                  # beyond 100 % the status says 超额 too
    return title, words


def test_overview_numbers_equal_the_cli(demo_dir, open_page):
    report = cli_status(demo_dir, AS_OF)
    assert report["as_of"] == AS_OF and len(report["targets"]) == N_GAUGES
    page, _ = open_page(f"?as_of={AS_OF}", charts=N_GAUGES)
    shown = {}
    for description in gauge_descriptions(page):
        title, words = description.split("：", 1)
        shown[title] = words.split("，")
    assert len(shown) == N_GAUGES, "two gauges with the same title"

    plan = {t.code: t for t in load_catalog().targets}
    titles = Counter(t["code"] for t in report["targets"])
    for target in report["targets"]:
        title, expected = expected_words(target, plan[target["code"]].kind, plan[target["code"]].rule, titles)
        assert title in shown, f"no gauge titled {title!r}"
        got = {i: shown[title][i] for i in expected}
        if target["completion"] is not None and target["completion"] > 1 and plan[target["code"]].unit != "%":
            got[1] = got[1].split(" · ")[0]
        assert got == expected, title

    # the reckoning counts each deadline year apart; its totals are the CLI's
    statuses = Counter(t["status"] for t in report["targets"])
    total = page.locator(".cn-total").inner_text()
    assert total.startswith(f"共 {N_GAUGES} 项目标：")
    for key, label in STATUS_LABELS.items():
        assert (f"{label} {statuses[key]}" in total) == (statuses[key] > 0), (label, total)


def test_the_clauses_are_drawn_when_asked(demo_dir, open_page):
    """条款与责任单位 is drawn only when opened (issue 24: its cells cost the first paint more than the frame), then
    holds one row per goal with the plan's clause and units."""
    report = cli_status(demo_dir, AS_OF)
    page, _ = open_page(f"?as_of={AS_OF}", charts=N_GAUGES)
    main = page.get_by_test_id("stMain")
    assert main.get_by_test_id("stTable").count() == 0          # the overview's only table is the clauses'
    main.get_by_test_id("stExpander").filter(has_text="条款与责任单位").locator("summary").click()
    expect(main.get_by_test_id("stTable")).to_have_count(1)
    rows = main.get_by_test_id("stTable").locator("tbody tr")
    expect(rows).to_have_count(len(report["targets"]))          # 29 goals, one row each
    plan = {t.name: t for t in load_catalog().targets}
    first = [c.inner_text().strip() for c in rows.first.locator("td").all()]
    assert first[3] == plan[first[0]].clause and first[4] == "、".join(plan[first[0]].departments), first
    wait_rendered(page, N_GAUGES)                               # the gauges are still all there


# ------------------------------------------------------------------------------------------------ 3. deep links

def assert_shows_the_month(open_page, server, link: str, path: str):
    """Open server.url + link in a fresh context: it shows AS_OF on the page at path (the page, for more checks)."""
    page, errors = open_page(link, server=server)
    assert_no_exception(page)
    assert urlsplit(page.url).path == path and query(page.url).get("as_of") == [AS_OF]
    expect(as_of_box(page)).to_have_value(AS_OF)
    expect(page.get_by_test_id("stAlert").filter(has_text="历史月份")).to_contain_text(f"按截至 {AS_OF} 评估")
    assert errors == []
    return page


def test_a_link_opened_in_a_fresh_context_shows_its_month(server, open_page):
    assert_shows_the_month(open_page, server, f"?as_of={AS_OF}", "/")


@pytest.mark.parametrize("path", ["", "polysilicon"], ids=["overview", "polysilicon"])
def test_a_link_as_the_first_request_to_a_fresh_server(fresh_server, open_page, path):
    s = fresh_server()
    page = assert_shows_the_month(open_page, s, f"{path}?as_of={AS_OF}", "/" + path)
    # the page it asked for, set up as a page of the app (wide layout), not a bare script
    expect(page.get_by_test_id("stSidebar").locator("a[disabled]")).to_have_attribute("href", f"{path}?as_of={AS_OF}")
    assert page.get_by_test_id("stMainBlockContainer").bounding_box()["width"] > 1000


# ------------------------------------------------------------------------------------------------ 4. navigation

def test_sidebar_link_keeps_the_month(open_page):
    page, _ = open_page(f"?as_of={AS_OF}", charts=N_GAUGES)
    link = page.get_by_test_id("stSidebar").get_by_role("link", name="多晶硅产能")
    expect(link).to_have_attribute("href", f"polysilicon?as_of={AS_OF}")
    link.click()
    page.wait_for_url(re.compile(r"/polysilicon(\?|$)"))
    wait_rendered(page)
    assert_no_exception(page)
    assert urlsplit(page.url)[2:4] == ("/polysilicon", f"as_of={AS_OF}")
    expect(as_of_box(page)).to_have_value(AS_OF)


# ------------------------------------------------------------------------------------------------ 5, 6. meeting mode

@pytest.fixture(scope="module")
def meeting(server, browser):
    """The overview's first gauge screen in meeting mode on a 1920×1080 screen, and its console errors (shared: the
    tests only look)."""
    page, errors = new_page(browser, **PROJECTOR)
    visit(page, server.url + "?mode=meeting&screen=2", 9)         # 经济总量: its nine gauges
    yield page, errors
    page.context.close()


def test_meeting_mode_loads_without_error(meeting):
    page, errors = meeting
    assert_no_exception(page)
    screenshot(page, "meeting-overview")
    assert errors == []


def test_meeting_mode_hides_the_sidebar_and_draws_larger_gauges(meeting):
    page, _ = meeting
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(page.get_by_test_id("stHeader")).to_be_hidden()
    row = page.get_by_test_id("stVegaLiteChart").first           # a row of five gauges, none shrunk to fit
    assert row.bounding_box()["width"] / len(row.evaluate(VIEWS_JS)) >= 330
    expect(page.get_by_test_id("stMain")).to_contain_text("第 2 / 5 屏")


def wait_for_screen(page, path: str, screen: str, timeout: float = 15_000) -> None:
    """Until the address is that page's screen (the query string alone may be rewritten meanwhile), or the page shows
    an exception."""
    page.wait_for_function("""([path, screen]) => (location.pathname === path
        && new URLSearchParams(location.search).get('screen') === screen)
        || document.querySelector('[data-testid="stException"]')""", arg=[path, screen], timeout=timeout)


def test_meeting_mode_advances_screen_by_screen(open_page):
    page, _ = open_page("?mode=meeting&cycle=5", charts=0)
    wait_for_screen(page, "/", "2")
    assert_no_exception(page)
    assert query(page.url) == {"mode": ["meeting"], "cycle": ["5"], "screen": ["2"]}
    wait_rendered(page, 9)
    assert_no_exception(page)


def test_meeting_mode_goes_on_to_the_next_page_keeping_the_month(open_page):
    page, _ = open_page(f"?mode=meeting&cycle=5&as_of={AS_OF}&screen=5")
    expect(page.get_by_test_id("stMain")).to_contain_text("第 5 / 5 屏")
    wait_for_screen(page, "/cluster", "1")
    assert_no_exception(page)
    assert query(page.url) == {"mode": ["meeting"], "cycle": ["5"], "as_of": [AS_OF], "screen": ["1"]}


# ------------------------------------------------------------------------------------------------ 7. copy link

def test_copy_link_shows_this_view(open_page):
    page, _ = open_page(f"?as_of={AS_OF}", charts=N_GAUGES)
    page.get_by_test_id("stSidebar").get_by_role("button", name="复制链接").click()
    code = page.get_by_test_id("stCode")
    expect(code.first).to_be_visible()
    link, pinned = (c.strip() for c in code.all_inner_texts())
    screenshot(page, "copy-link", whole=False)
    assert urlsplit(link).netloc == urlsplit(page.url).netloc
    assert (urlsplit(link).path or "/") == "/"
    assert query(link).get("as_of") == [AS_OF] and "snapshot" not in query(link), link
    # the second link pins the data: the same view as of the latest upload (the sample's eighth file)
    assert query(pinned).get("as_of") == [AS_OF] and query(pinned).get("snapshot") == ["S00008"], pinned


# ------------------------------------------------------------------------------------------------ 8. path prefix

def test_behind_a_path_prefix(fresh_server, open_page):
    s = fresh_server("--server.baseUrlPath", "cnpark")
    assert s.url.endswith("/cnpark/")
    page, errors = open_page(f"?as_of={AS_OF}", server=s, charts=N_GAUGES)
    assert_no_exception(page)
    expect(as_of_box(page)).to_have_value(AS_OF)
    screenshot(page, "path-prefix", whole=False)
    assert errors == []
