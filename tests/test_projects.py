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
import pytest

from cnpark.parse import parse_upload
from cnpark.projects import pipeline
from cnpark.service import ingest_bytes
from cnpark.store import Store

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
         "到位资金 1,000 万元，仅为协议投资的 10%", "2025-04")]


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
