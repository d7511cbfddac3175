"""Rows of the two ledgers: the debt ledger (债务台账) and the enterprise list (企业名录), one record per row."""

from __future__ import annotations

import math

from cnpark.layout import clean, name_key
from cnpark.records import Reading, fits
from cnpark.schema import CHAIN_LINKS, ENTERPRISE_STATUSES
from cnpark.values import normalize_name

MONEY = ("balance", "new_debt", "resolved")
ALL_CHAIN_LINKS = tuple(link for links in CHAIN_LINKS.values() for link in links)
_LINKS = {normalize_name(link): link for link in ALL_CHAIN_LINKS}
_STATUSES = {normalize_name(s): s for s in ENTERPRISE_STATUSES}
_LABELS = {"balance": "期末余额", "new_debt": "本期新增", "resolved": "本期化解", "capacity": "产能", "revenue": "营业收入"}


def _header_units(reading: Reading, roles: tuple[str, ...], target_unit: str) -> None:
    """A column whose header names a unit of another kind (期末余额(吨)) is wrong for every row: say it once."""
    for role in roles:
        col = reading.header.roles.get(role)
        if col is not None and col.unit and not fits(col.unit, target_unit):
            reading.problems.add(reading.header.row, col.text, col.text, f"单位“{col.unit}”不适用于该列（应为{target_unit}）")


def read_debt(reading: Reading, rows) -> None:
    """Debt ledger rows: 债务编号 (or 债务名称 as the id), 期间, money in 万元, 到期日, 是否逾期."""
    h = reading.header
    id_role = "debt_id" if "debt_id" in h.roles else "name"
    if reading.missing_columns([("债务编号（或债务名称）", id_role in h.roles),
                                ("期间", "period" in h.roles or reading.title.period is not None),
                                ("期末余额/本期新增/本期化解（至少一列）", any(r in h.roles for r in MONEY))]):
        return
    _header_units(reading, MONEY, "万元")
    if reading.problems:
        return
    id_col = h.roles[id_role]
    for number, cells in rows:
        debt_id = clean(h.cell(cells, id_role))
        if not debt_id:
            reading.problems.add(number, id_col.text, "", f"{id_col.text}为空")
            continue
        before = reading.problems.count
        period = reading.period(h.cell(cells, "period"), number)
        money = {}
        for role in MONEY:
            value = reading.amount(h.cell(cells, role), h.roles[role], number, "万元", _LABELS[role]) \
                if role in h.roles else None
            money[role] = math.nan if value is None else value
        due = reading.due_date(h.cell(cells, "due_date"), number)
        overdue = reading.yes_no(h.cell(cells, "overdue"), number, "overdue")
        if reading.problems.count > before or period is None:
            continue
        if all(math.isnan(v) for v in money.values()):
            continue  # no figure to keep; the empty cells were counted as skipped
        record = {"debt_id": debt_id, "name": clean(h.cell(cells, "name")),
                  "creditor": clean(h.cell(cells, "creditor")),
                  "debt_type": clean(h.cell(cells, "debt_type")), "period": period.month, **money,
                  "due_date": due, "overdue": bool(overdue), "note": clean(h.cell(cells, "note")),
                  "source_row": number}
        reading.records.add(record, reading.problems, id_col.text, debt_id)


def read_enterprises(reading: Reading, rows) -> None:
    """Enterprise rows: 企业名称, 产业链环节 (one of schema.CHAIN_LINKS), 状态, 规上, 产能 (吨), 营业收入 (万元)."""
    h = reading.header
    if reading.missing_columns([("企业名称", "name" in h.roles), ("产业链环节", "chain_link" in h.roles),
                                ("期间", "period" in h.roles or reading.title.period is not None)]):
        return
    _header_units(reading, ("revenue",), "万元")
    _header_units(reading, ("capacity",), "吨")
    if reading.problems:
        return
    name_col = h.roles["name"]
    for number, cells in rows:
        name = clean(h.cell(cells, "name"))
        if not name:
            reading.problems.add(number, name_col.text, "", "企业名称为空")
            continue
        before = reading.problems.count
        period = reading.period(h.cell(cells, "period"), number)
        link_raw = h.cell(cells, "chain_link")
        link = _LINKS.get(name_key(link_raw))
        if link is None:
            reading.problems.add(number, h.roles["chain_link"].text, link_raw,
                                 f"产业链环节应为以下之一：{'、'.join(ALL_CHAIN_LINKS)}")
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

