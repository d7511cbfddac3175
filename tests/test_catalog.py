"""The catalog's clauses point where the plan says each target, in one form ("heading · 第N条")."""

import re

import pytest

from cnpark.plan.catalog import CatalogError, load_catalog

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


def test_a_targets_reporter_is_one_of_its_departments(tmp_path, catalog):
    plan = tmp_path / "plan.toml"
    plan.write_text('[plan]\ncode = "x"\nstart = "2022-12"\nend = "2025-12"\n[[targets]]\ncode = "a"\nname = "甲"\n'
                    'kind = "numeric"\nunit = "吨"\nrule = "ge"\ngroup = "组"\nclause = "第1条"\n'
                    'departments = ["县统计局"]\nreporter = "县财政局"\ntargets = [{ deadline = "2025-12", value = 1 }]\n',
                    encoding="utf-8")
    with pytest.raises(CatalogError, match="数据来源单位 县财政局"):
        load_catalog(plan)
    # the plan's catalog names a reporter for every target a unit reports (all but the debt ledger's, an analyst's)
    assert [t.code for t in catalog.targets if not t.reporter] == ["debt_resolution"]
    assert catalog.by_code["polysilicon_capacity"].reporter == "县工业信息商务科技局"


# Each numbered task of 三、主要任务 as the plan opens and closes it (its lead phrase, its units), copied from the plan's text.
PLAN_TASKS = [
    "1.全面加强党的领导。…(县委组织部、县产业园区管委会按照职责分工负责)",
    "2.理顺管理体制。…(县委组织部、县委编办、县产业园区管委会、县发展改革局、县司法局、县财政局、县政务服务管理局按照职责分工负责)",
    "3.创新运营模式。…(县产业园区管委会、县工业信息商务科技局、县国资委、县投资促进局按照职责分工负责)",
    "4.严格考核评价。…(县委组织部、县考评办、县产业园区管委会、县发展改革局、县工业信息商务科技局、县财政局、县自然资源局、市生态环境局昌宁分局、县统计局按照职责分工负责)",
    "5.加快园区规划审批。…(县产业园区管委会、县发展改革局、市生态环境局昌宁分局、县自然资源局按照职责分工负责)",
    "6.开展区域评估工作。…(县产业园区管委会、县自然资源局、市生态环境局昌宁分局、县水务局、县应急局、县地震局、县文化和旅游局、县气象局按照职责分工负责)",
    "7.开展专业化招商。…(县产业园区管委会、县投资促进局、县发展改革局、县工业信息商务科技局按照职责分工负责)",
    "8.开展精准化招商。…(县产业园区管委会、县投资促进局、县发展改革局、县工业信息商务科技局、县财政局、县统计局按照职责分工负责)",
    "9.开展规范化招商。…(县产业园区管委会、县投资促进局、县发展改革局、县工业信息商务科技局、县财政局、县统计局、市生态环境局昌宁分局、县税务局按照职责分工负责)",
    "10.培育壮大市场主体。…(县产业园区管委会、县发展改革局、县工业信息商务科技局、县市场监管局、县投资促进局、县人力资源社会保障局、县税务局、县统计局按照职责分工负责)",
    "11.加快产业转型升级。…(县产业园区管委会、县发展改革局、县工业信息商务科技局、市生态环境局昌宁分局、县水务局、县应急局、县投资促进局、县市场监管局按照职责分工负责)",
    "12.打造“1+1”特色园区。…(县产业园区管委会、县发展改革局、县工业信息商务科技局、县投资促进局、县农业农村局、县林草局按照职责分工负责)",
    "13.加大园区人才引进。…(县委组织部、县产业园区管委会、县人力资源社会保障局、县教育体育局按照职责分工负责)",
    "14.补齐园区基础设施短板。…(县产业园区管委会、县发展改革局、县工业信息商务科技局、县财政局、县自然资源局、县住房城乡建设局、县交通运输局、县水务局、保山电力股份有限公司昌宁分公司按照职责分工负责)",
    "15.提升配套服务水平。…(县产业园区管委会、县发展改革局、县工业信息商务科技局、县自然资源局、县住房城乡建设局、县教育体育局、县卫生健康局、县市场监管局按照职责分工负责)",
    "16.打造绿美园区。…(县产业园区管委会、县发展改革局、县工业信息商务科技局、县住房城乡建设局、县林草局、市生态环境局昌宁分局按照职责分工负责)",
    "17.积极吸引利用外资和扩大对外贸易。…(县产业园区管委会、县发展改革局、县工业信息商务科技局、县投资促进局、县农业农村局、县林草局、县市场监管局按照职责分工负责)",
    "18.强化用地保障。…(县产业园区管委会、县自然资源局按照职责分工负责)",
    "19.强化用能保障。…(县产业园区管委会、县发展改革局、县工业信息商务科技局、保山电力股份有限公司昌宁分公司按照职责分工负责)",
    "20.强化资金保障。…(县产业园区管委会、县发展改革局、县财政局按照职责分工负责)",
    "21.强化风险防范。…(县产业园区管委会、县发展改革局、县工业信息商务科技局、县财政局、县国资委、县金融办按照职责分工负责)",
]


def test_every_task_and_its_units_are_the_plans(catalog):
    """Tasks 1–21 in the plan's order: number, lead phrase, section and every unit the clause names, in its order."""
    assert [t.number for t in catalog.tasks] == list(range(1, 22))
    for task, line in zip(catalog.tasks, PLAN_TASKS):
        opening, _, closing = line.partition("…")
        assert opening == f"{task.number}.{task.title}。", opening
        assert closing == f"({'、'.join(task.units)}按照职责分工负责)", task.number
        assert task.number in SECTIONS[task.section], (task.number, task.section)
        assert task.summary and len(task.summary) <= 60, task.number


def test_tasks_carry_the_commitments_the_plan_dates_in_them(catalog):
    carried = {code: [t.number for t in catalog.tasks if code in t.targets] for t in catalog.targets for code in [t.code]}
    # the numbered task that states a dated target carries it (第5条 → plan_approval, 第1条 → 两新党建示范点 …)
    for code, where in WHERE.items():
        for number in re.findall(r"第(\d+)条", where):
            assert int(number) in carried[code], (code, number)
    assert carried["debt_resolution"] == [21] and carried["new_above_scale_firms"] == [10]


@pytest.mark.parametrize("ref, number", [("8", 8), ("第8条", 8), ("第八条", 8), ("8.开展精准化招商", 8), ("开展精准化招商", 8),
                                         ("８、开展精准化招商", 8), ("第二十一条", 21), ("第十二条", 12), (" 第 3 条 ", 3),
                                         ("22", None), ("0", None), ("8.开展专业化招商", None), ("招商", None)])
def test_a_task_as_offices_write_it(catalog, ref, number):
    found = catalog.task(ref)
    assert (found.number if found else None) == number


def test_a_tasks_unit_as_offices_write_it(catalog):
    task = catalog.task("5")
    assert catalog.task_unit(task, "县自然资源局") == catalog.task_unit(task, " 自然资源局") == "县自然资源局"
    assert catalog.task_unit(task, "县财政局") is None           # not named by 第5条
