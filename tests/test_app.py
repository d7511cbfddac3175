"""The pages through Streamlit's AppTest, on the sample data and on an empty store."""

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def fresh_caches():
    # AppTest instances share the process's caches; each test starts clean
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def run_page(monkeypatch, store_dir, script="app.py", **query):
    monkeypatch.setenv("CNPARK_DATA_DIR", str(store_dir))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)   # the entrypoint, as `streamlit run`
    for k, v in query.items():
        at.query_params[k] = v
    if script != "app.py":
        at.switch_page(script)
    return at.run()


def gauge_texts(at) -> list[list[str]]:
    """Each gauge in words: [title, completion, status word, value, target, data period, (change)]."""
    out = []
    for chart in at.get("vega_lite_chart"):
        description = json.loads(chart.proto.spec)["description"]
        title, words = description.split("：", 1)
        out.append([title, *words.split("，")][:6])
    return out


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_on_empty_store(monkeypatch, tmp_path):
    at = run_page(monkeypatch, tmp_path)
    assert not at.exception
    assert "数据仓库为空" in at.info[0].value and "python -m cnpark demo" in at.info[0].value
    assert len(at.get("vega_lite_chart")) == 0


def test_overview_on_sample_data(monkeypatch, demo_store, catalog):
    at = run_page(monkeypatch, demo_store)
    assert not at.exception
    assert "示例数据" in at.warning[0].value
    assert at.selectbox(key="as_of").value == "2025-12"
    gauges = gauge_texts(at)
    assert len(gauges) == sum(len(t.goals) for t in catalog.targets if t.is_tracked) == 29
    # final reckoning of the sample (see tests/test_cli.py for the hand calculation): 18 met, 11 missed
    assert metrics(at) == {"达标": "18", "正常推进": "0", "滞后/严重滞后": "0", "未达标": "11", "待完成/无数据": "0"}
    assert ["多晶硅产能", "100%", "达标", "250,000 吨", "目标 ≥ 250,000 吨", "数据期 2025-12"] in gauges
    assert ["农特产品加工转化率", "95%", "未达标", "71.5 %", "目标 ≥ 75 %", "数据期 2025-12"] in gauges
    assert ["工业总产值 · 2024年", "-14.0%", "未达标", "完成率 -70%", "目标 ≥ 20 %", "数据期 2024-12"] in gauges


def test_overview_as_of_from_the_link(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, as_of="2024-06")
    assert not at.exception
    assert at.selectbox(key="as_of").value == "2024-06"
    assert any("历史月份" in i.value for i in at.info)
    gauges = gauge_texts(at)
    # 170,000 t at 2024-06: (170000 − 50000)/(250000 − 50000) = 0.6 ≥ 18/36 → on track; 170000/250000 = 68 %
    assert ["多晶硅产能", "68%", "正常推进", "170,000 吨", "目标 ≥ 250,000 吨", "数据期 2024-06"] in gauges
    # the 2025 output goal has not started: no figure, not zero
    assert ["工业总产值 · 2025年", "—", "待完成", "—", "目标 ≥ 20 %", "数据期 —"] in gauges


def test_overview_by_urgency_puts_missed_first(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, as_of="2024-06", sort="按紧急程度")
    assert not at.exception
    statuses = [g[2] for g in gauge_texts(at)]
    assert statuses[:2] == ["未达标", "未达标"] and statuses[2:5] == ["严重滞后"] * 3
    assert statuses[-6:] == ["达标"] * 6


def test_overview_as_uploaded_at_an_earlier_snapshot(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, snapshot="S00001")     # only the annual file had been loaded
    assert not at.exception
    assert at.selectbox(key="snapshot").value == "S00001"
    assert any("历史数据版本" in i.value and "S00001" in i.value for i in at.info)
    gauges = {g[0]: g for g in gauge_texts(at)}
    assert gauges["管理运营体制机制全面完善"][2] == "无数据"      # milestones came with S00002


def test_meeting_mode_draws_larger_gauges(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, mode="meeting")
    assert not at.exception
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert spec["width"] == 330


def test_catalog_page_lists_every_goal_with_its_clause(monkeypatch, tmp_path):
    at = run_page(monkeypatch, tmp_path, "pages/targets.py")
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 29
    poly = table[table["代码"] == "polysilicon_capacity"].iloc[0]
    assert (poly["目标值"], poly["期限"], poly["条款"]) == ("≥ 250,000 吨", "2025-12", "第12条")
    land = table[table["代码"] == "standard_land_share"]
    assert land["目标值"].tolist() == ["≥ 20 %", "≥ 40 %", "≥ 60 %"]
    assert table[table["代码"] == "revenue"].iloc[0]["目标值"] == "≥ 2 × 2021年"
    assert table[table["代码"] == "output_value"]["目标值"].tolist() == ["同比增长 ≥ 20%"] * 3


@pytest.mark.parametrize("group, n", [("要素保障", 7), ("党建与体制机制", 5)])
def test_group_page(monkeypatch, demo_store, group, n):
    at = run_page(monkeypatch, demo_store, "pages/group.py", group=group)
    assert not at.exception
    assert len(gauge_texts(at)) == n
