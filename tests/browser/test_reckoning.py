"""Issue 11 in the real browser at 1920×1080, as a leader meets it on the 2025-12 sample data: the reckoning by
deadline year on the first screen of a shared link, every meeting-mode screen within the projector's height, gauges
that say what the figures mean, and the 督办 tables with all their rows. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    AXIS_FONT_SIZES_JS,
    CONTENT_HEIGHT_JS,
    CUT_TEXT_JS,
    screenshot,
    view_labels,
    wait_rendered,
)

SCREEN = {"width": 1920, "height": 1080}
# The meeting tour and the two pages outside it, each with its number of screens on the sample at 2025-12
# (overview: the reckoning + 经济总量 | 产业集群·绿色硅·绿色食品 | 要素保障·债务 | 党建; 督办: 11 goals in 7 + 4, the 17
# rows of tasks behind by unit in 9 + 8, the 10 stalled projects in 6 + 4, then the 14 changes since 2025-11 in 9 + 5;
# 重点工作: one screen per each of the plan's seven sections; 重点项目: the rates and funnel, then the 10 stalled projects
# in 6 + 4; 目标清单: 29 rows in 10 + 10 + 9).
SCREENS = {"": 5, "cluster": 2, "polysilicon": 2, "agri": 2, "debt": 3, "tasks": 7, "projects": 3, "supervision": 8,
           "group": 2,
           "targets": 3,
           # the overview's other views: its table (29 rows in 12 + 12 + 5) and the most urgent first (10 + 10 + 9)
           "?view=table": 4, "?sort=按紧急程度": 4, "group?group=要素保障": 2}


def gauge_words(page) -> dict[str, list[str]]:
    out = {}
    for label in view_labels(page):
        title, words = label.split("：", 1)
        out[title] = words.split("，")
    return out


def test_a_shared_link_answers_the_reckoning_on_its_first_screen(fresh_server, open_page):
    """The first request to a fresh server, as a link sent in a chat: which 2023 / 2024 / 2025 targets were met
    (hand count in tests/test_app.py::test_the_reckoning_counts_each_deadline_year_on_its_own)."""
    server = fresh_server()
    page, errors = open_page("?as_of=2025-12", server=server, charts=29, **SCREEN)
    cards = page.locator(".cn-year")
    expect(cards).to_have_count(3)
    texts = cards.all_inner_texts()
    assert "达标 5 / 7" in texts[0] and "闲置土地处置率、规划环评及总体规划审批（逾期完成）" in texts[0]
    assert "达标 2 / 4" in texts[1] and "工业总产值、标准地出让占比" in texts[1]
    assert "达标 11 / 18" in texts[2] and "实际利用外资" in texts[2]
    for box in (cards.nth(i).bounding_box() for i in range(3)):
        assert box["y"] + box["height"] <= SCREEN["height"], box       # within the first screen
    screenshot(page, "overview", whole=False)
    screenshot(page, "overview-whole")
    assert errors == []


@pytest.mark.parametrize("path", list(SCREENS), ids=[p or "overview" for p in SCREENS])
def test_every_meeting_screen_fits_the_projector(server, open_page, path):
    page, errors = open_page(None, **SCREEN)
    name = re.sub(r"\W+", "-", path).strip("-") or "overview"
    for screen in range(1, SCREENS[path] + 1):
        page.goto(server.url + path + ("&" if "?" in path else "?") + f"mode=meeting&screen={screen}")
        wait_rendered(page)
        assert page.get_by_test_id("stException").count() == 0
        expect(page.get_by_test_id("stMain")).to_contain_text(f"第 {screen} / {SCREENS[path]} 屏")
        height = page.evaluate(CONTENT_HEIGHT_JS)
        screenshot(page, f"meeting-{name}-{screen}", whole=False)
        where = f"{path or 'overview'} screen {screen}"
        assert height <= SCREEN["height"], f"{where}: {height}px"
        # nothing cut: no text past a box that clips it, no chart label shortened with "…"
        assert page.evaluate(CUT_TEXT_JS) == [], where
        # the header is one line that says the month (it does not jump from screen to screen)
        title = page.locator("h1").first
        assert "截至 2025-12" in title.inner_text(), where
        line = title.evaluate("h => parseFloat(getComputedStyle(h).lineHeight)")
        assert title.bounding_box()["height"] <= line * 1.5, where
        header = page.get_by_test_id("stHorizontalBlock").first.bounding_box()["height"]
        assert header <= 60, f"{where}: the header is {header}px tall"
        # an axis is read from the back of the room
        assert all(size >= 16 for size in page.evaluate(AXIS_FONT_SIZES_JS)), where
    assert errors == []


def test_gauges_say_what_the_figures_mean(server, open_page):
    page, _ = open_page(None, **SCREEN)
    for as_of in ("2024-06", "2025-12"):
        page.goto(server.url + f"?as_of={as_of}")
        wait_rendered(page, 29)
        for title, words in gauge_words(page).items():
            # a headline below zero is only ever a growth rate (its target says 同比), never a completion
            assert not words[0].startswith("-") or any("同比" in w for w in words), (title, words)
            share = re.fullmatch(r"(\d{1,3}(?:,\d{3})*(?:\.\d)?)%", words[0])     # "1,250.0%" is a share too
            assert share is None or float(share.group(1).replace(",", "")) <= 200, (title, words)
    late = gauge_words(page)["规划环评及总体规划审批"]
    assert late[:3] == ["逾期完成", "未达标", "完成于 2023-11"] and "期限 2023-09" in late
    fall = gauge_words(page)["工业总产值 · 2024年"]
    assert fall[:3] == ["-14.0%", "未达标", "差 34.0 个百分点"]


def test_each_supervision_table_shows_all_its_rows(open_page):
    page, _ = open_page("supervision?since=2025-11", **SCREEN)
    main = page.get_by_test_id("stMain")
    headings = main.locator("p").filter(has_text=re.compile(r"^.+（\d+ 项）$")).all_inner_texts()
    tables = main.get_by_test_id("stTable")
    assert len(headings) >= 10
    for i, heading in enumerate(headings):
        rows = tables.nth(i).locator("tbody tr")
        expect(rows).to_have_count(int(re.search(r"（(\d+) 项）", heading).group(1)))
        assert tables.nth(i).evaluate("t => t.scrollHeight <= t.clientHeight + 1")     # nothing hidden in a scroll
    changes = tables.filter(has_text="数值变化")          # the comparison (after the tasks behind, issue 13)
    agri = changes.locator("tbody tr").filter(has_text="农特产品加工转化率")
    cells = agri.locator("td").all_inner_texts()
    assert cells[-4:] == ["+4.5 个百分点", "向好", "严重滞后 → 未达标", "退步"], cells
    text = main.inner_text()
    assert "python -m" not in text
    screenshot(page, "supervision")


def test_the_server_keeps_the_latest_month_warm(demo_dir, tmp_path):
    """`python -m cnpark serve` builds the caches before anyone asks, and again when the store changes from outside
    (here an ingest through the CLI): its log says so for each data version."""
    import shutil
    import subprocess
    import sys
    import time

    from tests.browser.conftest import ROOT, start_server

    store = tmp_path / "store"
    shutil.copytree(demo_dir, store)
    server = start_server(store, tmp_path / "serve.log")
    try:
        def warm_lines() -> list[str]:
            return [line for line in server.log.read_text(errors="replace").splitlines() if "预热完成" in line]
        deadline = time.monotonic() + 60
        while not warm_lines() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(warm_lines()) == 1, server.log_tail()                    # before any request
        subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(store), "ingest",
                        str(ROOT / "tests" / "files" / "cli_capacity_correction.csv")], cwd=ROOT, check=True,
                       capture_output=True, timeout=60)
        deadline = time.monotonic() + 60
        while len(warm_lines()) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        versions = [re.search(r"数据版本 (\(.*?\))", line).group(1) for line in warm_lines()]
        assert len(versions) == 2 and versions[0] != versions[1], server.log_tail()
    finally:
        server.stop()
