"""A leader's phone (issue 23): every page opened from a shared link on a phone — an iPhone's WeChat at 390×844 and an
Android phone's Chrome at 360×800, touch — arrives with the sidebar closed, its title, the 示例数据 mark and the as-of
month on the first screen, nothing scrolling sideways or cut off, no English; the tables read as lists of cards with
the desktop's words and colours; the overview is the reckoning first, then what is behind and who must act, then the
gauges, in at most a third of its old 10,792 px. At 1920×1080 the desktop keeps its sidebar, tables and layout.
Real server on the sample, Debian chromium; a screenshot of every page on both phones in tests/artifacts/."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest

from cnpark.ui.registry import PAGES
from tests.browser.conftest import (
    ARTIFACTS,
    CONTENT_HEIGHT_JS,
    CUT_TEXT_JS,
    PHONES,
    PROJECTOR,
    painted_text,
    phone_context,
    screenshot,
    view_labels,
    visit,
    wait_rendered,
)
from tests.browser.test_words import latin

OLD_OVERVIEW_HEIGHT = 10_792          # the overview at 390×844 before issue 23 (measured, the issue says)

SIDEBAR_JS = """() => {
  const s = document.querySelector('[data-testid="stSidebar"]');
  const r = s.getBoundingClientRect();
  return {collapsed: s.getAttribute('data-collapsed'), right: r.right};
}"""
# Everything drawn in the page's main part that reaches past the screen's edges (nothing may: no sideways scroll, no
# box cut off at the edge).
OUTSIDE_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] *')].filter(e => {
  const r = e.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && (r.right > window.innerWidth + 1 || r.left < -1);
}).map(e => (e.getAttribute('data-testid') || e.className.baseVal || e.className || e.tagName).toString().slice(0, 40))"""
# Each card (a table's row, a year) with anything inside that reaches past its box.
CARDS_JS = """() => [...document.querySelectorAll('.cn-card, .cn-year')].map(c => {
  const b = c.getBoundingClientRect();
  const out = [...c.querySelectorAll('*')].filter(e => { const r = e.getBoundingClientRect();
    return r.width > 0 && (r.right > b.right + 1 || r.left < b.left - 1 || r.bottom > b.bottom + 1); }).length;
  return {width: b.width, left: b.left, outside: out, text: c.innerText.slice(0, 20)};
})"""
# Where the page's heads are: the title, the sample's mark, the first "截至 2025-12" (bottoms in px from the top).
HEADS_JS = """() => {
  const bottom = e => e ? e.getBoundingClientRect().bottom : null;
  const texts = [...document.querySelectorAll('[data-testid="stMain"] p, [data-testid="stMain"] div')];
  const month = texts.find(e => /^截至 \\d{4}-\\d{2}/.test(e.innerText) && e.children.length <= 1);
  const sample = [...document.querySelectorAll('[data-testid="stAlertContainer"]')].find(a => a.innerText.includes('示例数据'));
  return {title: bottom(document.querySelector('h1')), sample: bottom(sample), month: bottom(month),
          monthText: month ? month.innerText.slice(0, 10) : null};
}"""
MAIN_HEIGHT_JS = "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"


def _open(browser, server, phone: str, path: str):
    context = phone_context(browser, phone)
    page = context.new_page()
    visit(page, server.url + path)
    return context, page


@pytest.mark.parametrize("path", [p.path for p in PAGES])
@pytest.mark.parametrize("phone", list(PHONES))
def test_every_page_on_a_phone_opens_readable_without_sideways_scrolling(browser, server, phone, path):
    context, page = _open(browser, server, phone, path)
    width, height = PHONES[phone]["viewport"]["width"], PHONES[phone]["viewport"]["height"]
    try:
        sidebar = page.evaluate(SIDEBAR_JS)
        assert sidebar["collapsed"] == "true" and sidebar["right"] <= 1, sidebar       # closed, off the screen
        assert page.evaluate("() => document.scrollingElement.scrollWidth") <= width
        assert page.evaluate(OUTSIDE_JS) == []
        for card in page.evaluate(CARDS_JS):
            assert card["outside"] == 0 and card["left"] >= 0 and card["left"] + card["width"] <= width, card
        heads = page.evaluate(HEADS_JS)
        assert heads["title"] is not None and heads["title"] <= height
        if path not in ("targets", "report", "review", "upload"):      # the pages that show data
            assert heads["sample"] is not None and heads["sample"] <= height, heads      # 示例数据 on the first screen
            assert heads["month"] is not None and heads["month"] <= height, heads        # and the month it is as of
            assert heads["monthText"] == "截至 2025-12"
        assert not latin(painted_text(page)), sorted(latin(painted_text(page)))
        assert not page.locator('[data-testid="stTable"], table.cn-matrix').count()      # tables are lists here
        # the whole page in one tall screen (Streamlit scrolls inside its main part): no text cut off, then the shot
        page.set_viewport_size({"width": width, "height": max(height, page.evaluate(CONTENT_HEIGHT_JS))})
        wait_rendered(page)
        assert page.evaluate(CUT_TEXT_JS) == []
        page.screenshot(path=str(ARTIFACTS / f"phone-{phone}-{path or 'overview'}.png"))
    finally:
        context.close()


@pytest.mark.parametrize("phone", list(PHONES))
def test_the_overview_on_a_phone_is_the_reckoning_then_what_is_behind_then_the_gauges(browser, server, phone):
    context, page = _open(browser, server, phone, "")
    try:
        main = page.get_by_test_id("stMain")
        cards = page.evaluate(CARDS_JS)
        years = [c for c in cards if c["text"].startswith(("2023", "2024", "2025"))]
        assert [c["text"][:4] for c in years] == ["2023", "2024", "2025"]
        column = page.evaluate("""() => { const b = document.querySelector('.cn-years').getBoundingClientRect();
                                          return b.width; }""")
        for c in years:                                    # one under another, each as wide as the page's column
            assert abs(c["width"] - column) <= 1 and len({round(y["left"]) for y in years}) == 1
        big = page.evaluate("() => [...document.querySelectorAll('.cn-year-big')].map(e => parseFloat(getComputedStyle(e).fontSize))")
        assert min(big) >= 28
        # the sample: 11 goals behind (the 2023 card's 2, the 2024 card's 2 and the 2025 card's 7), each a card
        behind = main.get_by_role("heading", name=re.compile("需督办的目标"))
        assert behind.inner_text() == "需督办的目标（11 项）"
        first = page.locator(".cn-cards .cn-card").first
        assert first.locator(".cn-card-title").inner_text() == "规划环评及总体规划审批"
        assert "责任单位" in first.inner_text() and "逾期完成" in first.inner_text()
        # the gauges: a tap on a group draws its gauges, one a row
        groups = main.get_by_test_id("stExpander")
        assert groups.count() == 8                    # seven groups of the plan's targets, and 条款与责任单位
        order = [page.locator(".cn-years").bounding_box()["y"], behind.bounding_box()["y"],
                 groups.first.bounding_box()["y"]]
        assert order == sorted(order)
        assert page.evaluate(MAIN_HEIGHT_JS) <= OLD_OVERVIEW_HEIGHT / 3
        charts = page.locator('[data-testid="stVegaLiteChart"]')
        assert charts.count() == 0                     # no gauge sent, none drawn, until a group is opened
        groups.first.locator("summary").click()           # 经济总量: 9 gauges
        wait_rendered(page, 9)
        shown = charts.filter(visible=True)
        assert shown.count() == 9
        boxes = [shown.nth(i).bounding_box() for i in range(shown.count())]
        assert len({round(b["x"]) for b in boxes}) == 1            # one a row
        assert all(b["x"] >= 0 and b["x"] + b["width"] <= PHONES[phone]["viewport"]["width"] for b in boxes)
        wait_rendered(page)
        screenshot(page, f"phone-{phone}-overview-group", whole=False)
    finally:
        context.close()


def test_a_meeting_link_opened_on_a_phone_wraps_its_title_and_cuts_nothing(browser, server):
    context, page = _open(browser, server, "android-360", "?mode=meeting")
    try:
        assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 360
        assert page.evaluate(OUTSIDE_JS) == []
        title = page.locator("h1").first
        assert title.inner_text() == "总览 · 截至 2025-12" and title.bounding_box()["width"] <= 360
        assert page.get_by_role("link", name=re.compile("下一屏")).bounding_box()["height"] >= 44     # a thumb's
        page.set_viewport_size({"width": 360, "height": max(800, page.evaluate(CONTENT_HEIGHT_JS))})
        wait_rendered(page)
        assert page.evaluate(CUT_TEXT_JS) == []
    finally:
        context.close()


def _desktop_matrix(page) -> set[tuple[str, str, str, str]]:
    return set(map(tuple, page.evaluate("""() => [...document.querySelectorAll('table.cn-matrix')].flatMap(t => {
      const units = [...t.querySelectorAll('thead th')].slice(2).map(h => h.innerText);
      return [...t.querySelectorAll('tbody tr')].flatMap(r => { const cells = [...r.children];
        return cells.slice(2).map((c, i) => [cells[0].innerText, units[i], c.innerText, getComputedStyle(c).color])
                    .filter(x => x[2]); });
    })""")))


def _phone_matrix(page) -> set[tuple[str, str, str, str]]:
    return set(map(tuple, page.evaluate("""() => [...document.querySelectorAll('.cn-task-card')].flatMap(c => {
      const title = c.querySelector('.cn-card-title').firstChild.textContent;
      return [...c.querySelectorAll('.cn-card-field')].map(f => { const [k, v] = f.children;
        return [title, k.innerText, v.innerText, getComputedStyle(v).color]; });
    })""")))


@contextmanager
def side_by_side(browser, url: str, phone: str):
    """(desktop's page, phone's page) of the same URL, each in its own fresh context."""
    desktop, handheld = browser.new_context(viewport=PROJECTOR, locale="zh-CN"), phone_context(browser, phone)
    try:
        wide, narrow = desktop.new_page(), handheld.new_page()
        visit(wide, url)
        visit(narrow, url)
        yield wide, narrow
    finally:
        desktop.close()
        handheld.close()


def test_the_task_matrix_on_a_phone_is_a_card_a_task_with_the_desktop_s_words_and_colours(browser, server):
    with side_by_side(browser, server.url + "tasks", "iphone-390") as (wide, narrow):
        cells = _desktop_matrix(wide)
        # the sample's 21 tasks name 123 units in all (the page's own count: 单位报送 123 项)
        assert len({c[0] for c in cells}) == 21 and len(cells) == 123
        assert _phone_matrix(narrow) == cells                          # the same words in the same colours
        assert not wide.locator(".cn-card").count()                    # the desktop keeps its grid
        states = narrow.evaluate("() => [...document.querySelectorAll('.cn-card-state')].map(e => e.innerText)")
        assert len(states) == 21


def _table_rows(page) -> list[tuple[str, str, str]]:
    """(目标, 状态, the 状态 cell's colour) of the 督办 tables on the desktop."""
    return page.evaluate("""() => [...document.querySelectorAll('[data-testid="stTable"] table')].flatMap(t => {
      const heads = [...t.querySelectorAll('thead th')].map(h => h.innerText.trim());
      const [goal, state] = [heads.indexOf('目标'), heads.indexOf('状态')];
      if (goal < 0 || state < 0 || heads.includes('数值变化')) return [];
      return [...t.querySelectorAll('tbody tr')].map(r => { const c = [...r.children];
        return [c[goal].innerText.trim(), c[state].innerText.trim(), getComputedStyle(c[state]).color]; });
    })""")


def _card_rows(page) -> list[tuple[str, str, str]]:
    return page.evaluate("""() => [...document.querySelectorAll('.cn-card')].flatMap(c => {
      const title = c.querySelector('.cn-card-title').innerText;
      if (c.innerText.includes('数值变化')) return [];            // the comparison's cards: 好转/退步, not a status
      return [...c.querySelectorAll('.cn-card-row')].map(r => {
        const f = [...r.querySelectorAll('.cn-card-field')].find(f => f.children[0].innerText === '状态');
        return f ? [title, f.children[1].innerText, getComputedStyle(f.children[1]).color] : null;
      }).filter(x => x);
    })""")


def test_the_supervision_list_on_a_phone_has_every_row_of_the_desktop_s_tables(browser, server):
    with side_by_side(browser, server.url + "supervision", "android-360") as (wide, narrow):
        rows = _table_rows(wide)
        # 11 goals behind, each under every one of its units: 4+2+3+2+3+2+3+6+2+2+2 = 31 rows (the overview's cards)
        assert len({r[0] for r in rows}) == 11 and len(rows) == 31
        assert sorted(map(tuple, _card_rows(narrow))) == sorted(map(tuple, rows))
        red = [r for r in rows if r[1] == "未达标"]          # one colour for one word
        assert red and len({r[2] for r in red}) == 1


def test_the_desktop_keeps_its_sidebar_tables_and_gauges_in_rows(browser, server):
    context = browser.new_context(viewport=PROJECTOR, locale="zh-CN")
    page = context.new_page()
    try:
        visit(page, server.url)
        assert page.evaluate(SIDEBAR_JS)["collapsed"] == "false"
        lefts = page.evaluate("() => [...document.querySelectorAll('.cn-year')].map(c => c.getBoundingClientRect().left)")
        assert len(set(lefts)) == len(lefts) >= 2                                  # the year cards in a row
        assert not page.get_by_role("heading", name=re.compile("需督办的目标")).count()
        assert len(view_labels(page, visible=True)) == 29            # no taps needed
        assert not page.locator(".cn-card").count()
        visit(page, server.url + "supervision")
        assert page.locator('[data-testid="stTable"]').count() >= 10 and not page.locator(".cn-card").count()
    finally:
        context.close()


TARGETS = ('[data-testid="stPageLink-NavLink"], [data-testid^="stBaseButton"], [data-testid="stPopoverButton"], '
           '[data-testid="stButtonGroup"] button, [data-baseweb="select"] > div, [data-testid="stTooltipHoverTarget"],'
           ' [data-testid="stExpander"] summary')
TARGETS_JS = f"""() => [...document.querySelectorAll('{TARGETS}')]
  .filter(e => {{ const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; }})
  .map(e => [e.innerText.trim().slice(0, 12) || e.getAttribute('data-testid'),
             Math.round(e.getBoundingClientRect().height), Math.round(e.getBoundingClientRect().width)])"""


def test_a_thumb_can_hit_every_link_button_choice_and_help_mark_on_a_phone(browser, server):
    context = phone_context(browser, "iphone-390")
    page = context.new_page()
    try:
        for path in ("", "supervision", "tasks", "projects"):
            visit(page, server.url + path)
            opener = page.get_by_test_id("stExpandSidebarButton")           # the page links too (the sidebar,
            if opener.is_visible():                                          # once opened, stays open)
                opener.click()
            page.get_by_test_id("stSidebar").get_by_role("link", name="总览").wait_for()
            targets = page.evaluate(TARGETS_JS)
            assert len(targets) >= 15, targets                               # 13 page links, choices, buttons
            assert [t for t in targets if t[1] < 44] == [], path
            helps = [t for t in targets if t[0] == "stTooltipHoverTarget"]
            assert helps and all(t[2] >= 44 for t in helps), helps            # the help marks, 16 px drawn
        anchors = "() => [...document.querySelectorAll('[data-testid=stHeaderActionElements]')]" \
                  ".filter(e => e.getBoundingClientRect().height > 0).length"
        assert page.evaluate(anchors) == 0                                   # no heading anchors to hit by mistake
    finally:
        context.close()


def test_the_meeting_pack_downloads_on_a_phone_with_chinese_file_names(browser, server):
    context = phone_context(browser, "android-360")
    page = context.new_page()
    try:
        visit(page, server.url + "supervision")
        names = []
        for label in ("简报 PDF", "评估报告"):
            button = page.get_by_role("button", name=re.compile(label))
            if not button.count():
                button = page.get_by_role("link", name=re.compile(label))
            button.first.scroll_into_view_if_needed()
            assert button.first.bounding_box()["height"] >= 44
            with page.expect_download(timeout=90_000) as download:
                button.first.tap()
            names.append(download.value.suggested_filename)
        assert names[0].endswith(".pdf") and names[1].endswith(".docx"), names
        assert all(re.search(r"[\u4e00-\u9fff]", n) for n in names), names        # named in Chinese
        assert all("2025-12" in n for n in names), names                          # and for their month
    finally:
        context.close()
