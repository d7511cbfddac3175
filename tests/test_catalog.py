"""The catalog's clauses point where the plan says each target, in one form ("heading · 第N条")."""

import re

import pytest

from cnpark.catalog import CatalogError, load_catalog

# 三、主要任务 of the plan (seed text, 2023-10-20): its seven 工程 and the numbered tasks under each, typed from the plan.
SECTIONS = {
    "(一)党建质量提升工程": range(1, 2), "(二)体制机制创新工程": range(2, 5), "(三)规划布局优化工程": range(5, 7),
    "(四)主导产业聚集工程": range(7, 14), "(五)园区设施完善工程": range(14, 17), "(六)开放水平提升工程": range(17, 18),
    "(七)要素保障强化工程": range(18, 22),
}
HEADINGS = ("二、发展目标", *SECTIONS)
# where the plan states each target (its intro paragraph or a numbered task), read from the plan's text
WHERE = {
    "revenue": "二、发展目标", "output_value": "二、发展目标；(二)体制机制创新工程 · 第4条",
    "leading_fai_share": "(四)主导产业聚集工程", "leading_revenue_share": "(四)主导产业聚集工程",
    "new_above_scale_firms": "(四)主导产业聚集工程 · 第10条", "polysilicon_capacity": "(四)主导产业聚集工程 · 第12条",
    "solar_cell_firms": "(四)主导产业聚集工程 · 第12条", "agri_processing_rate": "(四)主导产业聚集工程 · 第12条",
    "unsupplied_land_disposal_rate": "(七)要素保障强化工程", "idle_land_disposal_rate": "(七)要素保障强化工程",
    "standard_land_share": "(七)要素保障强化工程", "debt_resolution": "(七)要素保障强化工程 · 第21条",
    "party_demo_sites": "(一)党建质量提升工程 · 第1条", "plan_approval": "(三)规划布局优化工程 · 第5条",
    "mgmt_restructure": "(二)体制机制创新工程", "market_operation": "(二)体制机制创新工程",
    "mechanism_complete": "(二)体制机制创新工程", "clusters_formed": "(四)主导产业聚集工程",
    "infrastructure_complete": "(五)园区设施完善工程", "green_park": "(五)园区设施完善工程 · 第16条",
}


def test_every_clause_is_a_heading_then_its_numbered_task(catalog):
    for t in catalog.targets:
        for place in t.clause.split("；"):
            heading, _, number = place.partition(" · ")
            assert heading in HEADINGS, (t.code, place)
            if number:
                n = int(re.fullmatch(r"第(\d+)条", number).group(1))
                assert n in SECTIONS[heading], (t.code, place)     # 第12条 is under (四), not elsewhere


def test_the_clauses_are_where_the_plan_says_each_target(catalog):
    for code, place in WHERE.items():
        assert catalog[code].clause == place, code
    direction = [t for t in catalog.targets if t.kind == "direction"]
    assert len(direction) == 5 and all(t.clause == "二、发展目标" for t in direction)


def test_decimals_and_forecast_are_checked(tmp_path):
    bad = tmp_path / "plan.toml"
    bad.write_text('[plan]\ncode = "x"\nstart = "2022-12"\n[[targets]]\ncode = "a"\nname = "甲"\nkind = "numeric"\n'
                   'unit = "吨"\nrule = "ge"\ngroup = "组"\nclause = "第1条"\nforecast = "pipeline"\n'
                   'targets = [{ deadline = "2025-12", value = 1 }]\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="link"):
        load_catalog(bad)
    bad.write_text(bad.read_text(encoding="utf-8").replace('forecast = "pipeline"', 'decimals = 9'), encoding="utf-8")
    with pytest.raises(CatalogError, match="decimals"):
        load_catalog(bad)
