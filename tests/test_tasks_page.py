"""The 重点工作 page, the 督办 page's tasks and the brief's, through AppTest and the CLI on the sample data."""

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from cnpark.service.uploads import ingest_bytes
from cnpark.store.snapshots import Store
from tests.conftest import app_test, drawn_specs

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.usefixtures("fresh_caches")
# The tasks whose clause names 县自然资源局 (plan 三: 第4、5、6、14、15、18条)
NATURAL_RESOURCES = ["第4条 严格考核评价", "第5条 加快园区规划审批", "第6条 开展区域评估工作", "第14条 补齐园区基础设施短板",
                     "第15条 提升配套服务水平", "第18条 强化用地保障"]


def run(monkeypatch, store_dir, page="pages/tasks.py", **query):
    return app_test(monkeypatch, store_dir, page, **query)


def matrix_html(at) -> str:
    return "".join(h.proto.body for h in at.get("html") if "cn-matrix" in h.proto.body)


def counts_of(at) -> dict[str, dict[str, int]]:
    """The page's counts: {label: {word: n}} ('任务 21 项' …)."""
    html = next(h.proto.body for h in at.get("html") if 'class="cn-counts"' in h.proto.body)
    rows = re.findall(r'<div class="cn-count-head"><b>([^<]*)</b><span>[^<]*</span></div>(.*?)</div>', html)
    return {label: {w: int(n) for w, n in re.findall(r'>([^<>]+)<b>(\d+)</b></span>', cells)} for label, cells in rows}


def cli_tasks(store, *args) -> dict:
    out = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(store), "tasks", "--format", "json", *args],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout)


def test_the_matrix_shows_every_task_by_section_with_a_word_in_each_named_cell(monkeypatch, demo_store):
    at = run(monkeypatch, demo_store)
    assert not at.exception
    doc = cli_tasks(demo_store)
    counts = counts_of(at)
    assert list(counts) == ["任务 21 项", "单位报送 123 项"]         # 123: the units tasks 1–21 name, counted in the plan
    words = {"done": "已完成", "in_progress": "推进中", "lagging": "滞后", "not_started": "未启动",
             "not_reported": "未报送"}
    for key, word in words.items():                       # the page's counts are the CLI's
        assert counts["任务 21 项"][word] == sum(t["status"] == key for t in doc["tasks"]), word
    html = matrix_html(at)
    # the count of the units' reports is what the matrix shows, cell by cell: the four 未报送 cells among them
    cells = re.findall(r'<td class="cn-cell"[^>]*>([^<]*)</td>', html)
    by_word = {w: cells.count(w) for w in words.values()}     # the task's own cell is one of them in each row
    tasks_by_word = {w: counts["任务 21 项"][w] for w in words.values()}
    assert {w: by_word[w] - tasks_by_word[w] for w in words.values()} == counts["单位报送 123 项"]
    assert counts["单位报送 123 项"]["未报送"] == 4
    assert html.count('<td class="cn-task">') == 21 and html.count("<table") == 7      # seven sections
    # each task's row: under each unit its clause names that unit's word, a blank cell under the others
    by_number = {t["number"]: t for t in doc["tasks"]}
    for section in html.split("<table")[1:]:
        units = [u for u in re.findall(r"<th[^>]*>([^<]*)</th>", section) if u not in ("任务", "任务状态")]
        for number, row in re.findall(r'<td class="cn-task">第(\d+)条 [^<]+</td>(.*?)</tr>', section):
            task = by_number[int(number)]
            cells = re.findall(r'<td class="cn-(?:cell|none)"[^>]*>([^<]*)</td>', row)
            assert cells[0] == words[task["status"]] and len(cells) == 1 + len(units)
            named = {u["unit"]: words[u["status"]] for u in task["units"]}
            assert dict(zip(units, cells[1:])) == {u: named.get(u, "") for u in units}, number


def test_a_unit_opens_its_own_list_from_a_link(monkeypatch, demo_store):
    at = run(monkeypatch, demo_store, unit="县自然资源局")
    assert not at.exception
    own = at.table[0].value
    assert own["任务"].tolist() == NATURAL_RESOURCES
    # the counts are the unit's own: its six reports as its list shows them, then the state of those six tasks
    counts = counts_of(at)
    assert list(counts) == ["本单位报送 6 项", "所承担任务 6 项"]
    assert {w: n for w, n in counts["本单位报送 6 项"].items() if n} == own["本单位"].value_counts().to_dict()
    assert {w: n for w, n in counts["所承担任务 6 项"].items() if n} == own["任务状态"].value_counts().to_dict()
    assert counts["本单位报送 6 项"]["推进中"] == 2               # it reported 推进中 on 第4条 and 第18条
    assert list(own.columns) == ["任务", "本单位", "任务状态", "进展情况", "存在问题", "下步打算"]
    assert at.selectbox(key="unit").value == "县自然资源局"


def test_a_tasks_detail_carries_its_commitments_gauges(monkeypatch, demo_store):
    at = run(monkeypatch, demo_store, task="5")
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "第5条 加快园区规划审批" in text and "县自然资源局" in text
    gauges = [s["description"] for s in drawn_specs(at)]
    assert len(gauges) == 1 and gauges[0].startswith("规划环评及总体规划审批")      # the one target 第5条 carries
    # done, but its approval came after the deadline: the state line says so beside the gauge's 逾期完成
    assert "任务状态：**已完成** · 所承载的“规划环评及总体规划审批”逾期完成（完成于 2023-11，期限 2023-09）" in text
    assert "逾期完成的目标已经完成，不再使任务滞后" in "".join(c.value for c in at.caption)


def test_meeting_mode_is_a_screen_per_section(monkeypatch, demo_store):
    at = run(monkeypatch, demo_store, mode="meeting", screen="4")
    assert not at.exception
    assert any("第 4 / 7 屏" in m.value for m in at.markdown)                  # the indicator, in the header
    assert any('class="cn-screen-name">(四)主导产业聚集工程' in h.proto.body for h in at.get("html"))   # under it
    line = next(m.value for m in at.markdown if m.value.startswith("任务 21 项："))       # both counts, in one line
    assert "；单位报送 123 项：" in line and line.endswith("未报送 4")
    assert matrix_html(at).count('<td class="cn-task">') == 7          # 第7–13条


def test_texts_from_an_upload_stay_text(monkeypatch, tmp_path, catalog):
    store = Store(tmp_path)
    hostile = '<script>alert(1)</script> **粗体** [链接](http://x) =1+1'
    data = f'任务,责任单位,期间,完成状态,进展情况\n5,县自然资源局,2025-06,推进中,"{hostile}"\n'.encode()
    assert ingest_bytes(store, catalog, data, "a.csv")[1] is not None
    at = run(monkeypatch, tmp_path, unit="县自然资源局")
    assert not at.exception
    assert at.table[0].value.set_index("任务").loc["第5条 加快园区规划审批", "进展情况"] == hostile
    assert "<script>" not in matrix_html(run(monkeypatch, tmp_path))


def test_the_supervision_page_lists_the_tasks_behind_by_unit(monkeypatch, demo_store):
    at = run(monkeypatch, demo_store, page="pages/supervision.py")
    assert not at.exception
    doc = cli_tasks(demo_store)
    behind = {f"第{t['number']}条 {t['title']}" for t in doc["tasks"] if t["status"] in ("lagging", "not_reported")}
    tables = [t.value for t in at.table if "单位状态" in t.value.columns]
    assert len(tables) == 1 and set(tables[0]["任务"]) == behind
    assert set(tables[0]["任务状态"]) <= {"滞后", "未报送"}


def test_the_brief_and_its_xlsx_carry_the_tasks_behind(demo_store, tmp_path):
    out = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(demo_store), "brief", "--out",
                          str(tmp_path / "b.pdf"), "--xlsx", str(tmp_path / "b.xlsx")], capture_output=True, text=True,
                         cwd=ROOT)
    assert out.returncode == 0, out.stderr
    doc = cli_tasks(demo_store)
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(tmp_path / "b.pdf").pages))
    assert "重点工作：滞后与未报送的任务" in text
    behind = [t for t in doc["tasks"] if t["status"] in ("lagging", "not_reported")]
    for t in behind:
        assert f"第{t['number']}条" in text and t["title"] in text, t["number"]
    book = openpyxl.load_workbook(io.BytesIO((tmp_path / "b.xlsx").read_bytes()))
    assert book.sheetnames[1] == "重点工作督办"
    rows = list(book["重点工作督办"].iter_rows(values_only=True))
    assert rows[1] == ("责任单位", "任务", "单位状态", "任务状态", "自何时起", "原因")
    assert {r[1] for r in rows[2:]} == {f"第{t['number']}条 {t['title']}" for t in behind}
    since = {f"第{t['number']}条 {t['title']}": t["since"] for t in behind}
    assert all(r[4] == since[r[1]] for r in rows[2:])


def test_before_any_report_the_page_says_how_to_start(monkeypatch, tmp_path, catalog):
    store = Store(tmp_path)
    ingest_bytes(store, catalog, "指标,期间,数值\n营业收入,2025-06,100\n".encode(), "a.csv")
    at = run(monkeypatch, tmp_path)
    assert not at.exception
    assert any("尚无重点工作进展报送" in i.value for i in at.info)
    assert counts_of(at)["任务 21 项"]["未报送"] == 21 and counts_of(at)["单位报送 123 项"]["未报送"] == 123


def test_the_samples_reports_carry_their_dates_and_show_a_believable_mix(monkeypatch, demo_store):
    at = run(monkeypatch, demo_store)
    assert not at.exception
    whole = next(t.value for t in at.table if "按时率" in t.value.columns)
    assert (whole["按时"] + whole["逾期报送"] == whole["已报"]).all() and (whole["已报"] + whole["未报"] == whole["应报"]).all()
    # the sample's ledger and indicators give no 报送日期 and were all loaded at once (today): every one of them late
    others = whole[whole["报送内容"] != "工作进展"]
    assert set(others["报送内容"]) == {"重点项目台账", "指标数据"} and (others["按时"] == 0).all()
    assert others["已报"].sum() > 0
    frame = whole[whole["报送内容"] == "工作进展"].set_index("责任单位")
    assert 0.6 < frame["按时"].sum() / frame["已报"].sum() < 0.95           # most in time, not all
    assert (frame["按时"] > 0).all() and (frame["逾期报送"] > 0).sum() >= 20
    # 县委编办 is named by 第2条 only: 36 months 2023-01 … 2025-12 due; counted again from the sample file itself,
    # in time when its 报送日期 is by the 5th of the next month
    rows = list(csv.reader((ROOT / "data/sample/08_重点工作进展_2023-2025.csv").read_text(encoding="utf-8-sig")
                           .splitlines()))
    head = rows[1]
    mine = [dict(zip(head, r)) for r in rows[2:] if len(r) > 2 and r[1] == "县委编办"]
    def due(month: str) -> str:
        y, m = int(month[:4]), int(month[5:])
        return f"{y + m // 12}-{m % 12 + 1:02d}-05"
    in_time = sum(r["报送日期"] <= due(r["期间"]) for r in mine)
    assert frame.loc["县委编办"].tolist()[1:6] == [36, len(mine), in_time, len(mine) - in_time, 36 - len(mine)]
    caption = "".join(c.value for c in at.caption)
    assert "报送日期" in caption and "按装入示例数据的时间计" in caption


def test_reports_older_than_the_month_say_so(monkeypatch, tmp_path, catalog):
    store = Store(tmp_path)
    ingest_bytes(store, catalog, "指标,期间,数值\n营业收入,2025-12,100\n".encode(), "a.csv")
    ingest_bytes(store, catalog, "任务,责任单位,期间,完成状态\n5,县自然资源局,2025-06,推进中\n".encode(), "b.csv")
    at = run(monkeypatch, tmp_path)                                   # as of 2025-12, the latest month with data
    assert not at.exception
    assert any(w.value.startswith("工作进展数据截至 2025-06：2025-12 尚无任何单位报送") for w in at.warning)
    at = run(monkeypatch, tmp_path, page="pages/supervision.py")
    assert any(s.value == "重点工作：滞后与未报送（工作进展数据截至 2025-06）" for s in at.subheader)
    assert cli_tasks(tmp_path)["reports_month"] == "2025-06"
