"""序时进度 and the one status rule (docs/RULES.md "状态怎么判"). Pure functions.

For an as-of month A and a goal with threshold T, deadline D, path start S (the target's baseline
period, default the plan start 2022-12) and baseline B (the value at S):
  * A ≥ D: met / missed on the value of period D (flows: the full year, i.e. its December).
  * A < D: latest value V at period t ≤ A; progress p = (V − B)/(T − B); due share s = (t − S)/(D − S)
    (compound path where the catalog says so). on_track if p ≥ s, lagging if p ≥ s − tolerance,
    else off_track; already at or past T: met.
Interpretations of the measures (docs/RULES.md "状态怎么判"):
  * flow: cumulative within a year; only full years (December values) are judged.
  * growth: per year; before the year ends the like-for-like year-to-date growth is compared with the
    target (the comparison is already time-normalised, so s = 1); before the year starts: pending.
    Completion = growth ÷ target, never below 0 (a fall achieves none of it; the fall is the figure itself).
  * milestone done after its deadline: missed, and `late` says it was done (pages write 逾期完成).
  * yearly_sum: the per-year values (当年新增) are summed from the year after S.
  * improve (direction-only goals): improving = above the baseline; target shown is the baseline.
  * debt: cumulative resolved (ledger, since S) against cumulative planned, the current year's plan
    prorated by month for the due share.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from cnpark.plan.catalog import Catalog, Goal, Target
from cnpark.plan.months import default_month, month_index, month_of
from cnpark.rules.series import Series, full_year, latest, latest_full_year, overdue_ids, park_series, planned_to

STATUSES = ("met", "on_track", "lagging", "off_track", "missed", "pending", "no_data")
URGENCY = {"missed": 0, "off_track": 1, "lagging": 2, "no_data": 3, "pending": 4, "on_track": 5, "met": 6}


@dataclass(frozen=True)
class TargetStatus:
    code: str
    name: str
    unit: str
    deadline: str
    actual: float | None
    target: float | None
    completion: float | None
    status: str
    period: str | None
    group: str = ""
    kind: str = ""
    rule: str = ""
    clause: str = ""
    departments: tuple[str, ...] = ()
    baseline: float | None = None
    baseline_period: str | None = None
    progress: float | None = None
    due_share: float | None = None
    expected: float | None = None          # where 序时进度 puts the value at `period`, in `unit` (B + s·(T − B))
    note: str = ""
    overdue: tuple[str, ...] = field(default=())
    previous: float | None = None          # the same reading as of the month before `period`
    previous_period: str | None = None
    late: bool = False                     # a milestone done, but after its deadline (status missed: 逾期完成)
    decimals: int | None = None            # the catalog's decimals for this target's figures (None: by unit)
    goals: int = 1                         # how many goals its target has (a yearly target: one per year)

    @property
    def change(self) -> float | None:
        """Change since the previous period (in the unit of `actual`), None when there is no earlier reading."""
        return None if self.previous is None or self.actual is None else self.actual - self.previous


# ------------------------------------------------------------------------------------ helpers

def judge(p: float, s: float, tolerance: float) -> str:
    """序时进度: on_track if progress keeps up with the due share, lagging within the tolerance."""
    if p >= s:
        return "on_track"
    if p >= s - tolerance:
        return "lagging"
    return "off_track"


def due_share(t: str, start: str, deadline: str, path: str = "linear", ratio: float = 2.0) -> float:
    """Share of the task the elapsed time calls for at month t (compound: along B·ratio^k)."""
    span = month_index(deadline) - month_index(start)
    k = min(max((month_index(t) - month_index(start)) / span, 0.0), 1.0) if span > 0 else 1.0
    if path == "compound" and ratio > 0 and ratio != 1:
        return (ratio ** k - 1) / (ratio - 1)
    return k


def _base(t: Target, series: Series) -> tuple[str, float] | None:
    """The baseline (period, value): the value at the target's baseline period (flows: that full year)."""
    if t.measure == "flow":
        year = int(t.baseline[:4])
        v = full_year(series, year)
        return (f"{year}-12", v) if v is not None else None
    return latest(series, t.baseline)


def _result(t: Target, goal: Goal, status: str, **kw) -> TargetStatus:
    return TargetStatus(code=t.code, name=t.name, unit=kw.pop("unit", t.unit), deadline=goal.deadline,
                        status=status, group=t.group, kind=t.kind, rule=t.rule, clause=t.clause, departments=t.departments,
                        decimals=t.decimals, goals=len(t.goals),
                        actual=kw.pop("actual", None), target=kw.pop("target", goal.value),
                        completion=kw.pop("completion", None), period=kw.pop("period", None), **kw)


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b not in (None, 0) else None


def _share_of(growth: float, target: float) -> float | None:
    """Completion of a growth target: growth ÷ target, never below 0 (a fall achieves none of it; the fall itself is
    the figure, shown with its sign)."""
    share = _ratio(growth, target)
    return None if share is None else max(share, 0.0)


# ------------------------------------------------------------------------------------ rules

def _threshold(t: Target, goal: Goal, series: Series, as_of: str, tol: float) -> TargetStatus:
    """ge / le on a stock or rate, and double_base on a flow (revenue)."""
    lower = t.rule == "le"
    base = _base(t, series)
    threshold = goal.value
    if t.rule == "double_base":
        if base is None:
            return _result(t, goal, "no_data", target=None, note=f"缺少{t.baseline[:4]}年基期值，无法计算目标")
        threshold = goal.value * base[1]
    beyond = (lambda v: v <= threshold) if lower else (lambda v: v >= threshold)
    completion = (lambda v: _ratio(threshold, v)) if lower else (lambda v: _ratio(v, threshold))
    common = dict(target=threshold, baseline=base[1] if base else None, baseline_period=base[0] if base else None)

    if as_of >= goal.deadline:
        if t.measure == "flow":
            v = full_year(series, int(goal.deadline[:4]))
            found = (goal.deadline, v) if v is not None else None
        else:
            found = latest(series, goal.deadline, since=goal.deadline[:4] + "-01")
        if found is None:
            return _result(t, goal, "no_data", note=f"缺少{goal.deadline}的数据，无法评估", **common)
        m, v = found
        return _result(t, goal, "met" if beyond(v) else "missed", actual=v, period=m,
                       completion=completion(v), **common)

    found = latest_full_year(series, as_of) if t.measure == "flow" else latest(series, as_of)
    if found is None:
        return _result(t, goal, "no_data", **common)
    m, v = found
    if beyond(v):
        return _result(t, goal, "met", actual=v, period=m, completion=completion(v), **common)
    b, note = (base[1], "") if base else (0.0, "无基期值，按0计")
    if (threshold - b) * (-1 if lower else 1) <= 0:   # baseline already beyond the target but V fell back
        b, note = 0.0, "基期值已超过目标，按0计算进度"
    p = (v - b) / (threshold - b)
    s = due_share(m, t.baseline, goal.deadline, t.path, goal.value if t.rule == "double_base" else 2.0)
    return _result(t, goal, judge(p, s, tol), actual=v, period=m, completion=completion(v),
                   progress=p, due_share=s, expected=b + s * (threshold - b), note=note, **common)


def _yearly_sum(t: Target, goal: Goal, series: Series, as_of: str, tol: float) -> TargetStatus:
    """当年新增 figures summed from the year after the plan start (new 规上 firms)."""
    upto = min(as_of, goal.deadline)
    total, last = 0.0, None
    for year in range(int(t.baseline[:4]) + 1, int(upto[:4]) + 1):
        found = latest(series, min(upto, f"{year}-12"), since=f"{year}-01")
        if found:
            total += found[1]
            last = found[0]
    if last is None:
        return _result(t, goal, "no_data", baseline=0.0)
    kw = dict(actual=total, period=last, completion=_ratio(total, goal.value), baseline=0.0)
    if as_of >= goal.deadline:
        return _result(t, goal, "met" if total >= goal.value else "missed", **kw)
    if total >= goal.value:
        return _result(t, goal, "met", **kw)
    p, s = total / goal.value, due_share(last, t.baseline, goal.deadline)
    return _result(t, goal, judge(p, s, tol), progress=p, due_share=s, expected=s * goal.value, **kw)


def _growth(t: Target, goal: Goal, series: Series, as_of: str, tol: float) -> TargetStatus:
    """Year-on-year growth of a flow ≥ goal.value % in the goal's year."""
    year = int(goal.deadline[:4])
    kw = dict(unit="%")
    if as_of >= goal.deadline:
        now, before = full_year(series, year), full_year(series, year - 1)
        if now is None or before in (None, 0):
            return _result(t, goal, "no_data", note=f"缺少{year - 1}或{year}年全年数据", **kw)
        g = (now / before - 1) * 100
        return _result(t, goal, "met" if g >= goal.value else "missed", actual=g, period=goal.deadline,
                       completion=_share_of(g, goal.value), **kw)
    if int(as_of[:4]) < year:
        return _result(t, goal, "pending", note=f"{year}年尚未开始", **kw)
    found = latest(series, as_of, since=f"{year}-01")
    if found is None or series.get(f"{year - 1}-{found[0][5:]}") in (None, 0):
        return _result(t, goal, "no_data", note="缺少本年累计或上年同期数据", **kw)
    m, v = found
    g = (v / series[f"{year - 1}-{m[5:]}"] - 1) * 100
    p = g / goal.value
    return _result(t, goal, judge(p, 1.0, tol), actual=g, period=m, completion=_share_of(g, goal.value), progress=p,
                   due_share=1.0,
                   expected=goal.value, note=f"{year}年1-{int(m[5:])}月累计同比", **kw)


def _improve(t: Target, goal: Goal, series: Series, as_of: str, tol: float) -> TargetStatus:
    """Direction-only goals (大幅提升): judged on whether the value is above the baseline."""
    base = _base(t, series)
    upto = min(as_of, goal.deadline)
    found = latest_full_year(series, upto) if t.measure == "flow" else latest(series, upto)
    if base is None:
        return _result(t, goal, "no_data", target=None, note="缺少基期值")
    kw = dict(target=base[1], baseline=base[1], baseline_period=base[0])
    if found is None or found[0] <= base[0]:
        return _result(t, goal, "no_data", note="暂无基期之后的数据", **kw)
    m, v = found
    up = v > base[1]
    if as_of >= goal.deadline:
        if m < goal.deadline[:4] + "-01":
            return _result(t, goal, "no_data", note=f"缺少{goal.deadline[:4]}年的数据", **kw)
        status = "met" if up else "missed"
    else:
        status = "on_track" if up else "off_track"
    return _result(t, goal, status, actual=v, period=m, completion=_ratio(v, base[1]),
                   note="较基期提升" if up else "未较基期提升", **kw)


def _milestone(t: Target, goal: Goal, series: Series, as_of: str, tol: float) -> TargetStatus:
    """Done (1) by the deadline: met; not yet and before the deadline: pending; after: missed."""
    reports = {m: v for m, v in series.items() if m <= as_of}
    if not reports:
        return _result(t, goal, "no_data")
    done = [m for m, v in reports.items() if v >= 1]
    if done:
        m = min(done)
        late = m > goal.deadline
        return _result(t, goal, "missed" if late else "met", actual=1.0, period=m, completion=1.0, late=late,
                       note=f"{m}完成，晚于期限 {goal.deadline}" if late else f"{m}完成")
    m = max(reports)
    return _result(t, goal, "missed" if as_of >= goal.deadline else "pending", actual=0.0, period=m,
                   completion=0.0, note="未完成")


def _debt(t: Target, goal: Goal, plan: Series, debt: pd.DataFrame, as_of: str, tol: float) -> TargetStatus:
    """Cumulative resolved (ledger) against cumulative planned (化解方案), since the plan start."""
    years = range(int(t.baseline[:4]) + 1, int(goal.deadline[:4]) + 1)
    planned = {y: full_year(plan, y) for y in years}
    upto = min(as_of, goal.deadline)
    ledger = debt[(debt["period"] > t.baseline) & (debt["period"] <= upto)] if len(debt) else debt
    overdue = overdue_ids(debt, as_of)
    if not any(v is not None for v in planned.values()):
        return _result(t, goal, "no_data", target=None, note="缺少计划化解债务数据", overdue=overdue)
    total_plan = sum(v or 0.0 for v in planned.values())
    if len(ledger) == 0:
        return _result(t, goal, "no_data", target=total_plan, note="债务台账无数据", overdue=overdue)
    resolved = float(ledger["resolved"].fillna(0).sum())
    m = str(ledger["period"].max())
    kw = dict(actual=resolved, target=total_plan, period=m, completion=_ratio(resolved, total_plan),
              baseline=0.0, overdue=overdue, note=f"逾期债务 {len(overdue)} 笔" if overdue else "")
    if as_of >= goal.deadline:
        return _result(t, goal, "met" if resolved >= total_plan else "missed", **kw)
    if resolved >= total_plan:
        return _result(t, goal, "met", **kw)
    due = planned_to(planned, m)
    p, s = resolved / total_plan, due / total_plan
    return _result(t, goal, judge(p, s, tol), progress=p, due_share=s, expected=due, **kw)


_RULES = {"ge": _threshold, "le": _threshold, "double_base": _threshold, "growth": _growth,
          "improve": _improve, "done": _milestone}


# ------------------------------------------------------------------------------------ entry points

class Judge:
    """The status rule over one state of the data: each source's series built once, then any goal judged as of any
    month. frames: the datasets that feed the rule (store.datasets' `status` declarations), by name; a target reads
    its `source` (catalog; default indicators, the debt rule's ledger debt)."""

    def __init__(self, catalog: Catalog, frames: Mapping[str, pd.DataFrame]):
        self.catalog, self.frames = catalog, frames
        self._series: dict[str, dict[str, Series]] = {}

    def series(self, source: str) -> dict[str, Series]:
        if source not in self._series:
            frame = self.frames.get(source)
            self._series[source] = park_series(frame) if frame is not None and len(frame) else {}
        return self._series[source]

    def _at(self, t: Target, goal: Goal, as_of: str) -> TargetStatus:
        tol = self.catalog.lagging_tolerance
        if t.rule == "debt":
            plan = self.series("indicators").get(t.plan_indicator or "", {})
            return _debt(t, goal, plan, self.frames.get(t.source, _NO_LEDGER), as_of, tol)
        series = self.series(t.source).get(t.code, {})
        if t.measure == "yearly_sum":
            return _yearly_sum(t, goal, series, as_of, tol)
        return _RULES[t.rule](t, goal, series, as_of, tol)

    def goal(self, t: Target, goal: Goal, as_of: str) -> TargetStatus:
        """One goal as of a month, with the reading of the period before its data period (previous,
        previous_period), so pages show the change since the previous period by the same rule."""
        now = self._at(t, goal, as_of)
        if now.period and now.actual is not None:
            before = self._at(t, goal, month_of(month_index(now.period) - 1))
            if before.period and before.period < now.period and before.actual is not None:
                now = replace(now, previous=before.actual, previous_period=before.period)
        return now

    def month(self, as_of: str, codes: Collection[str] | None = None) -> list[TargetStatus]:
        """One TargetStatus per goal of every tracked target (a yearly target has one per year), catalog order;
        codes: only these targets."""
        return [self.goal(t, goal, as_of) for t in self.catalog.targets
                if t.is_tracked and (codes is None or t.code in codes) for goal in t.goals]

    def status_at(self, s: TargetStatus, as_of: str) -> str:
        """The status word the goal of `s` had as of another month (no change-since-previous: the 督办 walk back)."""
        t = self.catalog[s.code]
        return self._at(t, next(g for g in t.goals if g.deadline == s.deadline), as_of).status


_NO_LEDGER = pd.DataFrame({"debt_id": pd.Series(dtype=str), "period": pd.Series(dtype=str),
                           "resolved": pd.Series(dtype=float), "overdue": pd.Series(dtype=bool)})


def compute_status(catalog: Catalog, frames: Mapping[str, pd.DataFrame], as_of: str) -> list[TargetStatus]:
    """Every goal's status as of a month (Judge.month): the one status rule."""
    return Judge(catalog, frames).month(as_of)


def latest_month(frames: Mapping[str, pd.DataFrame]) -> str | None:
    """The default as-of month of these frames (months.default_month over their periods)."""
    return default_month(str(df["period"].max()) for df in frames.values() if len(df))


def count_statuses(statuses: list[TargetStatus]) -> dict[str, int]:
    """How many goals are in each status (all statuses present, zero where none)."""
    counts = dict.fromkeys(STATUSES, 0)
    for s in statuses:
        counts[s.status] += 1
    return counts
