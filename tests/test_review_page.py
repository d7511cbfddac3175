"""The 审核 page through AppTest: the 督查室 signs in, sees every report due for the month with its state, opens a
unit's submission beside the month before, returns it with a reason, approves the rest; a unit's account and an
analyst are sent elsewhere. Real store in a temp directory."""

import pytest

from cnpark.auth import hash_password
from cnpark.service.readings import Readings
from cnpark.service.uploads import check_upload, commit_upload
from cnpark.store.snapshots import Store
from tests.conftest import signed_in_page

PASSWORD = "督查口令-2025"
TASKS = "任务,责任单位,期间,完成状态,进展情况,存在问题,下步打算\n"
pytestmark = pytest.mark.usefixtures("fresh_caches")


@pytest.fixture(scope="module")
def accounts():
    digest = hash_password(PASSWORD, iterations=1000)
    return {"dcs": {"name": "督查室王五", "role": "reviewer", "password_hash": digest},
            "zrzy": {"role": "unit", "unit": "县自然资源局", "password_hash": digest}}


def send(store, catalog, unit, text):
    upload = check_upload(store, catalog, (TASKS + text).encode(), f"{unit}.csv", unit=unit)
    assert upload.ok, [str(p) for p in upload.result.problems]
    return commit_upload(store, upload, unit)


def sign_in(monkeypatch, store_dir, accounts, account="dcs", **query):
    return signed_in_page(monkeypatch, store_dir, "pages/review.py", accounts, account, PASSWORD, **query)


def states(store, catalog):
    return {s.unit: s.state for s in Readings(store, catalog, "2025-06").review_states if s.state != "not_reported"}


def test_the_office_returns_one_month_and_approves_the_rest(monkeypatch, tmp_path, catalog, accounts):
    store = Store(tmp_path)
    send(store, catalog, "县自然资源局", "第5条,县自然资源局,2025-05,推进中,报批中,,\n")
    send(store, catalog, "县自然资源局", "第5条,县自然资源局,2025-06,滞后,等待省厅批复,,\n")
    send(store, catalog, "县水务局", "第6条,县水务局,2025-06,推进中,水资源论证已完成,,\n")
    at = sign_in(monkeypatch, tmp_path, accounts, month="2025-06")
    assert any("当前督查室：督查室王五" in c.value for c in at.caption)
    # 30 units owe their 工作进展: 2 awaiting review, 28 not reported
    assert any("2025-06 应报 30 份" in m.value and "未报送 28" in m.value and "待审核 2" in m.value for m in at.markdown)
    at.selectbox(key="unit").set_value("县自然资源局").run()
    opened = next(t for t in at.table if "上月状态" in t.value.columns).value
    assert opened.values.tolist() == [["第5条 加快园区规划审批", "推进中", "滞后", "等待省厅批复", "—", "—"]]
    at.button(key="return-2025-06-县自然资源局").click().run()
    assert any("退回须写明理由" in e.value for e in at.error) and states(store, catalog)["县自然资源局"] == "submitted"
    at.text_input(key="reason-2025-06-县自然资源局").input("请写明省厅批复的预计时间")
    at = at.button(key="return-2025-06-县自然资源局").click().run()
    assert not at.exception
    assert states(store, catalog) == {"县自然资源局": "returned", "县水务局": "submitted"}
    assert any("已退回：县自然资源局 2025-06" in s.value for s in at.success)
    at = at.button(key="approve-all-2025-06").click().run()
    assert states(store, catalog) == {"县自然资源局": "returned", "县水务局": "approved"}
    reviews = [e for e in store.entries() if e.kind == "review"]
    assert [(e.unit, e.decision, e.user, e.reason) for e in reviews] == [
        ("县自然资源局", "returned", "督查室王五", "请写明省厅批复的预计时间"), ("县水务局", "approved", "督查室王五", "")]
    assert any(f"{'2025-06'} 没有待审核的报送" in i.value for i in at.info)


def test_a_units_account_is_sent_to_the_fill_page(monkeypatch, tmp_path, accounts):
    at = sign_in(monkeypatch, tmp_path, accounts, account="zrzy")
    assert any("责任单位请在“填报”页报送" in i.value for i in at.info)
    assert not any(b.key and b.key.startswith("approve") for b in at.button)


def test_the_office_uploads_nothing(monkeypatch, tmp_path, accounts):
    at = signed_in_page(monkeypatch, tmp_path, "pages/upload.py", accounts, "dcs", PASSWORD)
    assert any("督查室账号用于审核" in i.value for i in at.info) and len(at.file_uploader) == 0


def test_a_report_resubmitted_after_it_was_opened_is_not_decided_unseen(monkeypatch, tmp_path, catalog, accounts):
    store = Store(tmp_path)
    opened = send(store, catalog, "县自然资源局", "第5条,县自然资源局,2025-06,滞后,等待省厅批复,,\n")
    at = sign_in(monkeypatch, tmp_path, accounts, month="2025-06")
    at.selectbox(key="unit").set_value("县自然资源局").run()
    assert next(t for t in at.table if "上月状态" in t.value.columns).value["本月状态"].tolist() == ["滞后"]
    # while the office reads it, the unit sends a new version (docs/RULES.md "审核": a decision is for what was opened)
    again = send(store, catalog, "县自然资源局", "第5条,县自然资源局,2025-06,推进中,省厅已批复,,\n")
    at = at.button(key="approve-2025-06-县自然资源局").click().run()
    assert not at.exception
    assert any("重新报送" in e.value for e in at.error)
    assert [e.kind for e in store.entries()] == ["upload", "upload"]             # nothing decided unseen
    assert states(store, catalog) == {"县自然资源局": "submitted"}
    # the page now shows the new version; approving it decides exactly that one
    assert next(t for t in at.table if "上月状态" in t.value.columns).value["本月状态"].tolist() == ["推进中"]
    at = at.button(key="approve-2025-06-县自然资源局").click().run()
    assert states(store, catalog) == {"县自然资源局": "approved"}
    assert [(e.kind, e.target) for e in store.entries()] == [("upload", ""), ("upload", ""), ("review", again.id)]
    assert opened.id != again.id


def test_the_office_returns_one_report_of_a_units_month_and_approves_the_other(monkeypatch, tmp_path, catalog,
                                                                               accounts):
    from tests.test_scope import PROJECTS, XM01
    store = Store(tmp_path)
    unit = "县投资促进局"
    send(store, catalog, unit, f"第7条,{unit},2025-06,推进中,已对接企业3家,,\n")
    ledger = PROJECTS + XM01.format(unit=unit, done=900000).replace("2025-12,\n", "2025-06,\n")
    commit_upload(store, check_upload(store, catalog, ledger.encode(), "ledger.csv", unit=unit), unit)
    at = sign_in(monkeypatch, tmp_path, accounts, month="2025-06", unit=unit)
    # both reports open, each beside the month before; the versions listed
    assert any("本月阶段" in t.value.columns for t in at.table) and any("上月状态" in t.value.columns for t in at.table)
    at.radio(key=f"scope-2025-06-{unit}").set_value("projects").run()
    at.text_input(key=f"reason-2025-06-{unit}").input("到位资金请附凭证")
    at = at.button(key=f"return-2025-06-{unit}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    by = {(s.unit, s.dataset): s for s in Readings(store, catalog, "2025-06").review_states if s.unit == unit}
    assert (by[(unit, "projects")].state, by[(unit, "projects")].reason) == ("returned", "到位资金请附凭证")
    assert by[(unit, "tasks")].state == "submitted"               # the other report still awaits review
    assert any(f"已退回：{unit} 2025-06 重点项目台账" in s.value for s in at.success)
    at = sign_in(monkeypatch, tmp_path, accounts, month="2025-06", unit=unit)
    at = at.button(key=f"approve-2025-06-{unit}").click().run()   # one report left: no choice, it is approved
    by = {(s.unit, s.dataset): s.state for s in Readings(store, catalog, "2025-06").review_states if s.unit == unit}
    assert by == {(unit, "tasks"): "approved", (unit, "projects"): "returned"}
