"""报送情况: for each responsible unit and what it reports (工作进展, 重点项目台账, 指标数据), the reports due and how many
came, and in time — so that the 督查室 can 通报 who does not report (plan 四(四); docs/RULES.md "报送情况"). Pure.

Which reports are due is rules/reviews.py's (`owed_keys`); this module says when each came and counts. A report of
工作进展 is one task of one unit for one month; of the ledger and the indicators, one unit's month. It is due by day
`report_due_day` (settings, default the 5th) of the next month, and came in time when the day it was sent (the
row's 报送日期, else the upload that first brought it — or, for a month the 督查室 returned, the resubmission) is on
or before that day.
"""

from __future__ import annotations

import pandas as pd

from cnpark.plan.months import month_index, month_of
from cnpark.rules.display import share
from cnpark.store.datasets import DATASET_NAMES, get

COLUMNS = ["责任单位", "报送内容", "应报", "已报", "按时", "逾期报送", "未报", "按时率"]


def due_date(month: str, day: int) -> str:
    """'2025-06', 5 → '2025-07-05': the last day a month's report is on time."""
    return f"{month_of(month_index(month) + 1)}-{day:02d}"


def row_days(dataset: str, rows: pd.DataFrame, units: pd.Series, first: pd.DataFrame,
             resent: dict[tuple[str, str], str]) -> pd.Series:
    """The day each row (of a dataset as read, latest wins) counts as sent: its 报送日期 when it gives one; else the day
    of the upload that first brought its key (`first`: store.first_uploads) — for a unit's month resubmitted after the
    督查室 returned it (`resent`: (unit, month) → the resubmission's day), that resubmission. units: row_units."""
    if not len(rows):
        return pd.Series([], dtype=str)
    keys = list(get(dataset).keys)
    came = {k: str(w)[:10] for k, w in zip(zip(*(first[c] for c in keys)), first["uploaded_at"])} if len(first) else {}
    days = [resent.get((u, p)) or came.get(k, "")
            for k, u, p in zip(zip(*(rows[c] for c in keys)), units, rows["period"])]
    if "submitted" in rows.columns:
        days = [d if isinstance(d, str) and d else day for d, day in zip(rows["submitted"], days)]
    return pd.Series(days, index=rows.index, dtype=str)


def report_frame(units: list[str], owed: dict[str, list[tuple]], came: dict[str, dict[tuple, str]],
                 day: int) -> pd.DataFrame:
    """责任单位 · 报送内容 · 应报 · 已报 · 按时 · 逾期报送 · 未报 · 按时率: one row per unit (in `units`' order) and
    dataset it owes any report of. owed[dataset]: the reports due, each key (unit, month, …); came[dataset]: the day
    each key that came was sent."""
    rows = []
    for unit in units:
        for dataset, keys in owed.items():
            keys = [k for k in keys if k[0] == unit]
            if not keys:
                continue
            got = [k for k in keys if k in came[dataset]]
            in_time = [k for k in got if came[dataset][k] <= due_date(k[1], day)]
            rows.append({"责任单位": unit, "报送内容": DATASET_NAMES[dataset], "应报": len(keys), "已报": len(got),
                         "按时": len(in_time), "逾期报送": len(got) - len(in_time), "未报": len(keys) - len(got),
                         "按时率": share(len(in_time) / len(keys))})
    return pd.DataFrame(rows, columns=COLUMNS)
