"""重点工作 read right: counts that say what they count, a commitment done late said in words, the day a unit sent its
report (报送日期) through the ordinary ingest and into 报送情况, and reports older than the month — worked by hand on
small hand-made frames and files. Real Parquet files and DuckDB in a temp directory."""

import io
from datetime import datetime

import openpyxl
import pandas as pd

from cnpark.parse import parse_upload
from cnpark.rules.series import data_month
from cnpark.rules.status import TargetStatus
from cnpark.rules.tasks import count_lines, count_text, for_unit, late_notes, task_states
from cnpark.service.readings import Readings
from cnpark.service.uploads import ingest_bytes
from cnpark.store.snapshots import Store
from tests.test_tasks import MONTH, missed

HEADER = "任务,责任单位,期间,完成状态,报送日期"


def test_the_counts_say_what_they_count(catalog):
    states = task_states(catalog, MONTH, [missed("debt_resolution", "2025-06")], "2025-06")
    # per task (test_task_states_worked_by_hand): 1 done; 5, 21 lagging; 7 not started; 8 in progress; the other 16 none
    # per task and unit: 123 cells; reported: 1 ×2 已完成, 5 已完成 + 滞后, 7 ×2 未启动, 8 推进中 + 已完成, 21 ×6 已完成
    # (6's report is May's) → 已完成 2 + 1 + 1 + 6 = 10, 推进中 1, 滞后 1, 未启动 2, 未报送 123 − 14 = 109
    assert count_lines(states) == [
        ("任务 21 项", "每条任务一个任务状态",
         {"done": 1, "in_progress": 1, "lagging": 2, "not_started": 1, "not_reported": 16}),
        ("单位报送 123 项", "每条任务的每个责任单位一项，即下表各格",
         {"done": 10, "in_progress": 1, "lagging": 1, "not_started": 2, "not_reported": 109})]
    # 县投资促进局 is named by 第7、8条 among others (第3、10、11、12、13条 … unreported): its own reports first
    mine = for_unit(states, "县投资促进局")
    own, tasks = count_lines(mine, "县投资促进局")
    assert own[0] == f"本单位报送 {len(mine)} 项" and own[2]["not_started"] == 1 and own[2]["in_progress"] == 1
    assert own[2]["not_reported"] == len(mine) - 2
    assert tasks[0] == f"所承担任务 {len(mine)} 项" and tasks[2]["not_started"] == 1 and tasks[2]["in_progress"] == 1
    assert count_text(count_lines(states)) == ("任务 21 项：已完成 1 · 推进中 1 · 滞后 2 · 未启动 1 · 未报送 16；"
                                               "单位报送 123 项：已完成 10 · 推进中 1 · 滞后 1 · 未启动 2 · 未报送 109")


def test_a_commitment_done_late_is_said_in_words():
    late = TargetStatus(code="plan_approval", name="规划环评及总体规划审批", unit="", deadline="2023-09", actual=1.0,
                        target=1.0, completion=1.0, status="missed", period="2023-11", kind="milestone", late=True)
    assert late_notes([late, missed("debt_resolution", "2025-06")]) == [
        "所承载的“规划环评及总体规划审批”逾期完成（完成于 2023-11，期限 2023-09）"]


def test_the_day_a_report_was_sent_as_offices_write_it(catalog):
    text = "\n".join([HEADER,
                      "5,县自然资源局,2025-06,推进中,2025-07-03",
                      "5,县发展改革局,2025-06,推进中,2025年7月9日",
                      "5,县产业园区管委会,2025-06,推进中,2025/7/5",
                      "5,市生态环境局昌宁分局,2025-06,推进中,"])             # not given: the upload time stands in
    r = parse_upload(text.encode(), "a.csv", catalog)
    assert r.ok and r.dataset == "tasks", [str(p) for p in r.problems]
    assert r.rows["submitted"].tolist() == ["2025-07-03", "2025-07-09", "2025-07-05", ""]
    book = openpyxl.Workbook()                                          # an Excel date cell
    for row in (HEADER.split(","), [8, "县投资促进局", "2025-06", "推进中", datetime(2025, 7, 4)]):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    r = parse_upload(out.getvalue(), "a.xlsx", catalog)
    assert r.ok and r.rows["submitted"].tolist() == ["2025-07-04"], [str(p) for p in r.problems]
    bad = "\n".join([HEADER, "5,县自然资源局,2025-06,推进中,2025-07",           # a month: in time or not?
                     "5,县发展改革局,2025-06,推进中,2025-05-28",                  # before the month it reports on
                     "8,县投资促进局,2025-06,推进中,下周"])
    r = parse_upload(bad.encode(), "b.csv", catalog)
    assert r.rows.empty and [str(p) for p in r.problems] == [
        "第2行 报送日期: 2025-07 — 报送日期应写到日（如 2025-07-03）",
        "第3行 报送日期: 2025-05-28 — 报送日期早于所报送的月份 2025-06",
        "第4行 报送日期: 下周 — 无法识别的日期（可写 2026-06-30 或 2026年6月）"]


def test_reports_in_time_by_the_day_they_were_sent(catalog, tmp_path):
    store = Store(tmp_path)
    # all uploaded today (2026 or later: long after the 2025-07-05 due day), three with the day the unit sent them
    data = "\n".join([HEADER, "5,县自然资源局,2025-06,推进中,2025-07-05",        # on the due day: in time
                      "18,县自然资源局,2025-06,推进中,2025-07-06",              # a day late
                      "4,县自然资源局,2025-06,推进中,2025-06-30",               # before month end: in time
                      "6,县自然资源局,2025-06,推进中,"])                       # no date: the upload time, late
    assert ingest_bytes(store, catalog, data.encode(), "a.csv")[1] is not None
    frame = Readings(store, catalog, "2025-06").submissions
    # 县自然资源局: 第4、5、6、14、15、18条 in one month → 6 due, 4 came, 2 in time, 2 late, 2 missing, 2 / 6 = 33.3%
    assert frame.set_index("责任单位").loc["县自然资源局"].tolist() == ["工作进展", 6, 4, 2, 2, 2, "33.3%"]
    # a report restated later with another date: the latest row's date counts
    ingest_bytes(store, catalog, f"{HEADER}\n18,县自然资源局,2025-06,推进中,2025-07-02\n".encode(), "b.csv")
    frame = Readings(store, catalog, "2025-06").submissions
    assert frame.set_index("责任单位").loc["县自然资源局", "按时"] == 3


def test_the_latest_month_with_reports():
    reports = pd.DataFrame({"period": ["2025-04", "2025-06", "2025-09"]})
    assert data_month(reports, "2025-12") == "2025-09" and data_month(reports, "2025-08") == "2025-06"
    assert data_month(reports, "2025-03") is None and data_month(reports.iloc[0:0], "2025-12") is None
