"""重点工作: the tasks' progress files through the ordinary ingest, and the one rule for a task's state (cnpark/rules/tasks.py),
worked by hand on small hand-made months. Real Parquet files and DuckDB in a temp directory."""

import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cnpark.outputs.exports import make_template
from cnpark.parse import parse_upload
from cnpark.rules.status import TargetStatus, compute_status
from cnpark.rules.tasks import for_unit, task_states, with_since
from cnpark.service.readings import Readings
from cnpark.service.uploads import ingest_bytes
from cnpark.store.snapshots import Store

ROOT = Path(__file__).resolve().parent.parent
HEADER = "任务,责任单位,期间,完成状态,进展情况,存在问题,下步打算"


def messages(result):
    return [str(p) for p in result.problems]


# ------------------------------------------------------------------------------------ ingest

def test_a_gbk_file_with_title_rows_and_every_way_of_naming_a_task(catalog):
    text = "\r\n".join([
        "昌宁产业园区重点工作推进情况表", "填报单位：县督查室　　2025年6月",
        HEADER,
        "8,县投资促进局,2025-06,进行中,已对接企业3家,,继续跟进",
        "第8条,县财政局,2025年6月,正在推进,,,",
        "第八条,统计局,2025-06,完成,纳统2户,,",                      # 县 left out
        "8.开展精准化招商,县发展改革局,2025-06,进度滞后,,\"用地未落实（约３０亩），待协调\",协调：自然资源局；林草局",
        "开展精准化招商,县产业园区管委会,2025-06,未开始,,,",
        "第5条 加快园区规划审批,县自然资源局,2025-06,已完成,\"<b>批复</b> =1+1\",,",
        "第1条 全面加强党的领导,县委组织部,2025-06,,,,",            # a template row left empty: skipped
        "注：完成状态填 已完成、推进中、滞后、未启动",
    ]) + "\r\n"
    r = parse_upload(text.encode("gbk"), "进展.csv", catalog)
    assert r.ok and r.dataset == "tasks", messages(r)
    assert r.rows[["task", "unit", "state"]].values.tolist() == [
        [8, "县投资促进局", "推进中"], [8, "县财政局", "推进中"], [8, "县统计局", "已完成"], [8, "县发展改革局", "滞后"],
        [8, "县产业园区管委会", "未启动"], [5, "县自然资源局", "已完成"]]
    assert set(r.rows["period"]) == {"2025-06"} and r.skipped == 1
    assert r.rows["progress"].iloc[5] == "<b>批复</b> =1+1"                # kept exactly as typed
    # a unit's words keep Chinese prose's full-width punctuation (and its full-width digits): nothing folded to ASCII
    assert r.rows["problems"].iloc[3] == "用地未落实（约３０亩），待协调"
    assert r.rows["next_steps"].iloc[3] == "协调：自然资源局；林草局"


def test_utf8_bom_and_a_workbook_read_the_same(catalog):
    rows = [["任务", "责任单位", "期间", "完成状态", "进展情况"], ["21", "县国资委", "2024-12", "滞后", "方案待批"],
            ["21", "县金融办", "2024-12", "推进中", ""]]
    csv_bytes = ("\ufeff" + "\n".join(",".join(r) for r in rows)).encode("utf-8")
    book = openpyxl.Workbook()
    book.active.append(["重点工作推进情况（2024年12月）"])
    for r in rows:
        book.active.append(r)
    out = io.BytesIO()
    book.save(out)
    a, b = parse_upload(csv_bytes, "a.csv", catalog), parse_upload(out.getvalue(), "b.xlsx", catalog)
    assert a.ok and b.ok, (messages(a), messages(b))
    columns = ["task", "unit", "period", "state", "progress"]
    assert a.rows[columns].values.tolist() == b.rows[columns].values.tolist() == [
        [21, "县国资委", "2024-12", "滞后", "方案待批"], [21, "县金融办", "2024-12", "推进中", ""]]


def test_every_problem_at_once_and_nothing_stored(tmp_path, catalog):
    text = "\n".join([HEADER,
                      "22,县财政局,2025-06,完成,,,",                 # no task 22
                      "5,县财政局,2025-06,完成,,,",                  # 第5条 does not name 县财政局
                      "6,县水务局,2025-13,差不多,,,",                # bad month, bad state
                      ",县水务局,2025-06,完成,,,",                   # no task
                      "6,县水务局,2025-06,,有进展,,"])               # text but no state
    store = Store(tmp_path)
    result, entry = ingest_bytes(store, catalog, text.encode(), "bad.csv")
    assert entry is None and store.entries() == []
    assert messages(result) == [
        "第2行 任务: 22 — 不是计划的任务（可写 8、第8条、第八条、8.开展精准化招商 或任务名称，共 21 条）",
        "第3行 责任单位: 县财政局 — 不是第5条 加快园区规划审批的责任单位（应为：县产业园区管委会、县发展改革局、"
        "市生态环境局昌宁分局、县自然资源局）",
        "第4行 期间: 2025-13 — 月份不在 1–12 之间",
        "第4行 完成状态: 差不多 — 完成状态应为 已完成、推进中、滞后、未启动 之一",
        "第5行 任务: （空） — 任务为空",
        "第6行 完成状态: （空） — 完成状态为空（应为 已完成、推进中、滞后、未启动）",
    ]


def test_latest_upload_wins_per_task_unit_and_month(tmp_path, catalog):
    store = Store(tmp_path)
    ingest_bytes(store, catalog, f"{HEADER}\n5,县自然资源局,2025-06,推进中,a,,\n5,县自然资源局,2025-05,滞后,b,,\n".encode(),
                 "a.csv")
    ingest_bytes(store, catalog, f"{HEADER}\n5,县自然资源局,2025-06,已完成,c,,\n".encode(), "b.csv")
    rows = store.read("tasks")
    assert rows[["period", "state", "progress"]].values.tolist() == [["2025-05", "滞后", "b"], ["2025-06", "已完成", "c"]]


def test_the_template_of_a_month_lists_every_task_and_unit_and_stores_nothing_unfilled(catalog):
    text = make_template("tasks", catalog, "2025-06")
    lines = text.splitlines()
    # units named by tasks 1–21, counted in the plan: 2+7+4+9+4+8+4+6+8+8+8+6+4+9+8+6+7+2+4+3+6 = 123
    assert len(lines) == 2 + 123 and lines[1] == HEADER + ",报送日期,备注"
    assert lines[2] == "第1条 全面加强党的领导,县委组织部,2025-06,,,,,," and lines[-1].startswith("第21条 强化风险防范,县金融办,")
    r = parse_upload(("\ufeff" + text).encode(), "t.csv", catalog)
    assert not r.ok and r.skipped == 123 and messages(r) == ["文件: 没有可导入的数据（各行的完成状态和进展均未填写）"]


# ------------------------------------------------------------------------------------ the rule

def reports(*rows):
    return pd.DataFrame([{"task": t, "unit": u, "period": p, "state": s, "progress": f"{u}的进展", "problems": "",
                          "next_steps": "", "note": ""} for t, u, p, s in rows])


def missed(code, deadline, late=False):
    return TargetStatus(code=code, name=code, unit="", deadline=deadline, actual=None, target=None, completion=None,
                        status="missed", period=deadline, late=late)


MONTH = reports(
    (1, "县委组织部", "2025-06", "已完成"), (1, "县产业园区管委会", "2025-06", "已完成"),          # all done → done
    (5, "县产业园区管委会", "2025-06", "已完成"), (5, "县自然资源局", "2025-06", "滞后"),          # one 滞后 → lagging
    (7, "县投资促进局", "2025-06", "未启动"), (7, "县发展改革局", "2025-06", "未启动"),          # only 未启动 → not started
    (8, "县投资促进局", "2025-06", "推进中"), (8, "县统计局", "2025-06", "已完成"),               # → in progress
    *[(21, u, "2025-06", "已完成") for u in ("县产业园区管委会", "县发展改革局", "县工业信息商务科技局", "县财政局",
                                             "县国资委", "县金融办")],                     # all done, but see below
    (6, "县水务局", "2025-05", "推进中"),                                                    # another month: not this one
)


def test_task_states_worked_by_hand(catalog):
    statuses = [missed("debt_resolution", "2025-06"), missed("plan_approval", "2023-09", late=True)]
    states = {s.task.number: s for s in task_states(catalog, MONTH, statuses, "2025-06")}
    assert {n: states[n].state for n in (1, 5, 6, 7, 8, 21, 2)} == {
        1: "done", 5: "lagging", 6: "not_reported", 7: "not_started", 8: "in_progress",
        21: "lagging",           # every unit says 已完成, but the debt resolution it carries is past 2025-06 and missed
        2: "not_reported"}
    assert [m.code for m in states[21].missed] == ["debt_resolution"] and states[5].missed == ()   # 逾期完成 is done
    assert [(u.unit, u.word) for u in states[5].units] == [("县产业园区管委会", "已完成"), ("县发展改革局", "未报送"),
                                                          ("市生态环境局昌宁分局", "未报送"), ("县自然资源局", "滞后")]
    assert states[8].units[1].progress == "县投资促进局的进展" and states[8].units[0].state == "not_reported"


def test_since_when_a_task_is_behind(catalog):
    may = reports((6, "县水务局", "2025-05", "滞后"), (5, "县自然资源局", "2025-05", "推进中"))
    states = {m: task_states(catalog, pd.concat([may, MONTH]), [], m) for m in ("2025-04", "2025-05", "2025-06")}
    judged = []

    def earlier():          # latest first, and lazily: the walk back stops once every run has ended
        for m in ("2025-05", "2025-04"):
            judged.append(m)
            yield m, states[m]
    now = {s.task.number: s for s in with_since(states["2025-06"], "2025-06", earlier())}
    assert now[5].state == "lagging" and now[5].since == "2025-06"       # 推进中 in May: lagging since June
    assert now[6].state == "not_reported" and now[6].since == "2025-06"  # 滞后 in May, nothing in June
    assert now[2].since == "2025-04"                                     # never reported, from the first month
    assert now[1].since is None
    assert judged == ["2025-05", "2025-04"]           # task 2's run reaches back to the first month
    only_may = {s.task.number: s for s in with_since(states["2025-06"], "2025-06", iter([("2025-05", states["2025-05"])]))}
    assert only_may[2].since == "2025-05"


def test_a_units_own_list(catalog):
    mine = for_unit(task_states(catalog, MONTH, [], "2025-06"), "县自然资源局")
    # the tasks whose clause names 县自然资源局: 4, 5, 6, 14, 15, 18
    assert [s.task.number for s in mine] == [4, 5, 6, 14, 15, 18]
    assert all([u.unit for u in s.units] == ["县自然资源局"] for s in mine)


# ------------------------------------------------------------------------------------ from the store, and the CLI

def test_tasks_from_the_store_and_the_command_line(tmp_path, catalog):
    store = Store(tmp_path)
    ingest_bytes(store, catalog, f"{HEADER}\n5,县自然资源局,2025-06,滞后,用地报批中,,\n".encode(), "a.csv")
    states = {s.task.number: s for s in Readings(store, catalog, "2025-06").tasks}
    assert states[5].state == "lagging" and states[5].since == "2025-06" and states[1].state == "not_reported"
    out = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(tmp_path), "tasks", "--as-of", "2025-06",
                          "--unit", "县自然资源局", "--format", "json"], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    doc = json.loads(out.stdout)
    assert doc["as_of"] == "2025-06" and [t["number"] for t in doc["tasks"]] == [4, 5, 6, 14, 15, 18]
    five = doc["tasks"][1]
    assert (five["title"], five["section"], five["status"]) == ("加快园区规划审批", "(三)规划布局优化工程", "lagging")
    assert five["units"] == [{"unit": "县自然资源局", "status": "lagging", "period": "2025-06", "text": "用地报批中"}]
    wrong = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(tmp_path), "tasks", "--unit", "县教育局"],
                           capture_output=True, text=True, cwd=ROOT)
    assert wrong.returncode == 1 and "县教育局 不是任何任务的责任单位" in wrong.stderr


@pytest.mark.parametrize("unit", ["县自然资源局"])
def test_the_template_command_of_a_month(tmp_path, unit):
    out = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(tmp_path), "template", "tasks", "--month",
                          "2024-03"], capture_output=True, text=True, cwd=ROOT, check=True)
    rows = [line for line in out.stdout.splitlines() if f",{unit},2024-03," in line]
    assert [r.split(",")[0] for r in rows] == ["第4条 严格考核评价", "第5条 加快园区规划审批", "第6条 开展区域评估工作",
                                               "第14条 补齐园区基础设施短板", "第15条 提升配套服务水平", "第18条 强化用地保障"]


def test_the_sample_never_reports_done_while_a_carried_target_is_behind(demo_store, catalog):
    """data/sample's progress follows the sample targets: at every month, no task carrying a target that is behind
    (滞后, 严重滞后, or missed and not done late) is reported 已完成 by all its units."""
    store = Store(demo_store)
    reports, frames = store.read("tasks"), store.read_for_status()
    assert len(reports) > 3000 and set(reports["period"]) >= {"2023-01", "2025-12"}
    for month in sorted(store.periods()):
        statuses = compute_status(catalog, frames, month)
        if month < "2023-01":
            continue
        behind = {s.code for s in statuses if s.status in ("lagging", "off_track") or (s.status == "missed" and not s.late)}
        for state in task_states(catalog, reports, statuses, month):
            if behind & set(state.task.targets):
                assert state.state != "done" and not any(u.state == "done" for u in state.units), (month, state.task)


def test_reports_in_time_worked_by_hand(catalog, tmp_path):
    from cnpark.rules.submissions import report_frame
    # 县自然资源局 is named by 第4、5、6、14、15、18条: 6 reports a month; the tracking starts 2025-05 → 12 due by 2025-06
    owed = {"tasks": [(u, m, t) for m in ("2025-05", "2025-06")
                      for u, tasks in (("县自然资源局", (4, 5, 6, 14, 15, 18)), ("县委组织部", (1, 2, 4, 13))) for t in tasks]}
    came = {"tasks": {("县自然资源局", "2025-05", 5): "2025-06-04",      # May's, by 06-05: in time
                      ("县自然资源局", "2025-06", 5): "2025-07-06",      # June's, after 07-05: late
                      ("县自然资源局", "2025-06", 18): "2025-07-05",     # June's, on 07-05 itself: in time
                      ("县委组织部", "2025-06", 4): "2025-07-01"}}
    frame = report_frame(["县委组织部", "县自然资源局"], owed, came, 5).set_index("责任单位")
    assert frame.loc["县自然资源局"].tolist() == ["工作进展", 12, 3, 2, 1, 9, "16.7%"]     # 2 / 12, one decimal as every rate
    # 县委组织部: 第1、2、4、13条 × 2 months = 8 due, 1 in time
    assert frame.loc["县委组织部"].tolist() == ["工作进展", 8, 1, 1, 0, 7, "12.5%"]
    assert report_frame(["县委组织部"], {"tasks": []}, {"tasks": {}}, 5).empty      # nothing due: no row

    store = Store(tmp_path)                                            # a report restated later keeps its first time
    a = ingest_bytes(store, catalog, f"{HEADER}\n5,县自然资源局,2025-06,推进中,,,\n".encode(), "a.csv")[1]
    ingest_bytes(store, catalog, f"{HEADER}\n5,县自然资源局,2025-06,已完成,,,\n".encode(), "b.csv")
    seen = store.first_uploads("tasks")
    assert seen.values.tolist() == [[5, "县自然资源局", "2025-06", a.uploaded_at]]


def test_a_units_latest_report_when_it_missed_this_month(catalog):
    from cnpark.rules.tasks import latest_frame, reports_frame
    task = catalog.task("5")
    states = {s.task.number: s for s in task_states(catalog, pd.concat([MONTH, reports(
        (5, "县发展改革局", "2025-04", "推进中"))]), [], "2025-06")}
    frame = latest_frame(states[5], reports_frame(pd.concat([MONTH, reports((5, "县发展改革局", "2025-04", "推进中"))]),
                                                  task, "2025-06"))
    assert frame[["责任单位", "本单位", "最近报送", "进展情况"]].values.tolist() == [
        ["县产业园区管委会", "已完成", "2025-06", "县产业园区管委会的进展"],
        ["县发展改革局", "未报送", "2025-04", "县发展改革局的进展"],          # its April report, still shown
        ["市生态环境局昌宁分局", "未报送", "—", "—"],
        ["县自然资源局", "滞后", "2025-06", "县自然资源局的进展"]]
