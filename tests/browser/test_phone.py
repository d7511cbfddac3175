"""A leader's phone (issue 23, first part): the shared link opens at 390×844 and 360×800 (touch) with the sidebar
closed and the overview's year cards stacked full width, nothing scrolling sideways; at 1920×1080 the sidebar stays
open and the cards side by side. Real server on the sample, Debian chromium."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PROJECTOR, screenshot, visit

PHONES = [(390, 844), (360, 800)]
SIDEBAR_JS = """() => {
  const s = document.querySelector('[data-testid="stSidebar"]');
  if (!s) return null;
  const r = s.getBoundingClientRect();
  return {collapsed: s.getAttribute('data-collapsed'), right: r.right, width: r.width};
}"""
CARDS_JS = """() => [...document.querySelectorAll('.cn-year')].map(c => {
  const r = c.getBoundingClientRect(), box = document.querySelector('[data-testid="stMain"] .block-container');
  const pad = getComputedStyle(box), main = {width: box.getBoundingClientRect().width
    - parseFloat(pad.paddingLeft) - parseFloat(pad.paddingRight)};
  const text = [...c.querySelectorAll('*')].every(e => e.scrollWidth <= e.clientWidth + 1 || e.clientWidth === 0);
  return {left: r.left, width: r.width, main: main.width, inside: text,
          big: parseFloat(getComputedStyle(c.querySelector('.cn-year-big')).fontSize)};
})"""
WIDE_JS = "() => document.scrollingElement.scrollWidth"


@pytest.mark.parametrize("width,height", PHONES)
def test_the_overview_on_a_phone_opens_with_the_sidebar_closed_and_the_year_cards_stacked(browser, server, width,
                                                                                          height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    try:
        visit(page, server.url)
        sidebar = page.evaluate(SIDEBAR_JS)
        assert sidebar["collapsed"] == "true" and sidebar["right"] <= 1, sidebar      # closed: off the screen
        assert page.evaluate(WIDE_JS) <= width                                        # nothing scrolls sideways
        cards = page.evaluate(CARDS_JS)
        assert len(cards) >= 2
        for c in cards:                                   # one under another, each as wide as the page's column
            assert abs(c["width"] - c["main"]) <= 2 and c["inside"] and c["big"] >= 28, c
        assert len({round(c["left"]) for c in cards}) == 1
        screenshot(page, f"phone-overview-{width}", whole=False)
    finally:
        context.close()


def test_the_desktop_keeps_the_sidebar_open_and_the_cards_side_by_side(browser, server):
    context = browser.new_context(viewport=PROJECTOR, locale="zh-CN")
    page = context.new_page()
    try:
        visit(page, server.url)
        assert page.evaluate(SIDEBAR_JS)["collapsed"] == "false"
        cards = page.evaluate(CARDS_JS)
        assert len({round(c["left"]) for c in cards}) == len(cards) >= 2          # in a row
    finally:
        context.close()


TARGETS = ('[data-testid="stPageLink-NavLink"], [data-testid^="stBaseButton"], [data-testid="stPopoverButton"], '
           '[data-testid="stButtonGroup"] button, [data-baseweb="select"] > div')
TARGETS_JS = f"""() => [...document.querySelectorAll('{TARGETS}')]
  .filter(e => {{ const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; }})
  .map(e => [e.innerText.trim().slice(0, 12), Math.round(e.getBoundingClientRect().height)])"""


def test_a_thumb_can_hit_every_link_button_and_choice_on_a_phone(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        for path in ("", "supervision", "tasks"):
            visit(page, server.url + path)
            opener = page.get_by_test_id("stExpandSidebarButton")           # the page links too (the sidebar,
            if opener.is_visible():                                          # once opened, stays open)
                opener.click()
            page.get_by_test_id("stSidebar").get_by_role("link", name="总览").wait_for()
            targets = page.evaluate(TARGETS_JS)
            assert len(targets) >= 15, targets                               # 13 page links, choices, buttons
            assert [t for t in targets if t[1] < 44] == [], path
        anchors = "() => [...document.querySelectorAll('[data-testid=stHeaderActionElements]')]" \
                  ".filter(e => e.getBoundingClientRect().height > 0).length"
        assert page.evaluate(anchors) == 0                                   # no heading anchors to hit by mistake
    finally:
        context.close()
