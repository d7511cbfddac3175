"""The 督查室's review of each unit's month (cnpark/rules/reviews.py, cnpark/service/review.py): submitted counts at
once, returned counts as not reported until the unit resubmits, a decision applies to the very upload it was made
on, and every decision is an entry of the append-only manifest. Worked by hand on a small store; the CLI too.
Real Parquet files and DuckDB in a temp directory."""

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from cnpark.outputs.exports import history_frame
from cnpark.service.readings import Readings
from cnpark.service.review import decide
from cnpark.service.uploads import check_upload, commit_upload, ingest_bytes
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
    sent = Readings(store, catalog, "2025-06").submissions.set_index("责任单位")
    assert (sent.loc[UNIT, "应报"], sent.loc[UNIT, "已报"], sent.loc[UNIT, "未报"]) == (6, 0, 6)   # 报送情况: missing again
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
    # sent today in the county (UTC+8; the file gives no 报送日期), long after June's due day 2025-07-05
    assert mine["sent"] == datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat() and mine["late"] is True
    tasks = json.loads(cli("tasks", "--as-of", "2025-06", "--unit", UNIT, "--format", "json").stdout)
    five = next(t for t in tasks["tasks"] if t["number"] == 5)
    assert five["units"][0]["status"] == "not_reported"             # a returned unit's rows count as not reported
    again = cli("review", "--month", "2025-06", "--unit", UNIT, "--approve")
    assert again.returncode == 1 and "没有待审核的报送" in again.stderr


INDICATORS = "指标,期间,数值\n"


def test_a_reporters_figures_are_reviewed_and_a_returned_figure_does_not_count(tmp_path, catalog):
    store = Store(tmp_path)
    assert ingest_bytes(store, catalog, (INDICATORS + "多晶硅产能,2025-05,170000\n").encode(), "office.csv")[1]
    upload = check_upload(store, catalog, (INDICATORS + "多晶硅产能,2025-06,250000\n").encode(), "工信.csv",
                          unit="县工业信息商务科技局")
    assert upload.ok
    mine = commit_upload(store, upload, "县工业信息商务科技局")

    def capacity(month="2025-06"):
        s = next(s for s in Readings(store, catalog, month).report.statuses if s.code == "polysilicon_capacity")
        return s.actual, s.period

    def indicator_states(month="2025-06"):
        return {s.unit: s for s in Readings(store, catalog, month).review_states if s.dataset == "indicators"}

    # June owes the figures of the monthly targets only: 营业收入、工业总产值 (县统计局), 主导产业营业收入占比 and
    # 多晶硅产能 (县工业信息商务科技局)
    found = indicator_states()
    assert set(found) == {"县统计局", "县工业信息商务科技局"}
    assert (found["县工业信息商务科技局"].state, found["县工业信息商务科技局"].entry) == ("submitted", mine.id)
    assert found["县统计局"].state == "not_reported"
    # every reporter owes its yearly figures in December (11 units name themselves reporter in the catalog); none in January
    assert len(indicator_states("2025-12")) == len({t.reporter for t in catalog.targets if t.reporter}) == 11
    assert indicator_states("2025-01") == {}
    assert capacity() == (250000, "2025-06")

    decide(store, catalog, "县工业信息商务科技局", "2025-06", approve=False, reason="产能口径请按已投产计", user="督查室")
    assert indicator_states()["县工业信息商务科技局"].state == "returned"
    assert capacity() == (170000, "2025-05")              # the returned June figure does not count: May's stands
    again = commit_upload(store, check_upload(store, catalog, (INDICATORS + "多晶硅产能,2025-06,200000\n").encode(),
                                              "工信2.csv", unit="县工业信息商务科技局"), "县工业信息商务科技局")
    assert (indicator_states()["县工业信息商务科技局"].state, indicator_states()["县工业信息商务科技局"].entry) == \
        ("submitted", again.id)
    assert capacity() == (200000, "2025-06")                 # the corrected figure counts at once

    # 报送情况: figures tracked from May (the office's upload), so May and June are due of both monthly reporters;
    # 县工业信息商务科技局's two months came (uploaded today, long after 06-05 and 07-05: late), 县统计局's did not
    frame = Readings(store, catalog, "2025-06").submissions
    figures = frame[frame["报送内容"] == "指标数据"].set_index("责任单位")
    assert figures.loc["县工业信息商务科技局", ["应报", "已报", "按时", "逾期报送", "未报"]].tolist() == [2, 2, 0, 2, 0]
    assert figures.loc["县统计局", ["应报", "已报", "未报"]].tolist() == [2, 0, 2]
    assert len(figures) == 2


def test_the_day_a_report_counts_as_sent_and_late(catalog):
    from cnpark.rules import reviews
    from cnpark.store.manifest import Entry

    def upload(id_, seq, day):
        return Entry(id_, seq, "upload", "projects", f"{day}T09:00:00+08:00", "县投资促进局", "a.csv", 1, "")

    u1, u2 = upload("S00001", 1, "2025-07-03"), upload("S00002", 2, "2025-07-09")
    sent_back = Entry("S00003", 3, "review", "projects", "2025-07-04T10:00:00+08:00", "督查室", "", 0, "", target="S00001",
                      unit="县投资促进局", month="2025-06", decision="returned", reason="缺到位资金")
    first = pd.DataFrame({"project_id": ["XM07"], "period": ["2025-06"], "uploaded_at": [u1.uploaded_at]})
    rows = pd.DataFrame({"project_id": ["XM07"], "unit": ["县投资促进局"], "period": ["2025-06"],
                         "snapshot_id": ["S00002"], "seq": [2]})
    # the first upload came on the 3rd (in time); returned on the 4th; resubmitted on the 9th: it counts from the 9th
    assert reviews.sent_days(catalog, "projects", rows, first, [u1, sent_back, u2]) == {("县投资促进局", "2025-06"): "2025-07-09"}
    # never returned: a restatement keeps the day the month first came
    assert reviews.sent_days(catalog, "projects", rows, first, [u1, u2]) == {("县投资促进局", "2025-06"): "2025-07-03"}
    frames = {"tasks": pd.DataFrame(columns=["task", "unit", "period", "snapshot_id", "seq"]),
              "projects": rows, "indicators": pd.DataFrame(columns=["indicator", "period", "snapshot_id", "seq"])}
    firsts = {"tasks": pd.DataFrame(), "projects": first, "indicators": pd.DataFrame()}
    [mine] = [s for s in reviews.states(catalog, frames, firsts, [u1, sent_back, u2], "2025-06", 5)
              if s.dataset == "projects"]
    assert (mine.state, mine.sent, mine.due, mine.late) == ("submitted", "2025-07-09", "2025-07-05", True)
    [mine] = [s for s in reviews.states(catalog, frames, firsts, [u1, u2], "2025-06", 5) if s.dataset == "projects"]
    assert (mine.sent, mine.late) == ("2025-07-03", False)
