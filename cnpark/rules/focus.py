"""The shaping behind the four focus pages (产业集群, 多晶硅产能, 农特产品加工, 债务). Pure: DataFrames in, DataFrames out.

Readings of the two ledgers follow series.latest_rows (as the status rule does): for each key (an enterprise, a debt
item) the row that counts at an as-of month is its latest row with period ≤ that month.
Trajectories and their projections: forecast.py. Decisions:
  * chain gap: a link with no enterprise at all in the list (any status: 签约 counts as a firm in the link).
  * maturities: outstanding items (balance > 0) by the month of their due date, for the `months` months after the
    as-of month (the as-of month itself is not included; what is past due is the overdue list's business).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from cnpark.plan.catalog import Catalog, Chain
from cnpark.rules.display import format_figure
from cnpark.rules.series import area_series, latest, latest_rows
from cnpark.store.datasets import ENTERPRISE_STATUSES, PARK_AREA

PARK_LABEL = "全园区"
_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "公司")


# ------------------------------------------------------------------------------------ shared readings

def short_name(name: str) -> str:
    """'昌宁示例茶业有限公司' → '昌宁示例茶业': what fits in a box (the full name stays in tooltips and tables)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


# ------------------------------------------------------------------------------------ 产业集群

def chain_links(enterprises: pd.DataFrame, as_of: str, chains: Iterable[Chain]) -> pd.DataFrame:
    """One row per link of the given chains of the plan (the catalog's order): firms, their (short) names and statuses.

    state: 'firms' (at least one enterprise of any status), 'gap' (none: 缺口), 'no_data' (no list ≤ as_of).
    """
    now = latest_rows(enterprises, "name", as_of)
    rank = {s: i for i, s in enumerate(reversed(ENTERPRISE_STATUSES))}   # 达产 first, 签约 last
    firms_of: dict[str, list[tuple[str, str]]] = {}
    for link, status, name in (zip(now["chain_link"], now["status"].fillna(""), now["name"]) if len(now) else ()):
        firms_of.setdefault(link, []).append((status, name))
    rows = []
    for chain in chains:
        name = chain.name
        for position, link in enumerate(chain.links):
            firms = sorted(firms_of.get(link, []), key=lambda f: (rank.get(f[0], len(rank)), f[1]))
            state = "no_data" if len(now) == 0 else ("firms" if firms else "gap")
            rows.append({"chain": name, "position": position, "link": link, "firms": len(firms),
                         "names": [short_name(n) for _, n in firms], "full_names": [n for _, n in firms],
                         "statuses": [s for s, _ in firms], "state": state})
    return pd.DataFrame(rows)


def enterprise_period(enterprises: pd.DataFrame, as_of: str) -> str | None:
    """The latest period of the enterprise list ≤ as_of (None: no list yet)."""
    upto = enterprises["period"][enterprises["period"] <= as_of] if len(enterprises) else []
    return str(max(upto)) if len(upto) else None


def chain_gaps(links: pd.DataFrame) -> list[str]:
    """The links without any enterprise (缺口), in chain order."""
    return links.loc[links["state"] == "gap", "link"].tolist() if len(links) else []


def gap_text(links: pd.DataFrame, as_of: str) -> str:
    """'缺口环节（无企业，需延链补链）：切片、电池组装' — or that there are none, or no list at all."""
    if len(links) == 0 or (links["state"] == "no_data").all():
        return f"截至 {as_of} 企业名录无数据，无法判断产业链缺口"
    gaps = chain_gaps(links)
    return f"缺口环节（无企业，需延链补链）：{'、'.join(gaps)}" if gaps else "各产业链环节均已有企业"


def new_firms_by_year(indicators: pd.DataFrame, as_of: str, catalog: Catalog,
                      code: str = "new_above_scale_firms") -> pd.DataFrame:
    """当年新增 per year from the year after the plan start: (year, value, period), the latest reading of each year."""
    series = area_series(indicators, code)
    first, last = int(catalog.start[:4]) + 1, int(as_of[:4])
    rows = [(str(y), found[1], found[0]) for y in range(first, last + 1)
            if (found := latest(series, min(as_of, f"{y}-12"), since=f"{y}-01"))]
    return pd.DataFrame(rows, columns=["year", "value", "period"]).astype({"year": "str", "value": "float",
                                                                             "period": "str"})


# ------------------------------------------------------------------------------------ 多晶硅产能

def enterprise_capacity(enterprises: pd.DataFrame, as_of: str, link: str) -> pd.DataFrame:
    """Enterprises of one chain link at as_of: (name, status, capacity, period), largest first; capacity NaN = not given."""
    now = latest_rows(enterprises, "name", as_of)
    if len(now) == 0:
        return pd.DataFrame(columns=["name", "status", "capacity", "period"]).astype(
            {"name": "str", "status": "str", "capacity": "float", "period": "str"})
    firms = now[now["chain_link"] == link]
    return (firms[["name", "status", "capacity", "period"]].sort_values(["capacity", "name"], ascending=[False, True])
            .reset_index(drop=True))


@dataclass(frozen=True)
class CapacityCheck:
    """The enterprises' capacities summed against the park's reported total at the same time."""
    as_of: str
    link: str
    unit: str
    firms: int
    missing: int                  # firms without a capacity figure
    enterprise_total: float | None
    enterprise_period: str | None
    reported: float | None
    reported_period: str | None

    @property
    def matches(self) -> bool | None:
        if self.enterprise_total is None or self.reported is None:
            return None
        return abs(self.enterprise_total - self.reported) < 0.5

    @property
    def message(self) -> str:
        if self.firms == 0:
            return f"截至 {self.as_of}，企业名录中没有{self.link}企业，无法与园区上报总量核对"
        if self.enterprise_total is None:
            return f"企业名录（{self.enterprise_period}）中的{self.link}企业均未填产能，无法与园区上报总量核对"
        ours = f"企业名录（{self.enterprise_period}）{self.link}企业产能合计 {format_figure(self.enterprise_total)} {self.unit}"
        if self.missing:
            ours += f"（另有 {self.missing} 户未填产能）"
        if self.reported is None:
            return f"{ours}；园区同期无上报总量，无法核对"
        theirs = f"园区上报总量 {format_figure(self.reported)} {self.unit}（{self.reported_period}）"
        if self.matches:
            return f"{ours}，与{theirs}一致"
        diff = self.enterprise_total - self.reported
        return f"注意：{ours}，与{theirs}不一致，相差 {'+' if diff > 0 else ''}{format_figure(diff)} {self.unit}"


def capacity_check(enterprises: pd.DataFrame, indicators: pd.DataFrame, as_of: str, catalog: Catalog,
                   code: str = "polysilicon_capacity") -> CapacityCheck:
    """Compare the sum of the capacities of the target's chain link (catalog `link`) with the park total at the
    enterprise list's period (the latest park reading ≤ that period), so both figures speak of the same time."""
    link = catalog[code].link
    firms = enterprise_capacity(enterprises, as_of, link)
    given = firms["capacity"].dropna()
    period = str(firms["period"].max()) if len(firms) else None
    reported = latest(area_series(indicators, code), period) if period else None
    return CapacityCheck(as_of=as_of, link=link, unit=catalog[code].unit, firms=len(firms), missing=len(firms) - len(given),
                         enterprise_total=float(given.sum()) if len(given) else None, enterprise_period=period,
                         reported=reported[1] if reported else None, reported_period=reported[0] if reported else None)


def capacity_table(firms: pd.DataFrame, unit: str = "吨") -> pd.DataFrame:
    """The enterprises with Chinese headers and figures as text ('250,000'; '未填' where none)."""
    return pd.DataFrame({"企业": firms["name"], "状态": firms["status"].fillna(""),
                         f"产能（{unit}）": [("未填" if pd.isna(v) else format_figure(v)) for v in firms["capacity"]],
                         "期间": firms["period"]})


# ------------------------------------------------------------------------------------ 农特产品加工转化率

def industry_breakdown(indicators: pd.DataFrame, code: str, as_of: str, since: str = "",
                       industries: tuple[str, ...] = ()) -> pd.DataFrame:
    """Year-end readings in (since, as_of] of the park (全园区) and of each industry that has rows of this indicator:
    (area, year, value, period); areas in park-then-catalog order."""
    if len(indicators) == 0:
        return pd.DataFrame(columns=["area", "year", "value", "period"]).astype(
            {"area": "str", "year": "str", "value": "float", "period": "str"})
    rows = indicators[(indicators["indicator"] == code) & (indicators["period"] <= as_of)
                      & (indicators["period"] > since) & indicators["period"].str.endswith("-12")]
    area = rows["area"].fillna(PARK_AREA).replace({PARK_AREA: PARK_LABEL})
    out = pd.DataFrame({"area": area, "year": rows["period"].str[:4], "value": rows["value"].astype(float),
                        "period": rows["period"]})
    order = {a: i for i, a in enumerate((PARK_LABEL, *industries))}
    out = out[out["area"].isin(list(order))]
    return (out.assign(_o=out["area"].map(order)).sort_values(["_o", "year"]).drop(columns="_o")
            .reset_index(drop=True))


def area_options(industries: tuple[str, ...]) -> list[str]:
    """The choices of the 产业 selector: 全园区, then the industries (the links of the target's chain)."""
    return [PARK_LABEL, *industries]


def area_code(label: str) -> str:
    """The selector's label → the stored area ('' for 全园区)."""
    return PARK_AREA if label == PARK_LABEL else label
