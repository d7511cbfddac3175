"""The overview's content, pure: the reckoning by deadline year, the table view's rows, and how goals are split into
screens for meeting mode. TargetStatus lists in, plain values out; no streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cnpark.plan.catalog import Catalog, goal_text
from cnpark.plan.months import month_index, month_of
from cnpark.plan.plans import state_word
from cnpark.rules.display import (
    STATUS_LABELS,
    achievement_text,
    goal_titles,
    status_key,
    status_word,
    target_text,
    value_text,
)
from cnpark.rules.status import URGENCY, TargetStatus

BEHIND = ("lagging", "off_track")


def deadline_year(s: TargetStatus) -> str:
    return s.deadline[:4]


def deadline_years(statuses: list[TargetStatus]) -> list[str]:
    """The years in which goals fall due, in order ('2023', '2024', '2025')."""
    return sorted({deadline_year(s) for s in statuses})


def due_in(statuses: list[TargetStatus], year: str | None) -> list[TargetStatus]:
    """The goals due in one year (all of them for None), in the given order."""
    return list(statuses) if year is None else [s for s in statuses if deadline_year(s) == year]


@dataclass(frozen=True)
class YearCount:
    """The goals due in one year, as of a month: how many are met, and which are not."""
    year: str
    as_of: str
    goals: list[TargetStatus]

    @property
    def ended(self) -> bool:
        """Every goal of the year is past its deadline: the count is final."""
        return all(self.as_of >= s.deadline for s in self.goals)

    def count(self, *statuses: str) -> int:
        return sum(s.status in statuses for s in self.goals)

    def named(self, *statuses: str) -> list[str]:
        """The goals in these statuses by name; a milestone done late says so."""
        return [s.name + ("（逾期完成）" if s.late else "") for s in self.goals if s.status in statuses]

    @property
    def headline(self) -> str:
        """'达标 5 / 8'."""
        return f"达标 {self.count('met')} / {len(self.goals)}"

    @property
    def lines(self) -> list[tuple[str, str]]:
        """(status key, text) lines under the headline: the goals not met by name, then the rest by count."""
        out = []
        if self.count("missed"):
            out.append(("missed", f"未达标 {self.count('missed')} 项：{'、'.join(self.named('missed'))}"))
        if self.count(*BEHIND):
            out.append(("off_track", f"滞后 {self.count(*BEHIND)} 项：{'、'.join(self.named(*BEHIND))}"))
        rest = [f"{STATUS_LABELS[k]} {self.count(k)}" for k in ("on_track", "pending", "no_data") if self.count(k)]
        if rest:
            out.append(("pending", " · ".join(rest)))
        if not out:
            out.append(("met", "全部达标"))
        return out


def by_deadline_year(statuses: list[TargetStatus], as_of: str) -> list[YearCount]:
    """One count per deadline year, in year order."""
    return [YearCount(year, as_of, due_in(statuses, year)) for year in deadline_years(statuses)]


def total_line(statuses: list[TargetStatus]) -> str:
    """'共 29 项目标：达标 18 · 未达标 11（其中逾期完成 1）' — every status that occurs, in the status order."""
    parts = [f"{label} {n}" for key, label in STATUS_LABELS.items() if (n := sum(s.status == key for s in statuses))]
    late = sum(s.late for s in statuses)
    return f"共 {len(statuses)} 项目标：" + " · ".join(parts) + (f"（其中逾期完成 {late}）" if late else "")


def plan_facts(catalog: Catalog, today: str) -> list[tuple[str, str]]:
    """The plan's own record, as the 目标清单 page lists it: what it is, who issued it and when, its period."""
    state = state_word(catalog, today)
    rows = [("规划", catalog.name), ("园区", catalog.park), ("发布机构", catalog.publisher),
            ("发布日期", catalog.published), ("文号", catalog.number or "（公开页面未载明）"),
            ("计划期", f"{month_of(month_index(catalog.start) + 1)} 至 {catalog.end}（{state}）"), ("上一期规划", catalog.previous),
            ("滞后容差", f"{catalog.lagging_tolerance:.0%}"), ("原文", catalog.source),
            ("目标清单文件", catalog.path.name if catalog.path else "")]
    return [(k, v) for k, v in rows if v]


def report_name(catalog: Catalog, as_of: str) -> str:
    """终期评估报告 from the plan's end on, else 中期评估报告: the report's title, its file and its button say so."""
    return "终期评估报告" if as_of >= catalog.end else "中期评估报告"


def ended_note(catalog: Catalog, as_of: str, today: str) -> str:
    """The overview's first line once the plan has ended: what the figures below are."""
    if state_word(catalog, today) != "已到期":
        return ""
    if as_of >= catalog.end:
        return f"本计划已于 {catalog.end} 到期，以下为终期结果。"
    return f"本计划已于 {catalog.end} 到期；以下为截至 {as_of} 的中期情况（终期结果请选截至月份 {catalog.end}）。"


def by_urgency(statuses: list[TargetStatus]) -> list[TargetStatus]:
    """Missed and off-track first, then lagging, no data, pending, on track, met."""
    return sorted(statuses, key=lambda s: URGENCY[s.status])


def goal_frame(statuses: list[TargetStatus]) -> pd.DataFrame:
    """The table view: 目标 · 期限 · 目标值 · 实际 · 完成情况 · 状态 · 数据期 (and the colour key, for the cell)."""
    return pd.DataFrame([{"目标": title, "期限": s.deadline, "目标值": target_text(s), "实际": value_text(s),
             "完成情况": achievement_text(s), "状态": status_word(s), "数据期": s.period or "—", "_key": status_key(s)}
            for s, title in zip(statuses, goal_titles(statuses))])


def pack(groups: list[tuple[str, list]], capacity: int) -> list[list[tuple[str, list]]]:
    """Whole groups into screens of at most `capacity` items, in order; a group larger than a screen is split.

    >>> [[(g, len(m)) for g, m in s] for s in pack([("a", [1] * 9), ("b", [1] * 4), ("c", [1] * 2)], 10)]
    [[('a', 9)], [('b', 4), ('c', 2)]]
    """
    screens: list[list[tuple[str, list]]] = []
    room = 0
    for name, members in groups:
        for start in range(0, len(members), capacity):
            part = members[start:start + capacity]
            if not screens or len(part) > room:
                screens.append([])
                room = capacity
            screens[-1].append((name, part))
            room -= len(part)
    return screens


def met_line(statuses: list[TargetStatus]) -> str:
    """'达标 6 / 9'."""
    return f"达标 {sum(s.status == 'met' for s in statuses)} / {len(statuses)}"


def clause_table(statuses: list[TargetStatus]) -> pd.DataFrame:
    return pd.DataFrame([{"目标": s.name, "期限": s.deadline, "状态": status_word(s), "条款": s.clause,
                          "责任单位": "、".join(s.departments), "说明": s.note or "—", "_key": status_key(s)}
                         for s in statuses])


def catalog_table(catalog: Catalog) -> pd.DataFrame:
    """Every goal of the plan with its clause, rule text, deadline and responsible units (codes stay internal)."""
    return pd.DataFrame([{
        "分组": t.group, "目标": t.name, "目标值": goal_text(t, g), "期限": g.deadline,
        "条款": t.clause, "计划原文": t.text, "责任单位": "、".join(t.departments),
    } for t in catalog.targets if t.is_tracked for g in t.goals])
