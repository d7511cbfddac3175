"""The debt page's readings of the debt ledger (债务统计台账, 第21条): balances, maturities, overdue items, new debt.

Pure pandas; an item's state at a month is its latest ledger row at or before it, the rule the debt status uses.
"""

from __future__ import annotations

import pandas as pd

from cnpark.status import format_figure, latest_rows
from cnpark.values import month_index, month_of


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
    """Items whose latest row ≤ as_of says 逾期 (the same rule as the debt status): (debt_id, name, creditor,
    debt_type, due_date, balance, period), by id."""
    columns = ["debt_id", "name", "creditor", "debt_type", "due_date", "balance", "period"]
    now = latest_rows(debt, "debt_id", as_of)
    if len(now) == 0:
        return pd.DataFrame(columns=columns).astype({"balance": "float"})
    late = now[now["overdue"].fillna(False).astype(bool)]
    return late[columns].sort_values("debt_id").reset_index(drop=True)


def overdue_table(items: pd.DataFrame) -> pd.DataFrame:
    """Overdue items with Chinese headers and figures as text (the data period is the page's as-of reading)."""
    return pd.DataFrame({"债务编号": items["debt_id"], "名称": items["name"], "债权人": items["creditor"],
                         "到期日": items["due_date"].fillna("—"),
                         "期末余额（万元）": [format_figure(v) for v in items["balance"]]})


def new_debt_by_year(debt: pd.DataFrame, as_of: str, since: str) -> pd.DataFrame:
    """Sum of 本期新增 by year over the periods after `since` (the plan start) and ≤ as_of: (year, value)."""
    if len(debt) == 0:
        return pd.DataFrame(columns=["year", "value"]).astype({"year": "str", "value": "float"})
    rows = debt[(debt["period"] > since) & (debt["period"] <= as_of)]
    out = (rows.assign(year=rows["period"].str[:4]).groupby("year", as_index=False)
           .agg(value=("new_debt", lambda s: float(s.fillna(0).sum()))))
    return out.astype({"year": "str", "value": "float"})
