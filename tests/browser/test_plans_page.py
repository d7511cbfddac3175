"""Several plans in the real browser: a link with `plan=` as the very first request to a fresh server opens the fictional
park's plan (a test fixture, tests/files/plans/), the plan stays in every link, and the ended Changning plan opens on its
final reckoning. Screenshots in tests/artifacts/ (plans-*.png)."""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, load_demo_store, screenshot, start_server, wait_rendered

PLANS = ROOT / "tests" / "files" / "plans"
CODE = "fixture-qingshan-2026-2028"
SCREEN = {"width": 1920, "height": 1080}


@pytest.fixture
def plans_server(browser, tmp_path):
    """A fresh server on the sample store plus the fictional park's figures, with the fixture plans loaded."""
    env = {**os.environ, "CNPARK_PLANS": str(PLANS)}
    store = load_demo_store(tmp_path / "store")
    done = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(store), "ingest",
                           str(PLANS / "fixture-qingshan-indicators.csv")], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    server = start_server(store, tmp_path / "streamlit.log", env=env)
    yield server
    server.stop()


def test_a_link_with_a_plan_is_the_first_request(plans_server, open_page):
    # nobody has visited this server yet; one gauge per goal of that plan
    page, errors = open_page(f"?plan={CODE}&as_of=2026-12", server=plans_server, charts=5, **SCREEN)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text("青山工业园区（测试夹具） · 目标监测")
    assert 'radio "青山工业园区（虚构） 2026–2028年（执行中）" [checked]' in sidebar.aria_snapshot()
    expect(sidebar).to_contain_text("（测试夹具·虚构）青山工业园区提质增效三年行动计划(2026-2028年)")
    main = page.get_by_test_id("stMain")
    expect(main).not_to_contain_text("营业收入")
    # the pages about the Changning plan's own targets and tasks are not offered for this plan
    expect(sidebar.get_by_role("link", name="多晶硅产能")).to_have_count(0)
    expect(sidebar.get_by_role("link", name="重点工作")).to_have_count(0)
    expect(sidebar.get_by_role("link", name="重点项目")).to_have_count(1)
    expect(page).to_have_title("总览 · 青山工业园区（测试夹具） · 目标监测")
    screenshot(page, "plans-fixture-overview", whole=False)
    # the plan is kept by the navigation
    sidebar.get_by_role("link", name="目标清单").click()
    page.wait_for_url("**/targets?**")
    wait_rendered(page)
    assert parse_qs(urlparse(page.url).query)["plan"] == [CODE]
    expect(main).to_contain_text("青政办发〔2025〕99号（虚构）")
    expect(main).to_contain_text("青山园区污水处理厂建成投运")
    assert errors == []


def test_the_ended_plan_opens_on_its_final_reckoning(plans_server, open_page):
    page, errors = open_page("?plan=changning-2023-2025", server=plans_server, **SCREEN)
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text("本计划已于 2025-12 到期，以下为终期结果。")
    snapshot = page.get_by_test_id("stSidebar").aria_snapshot()
    assert 'combobox "截至月份": 2025-12' in snapshot                   # the as-of month defaults to the plan's end
    assert 'radio "云南昌宁产业园区 2023–2025年（已到期）" [checked]' in snapshot
    expect(main).not_to_contain_text("青山园区")
    screenshot(page, "plans-changning-ended", whole=False)
    assert errors == []
