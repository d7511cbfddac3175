"""Stage 4 of the parser for the project ledger (重点项目台账, 第8条): one project a row and month — 项目编号, 项目名称,
产业链环节 (a link of the plan's chains), 片区, 责任单位, 业主单位, money in 万元 (元 / 亿元 converted), 阶段 (datasets.
PROJECT_STAGE_WORDS), its dates (签约, 计划开工, 实际开工, 投产: full dates or months, Excel date cells) and 期间.

Rows that cannot be true are refused, naming the row and column: 累计到位资金 above 协议投资 by more than the setting
`funding_excess_share`; 投产 before 实际开工; a stage whose opening date is missing (签约 needs 签约日期, 在建 and later
实际开工日期, 投产 and later 投产日期).
"""

from __future__ import annotations

import math

from cnpark import settings
from cnpark.parse.collect import Reading
from cnpark.parse.locate import clean
from cnpark.plan.units import normalize_name
from cnpark.store.datasets import PROJECT_STAGE_WORDS, PROJECT_STAGES

MONEY = ("total", "agreed", "annual_plan", "year_done", "funded")
DATES = ("signed", "planned_start", "started", "producing")
_STAGES = {normalize_name(w): s for w, s in PROJECT_STAGE_WORDS.items()}
# the date each stage needs: from 签约 on its 签约日期, from 在建 on its 实际开工日期, from 投产 on its 投产日期
_NEEDS = (("签约", "signed"), ("在建", "started"), ("投产", "producing"))


def read_projects(reading: Reading, rows) -> str:
    h, catalog = reading.header, reading.catalog
    if reading.missing_columns([("项目编号", "project_id" in h.roles), ("项目名称", "name" in h.roles),
                                ("阶段", "stage" in h.roles),
                                ("期间", "period" in h.roles or reading.title.period is not None)]):
        return "table"
    reading.header_units(MONEY, "万元")
    if reading.problems:
        return "table"
    excess = settings.number("funding_excess_share")
    id_col, stage_col = h.roles["project_id"], h.roles["stage"]
    for number, cells, project_id in reading.keyed(rows, "project_id", "项目编号为空"):
        before = reading.problems.count
        period = reading.period(h.cell(cells, "period"), number)
        name = clean(h.cell(cells, "name"))
        if not name:
            reading.problems.add(number, h.roles["name"].text, "", "项目名称为空")
        raw_link = h.cell(cells, "chain_link")
        link = catalog.chain_link(raw_link) if clean(raw_link) else ""
        if link is None:
            reading.problems.add(number, h.roles["chain_link"].text, raw_link,
                                 f"产业链环节应为以下之一：{'、'.join(catalog.chain_links)}")
        raw_stage = h.cell(cells, "stage")
        stage = _STAGES.get(normalize_name(raw_stage))
        if stage is None:
            reading.problems.add(number, stage_col.text, raw_stage, f"阶段应为以下之一：{'、'.join(PROJECT_STAGES)}（开工即在建）")
        money = {}
        for role in MONEY:
            value = reading.amount(h.cell(cells, role), h.roles[role], number, "万元", h.roles[role].text) \
                if role in h.roles else None
            money[role] = math.nan if value is None else value
        dates = {role: (reading.due_date(h.cell(cells, role), number, role) if role in h.roles else "") for role in DATES}
        if stage is not None and None not in dates.values():
            _check(reading, number, stage, money, dates, excess)      # every problem of the row at once
        if reading.problems.count > before or period is None:
            continue
        record = {"project_id": project_id, "name": name, "chain_link": link, "area": reading.area(h.cell(cells, "area")),
                  "unit": clean(h.cell(cells, "unit")), "owner": clean(h.cell(cells, "owner")), **money, "stage": stage,
                  **dates, "period": period.month, "note": clean(h.cell(cells, "note")), "source_row": number}
        reading.records.add(record, reading.problems, id_col.text, project_id)
    return "table"


def _check(reading: Reading, number: int, stage: str, money: dict, dates: dict, excess: float) -> None:
    """The row's figures and dates must be able to be true together."""
    h = reading.header
    agreed, funded = money["agreed"], money["funded"]
    if not math.isnan(agreed) and not math.isnan(funded) and funded > agreed * (1 + excess):
        reading.problems.add(number, h.label("funded", "累计到位资金"), f"{funded:g}",
                             f"累计到位资金超过协议投资 {agreed:g} 万元的 {1 + excess:.0%}，请核对")
    if dates["started"] and dates["producing"] and dates["producing"] < dates["started"]:
        reading.problems.add(number, h.label("producing", "投产日期"), dates["producing"],
                             f"投产日期早于实际开工日期 {dates['started']}")
    rank = PROJECT_STAGES.index(stage)
    for opened_by, role in _NEEDS:
        if rank >= PROJECT_STAGES.index(opened_by) and not dates[role]:
            label = {"signed": "签约日期", "started": "实际开工日期", "producing": "投产日期"}[role]
            reading.problems.add(number, h.label("stage", "阶段"), stage, f"阶段为{stage}，但没有填写{label}")
