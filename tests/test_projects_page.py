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

from tests.conftest import app_test

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.usefixtures("fresh_caches")
NAMES = {"landing": "落地率", "start": "开工率", "funding": "资金到位率", "investment": "年度投资完成率"}


def run(monkeypatch, store_dir, page="pages/projects.py", **query):
    return app_test(monkeypatch, store_dir, page, **query)


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
    # under each rate what it divides, as the CLI counts it: 落地率 and 开工率 are both 16 / 21 in the sample (every
    # signed project's planned start has come), not a fault
    shown = [m.value for m in at.markdown]
    words = {"landing": ("已开工", "已签约", "个"), "start": ("已开工", "计划开工已到的已签约", "个"),
             "funding": ("到位资金", "协议投资", "万元"), "investment": ("本年完成", "年度计划", "万元")}
    for key, (top, bottom, unit) in words.items():
        c = doc["counts"][key]
        assert f"{top} {c['numerator']:,.0f} ÷ {bottom} {c['denominator']:,.0f} {unit}" in shown, key
    assert doc["counts"]["landing"] == doc["counts"]["start"] == {"numerator": 16, "denominator": 21}
    funnel = next(json.loads(c.proto.spec)["description"] for c in at.get("vega_lite_chart")
                  if json.loads(c.proto.spec)["description"].startswith("各阶段项目数"))
    for stage, n in doc["stages"].items():
        assert f"{stage} {n} 个" in funnel, stage                      # the empty 投产 too: "投产 0 个"
    assert doc["stages"]["投产"] == 0
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
    # XM21 and XM24 are 签约 in the ledger (至今未开工) while the list has their owners 达产: 数据不一致, and listed
    assert projects.loc["XM21", "关联"] == "企业名录：达产 ≠ 台账：签约（数据不一致）"
    assert projects.loc["XM24", "关联"] == "企业名录：达产 ≠ 台账：签约（数据不一致）"
    assert any(s.value.startswith("数据不一致（") for s in at.subheader)
    wrong = next(t.value for t in at.table if "企业名录状态" in t.value.columns).set_index("编号")
    assert wrong.loc[["XM21", "XM24"], ["台账阶段", "企业名录状态", "台账期间", "名录期间"]].values.tolist() == [
        ["签约", "达产", "2025-12", "2025-12"]] * 2
    assert set(wrong.index) == {i for i in projects.index if "数据不一致" in projects.loc[i, "关联"]}


def test_a_link_to_a_project_opens_at_it(monkeypatch, demo_store):
    at = run(monkeypatch, demo_store, project="XM03")
    assert not at.exception
    # the project's section is the page's first, right under the filters, its months open (not in an expander)
    assert at.subheader[0].value == "XM03 硅业新材料项目"
    months = next(t.value for t in at.table if "月份" in t.value.columns)
    # talks began 2023-06 (signed 2024-02, never started): 2023-06 … 2025-12 is 31 months, the latest first
    assert len(months) == 31 and months["月份"].iloc[0] == "2025-12" and months["月份"].iloc[-1] == "2023-06"
    assert set(months["阶段"]) == {"洽谈", "签约"}
    assert at.selectbox(key="project").value == "XM03"
    plain = run(monkeypatch, demo_store)                               # without a project, no project section
    assert plain.subheader[0].value.startswith("停滞项目")


def test_a_ledger_older_than_the_month_says_so(monkeypatch, tmp_path, catalog):
    from cnpark.service.uploads import ingest_bytes
    from cnpark.store.snapshots import Store
    from tests.test_projects import LEDGER, workbook
    store = Store(tmp_path)
    assert ingest_bytes(store, catalog, workbook(LEDGER), "台账.xlsx")[1] is not None         # ends 2025-06
    ingest_bytes(store, catalog, "指标,期间,数值\n营业收入,2025-12,100\n".encode(), "a.csv")   # the month: 2025-12
    at = run(monkeypatch, tmp_path)
    assert not at.exception
    assert any(w.value.startswith("台账数据截至 2025-06：2025-12 尚无台账") for w in at.warning)
    projects = next(t.value for t in at.table if "计划开工" in t.value.columns).set_index("编号")
    assert projects.loc["P5", "本阶段月数"] == 17                      # 洽谈 since 2024-01, counted to 2025-06
    at = run(monkeypatch, tmp_path, page="pages/supervision.py")
    assert any(s.value == "重点项目：停滞项目（台账数据截至 2025-06）" for s in at.subheader)
