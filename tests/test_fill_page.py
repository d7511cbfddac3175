"""The 填报 page through AppTest: a unit signs in, its tasks are prefilled from its last report, it submits two of them,
the 督查室 returns the month with a reason, the unit sees it and resubmits. Real store in a temp directory."""

import pytest

from cnpark.auth import hash_password
from cnpark.service.readings import Readings
from cnpark.service.review import decide
from cnpark.service.uploads import check_upload, commit_upload
from cnpark.store.snapshots import Store
from tests.conftest import signed_in_page

PASSWORD = "单位口令-2025"
UNIT = "县自然资源局"          # tasks 4, 5, 6, 14, 15 and 18
TASKS = "任务,责任单位,期间,完成状态,进展情况,存在问题,下步打算\n"
pytestmark = pytest.mark.usefixtures("fresh_caches")


@pytest.fixture(scope="module")
def accounts():
    digest = hash_password(PASSWORD, iterations=1000)
    return {"zrzy": {"role": "unit", "unit": UNIT, "password_hash": digest},
            "zhangsan": {"name": "张三", "password_hash": digest}}


def sign_in(monkeypatch, store_dir, accounts, account="zrzy", **query):
    return signed_in_page(monkeypatch, store_dir, "pages/report.py", accounts, account, PASSWORD, **query)


def test_a_unit_reports_its_month_on_the_page_and_sees_a_return(monkeypatch, tmp_path, catalog, accounts):
    store = Store(tmp_path)
    may = check_upload(store, catalog, (TASKS + f"第5条,{UNIT},2025-05,推进中,用地报批材料已上报,缺少规划指标,跟进省厅\n").encode(),
                       "may.csv", unit=UNIT)
    commit_upload(store, may, UNIT)
    at = sign_in(monkeypatch, tmp_path, accounts, month="2025-06")
    states = {s.key: s for s in at.selectbox if s.key and s.key.endswith("-state")}
    assert sorted(int(k.split("-")[3]) for k in states) == [4, 5, 6, 14, 15, 18]
    # task 5 carries May's words; its state is June's own, to be chosen
    assert at.text_area(key="fill-2025-06-5-progress").value == "用地报批材料已上报"
    assert states["fill-2025-06-5-state"].value == "（请选择）"
    assert any("上次报送 2025-05" in m.value for m in at.markdown)

    states["fill-2025-06-5-state"].set_value("推进中")
    states["fill-2025-06-6-state"].set_value("滞后")
    at.text_area(key="fill-2025-06-6-problems").input("评估单位尚未确定")
    at = next(b for b in at.get("form_submit_button") if b.label == "提交报送").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("已报送：2025-06 工作进展 2 条" in s.value for s in at.success)
    june = store.read("tasks")
    june = june[june["period"] == "2025-06"].sort_values("task")
    assert june[["task", "unit", "state", "progress", "problems"]].values.tolist() == [
        [5, UNIT, "推进中", "用地报批材料已上报", "缺少规划指标"],      # May's words, carried
        [6, UNIT, "滞后", "", "评估单位尚未确定"]]
    assert store.entries()[-1].user == UNIT
    assert any("工作进展：**待审核**" in i.value for i in at.info)

    decide(store, catalog, UNIT, "2025-06", approve=False, reason="请写明评估单位的确定时间", user="督查室")
    at = sign_in(monkeypatch, tmp_path, accounts, month="2025-06")
    assert any("退回理由：请写明评估单位的确定时间" in w.value for w in at.warning)
    states = {s.key: s for s in at.selectbox if s.key and s.key.endswith("-state")}
    assert states["fill-2025-06-6-state"].value == "滞后"          # the month's own report, to correct
    at.text_area(key="fill-2025-06-6-next").input("7月10日前确定评估单位")
    at = next(b for b in at.get("form_submit_button") if b.label == "提交报送").click().run()
    assert any("已报送" in s.value for s in at.success)
    mine = next(s for s in Readings(store, catalog, "2025-06").review_states if s.unit == UNIT)
    assert mine.state == "submitted" and mine.entry == store.entries()[-1].id


def test_an_analyst_is_sent_to_the_upload_page(monkeypatch, tmp_path, accounts):
    at = sign_in(monkeypatch, tmp_path, accounts, account="zhangsan")
    assert any("分析人员请在“数据上传”页上传文件" in i.value for i in at.info)
    assert not [s for s in at.selectbox if s.key and s.key.startswith("fill-")]


def test_a_units_projects_and_figures_are_tabs_beside_its_tasks(monkeypatch, tmp_path, catalog):
    from tests.test_scope import PROJECTS, XM01
    store = Store(tmp_path)
    ledger = PROJECTS + XM01.format(unit="县工业信息商务科技局", done=900000).replace("2025-12,\n", "2025-11,\n")
    commit_upload(store, check_upload(store, catalog, ledger.encode(), "ledger.csv"), "张三")
    digest = hash_password(PASSWORD, iterations=1000)
    accounts = {"gx": {"role": "unit", "unit": "县工业信息商务科技局", "password_hash": digest}}
    at = signed_in_page(monkeypatch, tmp_path, "pages/report.py", accounts, "gx", PASSWORD, month="2025-12")
    assert [t.label for t in at.tabs] == ["工作进展", "重点项目", "指标数据"]
    buttons = {b.label: b for b in at.get("form_submit_button")}
    assert [b.label for b in at.get("form_submit_button")].count("暂存草稿") == 3        # one for each form
    assert set(buttons) == {"提交报送", "提交项目台账", "提交指标数据", "暂存草稿"}
    at = buttons["提交指标数据"].click().run()                    # nothing typed: nothing sent
    assert any("没有填写数值的指标" in e.value for e in at.error) and len(store.entries()) == 1
    # the project's November row, sent unchanged for December: stored as December's, by the unit
    at = next(b for b in at.get("form_submit_button") if b.label == "提交项目台账").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("已报送：2025-12 重点项目台账 1 条" in s.value for s in at.success)
    rows = store.read("projects")
    assert rows[["project_id", "period", "unit", "stage", "funded"]].values.tolist() == [
        ["XM01", "2025-11", "县工业信息商务科技局", "纳统", 1000000.0], ["XM01", "2025-12", "县工业信息商务科技局", "纳统", 1000000.0]]
    assert store.entries()[-1].user == "县工业信息商务科技局"
    assert any("重点项目台账：**待审核**" in i.value for i in at.info)


def test_a_draft_kept_in_the_session_survives_leaving_the_page_and_stores_nothing(monkeypatch, tmp_path, catalog,
                                                                                  accounts):
    store = Store(tmp_path)
    commit_upload(store, check_upload(store, catalog, (TASKS + f"第5条,{UNIT},2025-05,推进中,五月进展,,\n").encode(),
                                      "may.csv", unit=UNIT), UNIT)
    at = sign_in(monkeypatch, tmp_path, accounts, month="2025-06")
    at.selectbox(key="fill-2025-06-6-state").set_value("滞后")
    at.text_area(key="fill-2025-06-6-problems").input("评估单位尚未确定")
    at = next(b for b in at.get("form_submit_button") if b.label == "暂存草稿").click().run()
    assert not at.exception and any("草稿已暂存（工作进展，未报送）" in s.value for s in at.success)
    assert len(store.entries()) == 1                                     # nothing stored
    at.switch_page("pages/tasks.py").run()                               # away: the form's widgets are gone
    assert not at.exception
    at.switch_page("pages/report.py").run()                              # back, in the same session
    assert at.selectbox(key="fill-2025-06-6-state").value == "滞后"
    assert at.text_area(key="fill-2025-06-6-problems").value == "评估单位尚未确定"
    assert at.text_area(key="fill-2025-06-5-progress").value == "五月进展"      # the rest as stored
    at = next(b for b in at.get("form_submit_button") if b.label == "提交报送").click().run()
    assert any("已报送：2025-06 工作进展 1 条" in s.value for s in at.success)
    assert at.session_state["fill_drafts"] == {}                         # sent: the draft is gone
