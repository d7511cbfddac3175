"""A target's trajectory on the focus pages: its readings, the plan path (baseline → target) and a projection to the
deadline by the target's `forecast` in the catalog. Pure: DataFrames in, DataFrames out.

Decisions:
  * linear projection: ordinary least squares of value on month over the readings of the last 12 months up to the
    latest reading (both ends included, so a yearly series uses its last two year-ends), carried forward from the
    latest reading to the deadline, rounded to the data's own precision. Fewer than two readings in that window: none.
  * pipeline projection: a stock that grows in steps — the enterprise list's projects of the target's link not yet
    producing (签约, 在建) added by the deadline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from cnpark.plan.catalog import Catalog
from cnpark.plan.months import month_index, month_of
from cnpark.rules.display import format_figure
from cnpark.rules.focus import enterprise_capacity, short_name
from cnpark.rules.series import Series, area_series, latest
from cnpark.store.datasets import PARK_AREA

WINDOW = 12          # months of readings the projection's slope is fitted on

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
