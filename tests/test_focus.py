"""The focus pages' shaping (cnpark/rules/focus.py) and their chart builders, on small hand-made frames.

Every expected number is worked out by hand in the comments.
"""

import math

import pandas as pd
import pytest

from cnpark.outputs import chains, charts, trends
from cnpark.plan.catalog import load_catalog
from cnpark.rules import focus, forecast, ledger, series
from cnpark.rules.series import latest_rows, overdue_ids
from cnpark.store.snapshots import empty_frame

PLAN = load_catalog()                  # the plan's chains, as the pages read them
SILICON, FOOD = PLAN.chain("绿色硅"), PLAN.chain("绿色食品")


def indicators(*rows):
    """rows: (code, period, value[, area])"""
    return pd.DataFrame({"indicator": [r[0] for r in rows], "period": [r[1] for r in rows],
                         "area": [r[3] if len(r) > 3 else "" for r in rows], "value": [float(r[2]) for r in rows]})


def firms(*rows):
    """rows: (name, chain_link, status, capacity, period)"""
    return pd.DataFrame({"name": [r[0] for r in rows], "chain_link": [r[1] for r in rows],
                         "status": [r[2] for r in rows], "capacity": [r[3] for r in rows],
                         "period": [r[4] for r in rows]})


def debt_rows(*rows):
    """rows: (debt_id, period, balance, new_debt, due_date, overdue)"""
    return pd.DataFrame({"debt_id": [r[0] for r in rows], "name": [f"名称{r[0]}" for r in rows],
                         "creditor": ["债权人"] * len(rows), "debt_type": ["银行贷款"] * len(rows),
                         "period": [r[1] for r in rows], "balance": [float(r[2]) for r in rows],
                         "new_debt": [r[3] for r in rows], "resolved": [0.0] * len(rows),
                         "due_date": [r[4] for r in rows], "overdue": [r[5] for r in rows]})


def layer_rows(spec: dict, i: int) -> list[dict]:
    """The data rows a layer draws (its own data, or the top-level data)."""
    data = spec["layer"][i].get("data") or spec["data"]
    return spec["datasets"][data["name"]]


# ------------------------------------------------------------------------------------ readings

def test_latest_rows_takes_each_keys_latest_row_up_to_the_month():
    frame = debt_rows(("A", "2024-12", 10, 0, "2026-01-01", False), ("A", "2025-06", 8, 0, "2026-01-01", False),
                   ("A", "2025-12", 5, 0, "2026-01-01", False), ("B", "2024-12", 7, 0, "2026-01-01", False))
    now = latest_rows(frame, "debt_id", "2025-06").set_index("debt_id")
    assert now.loc["A", "balance"] == 8 and now.loc["B", "balance"] == 7      # 2025-12 is after the month
    assert len(latest_rows(frame, "debt_id", "2024-06")) == 0


def test_area_series_keeps_one_area():
    rows = indicators(("agri_processing_rate", "2025-12", 71.5), ("agri_processing_rate", "2025-12", 85, "茶叶"),
                      ("polysilicon_capacity", "2025-12", 250_000))
    assert series.area_series(rows, "agri_processing_rate") == {"2025-12": 71.5}
    assert series.area_series(rows, "agri_processing_rate", "茶叶") == {"2025-12": 85.0}
    assert series.area_series(indicators(), "agri_processing_rate") == {}


def test_short_name_drops_the_company_suffix_only():
    assert focus.short_name("昌宁示例茶业有限公司") == "昌宁示例茶业"
    assert focus.short_name("云南通威高纯晶硅有限公司") == "云南通威高纯晶硅"
    assert focus.short_name("某某股份有限公司") == "某某"
    assert focus.short_name("公司") == "公司"                      # nothing would be left
    assert focus.short_name("田园镇示例村股份经济合作社") == "田园镇示例村股份经济合作社"


# ------------------------------------------------------------------------------------ projection

def test_projection_slope_is_least_squares_over_the_last_12_months():
    # x = month 0, 1, 2 with y = 100, 110, 130: x̄ = 1, ȳ = 113.33;
    # slope = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)² = ((−1)(−13.33) + 0 + (1)(16.67)) / 2 = 30 / 2 = 15 per month.
    # The 2022-12 reading (0) is more than 12 months before 2024-03 and does not count.
    series = {"2022-12": 0.0, "2024-01": 100.0, "2024-02": 110.0, "2024-03": 130.0}
    slope, line = forecast.projection(series, "2024-03", "2024-12")
    assert slope == pytest.approx(15)
    # carried from the latest reading: 130 + 15 × 9 months = 265 at 2024-12; the readings (100, 110, 130) are whole
    # tens, so the projection claims no finer a figure: 265 → 270
    assert line["period"].tolist() == ["2024-03", "2024-12"]
    assert line["value"].tolist() == pytest.approx([130, 270])


def test_precision_is_the_data_s_own():
    assert forecast.precision([50_000, 170_000, 250_000]) == 10_000
    assert forecast.precision([58, 63, 67, 71.5]) == 0.1
    assert forecast.precision([0.81, 0.85]) == 0.01
    assert forecast.rounded(352_073, 10_000) == 350_000 and forecast.rounded(84.96, 0.1) == 85.0


def test_projection_of_a_yearly_series_uses_the_last_two_year_ends():
    # the window [2022-12, 2023-12] includes both ends: slope (63 − 58) / 12 = 5/12 per month;
    # from 2023-12 to 2025-12 is 24 months: 63 + 24 × 5/12 = 73
    slope, line = forecast.projection({"2021-12": 55.0, "2022-12": 58.0, "2023-12": 63.0}, "2024-06", "2025-12")
    assert slope == pytest.approx(5 / 12)
    assert line.iloc[-1].tolist() == ["2025-12", pytest.approx(73)]


def test_projection_ignores_readings_after_the_month_and_needs_two_readings():
    series = {"2024-01": 100.0, "2024-06": 160.0, "2024-12": 999.0}
    slope, line = forecast.projection(series, "2024-06", "2025-12")   # 2024-12 is not known yet at 2024-06
    assert slope == pytest.approx(12)                                # (160 − 100) / 5 months
    assert line["value"].iloc[-1] == pytest.approx(380)   # 160 + 12 × 18 months = 376, to the readings' tens: 380
    slope, line = forecast.projection({"2024-06": 1.0}, "2024-06", "2025-12")   # one reading: no slope
    assert slope is None and len(line) == 0
    slope, line = forecast.projection({"2025-06": 1.0, "2025-12": 2.0}, "2025-12", "2025-12")   # at the deadline
    assert slope is None and len(line) == 0


# ------------------------------------------------------------------------------------ trajectories

def test_polysilicon_trajectory_plan_path_runs_from_the_baseline_to_the_target(catalog):
    rows = indicators(("polysilicon_capacity", "2021-12", 50_000), ("polysilicon_capacity", "2022-12", 50_000),
                      ("polysilicon_capacity", "2023-12", 50_000), ("polysilicon_capacity", "2024-06", 170_000),
                      ("polysilicon_capacity", "2025-12", 250_000))
    t = forecast.indicator_trajectory(rows, "polysilicon_capacity", "2024-06", catalog)
    assert t.actual["period"].tolist() == ["2021-12", "2022-12", "2023-12", "2024-06"]   # nothing after as-of
    assert t.plan.values.tolist() == [["2022-12", 50_000], ["2025-12", 250_000]]       # B at 2022-12 → T
    assert (t.target, t.deadline, t.unit) == (250_000, "2025-12", "吨")
    # capacity comes in steps (the catalog's forecast = "pipeline"): no straight line through 50,000 → 170,000,
    # and without an enterprise list no projects to add
    assert t.slope is None and t.projected is None and t.method == forecast.PIPELINE
    assert forecast.projection_text(t) == ("产能随项目投产分步形成，不按直线外推；截至 2024-06 企业名录中没有在建或签约的"
                                        "多晶硅项目，不作预测")


def test_polysilicon_projection_adds_the_projects_not_yet_producing(catalog):
    rows = indicators(("polysilicon_capacity", "2022-12", 50_000), ("polysilicon_capacity", "2024-06", 170_000))
    plants = firms(("云南通威高纯晶硅有限公司", "多晶硅", "达产", 170_000, "2024-06"),
                   ("昌宁示例硅材料有限公司", "多晶硅", "在建", 60_000, "2024-06"),
                   ("昌宁示例新材料有限公司", "多晶硅", "签约", 30_000, "2024-06"),
                   ("昌宁示例光伏有限公司", "光伏发电", "在建", 1_000, "2024-06"))
    t = forecast.indicator_trajectory(rows, "polysilicon_capacity", "2024-06", catalog, enterprises=plants)
    # 170,000 reported + 60,000 在建 + 30,000 签约 (the 光伏发电 firm is another link) = 260,000 t at the deadline
    assert t.projection.values.tolist() == [["2024-06", 170_000], ["2025-12", 260_000]]
    assert t.slope is None and t.method == "在建及签约项目投产后"
    assert "全部投产后 260,000 吨" in forecast.projection_text(t) and "昌宁示例硅材料（在建 60,000 吨）" in t.note


def test_trajectory_of_a_rate_is_capped_at_its_maximum(catalog):
    # slope (99 − 90) / 6 = 1.5 a month; 99 + 6 × 1.5 = 108 > 100 → shown as 100
    rows = indicators(("agri_processing_rate", "2022-12", 58), ("agri_processing_rate", "2024-12", 90),
                      ("agri_processing_rate", "2025-06", 99))
    t = forecast.indicator_trajectory(rows, "agri_processing_rate", "2025-06", catalog)
    assert t.slope == pytest.approx(1.5) and t.projected == 100


def test_industry_trajectory_without_baseline_has_no_plan_path(catalog):
    rows = indicators(("agri_processing_rate", "2022-12", 58), ("agri_processing_rate", "2023-12", 78, "茶叶"),
                      ("agri_processing_rate", "2024-12", 81.5, "茶叶"))
    t = forecast.indicator_trajectory(rows, "agri_processing_rate", "2024-12", catalog, "茶叶")
    assert t.name == "农特产品加工转化率（茶叶）"
    assert t.actual.values.tolist() == [["2023-12", 78], ["2024-12", 81.5]]     # the park's 58 is not the tea's
    assert len(t.plan) == 0 and "无2022-12基期值" in t.note
    assert t.projected == pytest.approx(81.5 + 12 * 3.5 / 12)                  # 85.0 at 2025-12


def test_trajectory_at_the_deadline_says_why_there_is_no_projection(catalog):
    rows = indicators(("polysilicon_capacity", "2022-12", 50_000), ("polysilicon_capacity", "2025-12", 250_000))
    t = forecast.indicator_trajectory(rows, "polysilicon_capacity", "2025-12", catalog)
    assert t.projected is None and forecast.projection_text(t) == "数据已到期限 2025-12，不再预测"
    empty = forecast.indicator_trajectory(empty_frame("indicators"), "polysilicon_capacity", "2025-12", catalog)
    assert len(empty.actual) == 0 and empty.projected is None


# ------------------------------------------------------------------------------------ chains

SAMPLE_FIRMS = firms(
    ("云南示例工业硅有限公司", "工业硅", "投产", 30_000.0, "2025-06"),
    ("示例多晶硅甲有限公司", "多晶硅", "投产", 50_000.0, "2025-06"),
    ("示例多晶硅乙有限公司", "多晶硅", "达产", 120_000.0, "2025-06"),
    ("示例多晶硅丙有限公司", "多晶硅", "签约", math.nan, "2025-06"),
    ("示例光伏有限公司", "光伏发电", "签约", math.nan, "2025-06"),
    ("示例茶业有限公司", "茶叶", "投产", 900.0, "2025-06"),
    ("示例切片有限公司", "切片", "签约", math.nan, "2026-01"),   # listed after the month asked about
)


def test_chain_links_counts_firms_per_link_and_marks_gaps():
    links = focus.chain_links(SAMPLE_FIRMS, "2025-12", PLAN.chains).set_index("link")
    assert len(links) == 12                                                   # 7 food + 5 silicon links
    assert links.loc["多晶硅", "firms"] == 3
    # 达产 before 投产 before 签约; names without 有限公司
    assert links.loc["多晶硅", "names"] == ["示例多晶硅乙", "示例多晶硅甲", "示例多晶硅丙"]
    assert links.loc["多晶硅", "state"] == "firms" and links.loc["光伏发电", "state"] == "firms"   # 签约 counts
    assert links.loc["切片", "state"] == "gap"                               # its firm appears only in 2026-01
    assert focus.chain_gaps(focus.chain_links(SAMPLE_FIRMS, "2025-12", [SILICON])) == ["切片", "电池组装"]
    food_gaps = focus.chain_gaps(focus.chain_links(SAMPLE_FIRMS, "2025-12", [FOOD]))
    assert food_gaps == ["核桃", "制糖", "畜牧", "蚕茧", "果蔬", "林产品"]
    assert focus.gap_text(focus.chain_links(SAMPLE_FIRMS, "2025-12", [SILICON]), "2025-12") == \
        "缺口环节（无企业，需延链补链）：切片、电池组装"
    # a year later the 切片 firm is listed: the gap closes
    assert "切片" not in focus.chain_gaps(focus.chain_links(SAMPLE_FIRMS, "2026-01", PLAN.chains))


def test_chain_links_without_a_list_are_no_data_not_gaps():
    for frame in (empty_frame("enterprises"), SAMPLE_FIRMS):
        links = focus.chain_links(frame, "2024-06", PLAN.chains)                        # before any list
        assert set(links["state"]) == {"no_data"} and focus.chain_gaps(links) == []
        assert focus.gap_text(links, "2024-06") == "截至 2024-06 企业名录无数据，无法判断产业链缺口"
    assert focus.enterprise_period(SAMPLE_FIRMS, "2025-12") == "2025-06"
    assert focus.enterprise_period(SAMPLE_FIRMS, "2024-06") is None


def test_new_firms_by_year_takes_each_years_latest_reading(catalog):
    rows = indicators(("new_above_scale_firms", "2022-12", 9), ("new_above_scale_firms", "2023-12", 3),
                      ("new_above_scale_firms", "2024-06", 1), ("new_above_scale_firms", "2024-12", 2))
    # from 2023 (the year after the plan start 2022-12); at 2024-06 the 2024 figure so far is 1
    assert focus.new_firms_by_year(rows, "2024-06", catalog).values.tolist() == [["2023", 3, "2023-12"],
                                                                                ["2024", 1, "2024-06"]]
    assert focus.new_firms_by_year(rows, "2025-12", catalog)["value"].tolist() == [3, 2]
    assert len(focus.new_firms_by_year(empty_frame("indicators"), "2025-12", catalog)) == 0


# ------------------------------------------------------------------------------------ capacity

def test_capacity_mismatch_is_reported_with_both_numbers(catalog):
    park = indicators(("polysilicon_capacity", "2025-06", 200_000), ("polysilicon_capacity", "2025-12", 250_000))
    check = focus.capacity_check(SAMPLE_FIRMS, park, "2025-12", catalog)
    # firms listed at 2025-06: 50,000 + 120,000 = 170,000 (丙 has no figure); the park said 200,000 at 2025-06
    assert (check.enterprise_total, check.enterprise_period, check.reported, check.reported_period) == \
        (170_000, "2025-06", 200_000, "2025-06")
    assert check.matches is False and check.missing == 1
    assert check.message == ("注意：企业名录（2025-06）多晶硅企业产能合计 170,000 吨（另有 1 户未填产能），"
                             "与园区上报总量 200,000 吨（2025-06）不一致，相差 -30,000 吨")


def test_capacity_match_and_missing_list(catalog):
    park = indicators(("polysilicon_capacity", "2025-06", 170_000))
    check = focus.capacity_check(SAMPLE_FIRMS, park, "2025-12", catalog)
    assert check.matches is True
    assert check.message.endswith("与园区上报总量 170,000 吨（2025-06）一致")
    none = focus.capacity_check(empty_frame("enterprises"), park, "2025-12", catalog)
    assert none.matches is None and none.message == "截至 2025-12，企业名录中没有多晶硅企业，无法与园区上报总量核对"
    no_park = focus.capacity_check(SAMPLE_FIRMS, indicators(), "2025-12", catalog)
    assert no_park.message.endswith("园区同期无上报总量，无法核对")


def test_enterprise_capacity_table_shows_figures_as_text():
    rows = focus.enterprise_capacity(SAMPLE_FIRMS, "2025-12", "多晶硅")
    assert rows["name"].tolist() == ["示例多晶硅乙有限公司", "示例多晶硅甲有限公司", "示例多晶硅丙有限公司"]
    table = focus.capacity_table(rows)
    assert table["产能（吨）"].tolist() == ["120,000", "50,000", "未填"]


# ------------------------------------------------------------------------------------ industries

def test_industry_breakdown_year_ends_of_park_and_industries():
    rows = indicators(("agri_processing_rate", "2022-12", 58), ("agri_processing_rate", "2023-12", 63),
                      ("agri_processing_rate", "2023-12", 36, "果蔬"), ("agri_processing_rate", "2023-12", 78, "茶叶"),
                      ("agri_processing_rate", "2024-06", 80, "茶叶"),     # not a year end
                      ("agri_processing_rate", "2023-12", 50, "园中园"),  # an area, not an industry
                      ("agri_processing_rate", "2024-12", 81.5, "茶叶"))
    out = focus.industry_breakdown(rows, "agri_processing_rate", "2024-12", since="2022-12", industries=FOOD.links)
    assert out[["area", "year", "value"]].values.tolist() == [["全园区", "2023", 63], ["茶叶", "2023", 78],
                                                              ["茶叶", "2024", 81.5], ["果蔬", "2023", 36]]
    assert len(focus.industry_breakdown(empty_frame("indicators"), "agri_processing_rate", "2025-12")) == 0
    assert focus.area_options(FOOD.links)[:2] == ["全园区", "茶叶"] and len(focus.area_options(FOOD.links)) == 8
    assert (focus.area_code("全园区"), focus.area_code("茶叶")) == ("", "茶叶")


# ------------------------------------------------------------------------------------ debt

DEBT = debt_rows(
    ("X", "2024-12", 300, 100.0, "2026-02-10", False), ("X", "2025-12", 100, 0.0, "2026-02-10", False),
    ("Y", "2024-12", 80, 0.0, "2026-02-28", False), ("Y", "2025-12", 50, 20.0, "2026-02-28", False),
    ("Z", "2025-12", 70, 0.0, "2026-04-01", False),                # due after the three-month window
    ("W", "2025-12", 40, 0.0, "2025-12-31", True),                 # due in the as-of month itself: overdue list
    ("V", "2025-12", 0, math.nan, "2026-03-15", False),            # cleared: nothing falls due
    ("U", "2025-06", 60, 0.0, "2026-01-20", True), ("U", "2025-12", 60, 0.0, "2026-01-20", False),
    ("T", "2026-06", 999, 0.0, "2026-03-01", False),               # reported after the month asked about
)


def test_maturities_bucket_outstanding_balances_by_due_month():
    out = ledger.maturities(DEBT, "2025-12", months=3)
    # 2026-01: U 60; 2026-02: X 100 + Y 50 = 150 (two items); 2026-03: V is cleared, T not yet known → 0
    assert out[["month", "amount", "items"]].values.tolist() == [["2026-01", 60, 1], ["2026-02", 150, 2],
                                                                 ["2026-03", 0, 0]]
    assert out["names"].iloc[1] == "X 名称X、Y 名称Y"
    assert ledger.maturities(DEBT, "2025-12")["month"].tolist()[::23] == ["2026-01", "2027-12"]   # 24 months
    empty = ledger.maturities(empty_frame("debt"), "2025-12")
    assert len(empty) == 24 and empty["amount"].sum() == 0


def test_overdue_items_follow_each_items_latest_row():
    out = ledger.overdue_items(DEBT, "2025-12")
    assert out["debt_id"].tolist() == ["W"]                  # U was overdue at 2025-06 but not any more
    assert ledger.overdue_items(DEBT, "2025-06")["debt_id"].tolist() == ["U"]
    assert tuple(out["debt_id"]) == overdue_ids(DEBT, "2025-12")  # the same rule as the debt status
    table = ledger.overdue_table(out)
    assert table.iloc[0].tolist() == ["W", "名称W", "债权人", "2025-12-31", "40"]
    assert len(ledger.overdue_items(empty_frame("debt"), "2025-12")) == 0


def test_balance_trend_and_new_debt_by_year():
    trend = ledger.debt_balance_trend(DEBT, "2025-12")
    # 2024-12: X 300 + Y 80 = 380; 2025-06: U 60; 2025-12: 100 + 50 + 70 + 40 + 0 + 60 = 320
    assert trend.values.tolist() == [["2024-12", 380, 2], ["2025-06", 60, 1], ["2025-12", 320, 6]]
    new = ledger.new_debt_by_year(DEBT, "2025-12", since="2024-12")
    assert new.values.tolist() == [["2025", 20]]              # 2024-12 is the opening row; V's blank counts 0
    assert ledger.new_debt_by_year(DEBT, "2025-12", since="2022-12").values.tolist() == [["2024", 100], ["2025", 20]]
    assert len(ledger.debt_balance_trend(empty_frame("debt"), "2025-12")) == 0
    assert len(ledger.new_debt_by_year(empty_frame("debt"), "2025-12", "2022-12")) == 0


# ------------------------------------------------------------------------------------ charts

def test_trajectory_chart_draws_actual_plan_projection_and_target(catalog):
    rows = indicators(("polysilicon_capacity", "2022-12", 50_000), ("polysilicon_capacity", "2023-12", 50_000),
                      ("polysilicon_capacity", "2024-06", 170_000))
    plants = firms(("昌宁示例硅材料有限公司", "多晶硅", "在建", 80_000, "2024-06"))
    t = forecast.indicator_trajectory(rows, "polysilicon_capacity", "2024-06", catalog, enterprises=plants)
    spec = trends.trajectory_chart(t, title="多晶硅产能").to_dict()
    lines = layer_rows(spec, 0)
    plan = [(r["period"], r["value"]) for r in lines if r["series"] == "计划路径"]
    assert plan == [("2022-12", 50_000), ("2025-12", 250_000)]
    ahead = [(r["period"], r["value"]) for r in lines if r["series"] == "在建及签约项目投产后"]
    assert ahead == [("2024-06", 170_000), ("2025-12", 250_000)]          # 170,000 + 80,000 在建
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == ["实际", "计划路径", "在建及签约项目投产后"]
    # the pipeline holds today's capacity until its projects produce: a step, not a straight line
    assert spec["layer"][1]["mark"]["interpolate"] == "step-after"
    assert spec["layer"][0]["encoding"]["y"]["scale"]["zero"] is True           # the value axis starts at 0
    assert any(r.get("label") == "目标 250,000 吨（2025-12）" for i in range(len(spec["layer"]))
               for r in layer_rows(spec, i))
    assert spec["description"] == ("多晶硅产能：实际 170,000 吨（2024-06），计划路径 2022-12 50,000 吨 → "
                                   "2025-12 250,000 吨，在建及签约项目投产后 2025-12 250,000 吨")
    assert spec["config"]["font"] == charts.FONT and spec["autosize"]["type"] == "pad"
    x = spec["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert (x[0]["year"], x[0]["month"], x[1]["year"], x[1]["month"]) == (2022, 12, 2025, 12)


def test_trajectory_chart_without_readings_says_no_data(catalog):
    t = forecast.indicator_trajectory(empty_frame("indicators"), "polysilicon_capacity", "2025-12", catalog)
    spec = trends.trajectory_chart(t, title="多晶硅产能").to_dict()
    assert spec["description"] == "多晶硅产能：截至所选月份无多晶硅产能数据"


def test_chain_chart_boxes_gaps_and_arrows():
    silicon = focus.chain_links(SAMPLE_FIRMS, "2025-12", [SILICON])
    spec = chains.chain_chart(silicon, title="绿色硅产业链").to_dict()
    boxes = layer_rows(spec, 0)
    assert [b["link"] for b in boxes] == ["工业硅", "多晶硅", "切片", "电池组装", "光伏发电"]
    assert [b["fill"] for b in boxes] == [chains.FIRM_FILL, chains.FIRM_FILL, chains.WARN_FILL, chains.WARN_FILL,
                                          chains.FIRM_FILL]
    assert boxes[1]["head"] == "3 户" and boxes[2]["head"] == "缺口 · 待延链补链"
    texts = [r["text"] for r in layer_rows(spec, 1)]
    assert "示例多晶硅乙" in texts and "缺口 · 待延链补链" in texts
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks.count("rule") == 1 and marks.count("point") == 1                 # shafts and heads
    assert len(layer_rows(spec, marks.index("rule"))) == 4                        # 5 boxes, 4 arrows
    assert spec["description"] == "绿色硅产业链：工业硅 1 户，多晶硅 3 户，切片 缺口 · 待延链补链，" \
                                  "电池组装 缺口 · 待延链补链，光伏发电 1 户"
    food = chains.chain_chart(focus.chain_links(SAMPLE_FIRMS, "2025-12", [FOOD]), title="食品", arrows=False)
    assert "rule" not in [layer["mark"]["type"] for layer in food.to_dict()["layer"]]


def test_chain_chart_down_for_a_phone():
    """A value chain drawn down: one box under another, every box at x 0, each next box a box and a gap lower, the
    arrows pointing down; links without arrows in rows as many as fit DOWN_WIDTH, and the chart no wider than that."""
    silicon = focus.chain_links(SAMPLE_FIRMS, "2025-12", [SILICON])
    spec = chains.chain_chart(silicon, title="绿色硅产业链", down=True).to_dict()
    boxes = layer_rows(spec, 0)
    assert {b["x"] for b in boxes} == {0}
    height = boxes[0]["y2"] - boxes[0]["y"]
    steps = {round(b["y"] - a["y"], 6) for a, b in zip(boxes, boxes[1:])}
    assert steps == {round(height + 40, 6)}                              # a box and the arrows' 40 px gap
    marks = [layer["mark"] for layer in spec["layer"]]
    assert [m["shape"] for m in marks if m["type"] == "point"] == ["triangle-down"]
    assert spec["width"] == int(boxes[0]["x2"] + 2)                      # one box wide
    food = chains.chain_chart(focus.chain_links(SAMPLE_FIRMS, "2025-12", [FOOD]), title="食品", arrows=False,
                              down=True).to_dict()
    boxes = layer_rows(food, 0)
    width = boxes[0]["x2"] - boxes[0]["x"]
    across = int((chains.DOWN_WIDTH + 10) // (width + 10))               # boxes 10 px apart
    assert 2 <= across < len(boxes)
    assert [b["x"] for b in boxes[:across + 1]] == [i * (width + 10) for i in range(across)] + [0]
    assert food["width"] <= chains.DOWN_WIDTH + 2


def test_chain_chart_lists_at_most_six_names():
    many = firms(*[(f"示例茶{i}有限公司", "茶叶", "投产", 1.0, "2025-12") for i in range(8)])
    spec = chains.chain_chart(focus.chain_links(many, "2025-12", [FOOD]), title="食品", arrows=False).to_dict()
    texts = [r["text"] for r in layer_rows(spec, 1)]
    assert "… 等 8 户" in texts and "示例茶5" in texts and "示例茶6" not in texts


def test_bar_chart_labels_and_integer_ticks():
    frame = pd.DataFrame({"year": ["2023", "2024", "2025"], "value": [3.0, 0.0, 12_500.0]})
    spec = trends.bar_chart(frame, "year", "value", title="新增", unit="户").to_dict()
    assert [r["_label"] for r in layer_rows(spec, 0)] == ["3", "0", "12,500"]   # an empty bar says 0, not a blank
    assert spec["layer"][0]["encoding"]["y"]["axis"]["tickMinStep"] == 1
    assert spec["title"]["subtitle"] == "单位：户"
    assert spec["description"] == "新增：2023 3 户，2024 0 户，2025 12,500 户"
    calendar = trends.bar_chart(frame, "year", "value", title="新增", unit="户", zeros=False).to_dict()
    assert [r["_label"] for r in layer_rows(calendar, 0)] == ["3", "", "12,500"]   # empty slots of a calendar
    assert calendar["description"] == "新增：2023 3 户，2025 12,500 户"
    empty = trends.bar_chart(frame.iloc[0:0], "year", "value", title="新增", unit="户").to_dict()
    assert empty["description"] == "新增：无数据"


def test_grouped_bar_chart_has_the_target_rule():
    frame = pd.DataFrame({"area": ["全园区", "茶叶", "茶叶"], "year": ["2025", "2024", "2025"],
                          "value": [71.5, 81.5, 85.0]})
    spec = trends.grouped_bar_chart(frame, title="分产业", unit="%", target=75).to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    # bars, the target's rule and its label, then the bars' figures on a white halo above the rule
    assert marks == ["bar", "rule", "text", "text", "text"]
    assert layer_rows(spec, 1) == [{"value": 75, "label": "目标 75%"}]
    target_label = spec["layer"][2]["mark"]
    assert (target_label["x"], target_label["align"]) == ("width", "left")   # outside the plot, on the right
    halo, figures = spec["layer"][3]["mark"], spec["layer"][4]["mark"]
    assert (halo["stroke"], halo["color"]) == ("#FFFFFF", "#FFFFFF") and figures["color"] == charts.INK
    assert spec["description"] == "分产业：2025年 全园区 71.5%，茶叶 85.0%"
    # a phone's: an area a row (areas on y, the years' bars under one another), the target's label above the plot
    rows = trends.grouped_bar_chart(frame, title="分产业", unit="%", target=75, horizontal=True).to_dict()
    bars = rows["layer"][0]["encoding"]
    assert (bars["y"]["field"], bars["x"]["field"], bars["yOffset"]["field"]) == ("area", "value", "year")
    assert "xOffset" not in bars
    assert "x" in rows["layer"][1]["encoding"] and "y" not in rows["layer"][1]["encoding"]     # an upright rule
    label = rows["layer"][2]["mark"]
    assert (label["y"], label["baseline"]) == (0, "bottom")
    assert rows["layer"][4]["mark"]["align"] == "left"                       # each figure right of its bar
    assert rows["description"] == spec["description"]


def test_line_chart_and_meeting_scale():
    frame = pd.DataFrame({"period": ["2024-12", "2025-12"], "balance": [272_300.0, 238_300.0]})
    small = trends.line_chart(frame, "period", "balance", title="余额", unit="万元").to_dict()
    large = trends.line_chart(frame, "period", "balance", title="余额", unit="万元", scale=330 / 230).to_dict()
    assert small["description"] == "余额：2024-12 272,300 万元，2025-12 238,300 万元"
    assert (small["width"], large["width"]) == (420, 602)                       # 420 × 330/230 = 602.6
    assert large["title"]["fontSize"] > small["title"]["fontSize"]


def test_line_labels_sit_where_the_line_leaves_room_and_the_axis_starts_at_zero():
    # a falling line (the sample's balances): the first label left of its point, the middle ones above-right (the
    # line runs from upper left to lower right through them), the last right of its point
    values = [308_300.0, 294_300.0, 272_300.0, 238_300.0]
    assert [trends.label_side(values, i) for i in range(4)] == ["left", "above-right", "above-right", "right"]
    assert trends.label_side([1.0, 3.0, 2.0], 1) == "above" and trends.label_side([3.0, 1.0, 2.0], 1) == "below"
    assert trends.label_side([1.0, 2.0, 3.0], 1) == "above-left"                # rising: the upper left is free
    frame = pd.DataFrame({"period": ["2022-12", "2023-12", "2024-12", "2025-12"], "balance": values})
    spec = trends.line_chart(frame, "period", "balance", title="余额", unit="万元").to_dict()
    assert spec["layer"][0]["encoding"]["y"]["scale"]["zero"] is True
    labelled = {r["period"]: (layer["mark"].get("align"), layer["mark"].get("stroke"))
                for layer in spec["layer"][2:] for r in layer_rows(spec, spec["layer"].index(layer))}
    assert labelled["2022-12"][0] == "right" and labelled["2025-12"][0] == "left"


def test_resolution_progress_draws_the_status_rule_month_by_month(catalog):
    from cnpark.rules.ledger import resolution_progress
    plan = indicators(("debt_resolution_plan", "2023-12", 30_000), ("debt_resolution_plan", "2024-12", 36_000))
    ledger = debt_rows(("ZW01", "2022-12", 100_000, 0, "2030-01-01", False),
                       ("ZW01", "2023-12", 80_000, 0, "2030-01-01", False),
                       ("ZW01", "2024-06", 70_000, 0, "2030-01-01", False))
    ledger = ledger.assign(resolved=[5_000.0, 20_000.0, 10_000.0])      # the 2022-12 row is before the plan start
    frame = resolution_progress(ledger, plan, catalog["debt_resolution"], "2024-06")
    done = frame[frame["series"] == "累计化解"]
    assert done[["period", "value"]].values.tolist() == [["2022-12", 0], ["2023-12", 20_000], ["2024-06", 30_000]]
    planned = dict(frame[frame["series"] == "累计计划"][["period", "value"]].values.tolist())
    # 2023's 30,000 spread evenly: 2,500 a month; 2024-06: 30,000 + 36,000 × 6/12 = 48,000
    assert (planned["2022-12"], planned["2023-01"], planned["2023-12"], planned["2024-06"]) == (0, 2_500, 30_000, 48_000)
    assert max(planned) == "2024-06"                                       # no further than the as-of month
    spec = trends.progress_chart(frame, title="累计化解对照累计计划", unit="万元").to_dict()
    assert spec["description"] == "累计化解对照累计计划：2024-06 累计化解 30,000 万元，累计计划 48,000 万元"
    assert spec["layer"][0]["encoding"]["y"]["scale"]["zero"] is True
