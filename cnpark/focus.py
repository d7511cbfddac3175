"""The shaping behind the four focus pages (产业集群, 多晶硅产能, 农特产品加工, 债务). Pure: DataFrames in, DataFrames out.

Readings of the two ledgers follow status.py: for each key (an enterprise, a debt item) the row that counts at an
as-of month is its latest row with period ≤ that month.
Decisions:
  * projection: ordinary least squares of value on month over the readings of the last 12 months up to the latest
    reading (both ends included, so a yearly series uses its last two year-ends), carried forward from the latest
    reading to the deadline. Fewer than two readings in that window: no projection.
  * chain gap: a link with no enterprise at all in the list (any status: 签约 counts as a firm in the link).
  * maturities: outstanding items (balance > 0) by the month of their due date, for the `months` months after the
    as-of month (the as-of month itself is not included; what is past due is the overdue list's business).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from cnpark.catalog import Catalog, Chain
from cnpark.datasets import ENTERPRISE_STATUSES, PARK_AREA
from cnpark.display import format_figure
from cnpark.months import month_index, month_of
from cnpark.status import Series, latest, latest_rows

PARK_LABEL = "全园区"
WINDOW = 12          # months of readings the projection's slope is fitted on
_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "公司")


# ------------------------------------------------------------------------------------ shared readings

def area_series(indicators: pd.DataFrame, code: str, area: str = PARK_AREA) -> Series:
    """{month: value} of one indicator in one area ('' = the park as a whole)."""
    if len(indicators) == 0:
        return {}
    rows = indicators[(indicators["indicator"] == code) & (indicators["area"].fillna(PARK_AREA) == area)]
    return dict(zip(rows["period"], rows["value"].astype(float)))


def short_name(name: str) -> str:
    """'昌宁示例茶业有限公司' → '昌宁示例茶业': what fits in a box (the full name stays in tooltips and tables)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


# ------------------------------------------------------------------------------------ trajectories

LINEAR, PIPELINE = "近期速度预测", "在建及签约项目投产后"     # the projection's name in the legend, by method


@dataclass(frozen=True)
class Trajectory:
    """Actual readings, the plan path (baseline → target) and the projection (by the target's forecast method in the
    catalog), each (period, value)."""
    name: str
    unit: str
    actual: pd.DataFrame
    plan: pd.DataFrame
    projection: pd.DataFrame
    target: float | None
    deadline: str
    slope: float | None          # per month, of a linear projection
    note: str = ""               # the method, or why a part is missing, in Chinese
    method: str = LINEAR         # LINEAR or PIPELINE: the projection's name
    decimals: int | None = None

    @property
    def projected(self) -> float | None:
        """The projection's value at the deadline."""
        return None if len(self.projection) == 0 else float(self.projection["value"].iloc[-1])


def _points(items: list[tuple[str, float]]) -> pd.DataFrame:
    return pd.DataFrame({"period": [p for p, _ in items], "value": [float(v) for _, v in items]},
                        columns=["period", "value"]).astype({"period": "str", "value": "float"})


def precision(values: list[float], finest: float = 0.01) -> float:
    """The data's own precision: the largest power of ten (up to 1,000,000) that every reading is a multiple of.

    >>> precision([50000, 170000, 250000]), precision([58, 63, 67, 71.5]), precision([0.81, 0.85])
    (10000, 0.1, 0.01)
    """
    for exponent in range(6, -3, -1):              # 1,000,000 … 0.01
        step = 10.0 ** exponent
        if step <= finest or all(abs(v - round(v / step) * step) < 1e-9 * max(1.0, abs(v)) for v in values):
            return int(step) if exponent >= 0 else round(step, 6)
    return finest


def rounded(value: float, step: float) -> float:
    """A value rounded (half up) to a step of the data's precision: a projection claims no more than its data."""
    return round(math.floor(value / step + 0.5) * step, 6)


def projection(series: Series, as_of: str, deadline: str, window: int = WINDOW) -> tuple[float | None, pd.DataFrame]:
    """(slope per month, [(latest period, latest value), (deadline, projected value)]) from the readings ≤ as_of.

    The slope is the least-squares fit over the readings in [latest − window months, latest]; no projection when
    fewer than two readings fall in that window or the latest reading is already at the deadline. The projected
    value is rounded to the readings' precision (precision()).
    """
    found = latest(series, as_of)
    if found is None or found[0] >= deadline:
        return None, _points([])
    last, value = found
    start = month_of(month_index(last) - window)
    recent = sorted((m, v) for m, v in series.items() if start <= m <= last)
    if len(recent) < 2:
        return None, _points([])
    x = [float(month_index(m)) for m, _ in recent]
    y = [v for _, v in recent]
    mx, my = sum(x) / len(x), sum(y) / len(y)
    slope = sum((a - mx) * (b - my) for a, b in zip(x, y)) / sum((a - mx) ** 2 for a in x)
    ahead = month_index(deadline) - month_index(last)
    return slope, _points([(last, value), (deadline, rounded(value + slope * ahead, precision(y)))])


def pipeline(enterprises: pd.DataFrame, as_of: str, link: str) -> pd.DataFrame:
    """The link's projects not yet producing at as_of (签约, 在建) with a capacity: (name, status, capacity)."""
    firms = enterprise_capacity(enterprises, as_of, link)
    coming = firms[firms["status"].isin(["签约", "在建"]) & firms["capacity"].notna()]
    return coming[["name", "status", "capacity"]].reset_index(drop=True)


def indicator_trajectory(indicators: pd.DataFrame, code: str, as_of: str, catalog: Catalog,
                         area: str = PARK_AREA, enterprises: pd.DataFrame | None = None) -> Trajectory:
    """The readings of a target ≤ as_of, its plan path from the baseline (the value at the catalog's baseline period)
    to the final goal, and a projection to that goal's deadline by the target's `forecast` in the catalog:
    linear (the recent pace), pipeline (a stock that grows in steps: the enterprise list's projects not yet producing,
    added by the deadline) or none."""
    target = catalog[code]
    goal = target.goals[-1]
    series = area_series(indicators, code, area)
    actual = _points(sorted((m, v) for m, v in series.items() if m <= as_of))
    base = latest(series, target.baseline) if target.baseline else None
    notes = []
    if base is not None and target.rule in ("ge", "le"):
        plan = _points([(target.baseline, base[1]), (goal.deadline, goal.value)])
    else:
        plan = _points([])
        notes.append(f"无{target.baseline}基期值，未画计划路径")
    slope, ahead, method = None, _points([]), LINEAR
    done = len(actual) and actual["period"].iloc[-1] >= goal.deadline
    if done:
        notes.append(f"数据已到期限 {goal.deadline}，不再预测")
    elif target.forecast == "pipeline" and len(actual):
        method = PIPELINE
        coming = pipeline(enterprises if enterprises is not None else pd.DataFrame(), as_of, target.link)
        step = "产能随项目投产分步形成，不按直线外推"
        if len(coming):
            last = actual.iloc[-1]
            total = float(last["value"]) + float(coming["capacity"].sum())
            ahead = _points([(last["period"], float(last["value"])), (goal.deadline, total)])
            projects = "、".join(f"{short_name(n)}（{s} {format_figure(c)} {target.unit}）"
                                 for n, s, c in zip(coming["name"], coming["status"], coming["capacity"]))
            notes.append(f"{step}：企业名录中{target.link}在建及签约项目 {projects}，全部投产后 "
                         f"{format_figure(total)} {target.unit}（投产时间以项目进度为准）")
        else:
            notes.append(f"{step}；截至 {as_of} 企业名录中没有在建或签约的{target.link}项目，不作预测")
    elif target.forecast == "linear" and len(actual):
        slope, ahead = projection(series, as_of, goal.deadline)
        if slope is None:
            notes.append(f"最近{WINDOW}个月数据不足两期，无法按近期速度预测")
    if target.max is not None and len(ahead):
        ahead = ahead.assign(value=ahead["value"].clip(upper=target.max))   # a rate cannot pass 100 %
    return Trajectory(name=target.name if area == PARK_AREA else f"{target.name}（{area}）", unit=target.unit,
                      actual=actual, plan=plan, projection=ahead, target=goal.value, deadline=goal.deadline,
                      slope=slope, note="；".join(notes), method=method, decimals=target.decimals)


def projection_text(t: Trajectory) -> str:
    """One line under the trajectory: the plan path, the projection's method and where it leads (or why none)."""
    if t.projected is None or t.method != LINEAR:
        return t.note
    start = t.projection["period"].iloc[0]
    per_month = float(f"{t.slope:.2g}")          # a pace fitted on a few readings: two significant figures
    text = (f"近期速度预测：按截至 {start} 最近{WINDOW}个月数据的线性趋势（最小二乘，约每月 "
            f"{format_figure(per_month)} {t.unit}）外推，{t.deadline} 预计约 {format_figure(t.projected)} {t.unit}"
            f"（按数据精度取整）")
    if t.target is not None:
        text += f"（目标 {format_figure(t.target)} {t.unit}）"
    return text + (f"。{t.note}" if t.note else "")


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
