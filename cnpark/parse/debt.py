"""Stage 4 of the parser for the debt ledger (债务台账): one record per row — 债务编号 (or 债务名称 as the id), 期间,
money in 万元, 到期日, 是否逾期."""

from __future__ import annotations

import math

from cnpark.parse.collect import Reading
from cnpark.parse.locate import clean

MONEY = ("balance", "new_debt", "resolved")
_LABELS = {"balance": "期末余额", "new_debt": "本期新增", "resolved": "本期化解"}


def read_debt(reading: Reading, rows) -> str:
    """Debt ledger rows: 债务编号 (or 债务名称 as the id), 期间, money in 万元, 到期日, 是否逾期."""
    h = reading.header
    id_role = "debt_id" if "debt_id" in h.roles else "name"
    if reading.missing_columns([("债务编号（或债务名称）", id_role in h.roles),
                                ("期间", "period" in h.roles or reading.title.period is not None),
                                ("期末余额/本期新增/本期化解（至少一列）", any(r in h.roles for r in MONEY))]):
        return "table"
    reading.header_units(MONEY, "万元")
    if reading.problems:
        return "table"
    id_col = h.roles[id_role]
    for number, cells, debt_id in reading.keyed(rows, id_role, f"{id_col.text}为空"):
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
    return "table"
