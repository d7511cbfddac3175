"""The pages through Streamlit's AppTest, on the sample data and on an empty store."""

import re

import pytest

from tests.conftest import app_test as run_page
from tests.conftest import drawn_specs

pytestmark = pytest.mark.usefixtures("fresh_caches")


def gauge_texts(at) -> list[list[str]]:
    """Each gauge in words: [title, completion, status word, value, target, data period, (change)]."""
    out = []
    for spec in drawn_specs(at):
        description = spec["description"]
        title, words = description.split("：", 1)
        out.append([title, *words.split("，")][:6])
    return out


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_on_empty_store(monkeypatch, tmp_path):
    at = run_page(monkeypatch, tmp_path)
    assert not at.exception
    assert "数据仓库为空" in at.info[0].value and "数据上传" in at.info[0].value
    assert len(at.get("vega_lite_chart")) == 0


def reckoning_text(at) -> str:
    """The overview's year cards as text (they are drawn as one HTML block)."""
    block = next(h.proto.body for h in at.get("html") if "cn-years" in h.proto.body and "<style>" not in h.proto.body)
    return re.sub(r"<[^>]+>", " ", block)


def test_overview_on_sample_data(monkeypatch, demo_store, catalog):
    at = run_page(monkeypatch, demo_store)
    assert not at.exception
    assert "示例数据" in at.warning[0].value
    assert at.selectbox(key="as_of").value == "2025-12"
    gauges = gauge_texts(at)
    assert len(gauges) == sum(len(t.goals) for t in catalog.targets if t.is_tracked) == 29
    assert ["多晶硅产能", "100.0%", "达标", "250,000 吨", "目标 ≥ 250,000 吨", "期限 2025-12 · 数据期 2025-12"] in gauges
    # a rate's headline is the rate itself against its threshold; 75 − 71.5 = 3.5 points short
    assert ["农特产品加工转化率", "71.5%", "未达标", "差 3.5 个百分点", "目标 ≥ 75%",
            "期限 2025-12 · 数据期 2025-12"] in gauges
    # a fall is the figure with its sign, never a negative completion: 1,070,700 / 1,245,000 − 1 = −14.0 %
    assert ["工业总产值 · 2024年", "-14.0%", "未达标", "差 34.0 个百分点", "目标 ≥ 20%（同比）",
            "期限 2024-12 · 数据期 2024-12"] in gauges
    # 80.4 % against ≥ 20 %: the share itself, and 超额 in words (80.4 − 20 = 60.4 points)
    assert ["主导产业新增固定资产投资占比", "80.4%", "达标", "超额 60.4 个百分点", "目标 ≥ 20%",
            "期限 2023-12 · 数据期 2023-12"] in gauges
    # revenue: 1,302,000 ÷ (2 × 600,000) = 108.5 %: completion with 超额 8.5 % said in words
    assert ["营业收入", "108.5%", "达标 · 超额 8.5%", "1,302,000 万元", "目标 ≥ 1,200,000 万元",
            "期限 2025-12 · 数据期 2025-12"] in gauges


def test_no_gauge_headline_says_a_negative_completion_or_a_share_above_200_percent(monkeypatch, demo_store):
    for as_of in ("2024-06", "2025-12"):
        at = run_page(monkeypatch, demo_store, as_of=as_of)
        gauges = gauge_texts(at)
        assert len(gauges) == 29, as_of                     # every goal's headline is looked at, not none
        for words in gauges:
            # a headline below zero is only ever a growth rate (its target says 同比), never a completion
            assert not words[1].startswith("-") or any("同比" in w for w in words), words
            share = re.fullmatch(r"(\d{1,3}(?:,\d{3})*(?:\.\d)?)%", words[1])     # "1,250.0%" is a share too
            assert share is None or float(share.group(1).replace(",", "")) <= 200, words


def test_a_milestone_done_late_says_so_with_both_dates(monkeypatch, demo_store):
    # data/sample/02_里程碑.csv: 规划环评及总体规划审批 due 2023-09, done 2023-11
    at = run_page(monkeypatch, demo_store)
    spec = next(s for s in drawn_specs(at) if s["description"].startswith("规划环评"))
    assert spec["description"] == ("规划环评及总体规划审批：逾期完成，未达标，完成于 2023-11，期限 2023-09，数据期 2023-11，"
                                   "较上期(2023-09)：未完成 → 已完成")
    assert spec["layer"][1]["mark"]["color"] == "#8A6F00"        # its own colour, not 未达标's wine nor 达标's green


def test_the_reckoning_counts_each_deadline_year_on_its_own(monkeypatch, demo_store):
    """2025-12 on the sample data (data/sample/01, 02, 05, 06), worked out by hand:
    2023 (7 goals): 产值增长 1,245,000/1,012,000 − 1 = 23.0 % ≥ 20 ✓, 新增固投占比 80.4 ≥ 20 ✓, 批而未供 27.5 ≥ 25 ✓,
      闲置土地 25 < 30 ✗, 标准地 22 ≥ 20 ✓, 规划审批 due 2023-09 done 2023-11 ✗ (late), 机构调整 done 2023-08 ✓ → 5 / 7.
    2024 (4): 产值增长 1,070,700/1,245,000 − 1 = −14 % ✗, 主导产业营收占比 88.2 ≥ 50 ✓, 标准地 35 < 40 ✗,
      市场化运营 done 2024-10 ✓ → 2 / 4.
    2025 (18): 营收 1,302,000 ≥ 1,200,000 ✓, 产值增长 25.0 % ✓, 新增规上 3+2+3 = 8 < 10 ✗, 多晶硅 250,000 ✓, 切片组装 0 ✗,
      农特 71.5 < 75 ✗, 标准地 62 ≥ 60 ✓, 债务 96,000 < 105,000 ✗, 党建 2 ✓, 体制机制 not done ✗, 集群 ✓, 基础设施 ✓,
      绿美 ✓, 劳动生产率 52.3 > 45.8 ✓, 亩均 163.8 > 146.2 ✓, 研发 0.81 < 0.85 ✗, 外贸 42,100 > 24,300 ✓,
      外资 780 < 1,850 ✗ → 11 / 18."""
    at = run_page(monkeypatch, demo_store)
    text = reckoning_text(at)
    assert "共 29 项目标：达标 18 · 未达标 11（其中逾期完成 1）" in text
    assert "2023年到期目标 · 7 项（已全部到期）" in text and "达标 5 / 7" in text
    assert "未达标 2 项：闲置土地处置率、规划环评及总体规划审批（逾期完成）" in text
    assert "达标 2 / 4" in text and "未达标 2 项：工业总产值、标准地出让占比" in text
    assert "达标 11 / 18" in text and ("未达标 7 项：新增规上工业企业、太阳能电池切片组装企业、农特产品加工转化率、"
                                       "园区债务化解进度、管理运营体制机制全面完善、研发投入强度、实际利用外资") in text


def test_the_reckoning_of_a_year_still_running(monkeypatch, demo_store):
    # 2024-06: the 2023 goals are all due (the same 5 / 7); the 2024 and 2025 goals are judged by 序时进度
    at = run_page(monkeypatch, demo_store, as_of="2024-06")
    text = reckoning_text(at)
    assert "2023年到期目标 · 7 项（已全部到期）" in text and "达标 5 / 7" in text
    assert "2024年到期目标 · 4 项（截至 2024-06 进行中）" in text and "2025年到期目标 · 18 项（截至 2024-06 进行中）" in text


def test_deadline_filter_and_table_view_from_the_link(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, deadline="2024", view="table")
    assert not at.exception
    assert at.segmented_control(key="deadline").value == "2024" and at.segmented_control(key="view").value == "table"
    assert len(at.get("vega_lite_chart")) == 0
    table = at.table[0].value
    assert list(table.columns) == ["目标", "期限", "目标值", "实际", "完成情况", "状态", "数据期"]
    rows = {r["目标"]: r for r in table.to_dict("records")}
    assert list(rows) == ["工业总产值 · 2024年", "主导产业营业收入占比", "标准地出让占比 · 2024年", "市场化运营模式建立"]
    # the gauge's words: -14 − 20 = 34 points short; 88.2 − 50 = 38.2 points over (never 88.2 ÷ 50 = "176%")
    assert [rows["工业总产值 · 2024年"][c] for c in ("目标值", "实际", "完成情况", "状态")] == \
        ["同比增长 ≥ 20%", "-14.0%", "差 34.0 个百分点", "未达标"]
    assert [rows["主导产业营业收入占比"][c] for c in ("目标值", "实际", "完成情况")] == ["≥ 50%", "88.2%", "超额 38.2 个百分点"]
    assert [rows["市场化运营模式建立"][c] for c in ("目标值", "实际", "完成情况", "状态")] == \
        ["2024-12 前完成", "已完成（2024-10）", "—", "达标"]
    assert "color: #882255" in at.table[0].proto.arrow_data.styler.styles        # 未达标 in its colour


def test_deadline_filter_draws_that_year_s_gauges(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, deadline="2023")
    descriptions = [s["description"] for s in drawn_specs(at)]
    assert len(descriptions) == 7                                    # the 2023 goals (see the reckoning above)
    assert all("期限 2023-" in d for d in descriptions)              # every gauge says its deadline


def test_overview_as_of_from_the_link(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, as_of="2024-06")
    assert not at.exception
    assert at.selectbox(key="as_of").value == "2024-06"
    assert any("历史月份" in i.value for i in at.info)
    gauges = gauge_texts(at)
    # 170,000 t at 2024-06: (170000 − 50000)/(250000 − 50000) = 0.6 ≥ 18/36 → on track; 170000/250000 = 68 %
    assert ["多晶硅产能", "68.0%", "正常推进", "170,000 吨", "目标 ≥ 250,000 吨", "期限 2025-12 · 数据期 2024-06"] in gauges
    # the 2025 output goal has not started: no figure, not zero
    assert ["工业总产值 · 2025年", "—", "待完成", "2025年尚未开始", "目标 ≥ 20%（同比）", "期限 2025-12 · 数据期 —"] in gauges


def test_overview_by_urgency_puts_missed_first(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, as_of="2024-06", sort="按紧急程度")
    assert not at.exception
    statuses = [g[2] for g in gauge_texts(at)]
    assert statuses[:2] == ["未达标", "未达标"] and statuses[2:5] == ["严重滞后"] * 3
    assert [s.split(" · ")[0] for s in statuses[-6:]] == ["达标"] * 6


def test_overview_as_uploaded_at_an_earlier_snapshot(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, snapshot="S00001")     # only the annual file had been loaded
    assert not at.exception
    assert at.selectbox(key="snapshot").value == "S00001"
    assert any("历史数据版本" in i.value and "S00001" in i.value for i in at.info)
    gauges = {g[0]: g for g in gauge_texts(at)}
    assert gauges["管理运营体制机制全面完善"][2] == "无数据"      # milestones came with S00002


def test_meeting_mode_pages_through_screens_that_each_hold_ten_gauges_at_most(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, mode="meeting")
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 0 and "达标 5 / 7" in reckoning_text(at)   # screen 1: the reckoning
    assert any("第 1 / 5 屏" in m.value for m in at.markdown)
    # whole groups, ten gauges at most: 经济总量 9 | 产业集群 4 + 绿色硅 2 + 绿色食品 1 | 要素保障 7 + 债务 1 | 党建 5
    counts = []
    for screen in range(2, 6):
        at = run_page(monkeypatch, demo_store, mode="meeting", screen=str(screen))
        assert any(f"第 {screen} / 5 屏" in m.value for m in at.markdown)
        counts.append(len(drawn_specs(at)))
        assert all(s["width"] == 330 for s in drawn_specs(at))
    assert counts == [9, 7, 8, 5]


def test_meeting_mode_links_to_the_next_screen_and_on_to_the_next_page(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, mode="meeting", screen="2", as_of="2024-06")
    links = {link.proto.label: link.proto for link in at.get("page_link")}
    assert "下一屏（3/5）" in links and "上一屏" in links
    at = run_page(monkeypatch, demo_store, mode="meeting", screen="5", as_of="2024-06")
    links = {link.proto.label: link.proto for link in at.get("page_link")}
    nxt = links["下一页：产业集群"]
    assert nxt.page.endswith("cluster") and "screen=1" in nxt.query_string and "as_of=2024-06" in nxt.query_string


def test_catalog_page_lists_every_goal_with_its_clause(monkeypatch, tmp_path):
    at = run_page(monkeypatch, tmp_path, "pages/targets.py")
    assert not at.exception
    table = at.table[0].value
    assert len(table) == 29 and "代码" not in table.columns          # codes stay internal
    poly = table[table["目标"] == "多晶硅产能"].iloc[0]
    assert (poly["目标值"], poly["期限"], poly["条款"]) == ("≥ 250,000 吨", "2025-12", "(四)主导产业聚集工程 · 第12条")
    land = table[table["目标"] == "标准地出让占比"]
    assert land["目标值"].tolist() == ["≥ 20%", "≥ 40%", "≥ 60%"]          # one form: as the gauges write it
    assert table[table["目标"] == "营业收入"].iloc[0]["目标值"] == "≥ 2 × 2021年"
    assert table[table["目标"] == "工业总产值"]["目标值"].tolist() == ["同比增长 ≥ 20%"] * 3
    # one form: a heading, then " · 第N条" when a numbered task says it
    assert all(re.fullmatch(r"(二、发展目标|\([一二三四五六七]\)\S+工程)( · 第\d+条)?(；.+)?", c) for c in table["条款"])


@pytest.mark.parametrize("group, n", [("要素保障", 7), ("党建与体制机制", 5)])
def test_group_page(monkeypatch, demo_store, group, n):
    at = run_page(monkeypatch, demo_store, "pages/group.py", group=group)
    assert not at.exception
    assert len(gauge_texts(at)) == n


# ---------------------------------------------------------------------------------------- focus pages

FOCUS_PAGES = ["pages/cluster.py", "pages/polysilicon.py", "pages/agri.py", "pages/debt.py"]


def chart_words(at) -> dict[str, str]:
    """Every chart (gauges and the focus pages' charts) by title → the chart in words."""
    texts = [s["description"] for s in drawn_specs(at)]
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
    # shares read as themselves against the threshold: 88.2 − 50 = 38.2 and 80.4 − 20 = 60.4 points over
    assert ["主导产业营业收入占比", "88.2%", "达标", "超额 38.2 个百分点", "目标 ≥ 50%",
            "期限 2024-12 · 数据期 2024-12"] in gauges
    assert ["主导产业新增固定资产投资占比", "80.4%", "达标", "超额 60.4 个百分点", "目标 ≥ 20%",
            "期限 2023-12 · 数据期 2023-12"] in gauges
    assert ["新增规上工业企业", "80.0%", "未达标", "8 户", "目标 ≥ 10 户", "期限 2025-12 · 数据期 2025-12"] in gauges  # 3+2+3
    assert ["两大产业集群基本形成", "已完成", "达标", "完成于 2025-12", "期限 2025-12", "数据期 2025-12"] in gauges
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
    assert ["新增规上工业企业", "30.0%", "滞后", "3 户", "目标 ≥ 10 户", "期限 2025-12 · 数据期 2023-12"] in gauge_texts(at)


def test_polysilicon_page(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, "pages/polysilicon.py")
    assert not at.exception
    gauges = gauge_texts(at)
    assert ["多晶硅产能", "100.0%", "达标", "250,000 吨", "目标 ≥ 250,000 吨", "期限 2025-12 · 数据期 2025-12"] in gauges
    assert ["太阳能电池切片组装企业", "0.0%", "未达标", "0 户", "目标 ≥ 1 户", "期限 2025-12 · 数据期 2025-12"] in gauges
    words = chart_words(at)
    assert words["多晶硅产能走势（实际、计划路径、预测）"] == \
        "实际 250,000 吨（2025-12），计划路径 2022-12 50,000 吨 → 2025-12 250,000 吨"
    assert words["多晶硅企业产能"] == "云南通威高纯晶硅有限公司 250,000 吨"
    # 通威 250,000 t (the only 多晶硅 firm) equals the park's reported 250,000 t
    assert "企业名录（2025-12）多晶硅企业产能合计 250,000 吨，与园区上报总量 250,000 吨（2025-12）一致" in texts(at)
    assert at.table[0].value["产能（吨）"].tolist() == ["250,000"]


def test_polysilicon_page_draws_no_straight_line_through_a_capacity_that_moves_in_steps(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, "pages/polysilicon.py", as_of="2024-06")
    assert not at.exception
    # 50,000 t until 2024-03, 170,000 t from 2024-04: a least-squares line would say "352,073 t by 2025-12"; capacity
    # comes with plants, and before the enterprise list (2025-12) no plant under construction is known
    words = chart_words(at)["多晶硅产能走势（实际、计划路径、预测）"]
    assert words == "实际 170,000 吨（2024-06），计划路径 2022-12 50,000 吨 → 2025-12 250,000 吨"
    assert ("产能随项目投产分步形成，不按直线外推；截至 2024-06 企业名录中没有在建或签约的多晶硅项目，不作预测"
            in texts(at))
    assert "352,073" not in texts(at) and "预计" not in words
    assert "截至 2024-06，企业名录中没有多晶硅企业，无法与园区上报总量核对" in texts(at)


def test_agri_page(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, "pages/agri.py")
    assert not at.exception
    assert ["农特产品加工转化率", "71.5%", "未达标", "差 3.5 个百分点", "目标 ≥ 75%",
            "期限 2025-12 · 数据期 2025-12"] in gauge_texts(at)
    assert at.selectbox(key="area").value == "全园区"
    words = chart_words(at)
    assert words["农特产品加工转化率走势 · 全园区"] == "实际 71.5%（2025-12），计划路径 2022-12 58.0% → 2025-12 75.0%"
    # data/sample/07_农特产品加工转化率_分产业.csv, 2025 column; one decimal for every rate
    assert words["农特产品加工转化率分产业（年末）"] == ("2025年 全园区 71.5%，茶叶 85.0%，核桃 66.0%，制糖 94.5%，"
                                              "畜牧 58.5%，蚕茧 77.0%，果蔬 47.0%，林产品 69.5%")


def test_agri_page_one_industry_from_the_link(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, "pages/agri.py", as_of="2024-12", area="茶叶")
    assert not at.exception
    assert at.selectbox(key="area").value == "茶叶"
    # tea: 78 (2023), 81.5 (2024): slope 3.5/12 a month; 81.5 + 12 × 3.5/12 = 85 at 2025-12; no 2022 baseline
    assert chart_words(at)["农特产品加工转化率走势 · 茶叶"] == "实际 81.5%（2024-12），近期速度预测 2025-12 85.0%"
    assert "无2022-12基期值，未画计划路径" in texts(at)


def test_debt_page(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, "pages/debt.py")
    assert not at.exception
    # 28,000 + 30,000 + 38,000 resolved vs 30,000 + 35,000 + 40,000 planned (tests/test_cli.py)
    assert ["园区债务化解进度", "91.4%", "未达标", "累计化解 96,000 万元", "累计计划 105,000 万元",
            "期限 2025-12 · 数据期 2025-12"] in gauge_texts(at)
    overdue = at.table[0]
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
    # cumulative resolved (28,000 + 30,000 + 38,000 = 96,000 by 2025-12) against the plan's 30,000 + 35,000 + 40,000
    assert words["累计化解对照累计计划（自计划起点）"] == "2025-12 累计化解 96,000 万元，累计计划 105,000 万元"


def test_debt_page_before_anything_was_overdue(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, "pages/debt.py", as_of="2024-06")
    assert not at.exception
    assert "逾期债务（截至 2024-06）：0 笔" in texts(at) and len(at.table) == 0
    assert any("没有逾期债务" in s.value for s in at.success)


def test_focus_charts_grow_in_meeting_mode(monkeypatch, demo_store):
    at = run_page(monkeypatch, demo_store, "pages/debt.py", mode="meeting")
    assert not at.exception
    widths = {s["description"].split("：")[0]: s["width"] for s in drawn_specs(at)}
    assert widths["园区债务化解进度"] == 330
    assert widths["累计化解对照累计计划（自计划起点）"] == 930                      # 620 × 1.5 (axis text ≥ 16 px)
    at = run_page(monkeypatch, demo_store, "pages/debt.py", mode="meeting", screen="3")
    widths = {s["description"].split("：")[0]: s["width"] for s in drawn_specs(at)}
    assert widths == {"未来24个月到期债务（2025-12 之后，按到期月份的期末余额）": 1500}    # 1,000 × 1.5
