"""督办: the goals that are behind, grouped by responsible department, with their gap and since when they are
behind; and what changed between two readings (two as-of months, or two snapshots). Pure: statuses in, rows out.

The plan names no single lead: each clause ends "(A、B、C按照职责分工负责)". So the list is grouped by every
unit a clause names, and a goal appears under each of its units: each unit's page is its whole 督办 list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from cnpark.rules.display import delta, figure, period_word, status_key, status_word, target_text, value_in, value_text
from cnpark.rules.status import URGENCY, TargetStatus

BEHIND = ("lagging", "off_track", "missed")
NO_DEPARTMENT = "（未列牵头单位）"


@dataclass(frozen=True)
class Item:
    """One goal on the 督办 list."""
    status: TargetStatus
    gap: float | None           # how far from where it should be, in the goal's unit (> 0: behind by that much)
    gap_to: str                 # "序时进度" before the deadline, "目标" after it, "基期" for direction-only goals
    since: str | None           # the first month of the run of behind readings that ends at the as-of month

    @property
    def gap_text(self) -> str:
        s = self.status
        if s.kind == "milestone":
            return "未按期完成" if s.actual != 1 else f"完成晚于期限（{s.period}）"
        if self.gap is None:
            return "—"
        verb = "高于" if s.rule == "le" else "低于"
        unit = "%" if s.rule == "growth" else s.unit
        amount = delta(self.gap, unit, s.decimals).lstrip("+") if unit == "%" else figure(self.gap, unit, s.decimals)
        return f"{verb}{self.gap_to} {amount}"


def key(s: TargetStatus) -> tuple[str, str]:
    """A goal's identity across readings (a yearly target has one goal per deadline)."""
    return (s.code, s.deadline)


def gap(s: TargetStatus) -> tuple[float | None, str]:
    """How far a behind goal is from 序时进度 (before its deadline) or from its target (after), in its unit."""
    if s.actual is None:
        return None, ""
    lower = s.rule == "le"
    if s.kind == "direction":
        reference, to = s.baseline, "基期"
    elif s.status == "missed" or s.expected is None:
        reference, to = s.target, "目标"
    else:
        reference, to = s.expected, "序时进度"
    if reference is None:
        return None, to
    return (s.actual - reference if lower else reference - s.actual), to


def behind_since(statuses: list[TargetStatus], as_of: str, earlier: Sequence[str],
                 status_at: Callable[[TargetStatus, str], str]) -> dict[tuple[str, str], str]:
    """For each goal behind at as_of, the earliest month of its unbroken run of behind readings.

    earlier: the months with data before as_of, latest first; status_at(goal, month): that goal's status as of the
    month. A month in which the goal was not behind (or had no data) ends the run; only the goals behind are
    judged again, and each only as far back as its run goes.
    """
    since = {}
    for s in statuses:
        if s.status not in BEHIND:
            continue
        first = as_of
        for m in earlier:
            if status_at(s, m) not in BEHIND:
                break
            first = m
        since[key(s)] = first
    return since


def supervision_list(statuses: list[TargetStatus], since: dict[tuple[str, str], str]) -> list[Item]:
    """Every goal that is lagging, off track or missed: missed first, then off track, then lagging; by deadline."""
    items = [Item(s, *gap(s), since.get(key(s))) for s in statuses if s.status in BEHIND]
    return sorted(items, key=lambda it: (URGENCY[it.status.status], it.status.deadline))


def by_department(items: list[Item]) -> list[tuple[str, list[Item]]]:
    """The items under each unit their clause names; units with the most missed/off-track items first."""
    groups: dict[str, list[Item]] = {}
    for it in items:
        for unit in it.status.departments or (NO_DEPARTMENT,):
            groups.setdefault(unit, []).append(it)

    def weight(unit: str) -> tuple:
        found = groups[unit]
        return (-sum(it.status.status in ("missed", "off_track") for it in found), -len(found), unit)
    return [(unit, groups[unit]) for unit in sorted(groups, key=weight)]


# Status order for 好转 / 退步: worst to best. 待完成 (not started) ranks between behind and on track, so 待完成 → 达标
# is 好转 and 待完成 → 未达标 退步; 无数据 has no rank (nothing to compare).
_RANK = {"missed": 0, "off_track": 1, "lagging": 2, "pending": 3, "on_track": 4, "met": 5}


@dataclass(frozen=True)
class Change:
    """One goal read twice: its status and value before and after. Two different facts, each with its own word:
    the status (好转 / 退步 / 不变 by the status order) and the figure (向好 / 变差 / 不变 by the target's direction).
    A figure can rise while its status falls (the deadline passed): 向好 and 退步."""
    before: TargetStatus | None
    after: TargetStatus

    @property
    def status_changed(self) -> bool:
        return self.before is None or status_word(self.before) != status_word(self.after)

    @property
    def new_data(self) -> bool:
        """Whether the later reading rests on data of another period: the same period read twice is no change of the
        figure, only no new data (a flow is judged on full years, so two meetings in one year read the same year)."""
        return self.before is None or self.before.period != self.after.period

    @property
    def moved(self) -> float | None:
        if self.before is None or self.before.actual is None or self.after.actual is None or not self.new_data:
            return None
        return self.after.actual - self.before.actual

    @property
    def direction(self) -> str:
        """The status: '好转', '退步', '不变', or '' where one of the two has no rank (无数据) or there is no before."""
        if self.before is None:
            return ""
        a, b = _RANK.get(self.before.status), _RANK.get(self.after.status)
        if a is None or b is None:
            return ""
        return "好转" if b > a else ("退步" if b < a else "不变")

    @property
    def figure_direction(self) -> str:
        """The figure: '向好' when it moved the way the target wants (up, or down for a lower-is-better target),
        '变差' the other way, '不变' when it did not move (at the goal's own precision), '' without two figures."""
        if self.moved is None:
            return ""
        unit = "%" if self.after.rule == "growth" else self.after.unit
        if delta(self.moved, unit, self.after.decimals) == "无变化":
            return "不变"
        better = self.moved < 0 if self.after.rule == "le" else self.moved > 0
        return "向好" if better else "变差"

    @property
    def moved_text(self) -> str:
        """'+8.5 个百分点', '+5 户', '未完成 → 已完成' (milestones); '无新数据（2024年）' when both readings rest on the
        same period; '—' without two figures."""
        if not self.new_data and self.after.actual is not None:
            return f"无新数据（均为{period_word(self.after.period)}）"
        if self.moved is None:
            return "—"
        if self.after.kind == "milestone":
            return f"{done_text(self.before)} → {done_text(self.after)}" if self.moved else "无变化"
        unit = "%" if self.after.rule == "growth" else self.after.unit
        return delta(self.moved, unit, self.after.decimals)


def done_text(s: TargetStatus | None) -> str:
    return "—" if s is None or s.actual is None else ("已完成" if s.actual >= 1 else "未完成")


def compare(before: list[TargetStatus], after: list[TargetStatus]) -> list[Change]:
    """Every goal of `after`, with its reading in `before` (None when that reading has no such goal)."""
    earlier = {key(s): s for s in before}
    return [Change(earlier.get(key(s)), s) for s in after]


def change_label(c: Change) -> str:
    """'滞后 → 未达标'; '（新）→ 达标' for a goal the earlier reading did not have."""
    if c.before is None:
        return f"（新）→ {status_word(c.after)}"
    return f"{status_word(c.before)} → {status_word(c.after)}"


# ------------------------------------------------------------------------------------ tables

def item_frame(found: list[Item], units: bool = False) -> pd.DataFrame:
    """The 督办 items as the page's table: 目标 · 期限 · 状态 · 差距 · 实际 · 目标值 · 数据期 · 滞后起始 · 条款 (and
    责任单位); `_key` colours the 状态 cell."""
    return pd.DataFrame([{
        "目标": it.status.name, "期限": it.status.deadline, "状态": status_word(it.status),
        "差距": it.gap_text, "实际": value_text(it.status), "目标值": target_text(it.status),
        "数据期": it.status.period or "—", "滞后起始": it.since or "—", "条款": it.status.clause,
        **({"责任单位": "、".join(it.status.departments)} if units else {}), "_key": status_key(it.status),
    } for it in found])


def change_frame(before: list[TargetStatus], after: list[TargetStatus], since: str, as_of: str) -> pd.DataFrame:
    """The goals whose status or figure moved since `since`: the status change and the figure's change, each
    judged in its own column (a figure can improve while the status falls because the deadline passed). A value whose
    period is not its column's month says its period."""
    return pd.DataFrame([{
        "目标": c.after.name, "期限": c.after.deadline, since: value_in(c.before, since) if c.before else "—",
        as_of: value_in(c.after, as_of), "数值变化": c.moved_text, "数值": c.figure_direction or "—",
        "状态变化": change_label(c), "状态": c.direction or "—", "_key": status_key(c.after),
    } for c in compare(before, after) if c.status_changed or c.moved])


def coloured(frame: pd.DataFrame) -> pd.DataFrame:
    """A comparison with its 状态 column coloured by 好转 / 退步."""
    return frame.assign(_key=[{"好转": "met", "退步": "missed"}.get(d, "pending") for d in frame["状态"]])
