"""重点项目: the project ledger through the ordinary ingest, and the pipeline's four rates and stalled projects worked by
hand on a small ledger (money in 亿元, an Excel date cell, a project with no planned start, one rolled back). Real
Parquet files and DuckDB in a temp directory."""

import io
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cnpark.parse import parse_upload
from cnpark.rules.project_check import mismatch_frame, mismatches
from cnpark.rules.projects import part_text, pipeline, project_frame, rate_text
from cnpark.service.uploads import ingest_bytes
from cnpark.store.snapshots import Store

ROOT = Path(__file__).resolve().parent.parent
HEAD = ["项目编号", "项目名称", "产业链环节", "责任单位", "总投资(万元)", "协议投资", "年度计划投资(万元)", "本年累计完成投资(万元)",
        "累计到位资金(万元)", "阶段", "签约日期", "计划开工日期", "实际开工日期", "投产日期", "期间"]
LEDGER = [
    # 2024-06: the year before
    ["P1", "多晶硅扩建", "多晶硅", "县投资促进局", 25000, "2亿元", 8000, 2000, 5000, "开工", "2024-01-10", "2024-03", "2024-04-01", "", "2024-06"],
    ["P4", "茶叶精加工", "茶叶", "县农业农村局", 30000, 30000, 0, 0, 20000, "在建", "2023-02-01", "2023-04", "2023-05-01", "", "2024-06"],
    *[["P5", "光伏组件", "电池组装", "县产业园区管委会", 8000, "", "", "", "", "洽谈", "", "", "", "", f"2024-{m:02d}"]
      for m in range(1, 13)],
    # 2025-06
    ["P1", "多晶硅扩建", "多晶硅", "县投资促进局", 25000, "2亿元", 6000, 3000, 15000, "在建", "2024-01-10", "2024-03", "2024-04-01", "", "2025-06"],
    ["P2", "切片加工", "切片", "县投资促进局", 12000, 10000, 2000, 0, 1000, "已签约", datetime(2024, 5, 20), "2025-03", "", "", "2025-06"],
    ["P3", "核桃乳", "核桃", "县农业农村局", 5000, 5000, "", "", 0, "签约", "2025-01-01", "", "", "", "2025-06"],
    ["P4", "茶叶精加工", "茶叶", "县农业农村局", 30000, 30000, 0, 0, 30000, "投产", "2023-02-01", "2023-04", "2023-05-01", "2024-09-01", "2025-06"],
    ["P5", "光伏组件", "电池组装", "县产业园区管委会", 8000, "", "", "", "", "洽谈中", "", "", "", "", "2025-06"],
    ["P6", "果蔬冷链", "果蔬", "县农业农村局", 7000, 6000, 1000, 100, 600, "签约", "2025-02-01", "2025-09", "", "", "2025-06"],
]


def workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["昌宁产业园区重点项目台账（单位：万元）"])
    book.active.append(HEAD)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def ledger(tmp_path, catalog):
    """The ledger stored, then a later upload that starts P6, rolled back: P6 is 签约 again."""
    store = Store(tmp_path)
    first = ingest_bytes(store, catalog, workbook(LEDGER), "台账.xlsx")
    assert first[1] is not None, [str(p) for p in first[0].problems]
    started = [r[:9] + ["在建", "2025-02-01", "2025-09", "2025-05-01", "", "2025-06"] for r in LEDGER if r[0] == "P6"]
    ingest_bytes(store, catalog, workbook(started), "改.xlsx")
    store.rollback(first[1].id)
    return store


def test_the_rates_and_the_stalled_worked_by_hand(ledger):
    p = pipeline(ledger.read("projects"), "2025-06", months=12, share=0.3)
    rows = p.now.set_index("project_id")
    assert rows.loc["P1", "agreed"] == 20000 and rows.loc["P2", "signed"] == "2024-05-20"   # 2亿元; an Excel date
    assert rows.loc["P6", "stage"] == "签约"                                               # the rollback holds
    # signed: P1 P2 P3 P4 P6 = 5; started: P1 P4 = 2 → 落地率 2/5
    # planned start by 2025-06: P1 (2024-03), P2 (2025-03), P4 (2023-04) = 3 (P3 none, P6 2025-09); started 2 → 2/3
    # funds: (15000 + 1000 + 0 + 30000 + 600) / (20000 + 10000 + 5000 + 30000 + 6000) = 46600 / 71000
    # 2025 plans: P1 3000/6000, P2 0/2000, P6 100/1000 → 3100 / 9000 (P4's plan is 0, P3 and P5 give none)
    assert p.rates == pytest.approx({"landing": 2 / 5, "start": 2 / 3, "funding": 46600 / 71000,
                                     "investment": 3100 / 9000})
    # 2024-06: P1 and P4 signed and started, both planned by then; funds (5000 + 20000) / (20000 + 30000); 2000 / 8000
    assert p.year_before == pytest.approx({"landing": 1.0, "start": 1.0, "funding": 0.5, "investment": 0.25})
    assert dict(zip(p.stages["stage"], p.stages["projects"])) == {"洽谈": 1, "签约": 3, "在建": 1, "投产": 1, "达产": 0,
                                                                  "纳统": 0}
    assert [(s.unit, s.project_id, s.reason, s.since) for s in p.stalled] == [
        ("县产业园区管委会", "P5", "处于洽谈阶段已 17 个月（自 2024-01）", "2025-02"),
        ("县投资促进局", "P1", "处于在建阶段已 14 个月（自 2024-04）", "2025-05"),
        # P2: not started 3 months after its planned start; in 签约 since 2024-05, 13 months; 1000 / 10000 = 10% < 30%
        ("县投资促进局", "P2", "计划 2025-03 开工，至今未开工；处于签约阶段已 13 个月（自 2024-05）；签约满一年（2024-05），"
         "到位资金 1,000 万元，仅为协议投资的 10.0%", "2025-04")]


def test_impossible_rows_are_refused_at_once(catalog):
    text = "\n".join([",".join(HEAD),
                      "Q1,甲,多晶硅,县投资促进局,1,20000,,,25000,在建,2024-03-15,2024-05,2024年5月1日,,2025-06",
                      "Q2,乙,硅材料,县投资促进局,1,100,,,10,开工,2024-03,,,,2025-06",
                      "Q3,丙,茶叶,县投资促进局,1,100,,,10,投产,2024-03,,2024-09,2024-08,2025-06",
                      "Q4,丁,茶叶,县投资促进局,1,100,,,10,差不多,2024-03,,2024-13-01,,2025-06"])
    r = parse_upload(text.encode(), "bad.csv", catalog)
    assert r.dataset == "projects" and not r.ok and r.rows.empty
    assert [str(p) for p in r.problems] == [
        "第2行 累计到位资金(万元): 25000 — 累计到位资金超过协议投资 20000 万元的 110%，请核对",
        "第3行 产业链环节: 硅材料 — 产业链环节应为以下之一：茶叶、核桃、制糖、畜牧、蚕茧、果蔬、林产品、工业硅、多晶硅、切片、电池组装、光伏发电",
        "第3行 阶段: 在建 — 阶段为在建，但没有填写实际开工日期",
        "第4行 投产日期: 2024-08 — 投产日期早于实际开工日期 2024-09",
        "第5行 阶段: 差不多 — 阶段应为以下之一：洽谈、签约、在建、投产、达产、纳统（开工即在建）",
        "第5行 实际开工日期: 2024-13-01 — 无法识别的日期（可写 2026-06-30 或 2026年6月）",
    ]


def test_the_command_line_reads_the_same(ledger, tmp_path):
    out = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(tmp_path), "projects", "--as-of", "2025-06",
                          "--format", "json"], capture_output=True, text=True, cwd=ROOT, check=True)
    doc = json.loads(out.stdout)
    assert doc["as_of"] == "2025-06" and doc["rates"]["landing"] == 0.4 and doc["rates"]["start"] == round(2 / 3, 6)
    assert doc["stages"]["签约"] == 3 and [s["id"] for s in doc["stalled"]] == ["P5", "P1", "P2"]
    assert doc["stalled"][0] == {"id": "P5", "name": "光伏组件", "unit": "县产业园区管委会",
                                 "reason": "处于洽谈阶段已 17 个月（自 2024-01）", "since": "2025-02"}


def test_a_ledger_older_than_the_month_counts_to_its_own_month(ledger, catalog, tmp_path):
    """The ledger ends 2025-06; read as of 2025-12 it speaks of 2025-06: the same months, rates and stalled as the
    reading of 2025-06 above (P5 in 洽谈 17 months, not 23; P2's planned start 3 months past, not 9)."""
    p = pipeline(ledger.read("projects"), "2025-12", months=12, share=0.3)
    assert p.as_of == "2025-12" and p.month == "2025-06"
    assert p.stale.startswith("台账数据截至 2025-06：2025-12 尚无台账") and "上年同期为 2024-06" in p.stale
    assert p.rates == pytest.approx({"landing": 2 / 5, "start": 2 / 3, "funding": 46600 / 71000,
                                     "investment": 3100 / 9000})
    assert p.parts == {"landing": (2, 5), "start": (2, 3), "funding": (46600, 71000), "investment": (3100, 9000)}
    assert p.parts_before == {"landing": (2, 2), "start": (2, 2), "funding": (25000, 50000), "investment": (2000, 8000)}
    assert [(s.project_id, s.since) for s in p.stalled] == [("P5", "2025-02"), ("P1", "2025-05"), ("P2", "2025-04")]
    assert p.stalled[0].reason == "处于洽谈阶段已 17 个月（自 2024-01）"
    assert p.stalled[2].reason.startswith("计划 2025-03 开工，至今未开工；处于签约阶段已 13 个月（自 2024-05）")
    frame = project_frame(p, ledger.read("projects"), catalog, pd.DataFrame()).set_index("编号")
    assert frame.loc["P1", "本阶段月数"] == 14 and frame.loc["P5", "本阶段月数"] == 17     # since 2024-04, 2024-01
    assert pipeline(ledger.read("projects"), "2025-06", months=12, share=0.3).stale == ""
    out = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(tmp_path), "projects", "--as-of", "2025-12"],
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "台账数据截至 2025-06" in out and "40.0%（2 / 5 个）" in out and "65.6%（46,600 / 71,000 万元）" in out
    assert "处于洽谈阶段已 17 个月" in out
    doc = json.loads(subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(tmp_path), "projects", "--as-of",
                                     "2025-12", "--format", "json"], capture_output=True, text=True, cwd=ROOT,
                                    check=True).stdout)
    assert doc["ledger_month"] == "2025-06" and doc["rates"]["landing"] == 0.4
    assert doc["counts"]["landing"] == {"numerator": 2, "denominator": 5}
    assert doc["counts_year_before"]["funding"] == {"numerator": 25000, "denominator": 50000}


def test_each_rate_says_what_it_divides():
    assert rate_text("landing", 16 / 21, (16, 21)) == "76.2%（16 / 21 个）"
    assert rate_text("funding", 1_184_100 / 1_354_400, (1_184_100, 1_354_400)) == "87.4%（1,184,100 / 1,354,400 万元）"
    assert rate_text("start", None, (0, 0)) == "—"
    assert part_text("start", (16, 21)) == "已开工 16 ÷ 计划开工已到的已签约 21 个"


def test_a_stage_the_enterprise_list_contradicts(catalog):
    now = pd.DataFrame([
        ("A1", "甲", "甲公司", "签约", "2025-06"),         # the list says 达产: contradicts
        ("A2", "乙", "乙公司", "纳统", "2025-06"),         # 纳统 agrees with 达产
        ("A3", "丙", "丙公司", "纳统", "2025-05"),         # … and with 投产
        ("A4", "丁", "丁公司", "在建", "2025-06"),         # the list's latest row by 2025-06 says 签约: contradicts
        ("A5", "戊", "戊公司", "洽谈", "2025-06"),         # talks: nothing in the list to compare with
        ("A6", "己", "（招商中）", "签约", "2025-06"),      # an owner the list does not name
        ("A7", "庚", "庚公司", "投产", "2025-06"),         # agrees
    ], columns=["project_id", "name", "owner", "stage", "period"])
    firms = pd.DataFrame([("甲公司", "达产", "2025-06"), ("乙公司", "达产", "2025-06"), ("丙公司", "投产", "2025-03"),
                          ("丁公司", "签约", "2025-03"), ("丁公司", "在建", "2025-09"),   # after the month: not yet
                          ("戊公司", "达产", "2025-06"), ("庚公司", "投产", "2025-06")],
                         columns=["name", "status", "period"])
    found = mismatches(now, firms, "2025-06")
    assert [(m.project_id, m.stage, m.period, m.listed, m.listed_period) for m in found] == [
        ("A1", "签约", "2025-06", "达产", "2025-06"), ("A4", "在建", "2025-06", "签约", "2025-03")]
    assert found[0].text == "企业名录：达产 ≠ 台账：签约"
    assert mismatch_frame(found).values.tolist()[1] == ["A4", "丁", "丁公司", "在建", "2025-06", "签约", "2025-03"]
    assert mismatches(now, firms, "2025-09")[1:] == []                # by 2025-09 丁公司 is 在建 too: only A1 left
    assert mismatches(now, firms.iloc[0:0], "2025-06") == []


def test_an_empty_stage_is_labelled_zero():
    from cnpark.outputs import trends
    from cnpark.rules.projects import stages
    frame = stages(pd.DataFrame({"stage": ["签约", "签约", "在建"], "total": [100.0, 50.0, 30.0]}))
    spec = trends.bar_chart(frame, "stage", "projects", title="各阶段项目数", unit="个", horizontal=True).to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    assert [(r["stage"], r["_label"]) for r in rows] == [("洽谈", "0"), ("签约", "2"), ("在建", "1"), ("投产", "0"),
                                                         ("达产", "0"), ("纳统", "0")]
    assert spec["description"] == "各阶段项目数：洽谈 0 个，签约 2 个，在建 1 个，投产 0 个，达产 0 个，纳统 0 个"
