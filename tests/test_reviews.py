"""The 督查室's review of each unit's month (cnpark/rules/reviews.py, cnpark/service/review.py): submitted counts at
once, returned counts as not reported until the unit resubmits, a decision applies to the very upload it was made
on, and every decision is an entry of the append-only manifest. Worked by hand on a small store; the CLI too.
Real Parquet files and DuckDB in a temp directory."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cnpark.outputs.exports import history_frame
from cnpark.service.readings import Readings
from cnpark.service.review import decide
from cnpark.service.uploads import check_upload, commit_upload
from cnpark.store.manifest import StoreError
from cnpark.store.snapshots import Store

ROOT = Path(__file__).resolve().parent.parent
UNIT = "县自然资源局"          # the plan gives it tasks 4, 5, 6, 14, 15 and 18
TASKS = "任务,责任单位,期间,完成状态,进展情况,存在问题,下步打算\n"


def submit(store, catalog, text: str, name: str = "mine.csv"):
    upload = check_upload(store, catalog, (TASKS + text).encode(), name, unit=UNIT)
    assert upload.ok, [str(p) for p in upload.result.problems]
    return commit_upload(store, upload, UNIT)


def state_of(store, catalog, month="2025-06", unit=UNIT):
    return next(s for s in Readings(store, catalog, month).review_states if s.unit == unit and s.dataset == "tasks")


def unit_word(store, catalog, task: int, month="2025-06") -> str:
    states = {s.task.number: s for s in Readings(store, catalog, month).tasks}
    return next(u.word for u in states[task].units if u.unit == UNIT)


def test_submitted_returned_resubmitted_approved(tmp_path, catalog):
    store = Store(tmp_path)
    first = submit(store, catalog, f"第5条,{UNIT},2025-06,推进中,报批中,,\n")
    found = Readings(store, catalog, "2025-06").review_states
    # every unit the plan's tasks name owes its 工作进展 (30 units); no project ledger yet, so no project reports
    assert len(found) == 30 and {s.dataset for s in found} == {"tasks"}
    assert [(s.unit, s.state) for s in found if s.state != "not_reported"] == [(UNIT, "submitted")]
    mine = state_of(store, catalog)
    assert (mine.entry, mine.by, mine.word) == (first.id, UNIT, "待审核")
    assert unit_word(store, catalog, 5) == "推进中"                   # a submitted report counts at once

    [returned] = decide(store, catalog, UNIT, "2025-06", approve=False, reason="进展写得太简单", user="督查室王五")
    assert (returned.kind, returned.target, returned.decision, returned.user) == ("review", first.id, "returned", "督查室王五")
    mine = state_of(store, catalog)
    assert (mine.state, mine.reason, mine.decided_by) == ("returned", "进展写得太简单", "督查室王五")
    assert unit_word(store, catalog, 5) == "未报送"                   # returned: not reported until resubmitted
    assert len(Readings(store, catalog, "2025-06").submissions) == 0   # 报送情况: its only report is missing again
    assert len(store.read("tasks")) == 1                             # a review changes no data

    second = submit(store, catalog, f"第5条,{UNIT},2025-06,推进中,规划已报省厅审批,,\n", "again.csv")
    assert (state_of(store, catalog).state, state_of(store, catalog).entry) == ("submitted", second.id)
    assert unit_word(store, catalog, 5) == "推进中"
    sent = Readings(store, catalog, "2025-06").submissions.set_index("责任单位")
    assert (sent.loc[UNIT, "应报"], sent.loc[UNIT, "已报"]) == (6, 1)     # tasks 4, 5, 6, 14, 15, 18; task 5 sent
    [approved] = decide(store, catalog, UNIT, "2025-06", approve=True, user="督查室王五")
    assert (approved.target, state_of(store, catalog).state) == (second.id, "approved")
    with pytest.raises(StoreError, match="没有待审核的报送"):
        decide(store, catalog, UNIT, "2025-06", approve=True)
    # the audit: every submission and decision, in order, none removable
    assert [(e.kind, e.target) for e in store.entries()] == [("upload", ""), ("review", first.id), ("upload", ""),
                                                              ("review", second.id)]
    assert history_frame(store.entries())["文件"].tolist()[:2] == [f"审核通过：{UNIT} 2025-06（{second.id}）", "again.csv"]


def test_a_decision_applies_to_the_upload_it_was_made_on(tmp_path, catalog):
    store = Store(tmp_path)
    first = submit(store, catalog, f"第5条,{UNIT},2025-06,滞后,,,\n")
    seen = state_of(store, catalog).entry                  # what the reviewer opened
    second = submit(store, catalog, f"第5条,{UNIT},2025-06,推进中,,,\n", "fixed.csv")     # the unit resubmits
    store.review(seen, UNIT, "tasks", "2025-06", "returned", "请补充问题", "督查室")
    assert seen == first.id and state_of(store, catalog).entry == second.id
    assert state_of(store, catalog).state == "submitted"                 # the new version is not returned
    assert unit_word(store, catalog, 5) == "推进中"
    with pytest.raises(StoreError):
        store.review(first.id, UNIT, "tasks", "2025-06", "returned", "", "督查室")     # a return needs its reason


def test_the_command_line_submissions_and_review(tmp_path):
    store = tmp_path / "store"
    own = tmp_path / "own.csv"
    own.write_text(TASKS + f"第5条,{UNIT},2025-06,推进中,报批中,,\n第6条,{UNIT},2025-06,滞后,,,\n", encoding="utf-8")

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(store), *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
    assert cli("submit", "--unit", UNIT, str(own)).returncode == 0
    back = cli("review", "--month", "2025-06", "--unit", UNIT, "--return", "请写明用地报批的节点")
    assert back.returncode == 0, back.stderr
    doc = json.loads(cli("submissions", "--month", "2025-06", "--format", "json").stdout)
    mine = next(s for s in doc["submissions"] if s["unit"] == UNIT)
    assert doc["month"] == "2025-06" and len(doc["submissions"]) == 30
    assert (mine["dataset"], mine["state"], mine["by"], mine["reason"]) == ("tasks", "returned", UNIT,
                                                                           "请写明用地报批的节点")
    tasks = json.loads(cli("tasks", "--as-of", "2025-06", "--unit", UNIT, "--format", "json").stdout)
    five = next(t for t in tasks["tasks"] if t["number"] == 5)
    assert five["units"][0]["status"] == "not_reported"             # a returned unit's rows count as not reported
    again = cli("review", "--month", "2025-06", "--unit", UNIT, "--approve")
    assert again.returncode == 1 and "没有待审核的报送" in again.stderr


def test_a_decision_on_what_was_opened_is_refused_once_the_unit_resubmitted(tmp_path, catalog):
    store = Store(tmp_path)
    first = submit(store, catalog, f"第5条,{UNIT},2025-06,滞后,,,\n")
    opened = [state_of(store, catalog).entry]                               # the 审核 page shows it
    second = submit(store, catalog, f"第5条,{UNIT},2025-06,推进中,,,\n", "fixed.csv")     # the unit resubmits
    with pytest.raises(StoreError, match=f"重新报送了（{second.id}）"):
        decide(store, catalog, UNIT, "2025-06", approve=False, reason="请补充问题", user="督查室", seen=opened)
    assert opened == [first.id] and [e.kind for e in store.entries()] == ["upload", "upload"]    # nothing recorded
    assert (state_of(store, catalog).state, state_of(store, catalog).entry) == ("submitted", second.id)
    [approved] = decide(store, catalog, UNIT, "2025-06", approve=True, user="督查室", seen=[second.id])
    assert approved.target == second.id and state_of(store, catalog).state == "approved"
