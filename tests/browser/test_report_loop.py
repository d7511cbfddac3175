"""The monthly reporting loop (plan 四(四)) end to end in a real browser: a responsible unit fills its month on 填报
(two tasks and one project, through the form and the data editor), 重点工作 shows it, the 督查室 returns it on 审核
with a reason, 重点工作 counts it missing again and the unit reads the reason, corrects and resubmits, the 督查室
approves, and the CLI's `submissions` says approved.

The store is small and built here through the service, so every figure the pages show can be worked out by hand:
- 县投资促进局 (the unit) carries tasks 3, 7, 8, 9, 10, 11, 12 and 17 and is the only unit with projects;
- its May 工作进展 (all 8 tasks, 推进中, 报送日期 2025-06-03: on time) is stored as the unit;
- the May 重点项目台账 (XM-101 签约, XM-102 在建) is an analyst's upload, made today: late;
- June, the month reported here, is long past its due day (2025-07-05), so whatever is sent today is late.
Three browser contexts: the unit, the 督查室 and a viewer who signs in as nobody.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from cnpark.auth import hash_password
from cnpark.plan.catalog import DEFAULT_CATALOG, load_catalog
from cnpark.service.uploads import check_upload, commit_upload, ingest_bytes
from cnpark.store.snapshots import Store
from tests.browser.conftest import (
    CONTENT_HEIGHT_JS,
    CUT_TEXT_JS,
    ROOT,
    new_page,
    painted_text,
    screenshot,
    start_server,
    visit,
    wait_rendered,
)
from tests.browser.test_words import latin

UNIT, UNIT_LOGIN = "县投资促进局", "tzcj"
REVIEWER, REVIEWER_LOGIN = "督查室王五", "dcs"
PASSWORD = "报送口令-2025"
MONTH = "2025-06"
UNIT_TASKS = [3, 7, 8, 9, 10, 11, 12, 17]          # the plan's tasks naming 县投资促进局 (checked below)
TASKS = "任务,责任单位,期间,完成状态,进展情况,存在问题,下步打算,报送日期\n"
PROJECTS = ("项目编号,项目名称,产业链环节,片区,责任单位,业主单位,总投资(万元),协议投资(万元),年度计划投资(万元),"
            "本年累计完成投资(万元),累计到位资金(万元),阶段,签约日期,计划开工日期,实际开工日期,投产日期,期间,备注\n")
LEDGER = (PROJECTS +
          f"XM-101,光伏组件二期,电池组装,园中园,{UNIT},某新能源有限公司,50000,45000,20000,6000,9000,签约,2025-03-10,"
          "2025-07,,,2025-05,\n"
          f"XM-102,茶叶精深加工,茶叶,田园镇片区,{UNIT},某茶业有限公司,20000,18000,6000,2500,7200,在建,2024-03-15,"
          "2024-06,2024-07-01,,2025-05,\n")

# what the unit types (no full-width punctuation: the upload check folds a report's "，" into "," — reported apart)
PROGRESS_7 = "6月赴长三角开展光伏产业链招商3次 签约组件项目1个"
PROBLEMS_8 = "精准招商目录尚未编制完成"
NEXT_8 = "7月15日前完成招商目录编制并报县政府审定"
REASON = "第8条请写明招商目录的编制进度和完成时间"
STARTED, FUNDED, NOTE = "2025-06-18", "12000", "6月18日开工"

# a st.table (rendered HTML) as rows of {column: cell}
TABLES_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stTable"] table')].map(t =>
  [...t.rows].map(r => [...r.cells].map(c => c.textContent.trim())))"""
# a data editor's cells (its accessible table, filled once the grid has painted)
GRID_JS = """df => { const t = df.querySelector('table');
  return t && t.rows.length > 1 ? [...t.rows].map(r => [...r.cells].map(c => c.textContent.trim())) : null; }"""
SPOKEN_JS = """() => [...document.querySelectorAll('[data-live-announcer] *, [aria-live], [aria-live] *')]
  .map(e => e.textContent.trim()).filter(Boolean)"""
GRID_ROW, GRID_HEADER = 35, 35     # a glide grid's row and header heights (px)


# ------------------------------------------------------------------------------------------------ the store, the server

def build_store(path: Path) -> Path:
    catalog = load_catalog(DEFAULT_CATALOG)
    assert [t.number for t in catalog.tasks if UNIT in t.units] == UNIT_TASKS
    store = Store(path)
    _, entry = ingest_bytes(store, catalog, LEDGER.encode(), "重点项目台账-2025-05.csv", user="李四")
    assert entry is not None and entry.rows == 2
    may = "".join(f"第{n}条,{UNIT},2025-05,推进中,五月进展{n},,,2025-06-03\n" for n in UNIT_TASKS)
    upload = check_upload(store, catalog, (TASKS + may).encode(), "工作进展-2025-05.csv", unit=UNIT)
    assert upload.ok, [str(p) for p in upload.result.problems]
    commit_upload(store, upload, UNIT)
    return path


@pytest.fixture(scope="module")
def loop_server(browser, tmp_path_factory):
    """(server, store): a fresh server on the small store with the unit's and the 督查室's accounts."""
    root = tmp_path_factory.mktemp("report-loop")
    store = build_store(root / "store")
    digest = hash_password(PASSWORD, iterations=1000)
    secrets = root / "secrets.toml"
    secrets.write_text(f'[accounts.{UNIT_LOGIN}]\nrole = "unit"\nunit = "{UNIT}"\npassword_hash = "{digest}"\n\n'
                       f'[accounts.{REVIEWER_LOGIN}]\nname = "{REVIEWER}"\nrole = "reviewer"\n'
                       f'password_hash = "{digest}"\n', encoding="utf-8")
    server = start_server(store, root / "streamlit.log", "--secrets.files", str(secrets))
    yield server, store
    server.stop()


# ------------------------------------------------------------------------------------------------ helpers

def main(page):
    return page.get_by_test_id("stMain")


def open_as(page, url: str, login: str | None) -> None:
    """Go to url (a new Streamlit session: nobody signed in) and sign in as login (None: stay a viewer)."""
    visit(page, url)
    if login is None:
        return
    form = page.get_by_test_id("stForm").filter(has_text="登录")
    form.get_by_label("账号").fill(login)
    form.get_by_label("密码").fill(PASSWORD)
    form.get_by_role("button", name="登录").click()
    expect(main(page).get_by_role("button", name="退出登录")).to_be_visible(timeout=30_000)
    wait_rendered(page)


def alerts(page) -> list[str]:
    """The alerts' words (without their icons)."""
    return [t.strip() for t in main(page).get_by_test_id("stAlert").get_by_test_id("stMarkdownContainer")
            .all_inner_texts()]


def state_lines(page) -> list[str]:
    """填报's line for each report of the month (the 督查室's state), without when it was sent."""
    return [re.sub(r"（\d{4}-\d\d-\d\d \d\d:\d\d 提交）$", "", a) for a in alerts(page) if a.startswith(MONTH)]


def expect_alert(page, text: str) -> None:
    expect(main(page).get_by_test_id("stAlert").filter(has_text=text)).to_be_visible(timeout=30_000)


def tables(page, *headers: str) -> list[list[dict[str, str]]]:
    """The st.tables on the page with columns named headers, each as rows of {column: cell}."""
    out = []
    for head, *rows in page.evaluate(TABLES_JS):
        if set(headers) <= set(head):
            out.append([dict(zip(head, row)) for row in rows])
    return out


def one_table(page, *headers: str) -> list[dict[str, str]]:
    found = tables(page, *headers)
    assert len(found) == 1, f"{len(found)} tables with columns {headers}"
    return found[0]


def choose(page, key: str, option: str) -> None:
    """Pick option in the st.selectbox with this key: ArrowDown opens its list (a click only focuses it), the option
    is clicked. The list can be swapped for a new one while it opens (the option detached under the click): then
    again, up to three times."""
    box = page.locator(f".st-key-{key}").get_by_role("combobox")
    box.scroll_into_view_if_needed()
    for attempt in range(3):
        box.press("ArrowDown")
        try:
            page.get_by_role("listbox").get_by_role("option").filter(
                has_text=re.compile(f"^{re.escape(option)}$")).click(timeout=5_000)
            break
        except PlaywrightError:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
    expect_choice(page, key, option)


def expect_choice(page, key: str, option: str) -> None:
    expect(page.locator(f".st-key-{key}").get_by_role("combobox")).to_have_value(option)


def grid(editor) -> list[list[str]]:
    return editor.page.wait_for_function(GRID_JS, arg=editor.element_handle(), timeout=30_000).json_value()


def edit_cell(editor, row: int, column: str, value: str, choice: bool = False) -> None:
    """Type value into a data editor's cell (row from 0, column by its header), as a keyboard user does: the arrow
    keys walk from the selected cell (a click selects the first cell of a grid with none), Enter opens the cell's
    editor, the value is typed and Enter keeps it — in a choice column too (typing filters the list, Enter takes the
    option: a click on the option leaves the grid deaf to the next click and keys). Then the grid says value."""
    page = editor.page
    col = grid(editor)[0].index(column)
    overlay = page.get_by_test_id("portal").locator(".gdg-clip-region")
    expect(overlay).to_have_count(0)
    at = editor.evaluate("df => df.querySelector('td[aria-selected=true]')?.id ?? null")
    if at is None:
        editor.click(position={"x": 12, "y": GRID_HEADER + GRID_ROW * row + GRID_ROW / 2})
        at = f"glide-cell-0-{row}"
        expect(editor.locator(f"#{at}")).to_have_attribute("aria-selected", "true")
    x, y = (int(n) for n in at.split("-")[2:])
    for key, steps in (("ArrowRight", col - x), ("ArrowLeft", x - col), ("ArrowDown", row - y), ("ArrowUp", y - row)):
        for _ in range(max(steps, 0)):
            page.keyboard.press(key)
    cell = editor.locator(f"#glide-cell-{col}-{row}")
    expect(cell).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    if choice:
        expect(page.get_by_test_id("portal").get_by_role("option", name=value, exact=True)).to_be_visible()
        page.keyboard.type(value)
    else:
        box = overlay.locator("textarea, input").first
        expect(box).to_be_editable()
        box.fill(value)
    page.keyboard.press("Enter")
    expect(cell).to_have_text(value)
    expect(overlay).to_have_count(0)


def submit(page, button: str, said: str) -> None:
    main(page).get_by_role("button", name=button).click()
    expect_alert(page, said)
    wait_rendered(page)


def project_editor(page):
    main(page).get_by_role("tab", name="重点项目").click()
    editor = main(page).get_by_test_id("stDataFrame").filter(visible=True)
    expect(editor).to_have_count(1)
    return editor


def report_rows(page) -> dict[str, list[str]]:
    """报送情况's rows of the unit: 报送内容 → 应报 · 已报 · 按时 · 逾期报送 · 未报 · 按时率."""
    rows = one_table(page, "按时率")
    return {r["报送内容"]: [r[c] for c in ("应报", "已报", "按时", "逾期报送", "未报", "按时率")]
            for r in rows if r["责任单位"] == UNIT}


def unit_tasks(page) -> dict[int, tuple[str, str, str, str]]:
    """The unit's own list on 重点工作: task number → 本单位 · 进展情况 · 存在问题 · 下步打算."""
    return {int(r["任务"].split("条")[0].removeprefix("第")): (r["本单位"], r["进展情况"], r["存在问题"], r["下步打算"])
            for r in one_table(page, "任务", "本单位")}


def readable(page) -> str:
    """painted_text without what only a screen reader reads: the lists' live regions ("5 options available."), which
    are clipped to nothing."""
    spoken = set(page.evaluate(SPOKEN_JS))
    return "\n".join(line for line in painted_text(page).splitlines() if line not in spoken)


def look(page, name: str) -> Path:
    """The whole page into tests/artifacts/<name>.png (the viewport grown to the content's height, as screenshot()
    does), after checking, at that height, that no English word is painted and no text is cut."""
    viewport = page.viewport_size
    page.set_viewport_size({"width": viewport["width"], "height": max(viewport["height"],
                                                                       page.evaluate(CONTENT_HEIGHT_JS))})
    wait_rendered(page)
    try:
        assert not latin(readable(page)), sorted(latin(readable(page)))
        assert page.evaluate(CUT_TEXT_JS) == [], name
        return screenshot(page, name)
    finally:
        page.set_viewport_size(viewport)
        wait_rendered(page)


def cli(store: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(store), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


# ------------------------------------------------------------------------------------------------ the loop

def test_a_unit_reports_is_returned_corrects_and_is_approved(browser, loop_server):
    server, store = loop_server
    report_url, review_url = f"{server.url}report?month={MONTH}", f"{server.url}review?month={MONTH}"
    tasks_url = f"{server.url}tasks?as_of={MONTH}"
    unit, unit_errors = new_page(browser)
    viewer, viewer_errors = new_page(browser)
    office, office_errors = new_page(browser)
    try:
        # 1. the unit fills its June: two tasks in the form, one project in the data editor
        open_as(unit, report_url, UNIT_LOGIN)
        expect(main(unit)).to_contain_text(f"当前账号：{UNIT}")
        assert state_lines(unit) == [f"{MONTH} 工作进展：未报送。", f"{MONTH} 重点项目台账：未报送。"]
        assert main(unit).get_by_role("tab").all_inner_texts() == ["工作进展", "重点项目", "指标数据"]
        # every task of the unit, May's words carried, the state to be chosen afresh
        for n in UNIT_TASKS:
            expect_choice(unit, f"fill-{MONTH}-{n}-state", "（请选择）")
            expect(unit.locator(f".st-key-fill-{MONTH}-{n}-progress textarea")).to_have_value(f"五月进展{n}")
        state_7 = unit.locator(f".st-key-fill-{MONTH}-7-state").get_by_role("combobox")
        expect(state_7).to_have_attribute("placeholder", "请选择完成状态")      # seen once its text is deleted
        choose(unit, f"fill-{MONTH}-7-state", "推进中")
        unit.locator(f".st-key-fill-{MONTH}-7-progress textarea").fill(PROGRESS_7)
        choose(unit, f"fill-{MONTH}-8-state", "滞后")
        unit.locator(f".st-key-fill-{MONTH}-8-problems textarea").fill(PROBLEMS_8)
        look(unit, "report-loop-fill")
        submit(unit, "提交报送", f"已报送：{MONTH} 工作进展 2 条")
        expect_alert(unit, f"{MONTH} 工作进展：待审核")
        # the dashboard followed its default month, May; now June has data, it follows to June (not "历史月份")
        expect_choice(unit, "as_of", MONTH)
        expect(main(unit)).not_to_contain_text("历史月份")

        editor = project_editor(unit)
        assert grid(editor)[1][:5] == ["XM-101", "光伏组件二期", "签约", "9000", "6000"]
        edit_cell(editor, 0, "阶段", "在建", choice=True)
        edit_cell(editor, 0, "实际开工日期", STARTED)
        edit_cell(editor, 0, "累计到位资金(万元)", FUNDED)
        look(unit, "report-loop-fill-projects")
        submit(unit, "提交项目台账", f"已报送：{MONTH} 重点项目台账 2 条")
        expect_alert(unit, f"{MONTH} 重点项目台账：待审核")
        assert state_lines(unit) == [f"{MONTH} 工作进展：待审核", f"{MONTH} 重点项目台账：待审核"]

        # 2. 重点工作, as anyone: the unit's two tasks in their new states; 报送情况 counts them
        #    工作进展 owed: 8 tasks × May and June = 16; came: May's 8 (on time) + June's 2 (late)
        #    项目台账 owed: May and June = 2; came: both, late (the analyst's May upload and the unit's June, today)
        sent = {"工作进展": ["16", "10", "8", "2", "6", "50.0%"], "重点项目台账": ["2", "2", "0", "2", "0", "0.0%"]}
        open_as(viewer, f"{tasks_url}&unit={UNIT}", None)
        mine = unit_tasks(viewer)
        assert sorted(mine) == UNIT_TASKS
        assert mine[7] == ("推进中", PROGRESS_7, "—", "—")
        assert mine[8] == ("滞后", "五月进展8", PROBLEMS_8, "—")
        assert {n: s[0] for n, s in mine.items() if n not in (7, 8)} == {n: "未报送" for n in UNIT_TASKS if n not in (7, 8)}
        open_as(viewer, tasks_url, None)
        assert report_rows(viewer) == sent

        # 3. the 督查室 opens the unit's June and returns it
        open_as(office, review_url, REVIEWER_LOGIN)
        expect(main(office)).to_contain_text(f"{MONTH} 应报 31 份")      # 30 task units' 工作进展 + 1 ledger
        expect(main(office)).to_contain_text("未报送 29，待审核 2，退回 0，已审核 0")
        choose(office, "unit", UNIT)
        expect(main(office)).to_contain_text(f"{UNIT} {MONTH} 的工作进展")
        wait_rendered(office)
        opened = one_table(office, "上月状态")
        assert [[r[c] for c in ("任务", "上月状态", "本月状态", "进展情况", "存在问题")] for r in opened] == [
            ["第7条 开展专业化招商", "推进中", "推进中", PROGRESS_7, "—"],
            ["第8条 开展精准化招商", "推进中", "滞后", "五月进展8", PROBLEMS_8]]
        look(office, "report-loop-review")
        main(office).get_by_label("退回理由（单位在填报页看到）").fill(REASON)
        main(office).get_by_role("button", name="退回", exact=True).click()
        expect_alert(office, f"已退回：{UNIT} {MONTH}")
        wait_rendered(office)
        states = [(r["数据集"], r["状态"], r["退回理由"]) for r in one_table(office, "退回理由") if r["责任单位"] == UNIT]
        assert states == [("工作进展", "退回", REASON), ("重点项目台账", "退回", REASON)]

        # 4. returned: not reported until resubmitted — on 重点工作 and in 报送情况; the unit reads why
        open_as(viewer, f"{tasks_url}&unit={UNIT}", None)
        assert unit_tasks(viewer) == {n: ("未报送", "—", "—", "—") for n in UNIT_TASKS}    # June's words gone too
        open_as(viewer, tasks_url, None)
        assert report_rows(viewer) == {"工作进展": ["16", "8", "8", "0", "8", "50.0%"],
                                       "重点项目台账": ["2", "1", "0", "1", "1", "0.0%"]}
        open_as(unit, report_url, UNIT_LOGIN)
        assert state_lines(unit) == [f"{MONTH} {what}：退回。退回理由：{REASON}。请修改后重新提交。"
                                for what in ("工作进展", "重点项目台账")]
        # the form holds June's report, to correct
        expect_choice(unit, f"fill-{MONTH}-8-state", "滞后")
        expect(unit.locator(f".st-key-fill-{MONTH}-8-problems textarea")).to_have_value(PROBLEMS_8)
        look(unit, "report-loop-returned")

        # 5. the unit corrects and resubmits both
        unit.locator(f".st-key-fill-{MONTH}-8-next textarea").fill(NEXT_8)
        submit(unit, "提交报送", f"已报送：{MONTH} 工作进展 2 条")
        editor = project_editor(unit)
        assert grid(editor)[1][:3] == ["XM-101", "光伏组件二期", "在建"]
        edit_cell(editor, 0, "备注", NOTE)
        submit(unit, "提交项目台账", f"已报送：{MONTH} 重点项目台账 2 条")
        assert state_lines(unit) == [f"{MONTH} 工作进展：待审核", f"{MONTH} 重点项目台账：待审核"]
        open_as(viewer, f"{tasks_url}&unit={UNIT}", None)
        mine = unit_tasks(viewer)
        assert (mine[7][0], mine[8]) == ("推进中", ("滞后", "五月进展8", PROBLEMS_8, NEXT_8))
        open_as(viewer, tasks_url, None)
        assert report_rows(viewer) == sent

        # 6. the 督查室 approves what it opens; the unit sees 已审核; the CLI agrees
        open_as(office, f"{review_url}&unit={UNIT}", REVIEWER_LOGIN)
        expect(main(office)).to_contain_text("未报送 29，待审核 2，退回 0，已审核 0")
        assert [r["下步打算"] for r in one_table(office, "上月状态")] == ["—", NEXT_8]
        main(office).get_by_role("button", name="审核通过").click()
        expect_alert(office, f"审核通过：{UNIT} {MONTH}")
        expect(main(office)).to_contain_text("未报送 29，待审核 0，退回 0，已审核 2")
        open_as(unit, report_url, UNIT_LOGIN)
        again = "。如需更正，修改后再次提交将重新进入审核。"
        assert state_lines(unit) == [f"{MONTH} 工作进展：已审核（{REVIEWER}）{again}",
                                     f"{MONTH} 重点项目台账：已审核（{REVIEWER}）{again}"]
        unit.set_viewport_size({"width": 390, "height": 844})
        wait_rendered(unit)
        look(unit, "report-loop-fill-phone")

        for errors in (unit_errors, viewer_errors, office_errors):
            assert errors == []
    finally:
        for page in (unit, viewer, office):
            page.context.close()

    said = json.loads(cli(store, "submissions", "--month", MONTH, "--format", "json"))
    mine = {s["dataset"]: s for s in said["submissions"] if s["unit"] == UNIT}
    assert {d: (s["state"], s["by"], s["late"]) for d, s in mine.items()} == {
        "tasks": ("approved", UNIT, True), "projects": ("approved", UNIT, True)}
    june = Store(store).read("projects")
    june = june[(june["period"] == MONTH) & (june["project_id"] == "XM-101")]
    assert june[["stage", "started", "funded", "note"]].values.tolist() == [["在建", STARTED, 12000.0, NOTE]]
