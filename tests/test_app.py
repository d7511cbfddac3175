"""The pages through Streamlit's AppTest, on the sample data and on an empty store."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


pytestmark = pytest.mark.usefixtures("fresh_caches")


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


# ---------------------------------------------------------------------------------------- focus pages

FOCUS_PAGES = ["pages/cluster.py", "pages/polysilicon.py", "pages/agri.py", "pages/debt.py"]


def chart_words(at) -> dict[str, str]:
    """Every chart (gauges and the focus pages' charts) by title → the chart in words."""
    texts = [json.loads(c.proto.spec)["description"] for c in at.get("vega_lite_chart")]
    return dict(t.split("：", 1) for t in texts)


def texts(at) -> str:
    """Everything written on the page as text (markdown, captions, callouts), one per line."""
    return "\n".join(e.value for kind in ("markdown", "caption", "info", "warning", "success", "error")
                     for e in getattr(at, kind))


@pytest.mark.parametrize("script", [*FOCUS_PAGES, "pages/group.py"])
def test_focus_page_on_empty_store(monkeypatch, tmp_path, script):
    at = run_page(monkeypatch, tmp_path, script)
    assert not at.exception
    assert "数据仓库为空" in at.info[0].value
    assert len(at.get("vega_lite_chart")) == 0 and len(at.dataframe) == 0


def test_cluster_page(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, "pages/cluster.py")
    assert not at.exception
    gauges = gauge_texts(at)
    assert ["主导产业营业收入占比", "176%", "达标", "88.2 %", "目标 ≥ 50 %", "数据期 2024-12"] in gauges   # 88.2/50
    assert ["主导产业新增固定资产投资占比", "402%", "达标", "80.4 %", "目标 ≥ 20 %", "数据期 2023-12"] in gauges
    assert ["新增规上工业企业", "80%", "未达标", "8 户", "目标 ≥ 10 户", "数据期 2025-12"] in gauges   # 3+2+3
    assert ["两大产业集群基本形成", "100%", "达标", "已完成", "期限 2025-12", "数据期 2025-12"] in gauges
    words = chart_words(at)
    assert words["新增规上工业企业（当年新增）"] == "2023 3 户，2024 2 户，2025 3 户"
    # data/sample/06_企业名录.csv: 工业硅 硅旺 + 2 示例, 多晶硅 通威, no 切片 / 电池组装, 光伏发电 2 示例
    assert words["绿色硅产业链（园中园）"] == ("工业硅 3 户，多晶硅 1 户，切片 缺口 · 待延链补链，"
                                         "电池组装 缺口 · 待延链补链，光伏发电 2 户")
    assert words["绿色食品加工（七大农特产业，田园镇片区）"] == \
        "茶叶 6 户，核桃 3 户，制糖 2 户，畜牧 3 户，蚕茧 2 户，果蔬 4 户，林产品 3 户"
    assert "缺口环节（无企业，需延链补链）：切片、电池组装" in [w.value for w in at.warning]


def test_cluster_page_before_the_enterprise_list(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, "pages/cluster.py", as_of="2024-06")
    assert not at.exception
    assert "截至 2024-06 企业名录无数据，无法判断产业链缺口" in texts(at)   # the list starts at 2025-12
    assert chart_words(at)["新增规上工业企业（当年新增）"] == "2023 3 户"
    assert ["新增规上工业企业", "30%", "滞后", "3 户", "目标 ≥ 10 户", "数据期 2023-12"] in gauge_texts(at)


def test_polysilicon_page(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, "pages/polysilicon.py")
    assert not at.exception
    gauges = gauge_texts(at)
    assert ["多晶硅产能", "100%", "达标", "250,000 吨", "目标 ≥ 250,000 吨", "数据期 2025-12"] in gauges
    assert ["太阳能电池切片组装企业", "0%", "未达标", "0 户", "目标 ≥ 1 户", "数据期 2025-12"] in gauges
    words = chart_words(at)
    assert words["多晶硅产能走势（实际、计划路径、近期速度预测）"] == \
        "实际 250,000 吨（2025-12），计划路径 2022-12 50,000 吨 → 2025-12 250,000 吨"
    assert words["多晶硅企业产能"] == "云南通威高纯晶硅有限公司 250,000 吨"
    # 通威 250,000 t (the only 多晶硅 firm) equals the park's reported 250,000 t
    assert "企业名录（2025-12）多晶硅企业产能合计 250,000 吨，与园区上报总量 250,000 吨（2025-12）一致" in texts(at)
    assert at.dataframe[0].value["产能（吨）"].tolist() == ["250,000"]


def test_polysilicon_page_projects_the_recent_pace(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, "pages/polysilicon.py", as_of="2024-06")
    assert not at.exception
    # readings 2023-06 … 2024-06 (no January; x = months since 2023-06): 50,000 at x = 0…6, 8, 9 and 170,000 at
    # x = 10, 11, 12. n = 12, x̄ = 71/12, ȳ = 80,000; Σ(x−x̄)(y−ȳ) = 120,000 × (33 − 3 × 71/12) = 1,830,000;
    # Σ(x−x̄)² = 601 − 71²/12 = 180.92; slope = 10,115 t a month; 170,000 + 18 × 10,115.15 = 352,073 t at 2025-12
    assert "每月 10,115 吨" in texts(at) and "2025-12 预计 352,073 吨（目标 250,000 吨）" in texts(at)
    assert chart_words(at)["多晶硅产能走势（实际、计划路径、近期速度预测）"].endswith("近期速度预测 2025-12 352,073 吨")
    assert "截至 2024-06，企业名录中没有多晶硅企业，无法与园区上报总量核对" in texts(at)


def test_agri_page(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, "pages/agri.py")
    assert not at.exception
    assert ["农特产品加工转化率", "95%", "未达标", "71.5 %", "目标 ≥ 75 %", "数据期 2025-12"] in gauge_texts(at)
    assert at.selectbox(key="area").value == "全园区"
    words = chart_words(at)
    assert words["农特产品加工转化率走势 · 全园区"] == "实际 71.5 %（2025-12），计划路径 2022-12 58 % → 2025-12 75 %"
    # data/sample/07_农特产品加工转化率_分产业.csv, 2025 column
    assert words["农特产品加工转化率分产业（年末）"] == ("2025年 全园区 71.5 %，茶叶 85 %，核桃 66 %，制糖 94.5 %，"
                                              "畜牧 58.5 %，蚕茧 77 %，果蔬 47 %，林产品 69.5 %")


def test_agri_page_one_industry_from_the_link(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, "pages/agri.py", as_of="2024-12", area="茶叶")
    assert not at.exception
    assert at.selectbox(key="area").value == "茶叶"
    # tea: 78 (2023), 81.5 (2024): slope 3.5/12 a month; 81.5 + 12 × 3.5/12 = 85 at 2025-12; no 2022 baseline
    assert chart_words(at)["农特产品加工转化率走势 · 茶叶"] == "实际 81.5 %（2024-12），近期速度预测 2025-12 85 %"
    assert "无2022-12基期值，未画计划路径" in texts(at)


def test_debt_page(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, "pages/debt.py")
    assert not at.exception
    # 28,000 + 30,000 + 38,000 resolved vs 30,000 + 35,000 + 40,000 planned (tests/test_cli.py)
    assert ["园区债务化解进度", "91%", "未达标", "96,000 万元", "目标 ≥ 105,000 万元", "数据期 2025-12"] in gauge_texts(at)
    overdue = at.dataframe[0]
    assert overdue.value["债务编号"].tolist() == ["ZW06", "ZW10"]
    assert overdue.value["期末余额（万元）"].tolist() == ["5,500", "8,200"]
    assert "color: #CC3311" in overdue.proto.arrow_data.styler.styles                # shown in red
    assert "逾期债务（截至 2025-12）：2 笔" in texts(at)
    words = chart_words(at)
    # 2025-12 balances: 56,000 + 40,000 + 3,000 + 15,800 + 37,000 + 5,500 + 2,000 + 15,000 + 8,500 + 8,200
    # + 13,500 + 3,000 + 22,000 + 0 + 8,800 = 238,300
    assert words["债务余额走势（期末余额合计）"].endswith("2025-12 238,300 万元")
    # new: 2023 ZW01 8,000 + ZW05 6,000; 2024 ZW02 5,000 + ZW11 3,000; 2025 ZW13 4,000
    assert words["每年新增债务（本期新增合计）"] == "2023 14,000 万元，2024 8,000 万元，2025 4,000 万元"
    # due 2026-01 … 2027-12: ZW03 3,000 (2026-03), ZW07 2,000 (06), ZW12 3,000 (08), ZW04 15,800 (09),
    # ZW09 8,500 + ZW15 8,800 (12), ZW08 15,000 (2027-06), ZW02 40,000 + ZW11 13,500 (2027-12); ZW01/05/13 in 2028
    assert words["未来24个月到期债务（2025-12 之后，按到期月份的期末余额）"] == (
        "2026-03 3,000 万元，2026-06 2,000 万元，2026-08 3,000 万元，2026-09 15,800 万元，2026-12 17,300 万元，"
        "2027-06 15,000 万元，2027-12 53,500 万元")


def test_debt_page_before_anything_was_overdue(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, "pages/debt.py", as_of="2024-06")
    assert not at.exception
    assert "逾期债务（截至 2024-06）：0 笔" in texts(at) and len(at.dataframe) == 0
    assert any("没有逾期债务" in s.value for s in at.success)


def test_focus_charts_grow_in_meeting_mode(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, "pages/debt.py", mode="meeting")
    assert not at.exception
    widths = {json.loads(c.proto.spec)["description"].split("：")[0]: json.loads(c.proto.spec)["width"]
              for c in at.get("vega_lite_chart")}
    assert widths["园区债务化解进度"] == 330
    assert widths["未来24个月到期债务（2025-12 之后，按到期月份的期末余额）"] == 1090     # 760 × 330/230
