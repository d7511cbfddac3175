"""重点项目 in the real browser at 1920×1080 on the sample data: tables that never stack a stage or a state one
character a line, a link to a project that opens at it, and meeting screens that fit the projector. Screenshots go to
tests/artifacts/."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import CONTENT_HEIGHT_JS, screenshot, wait_rendered

SCREEN = {"width": 1920, "height": 1080}
# The columns whose cells are short words, numbers, dates or money: each on one line
SHORT = ["编号", "阶段", "状态", "环节", "本阶段月数", "签约", "计划开工", "实际开工", "投产", "协议投资", "到位资金", "自何时起",
         "台账阶段", "台账期间", "企业名录状态", "名录期间", "月份"]
# For every table: each cell of a SHORT column with its number of lines (its text's height over its line height)
CELLS_JS = """short => [...document.querySelectorAll('[data-testid="stTable"] table')].flatMap(table => {
    const heads = [...table.querySelectorAll('thead th')].map(th => th.innerText.trim());
    return [...table.querySelectorAll('tbody tr')].flatMap(tr => [...tr.querySelectorAll('td, th')].map((td, i) => {
        const text = td.querySelector('p') || td;
        const lines = Math.round(text.getBoundingClientRect().height / parseFloat(getComputedStyle(text).lineHeight));
        return {column: heads[i], text: td.innerText.trim(), lines};
    })).filter(c => short.includes(c.column));
})"""


def test_the_project_tables_never_stack_characters(open_page):
    page, errors = open_page("projects?as_of=2025-12", charts=2, **SCREEN)          # the funnel's two charts
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text("数据不一致")
    cells = page.evaluate(CELLS_JS, SHORT)
    # 24 projects' 阶段 and 状态 in 全部项目, 10 stalled projects' 阶段, 7 inconsistent projects' two stages at least
    assert sum(c["column"] in ("阶段", "状态") for c in cells) >= 24 * 2 + 10
    assert sum(c["column"] == "企业名录状态" for c in cells) >= 2
    assert [c for c in cells if c["lines"] != 1] == []
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "projects-tables")
    assert errors == []


def test_a_link_to_a_project_opens_at_it(open_page):
    page, errors = open_page("projects?project=XM03&as_of=2025-12", charts=2, **SCREEN)
    heading = page.get_by_role("heading", name="XM03 硅业新材料项目")
    expect(heading).to_be_visible()
    box = heading.bounding_box()
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= SCREEN["height"]     # no scrolling
    months = page.get_by_test_id("stTable").filter(has_text="月份").first
    first = months.locator("tbody tr").first
    row = first.bounding_box()
    assert row is not None and row["y"] + row["height"] <= SCREEN["height"]
    assert first.inner_text().startswith("2025-12")
    cells = page.evaluate(CELLS_JS, ["月份", "阶段"])
    assert cells and [c for c in cells if c["lines"] != 1] == []
    screenshot(page, "projects-project", whole=False)
    assert errors == []


def test_the_meeting_screens_fit_the_projector(server, open_page):
    page, errors = open_page(None, **SCREEN)
    for path, n in (("projects", 3), ("tasks", 7)):
        for screen in range(1, n + 1):
            page.goto(server.url + f"{path}?as_of=2025-12&mode=meeting&screen={screen}")
            wait_rendered(page)
            expect(page.get_by_test_id("stMain")).to_contain_text(f"第 {screen} / {n} 屏")
            assert page.evaluate(CONTENT_HEIGHT_JS) <= SCREEN["height"], (path, screen)
            if path == "projects" and screen == 1:
                expect(page.get_by_test_id("stMain")).to_contain_text("已开工 16 ÷ 已签约 21 个")
                screenshot(page, "projects-meeting", whole=False)
            if path == "tasks" and screen == 4:
                expect(page.get_by_test_id("stMain")).to_contain_text("单位报送 123 项")
    assert errors == []
