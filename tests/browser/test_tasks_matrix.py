"""重点工作 in the real browser at 1920×1080 on the sample data: a department head's own list from a link that is the
first request to a fresh server, and the matrix that reads at a glance — every word on one line, no column cut off.
Screenshots go to tests/artifacts/ (and docs/screenshots/)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_rendered

SCREEN = {"width": 1920, "height": 1080}
# The tasks whose clause names 县自然资源局 (plan 三: 第4、5、6、14、15、18条)
OWN = ["第4条 严格考核评价", "第5条 加快园区规划审批", "第6条 开展区域评估工作", "第14条 补齐园区基础设施短板",
       "第15条 提升配套服务水平", "第18条 强化用地保障"]


def test_a_unit_opens_its_own_list_from_a_link(fresh_server, open_page):
    server = fresh_server()
    # the first request this server sees
    page, errors = open_page("tasks?unit=县自然资源局&as_of=2025-12", server=server, **SCREEN)
    table = page.get_by_test_id("stTable").first
    expect(table).to_be_visible()
    rows = table.locator("tbody tr th, tbody tr td:first-child").all_inner_texts()
    assert [r for r in rows if r.startswith("第")] == OWN
    assert 'combobox "责任单位": 县自然资源局' in page.get_by_test_id("stMain").get_by_test_id("stSelectbox").first.aria_snapshot()
    assert "unit=" in page.url
    screenshot(page, "tasks-unit", whole=False)
    assert errors == []


def test_the_matrix_reads_at_a_glance(server, open_page):
    page, errors = open_page("tasks?as_of=2025-12", **SCREEN)
    matrices = page.locator("table.cn-matrix")
    expect(matrices).to_have_count(7)
    # the counts say what they count, painted: per task, and per task and unit — the four 未报送 cells among them
    rows = [re.sub(r"\s+", "", r) for r in page.locator(".cn-count-row").all_inner_texts()]
    assert rows[0].startswith("任务21项每条任务一个任务状态") and rows[1].startswith("单位报送123项")
    assert rows[1].endswith("未报送4")
    # every word on one line and inside its cell; every table within the page's width
    report = page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]').getBoundingClientRect();
        const cells = [...document.querySelectorAll('table.cn-matrix td.cn-cell')];
        const lines = c => { const r = document.createRange(); r.selectNodeContents(c); return r.getClientRects().length; };
        return {cells: cells.length,
                wrapped: cells.filter(c => lines(c) > 1).map(c => c.innerText),
                overflow: cells.filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.innerText),
                wide: [...document.querySelectorAll('table.cn-matrix')].filter(
                    t => t.getBoundingClientRect().right > main.right + 1).length};
    }""")
    # one cell per task for its state, and one per unit each task names: 21 + 123
    assert report["cells"] == 21 + 123
    assert report["wrapped"] == [] and report["overflow"] == [] and report["wide"] == 0, report
    screenshot(page, "tasks")
    page.goto(server.url + "tasks?as_of=2025-12&mode=meeting&screen=4")
    wait_rendered(page)
    expect(page.get_by_test_id("stMain")).to_contain_text("第 4 / 7 屏")
    screenshot(page, "tasks-meeting", whole=False)
    assert errors == []


def test_a_task_done_late_says_so_beside_its_gauge(open_page):
    page, errors = open_page("tasks?task=5&as_of=2025-12", **SCREEN)
    note = page.get_by_text("所承载的“规划环评及总体规划审批”逾期完成（完成于 2023-11，期限 2023-09）")
    note.scroll_into_view_if_needed()
    gauge = page.locator('[data-testid="stVegaLiteChart"]').first
    wait_rendered(page)
    top, chart = note.bounding_box(), gauge.bounding_box()
    assert top and chart and 0 <= top["y"] < chart["y"] and chart["y"] + chart["height"] <= SCREEN["height"]
    assert chart["y"] - (top["y"] + top["height"]) < 120                  # the words right above the gauge
    screenshot(page, "tasks-late", whole=False)
    assert errors == []


def test_a_projects_link_opens_its_filtered_pipeline(fresh_server, open_page):
    """重点项目 from a shared link that is a fresh server's first request: the unit's stalled projects in red, nothing
    cut off at 1920×1080."""
    server = fresh_server()
    page, errors = open_page("projects?unit=县投资促进局&as_of=2025-12", server=server, charts=2,
                             **SCREEN)                       # the funnel's two charts
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text("落地率")
    stalled = main.get_by_test_id("stTable").filter(has_text="停滞原因").first
    units = stalled.locator("tbody tr td:first-child, tbody tr th:first-child").all_inner_texts()
    assert units and set(units) == {"县投资促进局"}
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "projects")
    assert errors == []
