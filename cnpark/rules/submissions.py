"""报送情况: for each responsible unit, the task reports due and how many came, and in time — so that the 督查室 can
通报 who does not report (plan 四(四)). Pure.

A report is due for each task and each unit it names, every month from the first month any progress was reported
(when the tracking began) to the as-of month, by day `report_due_day` (settings, default the 5th) of the next month.
It came in time when the day the unit sent it (its 报送日期) is on or before that day; a report whose row gives no
报送日期 is judged by the upload that first brought it (its snapshot's upload time).
"""

from __future__ import annotations

import pandas as pd

from cnpark.plan.catalog import Catalog
from cnpark.plan.months import month_index, month_of
from cnpark.rules.display import share
from cnpark.rules.tasks import units_of


def due_date(month: str, day: int) -> str:
    """'2025-06', 5 → '2025-07-05': the last day a month's report is on time."""
    return f"{month_of(month_index(month) + 1)}-{day:02d}"


def sent_dates(first: pd.DataFrame, reports: pd.DataFrame, as_of: str) -> dict[tuple[int, str, str], str]:
    """(task, unit, month) → the day its report was sent: the row's 报送日期, else the day of the upload that first
    brought it. `first`: store.first_uploads; `reports`: the dataset's rows (latest wins), with `submitted`."""
    came = {(int(t), u, p): str(w)[:10] for t, u, p, w in zip(first["task"], first["unit"], first["period"],
                                                               first["uploaded_at"]) if p <= as_of}
    if len(reports) and "submitted" in reports.columns:
        for t, u, p, d in zip(reports["task"], reports["unit"], reports["period"], reports["submitted"]):
            if p <= as_of and isinstance(d, str) and d:
                came[(int(t), u, p)] = d
    return came


def report_frame(catalog: Catalog, first: pd.DataFrame, reports: pd.DataFrame, as_of: str, day: int) -> pd.DataFrame:
    """责任单位 · 应报 · 已报 · 按时 · 逾期报送 · 未报 · 按时率, one row per unit (the plan's order)."""
    columns = ["责任单位", "应报", "已报", "按时", "逾期报送", "未报", "按时率"]
    periods = [p for p in first["period"] if p <= as_of] if len(first) else []
    if not periods:
        return pd.DataFrame(columns=columns)
    months = [month_of(i) for i in range(month_index(min(periods)), month_index(as_of) + 1)]
    came = sent_dates(first, reports, as_of)
    rows = []
    for unit in units_of(catalog):
        keys = [(t.number, unit, m) for t in catalog.tasks if unit in t.units for m in months]
        got = [k for k in keys if k in came]
        in_time = [k for k in got if came[k] <= due_date(k[2], day)]
        rows.append({"责任单位": unit, "应报": len(keys), "已报": len(got), "按时": len(in_time),
                     "逾期报送": len(got) - len(in_time), "未报": len(keys) - len(got),
                     "按时率": share(len(in_time) / len(keys))})
    return pd.DataFrame(rows, columns=columns)
