"""The 重点项目 page, the 督办 page's stalled projects and the brief's pipeline, through AppTest and the CLI on the sample."""

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from tests.conftest import open_page

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.usefixtures("fresh_caches")
NAMES = {"landing": "落地率", "start": "开工率", "funding": "资金到位率", "investment": "年度投资完成率"}


def run(monkeypatch, store_dir, page="pages/projects.py", **query):
    return open_page(monkeypatch, store_dir, page, **query)


def cli_projects(store) -> dict:
    out = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(store), "projects", "--format", "json"],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout)


def percent(v: float) -> str:
    return f"{v * 100:.1f}%"


def test_the_page_shows_the_rates_the_funnel_and_the_stalled(monkeypatch, demo_store):
    at = run(monkeypatch, demo_store)
    assert not at.exception
    doc = cli_projects(demo_store)
    metrics = {m.label: m for m in at.metric}
    for key, name in NAMES.items():                      # the page's figures are the CLI's
        assert metrics[name].value == percent(doc["rates"][key]), name
        change = (doc["rates"][key] - doc["year_before"][key]) * 100
        assert metrics[name].delta.startswith(f"{change:+.1f} 个百分点"), name
    funnel = next(json.loads(c.proto.spec)["description"] for c in at.get("vega_lite_chart")
                  if json.loads(c.proto.spec)["description"].startswith("各阶段项目数"))
    for stage, n in doc["stages"].items():
        if n:
            assert f"{stage} {n}" in funnel, stage
    stalled = next(t.value for t in at.table if "停滞原因" in t.value.columns and "自何时起" in t.value.columns)
    assert stalled["项目"].tolist() == [f"{s['id']} {s['name']}" for s in doc["stalled"]]
    assert stalled["停滞原因"].tolist() == [s["reason"] for s in doc["stalled"]]


def test_a_filter_in_the_link_narrows_everything(monkeypatch, demo_store):
    at = run(monkeypatch, demo_store, unit="县投资促进局", stage="签约")
    assert not at.exception
    doc = cli_projects(demo_store)
    stalled = next(t.value for t in at.table if "自何时起" in t.value.columns)
    assert set(stalled["责任单位"]) == {"县投资促进局"}
    assert len(stalled) == sum(s["unit"] == "县投资促进局" for s in doc["stalled"])
    projects = next(t.value for t in at.table if "计划开工" in t.value.columns)
    assert set(projects["阶段"]) == {"签约"} and set(projects["责任单位"]) == {"县投资促进局"}


def test_meeting_mode_is_the_rates_then_the_stalled(monkeypatch, demo_store):
    doc = cli_projects(demo_store)
    screens = 1 + -(-len(doc["stalled"]) // 6)             # the stalled in screens of six
    at = run(monkeypatch, demo_store, mode="meeting", screen="2")
    assert not at.exception
    assert any(f"第 2 / {screens} 屏" in m.value for m in at.markdown)


def test_the_supervision_page_and_the_brief_carry_the_pipeline(monkeypatch, demo_store, tmp_path):
    doc = cli_projects(demo_store)
    at = run(monkeypatch, demo_store, page="pages/supervision.py")
    assert not at.exception
    assert any(s.value == "重点项目：停滞项目" for s in at.subheader)
    out = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(demo_store), "brief", "--out",
                          str(tmp_path / "b.pdf"), "--xlsx", str(tmp_path / "b.xlsx")], capture_output=True, text=True,
                         cwd=ROOT)
    assert out.returncode == 0, out.stderr
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(tmp_path / "b.pdf").pages))
    for key, name in NAMES.items():
        assert f"{name}{percent(doc['rates'][key])}（上年同期{percent(doc['year_before'][key])}）" in text, name
    book = openpyxl.load_workbook(io.BytesIO((tmp_path / "b.xlsx").read_bytes()))
    assert book.sheetnames[2:] == ["重点项目比率", "重点项目停滞"]
    rows = list(book["重点项目停滞"].iter_rows(values_only=True))[2:]
    assert [r[1] for r in rows] == [f"{s['id']} {s['name']}" for s in doc["stalled"]]


def test_a_project_ties_to_the_target_it_feeds_and_its_firm(monkeypatch, demo_store):
    at = run(monkeypatch, demo_store)
    projects = next(t.value for t in at.table if "关联" in t.value.columns).set_index("编号")
    # 通威二期 (多晶硅, the link of 多晶硅产能), owned by the list's 云南通威高纯晶硅有限公司 (达产); 纳统 since 2025-06: 6 months
    assert projects.loc["XM01", "关联"] == "计入多晶硅产能；企业名录：达产"
    assert projects.loc["XM01", "本阶段月数"] == 6
    assert projects["状态"].tolist()[:1] == ["停滞"]                       # the stalled first
