"""Several plans in one installation, and the proof that a plan is data: a fictional park's plan (a test fixture under
tests/files/plans/, never under data/plan/) driven end to end — ingest, status, overview, brief, report — by the code
that reads the Changning plan; `check-plan` lists every problem of a broken catalog at once."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from pypdf import PdfReader

from cnpark.plan.catalog import load_catalog
from cnpark.plan.plans import check_plan, load_plans
from cnpark.service.readings import Readings
from cnpark.service.uploads import check_upload
from cnpark.store.snapshots import Store
from tests.conftest import app_test, drawn_specs

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "tests" / "files" / "plans"
FIXTURE = PLANS / "fixture-qingshan-2026-2028.toml"
FIXTURE_DATA = PLANS / "fixture-qingshan-indicators.csv"
CODE = "fixture-qingshan-2026-2028"
NAMES = ["青山园区税收收入", "青山园区土地利用率", "青山园区污水处理厂建成投运"]


def cnpark(store: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(store), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300,
                          env={**__import__("os").environ, "CNPARK_PLANS": str(PLANS)})
    assert (done.returncode == 0) == ok, done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory) -> Path:
    """The fictional park's figures, uploaded while the Changning plan is the chosen one: a name only the other plan
    knows is accepted."""
    store = tmp_path_factory.mktemp("fixture-plan")
    said = cnpark(store, "--plan", "changning-2023-2025", "ingest", str(FIXTURE_DATA)).stdout
    assert "已入库" in said and "9 行" in said          # the nine rows of the file
    cnpark(store, "ingest", str(ROOT / "data" / "sample" / "05_债务台账.csv"))    # a ledger no goal of this plan reads
    return store


# ------------------------------------------------------------------------------------------------ the plans

def test_every_catalog_file_is_a_plan_and_the_default_follows_the_calendar():
    plans = load_plans(str(PLANS))
    assert [c.code for c in plans.catalogs] == ["changning-2023-2025", CODE]     # by start month
    assert plans.default("2024-06").code == "changning-2023-2025"      # in force
    assert plans.default("2026-12").code == CODE                      # in force (the other has ended)
    assert plans.default("2029-03").code == CODE                      # both ended: the latest ended
    assert plans.default("2022-06").code == "changning-2023-2025"     # none begun: the first to come
    assert plans.pick("changning-2023-2025", "2026-12").code == "changning-2023-2025"
    assert plans.pick("no-such-plan", "2026-12").code == CODE
    only = load_plans("")
    assert [c.code for c in only.catalogs] == ["changning-2023-2025"]


def test_a_broken_file_beside_the_plans_is_left_out_and_said(tmp_path):
    (tmp_path / "broken.toml").write_text('[plan]\ncode = "x"\n', encoding="utf-8")
    plans = load_plans(str(tmp_path))
    assert [c.code for c in plans.catalogs] == ["changning-2023-2025"]
    assert len(plans.broken) == 1 and "broken.toml" in plans.broken[0] and "缺少 name" in plans.broken[0]


def test_uploads_read_names_any_loaded_plan_knows(tmp_path):
    plans = load_plans(str(PLANS))
    changning = plans.get("changning-2023-2025")
    data = FIXTURE_DATA.read_bytes()
    alone = check_upload(Store(tmp_path / "a"), changning, data, FIXTURE_DATA.name, preview=False)
    assert not alone.ok and "青山园区税收收入" in str(alone.result.problems[0])
    both = check_upload(Store(tmp_path / "b"), changning, data, FIXTURE_DATA.name, names=plans.names(changning))
    assert both.ok and sorted(set(both.result.rows["indicator"])) == ["qs_land_use", "qs_sewage_plant", "qs_tax"]
    assert plans.names(changning).lookup("营业收入") == "revenue"          # the chosen plan's names still first


# ------------------------------------------------------------------------------------------------ end to end

def test_the_fixture_plans_status_by_hand(fixture_store):
    doc = json.loads(cnpark(fixture_store, "--plan", CODE, "status", "--as-of", "2026-12", "--format", "json").stdout)
    assert doc["plan_code"] == CODE and doc["as_of"] == "2026-12"
    got = {(t["code"], t["deadline"]): t for t in doc["targets"]}
    assert sorted(got) == [("qs_land_use", "2028-12"), ("qs_sewage_plant", "2027-06"), ("qs_tax", "2026-12"),
                           ("qs_tax", "2027-12"), ("qs_tax", "2028-12")]
    # 税收 (a flow: full years only). 2026: 5,100 ≥ 5,000 → met, completion 5100/5000.
    assert got[("qs_tax", "2026-12")]["status"] == "met"
    assert got[("qs_tax", "2026-12")]["completion"] == pytest.approx(1.02)
    # 2027: baseline 2025 = 4,200; progress (5100−4200)/(6000−4200) = 0.5; due share 12/24 = 0.5 → on track.
    assert got[("qs_tax", "2027-12")]["status"] == "on_track"
    assert got[("qs_tax", "2027-12")]["expected"] == pytest.approx(4200 + 0.5 * 1800)
    # 2028: progress 900/2800 = 0.321 < due 12/36 = 0.333, within the plan's own tolerance 0.05 → lagging.
    assert got[("qs_tax", "2028-12")]["status"] == "lagging"
    # 土地利用率: (78−70)/(85−70) = 0.533 ≥ 12/36 → on track.
    assert got[("qs_land_use", "2028-12")]["status"] == "on_track" and got[("qs_land_use", "2028-12")]["actual"] == 78
    assert got[("qs_sewage_plant", "2027-06")]["status"] == "pending"
    # the Changning plan reads the same store and knows none of these
    other = json.loads(cnpark(fixture_store, "--plan", "changning-2023-2025", "status", "--format", "json").stdout)
    assert not {t["code"] for t in other["targets"]} & {"qs_tax", "qs_land_use", "qs_sewage_plant"}
    assert cnpark(fixture_store, "--plan", "nope", "status", ok=False).stderr.count("没有代码为 nope 的规划") == 1


def test_the_fixture_plans_brief_and_report(fixture_store, tmp_path):
    said = cnpark(fixture_store, "--plan", CODE, "brief", "--as-of", "2026-12", "--out", str(tmp_path / "b.pdf")).stdout
    assert "已生成" in said
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(tmp_path / "b.pdf").pages))
    assert "青山工业园区（虚构）目标完成情况简报" in text and all(n in text for n in NAMES)
    assert "营业收入" not in text
    cnpark(fixture_store, "--plan", CODE, "report", "--as-of", "2026-12", "--out", str(tmp_path / "r.docx"))
    doc = Document(tmp_path / "r.docx")
    body = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "中期评估" in body and "（测试夹具·虚构）青山工业园区提质增效三年行动计划（2026—2028年）" in body   # 公文 brackets
    assert "青政办发〔2025〕99号（虚构）" in body
    assert all(n in cells for n in NAMES) and "营业收入" not in cells
    assert "《行动计划》未设债务化解目标。" in body and "债务余额" not in body      # the sample's ledger is not this plan's
    assert "逾期债务" not in body                                               # nor among its problems


def test_the_overview_and_target_list_follow_the_plan_in_the_link(fixture_store, monkeypatch, fresh_caches):
    monkeypatch.setenv("CNPARK_PLANS", str(PLANS))
    at = app_test(monkeypatch, fixture_store, "app.py", plan=CODE, as_of="2026-12")
    assert not at.exception
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "青山工业园区（测试夹具） · 目标监测" in text
    assert at.sidebar.radio(key="plan").value == CODE
    assert len(drawn_specs(at)) == 5          # one gauge per goal: 税收 three years, 土地, 污水处理厂
    at = app_test(monkeypatch, fixture_store, "pages/targets.py", plan=CODE)
    facts = " ".join(m.value for m in at.markdown).replace("\\", "")      # as read: without Markdown escapes
    for fact in ("青山县发展改革局（虚构）", "2025-11-18", "青政办发〔2025〕99号（虚构）"):
        assert fact in facts
    shown = " ".join(str(v) for t in [*at.table, *at.dataframe] for v in t.value.to_numpy().ravel())
    assert all(n in shown for n in NAMES) and "营业收入" not in shown


def test_an_ended_plan_opens_on_its_final_reckoning(demo_store, monkeypatch, fresh_caches):
    monkeypatch.setenv("CNPARK_PLANS", str(PLANS))
    at = app_test(monkeypatch, demo_store, "app.py", plan="changning-2023-2025")
    assert not at.exception
    assert at.sidebar.selectbox(key="as_of").value == "2025-12"
    assert any("本计划已于 2025-12 到期，以下为终期结果" in i.value for i in at.info)


# ------------------------------------------------------------------------------------------------ a successor plan

def test_a_successor_plan_sets_its_baseline_to_the_previous_plans_last_year(demo_store, tmp_path):
    successor = tmp_path / "successor.toml"
    successor.write_text("""[plan]
code = "fixture-successor-2026-2028"
name = "（测试夹具·虚构）后续三年行动计划(2026-2028年)"
park = "云南昌宁产业园区"
previous = "changning-2023-2025"
start = "2025-12"
end = "2028-12"
[[targets]]
code = "revenue"
name = "营业收入"
kind = "numeric"
unit = "万元"
rule = "double_base"
measure = "flow"
baseline = "2025-12"
targets = [{ deadline = "2028-12", value = 1.5 }]
clause = "二、发展目标"
group = "经济总量"
""", encoding="utf-8")
    others = list(load_plans("").catalogs)
    assert check_plan(successor, others) == []
    # The 2025 revenue of the sample, read from the sample file itself: the new plan's base is that year's actual.
    sample = pd.read_csv(ROOT / "data" / "sample" / "01_年度指标_2021-2025.csv", encoding="gbk", skiprows=2, thousands=",")
    revenue_2025 = float(sample[(sample["指标名称"] == "营业收入") & (sample["统计期"] == "2025年")]["数值"].iloc[0]
                         .replace(",", ""))
    statuses = Readings(Store(demo_store), load_catalog(successor), "2025-12").report.statuses
    assert len(statuses) == 1 and statuses[0].baseline_period == "2025-12"
    assert statuses[0].target == pytest.approx(1.5 * revenue_2025)


# ------------------------------------------------------------------------------------------------ check-plan

BROKEN = """[plan]
code = "fixture-broken"
name = "（测试夹具）坏清单"
start = "2025-12"
end = "2028-12"
groups = ["甲组"]

[[targets]]
code = "a"
name = "甲指标"
kind = "numeric"
unit = "吨"
rule = "greater"
targets = [{ deadline = "2025-06", value = 1 }]
clause = "第1条"
group = "甲组"

[[targets]]
code = "b"
name = "乙指标"
aliases = ["甲指标"]
kind = "numeric"
unit = "斤"
rule = "ge"
targets = [{ deadline = "2027-12", value = 2 }]
clause = "第2条"
group = "甲组"

[[targets]]
code = "a"
name = "丙指标"
aliases = ["营收"]
kind = "numeric"
unit = "万元"
rule = "ge"
targets = [{ deadline = "2027-12", value = 3 }]
clause = "第3条"
group = "乙组"
"""


def test_check_plan_lists_every_problem_at_once(tmp_path):
    bad = tmp_path / "broken.toml"
    bad.write_text(BROKEN, encoding="utf-8")
    done = cnpark(tmp_path / "store", "check-plan", str(bad), ok=False)
    lines = done.stderr.splitlines()
    assert lines[0] == "目标清单 broken.toml 有 7 个问题："
    problems = "\n".join(lines[1:])
    for expected in (
        "1. 目标 a：未知规则 greater",                              # unknown rule
        "2. 目标 a：期限 2025-06 早于或等于计划起点 2025-12",          # deadline before the start
        "3. 目标 b：单位 斤 解析器不认识",                            # a unit the parser does not know
        "4. 目标 a：分组 乙组 不在 [plan] groups 中",
        "5. 名称或别名 甲指标 同时属于目标 a 和 b",                    # an alias shared with another target
        "6. 目标代码 a 重复",                                        # duplicate code
        "7. 目标 a：名称或别名 营收 在《云南昌宁产业园区振兴三年行动计划(2023-2025年)》中指目标 revenue",
    ):
        assert expected in problems, (expected, problems)
    assert len(re.findall(r"^\d+\. ", problems, re.M)) == 7
    ok = cnpark(tmp_path / "store", "check-plan", str(FIXTURE)).stdout
    assert ok.startswith("检查通过：《（测试夹具·虚构）青山工业园区提质增效三年行动计划(2026-2028年)》") and "5 项目标" in ok
    assert not (tmp_path / "store").exists()          # checking a plan needs no store


def test_the_bundled_plan_passes_its_own_check():
    plans = load_plans("")
    changning = plans.get("changning-2023-2025")
    assert check_plan(changning.path, []) == []


def test_the_notes_and_labels_say_where_each_plan_stands():
    from cnpark.rules.overview import ended_note, plan_facts, report_name
    from cnpark.ui.frame import plan_label

    plans = load_plans(str(PLANS))
    changning, fixture = plans.get("changning-2023-2025"), plans.get(CODE)
    assert ended_note(changning, "2025-12", "2026-12") == "本计划已于 2025-12 到期，以下为终期结果。"
    assert "中期情况" in ended_note(changning, "2024-06", "2026-12")
    assert ended_note(fixture, "2026-12", "2026-12") == "" and ended_note(changning, "2025-06", "2025-07") == ""
    assert report_name(changning, "2025-12") == "终期评估报告" and report_name(changning, "2025-11") == "中期评估报告"
    assert plan_label(plans, changning, "2026-12") == "云南昌宁产业园区 2023–2025年（已到期）"
    assert plan_label(load_plans(""), changning, "2024-01") == "2023–2025年（执行中）"      # one park: no park name
    facts = dict(plan_facts(changning, "2026-12"))
    assert facts["发布机构"] == "昌宁县发改局" and facts["发布日期"] == "2023-10-20"
    assert facts["文号"] == "（公开页面未载明）" and facts["计划期"] == "2023-01 至 2025-12（已到期）"


def test_every_page_opens_under_another_parks_plan(fixture_store, monkeypatch, fresh_caches):
    """The pages about the Changning plan's own targets (多晶硅, 农特, 产业集群, 债务) and its tasks say that this plan
    has none, instead of failing; every other page draws the plan's own goals."""
    import streamlit as st

    from cnpark.ui.registry import PAGES

    monkeypatch.setenv("CNPARK_PLANS", str(PLANS))
    without = {"pages/cluster.py", "pages/polysilicon.py", "pages/agri.py", "pages/debt.py", "pages/tasks.py"}
    for script in (p.script for p in PAGES):
        for mode in ({}, {"mode": "meeting"}):
            st.cache_data.clear()
            at = app_test(monkeypatch, fixture_store, script, plan=CODE, as_of="2026-12", **mode)
            assert not at.exception, (script, mode, at.exception)
            said = " ".join(i.value for i in at.info)
            assert ("没有本页所示的目标或任务" in said) == (script in without), (script, mode, said)


def test_a_task_report_is_read_against_the_plan_in_force_in_its_month(tmp_path):
    plans = load_plans(str(PLANS))
    fixture = plans.names(plans.get(CODE))
    assert fixture.plan_for("2025-06").code == "changning-2023-2025"       # inside the ended plan
    assert fixture.plan_for("2027-01").code == CODE
    assert fixture.plan_for("2030-01").code == CODE                        # in no plan: the chosen one
    sample = ROOT / "data" / "sample" / "08_重点工作进展_2023-2025.csv"
    upload = check_upload(Store(tmp_path), plans.get(CODE), sample.read_bytes(), sample.name, preview=False,
                          names=fixture)
    assert upload.ok, [str(p) for p in upload.result.problems[:3]]
    assert upload.result.rows["task"].max() == 21


def test_a_plan_dropped_in_or_edited_while_the_server_runs_is_read_at_the_next_page(fixture_store, monkeypatch, tmp_path,
                                                                               fresh_caches):
    monkeypatch.setenv("CNPARK_PLANS", str(tmp_path))          # a folder of plans, empty at first
    at = app_test(monkeypatch, fixture_store, "pages/targets.py")
    assert not at.exception and not at.sidebar.radio           # one plan: no selector
    (tmp_path / FIXTURE.name).write_bytes(FIXTURE.read_bytes())   # the administrator drops the file in
    at = app_test(monkeypatch, fixture_store, "pages/targets.py", plan=CODE)
    assert not at.exception
    radio = at.sidebar.radio(key="plan")
    assert radio.value == CODE
    assert [o.split("（")[0] for o in radio.options] == ["云南昌宁产业园区 2023–2025年", "青山工业园区"]   # by start
    # the administrator corrects the plan file: the next page reads the new target, not a cached reading of the old
    import os

    def land_target() -> str:
        at = app_test(monkeypatch, fixture_store, "app.py", plan=CODE, as_of="2026-12")
        texts = [s["description"] for s in drawn_specs(at)]
        return next(t for t in texts if t.startswith("青山园区土地利用率"))
    assert "≥ 85%" in land_target()
    dropped = tmp_path / FIXTURE.name
    dropped.write_text(dropped.read_text(encoding="utf-8").replace("value = 85 }", "value = 90 }"), encoding="utf-8")
    later = dropped.stat().st_mtime_ns + 2_000_000_000
    os.utime(dropped, ns=(later, later))
    assert "≥ 90%" in land_target()


def test_the_command_line_says_a_broken_plan_file_and_goes_on(tmp_path):
    (tmp_path / "broken.toml").write_text('[plan]\ncode = "x"\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(tmp_path / "store"), "plans"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60,
                          env={**__import__("os").environ, "CNPARK_PLANS": str(tmp_path)})
    assert done.returncode == 0 and "changning-2023-2025" in done.stdout
    assert "有目标清单未能载入（其余规划照常）：目标清单 broken.toml 有" in done.stderr and "缺少 name" in done.stderr
