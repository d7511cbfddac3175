"""The debt page's readings of the debt ledger (债务统计台账, 第21条): balances, maturities, overdue items, new debt.

Pure pandas; an item's state at a month is its latest ledger row at or before it, the rule the debt status uses.
"""

from __future__ import annotations

import pandas as pd

from cnpark.plan.catalog import Target
from cnpark.plan.months import month_index, month_of
from cnpark.rules.display import figure
from cnpark.rules.series import full_year, latest_rows, overdue_ids, park_series, planned_to


def debt_balance_trend(debt: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Sum of 期末余额 of the items reported in each period ≤ as_of: (period, balance, items)."""
    if len(debt) == 0:
        return pd.DataFrame(columns=["period", "balance", "items"]).astype(
            {"period": "str", "balance": "float", "items": "int"})
    rows = debt[debt["period"] <= as_of]
    out = rows.groupby("period", as_index=False).agg(balance=("balance", "sum"), items=("debt_id", "nunique"))
    return out.astype({"period": "str", "balance": "float", "items": "int"})


def maturities(debt: pd.DataFrame, as_of: str, months: int = 24) -> pd.DataFrame:
    """Outstanding balance (latest row ≤ as_of, balance > 0) by due month, for each of the `months` months after
    as_of (zero where nothing falls due): (month, amount, items, names)."""
    window = [month_of(month_index(as_of) + k) for k in range(1, months + 1)]
    now = latest_rows(debt, "debt_id", as_of)
    if len(now):
        now = now[(now["balance"].fillna(0) > 0) & now["due_date"].notna()]
        now = now.assign(month=now["due_date"].str[:7])
        now = now[now["month"].isin(window)]
    amount = {m: 0.0 for m in window}
    items: dict[str, list[str]] = {m: [] for m in window}
    for month, balance, debt_id, name in (zip(now["month"], now["balance"], now["debt_id"], now["name"])
                                          if len(now) else ()):
        amount[month] += float(balance)
        items[month].append(f"{debt_id} {name}")
    return pd.DataFrame({"month": window, "amount": [amount[m] for m in window],
                         "items": [len(items[m]) for m in window], "names": ["、".join(items[m]) for m in window]})


def overdue_items(debt: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """The items overdue_ids names at as_of (the debt status's rule), with their latest row ≤ as_of:
    (debt_id, name, creditor, debt_type, due_date, balance, period), by id."""
    columns = ["debt_id", "name", "creditor", "debt_type", "due_date", "balance", "period"]
    ids = overdue_ids(debt, as_of)
    if not ids:
        return pd.DataFrame(columns=columns).astype({"balance": "float"})
    now = latest_rows(debt[debt["debt_id"].isin(ids)], "debt_id", as_of)
    return now[columns].sort_values("debt_id").reset_index(drop=True)


def overdue_table(items: pd.DataFrame) -> pd.DataFrame:
    """Overdue items with Chinese headers and figures as text (the data period is the page's as-of reading)."""
    return pd.DataFrame({"债务编号": items["debt_id"], "名称": items["name"], "债权人": items["creditor"],
                         "到期日": items["due_date"].fillna("—"),
                         "期末余额（万元）": [figure(v, "") for v in items["balance"]]})


def new_debt_by_year(debt: pd.DataFrame, as_of: str, since: str) -> pd.DataFrame:
    """Sum of 本期新增 by year over the periods after `since` (the plan start) and ≤ as_of: (year, value)."""
    if len(debt) == 0:
        return pd.DataFrame(columns=["year", "value"]).astype({"year": "str", "value": "float"})
    rows = debt[(debt["period"] > since) & (debt["period"] <= as_of)]
    out = (rows.assign(year=rows["period"].str[:4]).groupby("year", as_index=False)
           .agg(value=("new_debt", lambda s: float(s.fillna(0).sum()))))
    return out.astype({"year": "str", "value": "float"})


def resolution_progress(debt: pd.DataFrame, indicators: pd.DataFrame, target: Target, as_of: str) -> pd.DataFrame:
    """累计化解 against 累计计划 month by month, the debt status's own rule drawn over time: (period, series, value).

    累计计划: the 化解方案's yearly amounts (the target's plan indicator, a December figure per year) prorated by month
    (planned_to, the debt status's own proration), every month from the plan start to as_of (at most the deadline). 累计化解: the ledger's
    本期化解 summed over the periods after the plan start, at each ledger period. Both start at 0 at the plan start.
    """
    start, deadline = target.baseline, target.goals[-1].deadline
    end = min(as_of, deadline)
    plan = park_series(indicators).get(target.plan_indicator or "", {})
    years = range(int(start[:4]) + 1, int(deadline[:4]) + 1)
    planned = {y: full_year(plan, y) for y in years}
    rows = []
    if any(v is not None for v in planned.values()):
        for i in range(month_index(start), month_index(end) + 1):
            m = month_of(i)
            rows.append((m, "累计计划", 0.0 if m == start else planned_to(planned, m)))
    resolved = debt[(debt["period"] > start) & (debt["period"] <= end)] if len(debt) else debt
    if len(resolved):
        by_period = resolved.groupby("period")["resolved"].sum().sort_index().cumsum()
        rows = [(start, "累计化解", 0.0)] + [(str(p), "累计化解", float(v)) for p, v in by_period.items()] + rows
    return pd.DataFrame(rows, columns=["period", "series", "value"]).astype({"period": "str", "series": "str",
                                                                           "value": "float"})
