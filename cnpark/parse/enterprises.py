"""Stage 4 of the parser for the enterprise list (企业名录): one record per row — 企业名称, 产业链环节 (a link of one
of the plan's chains, from the catalog), 状态, 规上, 产能 (吨), 营业收入 (万元)."""

from __future__ import annotations

import math

from cnpark.parse.collect import Reading
from cnpark.parse.locate import clean, name_key
from cnpark.plan.units import normalize_name
from cnpark.store.datasets import ENTERPRISE_STATUSES

_STATUSES = {normalize_name(s): s for s in ENTERPRISE_STATUSES}
_LABELS = {"capacity": "产能", "revenue": "营业收入"}


def read_enterprises(reading: Reading, rows) -> str:
    """Enterprise rows: 企业名称, 产业链环节 (a link of a catalog chain), 状态, 规上, 产能 (吨), 营业收入 (万元)."""
    h = reading.header
    if reading.missing_columns([("企业名称", "name" in h.roles), ("产业链环节", "chain_link" in h.roles),
                                ("期间", "period" in h.roles or reading.title.period is not None)]):
        return "table"
    reading.header_units(("revenue",), "万元")
    reading.header_units(("capacity",), "吨")
    if reading.problems:
        return "table"
    name_col = h.roles["name"]
    for number, cells, name in reading.keyed(rows, "name", "企业名称为空"):
        before = reading.problems.count
        period = reading.period(h.cell(cells, "period"), number)
        link_raw = h.cell(cells, "chain_link")
        link = reading.catalog.chain_link(link_raw)
        if link is None:
            reading.problems.add(number, h.roles["chain_link"].text, link_raw,
                                 f"产业链环节应为以下之一：{'、'.join(reading.catalog.chain_links)}")
        status_raw = h.cell(cells, "status")
        status = _STATUSES.get(name_key(status_raw), "" if not clean(status_raw) else None)
        if status is None:
            reading.problems.add(number, h.roles["status"].text, status_raw,
                                 f"状态应为以下之一：{'、'.join(ENTERPRISE_STATUSES)}")
        above = reading.yes_no(h.cell(cells, "above_scale"), number, "above_scale")
        year = reading.year(h.cell(cells, "above_scale_year"), number)
        figures = {}
        for role, unit in (("capacity", "吨"), ("revenue", "万元")):
            value = reading.amount(h.cell(cells, role), h.roles[role], number, unit, _LABELS[role]) \
                if role in h.roles else None
            figures[role] = math.nan if value is None else value
        if reading.problems.count > before:
            continue
        record = {"name": name, "chain_link": link, "area": reading.area(h.cell(cells, "area")), "status": status,
                  "above_scale": bool(above), "above_scale_year": year, **figures, "period": period.month,
                  "note": clean(h.cell(cells, "note")), "source_row": number}
        reading.records.add(record, reading.problems, name_col.text, name)
    return "table"
