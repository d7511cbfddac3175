"""Readings as the status rule and the pages read them, one home each: {month: value} of the park, the latest value up
to a month, a flow's full year, each key's latest row of a ledger, the overdue items, the planned resolution to a
month. Pure."""

from __future__ import annotations

import pandas as pd

from cnpark.store.datasets import PARK_AREA

Series = dict[str, float]  # "YYYY-MM" → value


def latest(series: Series, upto: str, since: str | None = None) -> tuple[str, float] | None:
    """The latest (month, value) with since ≤ month ≤ upto."""
    months = [m for m in series if m <= upto and (since is None or m >= since)]
    if not months:
        return None
    m = max(months)
    return m, series[m]


def full_year(series: Series, year: int) -> float | None:
    """A flow's full-year value: its December (cumulative) figure."""
    return series.get(f"{year}-12")


def latest_full_year(series: Series, upto: str) -> tuple[str, float] | None:
    return latest({m: v for m, v in series.items() if m.endswith("-12")}, upto)


def latest_rows(frame: pd.DataFrame, key: str, as_of: str) -> pd.DataFrame:
    """Each key's latest row with period ≤ as_of (empty frame in, empty frame out)."""
    if len(frame) == 0:
        return frame
    upto = frame[frame["period"] <= as_of]
    return upto.sort_values("period").groupby(key, sort=False).tail(1).reset_index(drop=True)


def park_series(indicators: pd.DataFrame) -> dict[str, Series]:
    """{indicator code: {month: value}} for the park-wide rows (area '')."""
    if len(indicators) == 0:
        return {}
    park = indicators[indicators["area"].fillna(PARK_AREA) == PARK_AREA]
    out: dict[str, Series] = {}
    for code, period, value in zip(park["indicator"], park["period"], park["value"]):
        out.setdefault(code, {})[period] = float(value)
    return out


def area_series(indicators: pd.DataFrame, code: str, area: str = PARK_AREA) -> Series:
    """{month: value} of one indicator in one area ('' = the park as a whole)."""
    if len(indicators) == 0:
        return {}
    rows = indicators[(indicators["indicator"] == code) & (indicators["area"].fillna(PARK_AREA) == area)]
    return dict(zip(rows["period"], rows["value"].astype(float)))


def planned_to(planned: dict[int, float | None], month: str) -> float:
    """Cumulative planned resolution at a month: the full plans of the years before it, and its own year's plan
    prorated by month (化解方案 sets a sum per year; 序时进度 spreads it evenly)."""
    year, m = int(month[:4]), int(month[5:])
    return sum(v or 0.0 for y, v in planned.items() if y < year) + (planned.get(year) or 0.0) * m / 12


def overdue_ids(debt: pd.DataFrame, as_of: str) -> tuple[str, ...]:
    """The overdue rule, for the debt status and the debt page alike: the items whose latest ledger row at as_of says
    逾期. Plain Python (called once per reading; pandas' sort and groupby on these Arrow-backed columns cost far more
    at this size); only items with an 逾期 row up to as_of can be overdue, so the loop sees only their rows
    (docs/PERFORMANCE.md, "Performance at scale")."""
    latest: dict[str, tuple[str, object]] = {}
    if len(debt):
        flagged = debt["overdue"].fillna(False).astype(bool) & (debt["period"] <= as_of)
        debt = debt[debt["debt_id"].isin(debt.loc[flagged, "debt_id"].unique())]
    columns = [debt[c].tolist() for c in ("debt_id", "period", "overdue")] if len(debt) else [(), (), ()]
    for item, period, overdue in zip(*columns):
        if period <= as_of and (item not in latest or period >= latest[item][0]):
            latest[item] = (period, overdue)
    return tuple(sorted(item for item, (_, overdue) in latest.items() if pd.notna(overdue) and bool(overdue)))


def data_month(frame: pd.DataFrame, as_of: str) -> str | None:
    """The latest period of a dataset's rows up to as_of (None: none yet): a ledger or a report whose latest rows are
    older than the as-of month says so, and counts its durations to this month."""
    if not len(frame):
        return None
    months = frame.loc[frame["period"] <= as_of, "period"]
    return str(months.max()) if len(months) else None
