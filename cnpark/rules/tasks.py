"""重点工作: the state of each of the plan's tasks (三、主要任务) by responsible unit, for an as-of month. One rule, used
by the page, the 督办 list, the brief and the CLI (docs/RULES.md "重点工作怎么判"). Pure: frames and statuses in, states out.

For an as-of month A:
  * a unit's state of a task is its report for month A (the latest upload wins per task, unit and month), or
    未报送 when it sent none for A;
  * the task is 滞后 when any unit reports 滞后, or when a target the task carries (the catalog's `targets`) is past its
    deadline and missed (a milestone done late, 逾期完成, is done and no longer holds the task back);
    otherwise 已完成 when every named unit reports 已完成; 未报送 when no unit reported; 未启动 when every unit that
    reported says 未启动; else 推进中.
  * since when a task is 滞后 (or 未报送): the first month of the unbroken run of months in that same state up to A,
    among the months after the plan's start that have any data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from cnpark.plan.catalog import Catalog, Task
from cnpark.rules.display import status_word
from cnpark.rules.status import TargetStatus

STATES = ("done", "in_progress", "lagging", "not_started", "not_reported")
WORDS = {"done": "已完成", "in_progress": "推进中", "lagging": "滞后", "not_started": "未启动", "not_reported": "未报送"}
_OF_WORD = {word: key for key, word in WORDS.items()}
# The page's status colours (charts.STATUS_COLORS keys): 未报送 is orange, a thing the 督查室 follows up.
COLOUR_KEYS = {"done": "met", "in_progress": "on_track", "lagging": "off_track", "not_started": "pending",
               "not_reported": "lagging"}
BEHIND = ("lagging", "not_reported")


@dataclass(frozen=True)
class UnitReport:
    unit: str
    state: str                  # a key of STATES
    period: str | None          # the month reported (None: 未报送)
    progress: str = ""
    problems: str = ""
    next_steps: str = ""

    @property
    def word(self) -> str:
        return WORDS[self.state]


@dataclass(frozen=True)
class TaskState:
    task: Task
    state: str                              # a key of STATES
    units: tuple[UnitReport, ...]
    missed: tuple[TargetStatus, ...] = ()   # the commitments it carries that are past their deadline and missed
    since: str | None = None                # lagging or not reported: since which month

    @property
    def word(self) -> str:
        return WORDS[self.state]


def _task_state(units: tuple[UnitReport, ...], missed: tuple) -> str:
    states = [u.state for u in units]
    reported = [s for s in states if s != "not_reported"]
    if "lagging" in states or missed:
        return "lagging"
    if states and all(s == "done" for s in states):
        return "done"
    if not reported:
        return "not_reported"
    if all(s == "not_started" for s in reported):
        return "not_started"
    return "in_progress"


def task_states(catalog: Catalog, reports: pd.DataFrame, statuses: list[TargetStatus], as_of: str) -> list[TaskState]:
    """Every task of the plan as of month `as_of`: its state, each unit's report, the commitments it has missed.
    `reports`: the tasks dataset (latest-wins rows); `statuses`: the targets' statuses as of the same month."""
    month = reports[reports["period"] == as_of] if len(reports) else reports
    by_key = {(int(r.task), r.unit): r for r in month.itertuples(index=False)} if len(month) else {}
    out = []
    for task in catalog.tasks:
        units = []
        for unit in task.units:
            r = by_key.get((task.number, unit))
            units.append(UnitReport(unit, "not_reported", None) if r is None else
                         UnitReport(unit, _OF_WORD.get(r.state, "in_progress"), r.period, r.progress or "",
                                    r.problems or "", r.next_steps or ""))
        missed = tuple(s for s in statuses if s.code in task.targets and s.status == "missed" and not s.late
                       and s.deadline <= as_of)
        out.append(TaskState(task, _task_state(tuple(units), missed), tuple(units), missed))
    return out


def with_since(now: list[TaskState], month: str, earlier: Iterable[tuple[str, list[TaskState]]]) -> list[TaskState]:
    """`now` (the states as of `month`), each lagging or unreported task with the first month of its unbroken run of
    months in that same state. earlier: (month, states) latest first, read lazily: the walk back stops as soon as
    every run has ended, so a month no run reaches is never judged."""
    open_ = {i for i, state in enumerate(now) if state.state in BEHIND}
    since = dict.fromkeys(open_, month)
    for m, states in earlier:
        if not open_:
            break
        for i in list(open_):
            if states[i].state != now[i].state:
                open_.discard(i)
            else:
                since[i] = m
    return [TaskState(s.task, s.state, s.units, s.missed, since.get(i)) for i, s in enumerate(now)]


def for_unit(states: list[TaskState], unit: str | None) -> list[TaskState]:
    """The tasks that name `unit`, with only that unit's report (all of them when unit is None)."""
    if not unit:
        return states
    return [TaskState(s.task, s.state, tuple(u for u in s.units if u.unit == unit), s.missed, s.since)
            for s in states if unit in s.task.units]


def units_of(catalog: Catalog) -> list[str]:
    """Every unit any task names, in the order the plan first names them."""
    return list(dict.fromkeys(u for t in catalog.tasks for u in t.units))


def counts(states: list[TaskState]) -> dict[str, int]:
    """Per task: how many tasks are in each state."""
    return {key: sum(s.state == key for s in states) for key in STATES}


def unit_counts(states: list[TaskState]) -> dict[str, int]:
    """Per task and unit (the matrix's cells; after for_unit, that unit's own reports): how many in each state."""
    return {key: sum(u.state == key for s in states for u in s.units) for key in STATES}


def count_lines(states: list[TaskState], unit: str | None = None) -> list[tuple[str, str, dict[str, int]]]:
    """The counts, each with what it counts (label, note, counts): the tasks by their state and the units' reports by
    theirs (the matrix's cells); for one unit (states from for_unit) its own reports first, then the state of the
    tasks it carries."""
    reports, tasks = unit_counts(states), counts(states)
    if unit:
        return [(f"本单位报送 {sum(reports.values())} 项", f"{unit}对所承担各任务的本月报送", reports),
                (f"所承担任务 {len(states)} 项", "这些任务的任务状态（含其他责任单位的报送）", tasks)]
    return [(f"任务 {len(states)} 项", "每条任务一个任务状态", tasks),
            (f"单位报送 {sum(reports.values())} 项", "每条任务的每个责任单位一项，即下表各格", reports)]


def count_text(lines: list[tuple[str, str, dict[str, int]]]) -> str:
    """The counts in one line: '任务 21 项：已完成 7 · 推进中 7 …；单位报送 123 项：… 未报送 4'."""
    return "；".join(f"{label}：" + " · ".join(f"{WORDS[k]} {n[k]}" for k in STATES) for label, _, n in lines)


def late_notes(statuses: list[TargetStatus]) -> list[str]:
    """The commitments a task carries that were done after their deadline, in words: '所承载的“规划环评及总体规划审批”
    逾期完成（完成于 2023-11，期限 2023-09）' (done, so they no longer hold the task back; their gauges say 未达标)."""
    return [f"所承载的“{s.name}”{status_word(s)}（完成于 {s.period}，期限 {s.deadline}）" for s in statuses if s.late]


# ------------------------------------------------------------------------------------ tables

NOT_NAMED = ""          # a matrix cell of a unit the task does not name


def sections(states: list[TaskState]) -> list[tuple[str, list[TaskState]]]:
    """The tasks by the plan's engineering sections, in order."""
    out: dict[str, list[TaskState]] = {}
    for s in states:
        out.setdefault(s.task.section, []).append(s)
    return list(out.items())


def matrix_frame(states: list[TaskState]) -> pd.DataFrame:
    """Tasks × units: 任务 · 状态 · one column per unit the tasks name (its word; '' where the task does not name it)."""
    units = list(dict.fromkeys(u.unit for s in states for u in s.units))
    rows = []
    for s in states:
        mine = {u.unit: u.word for u in s.units}
        rows.append({"任务": s.task.label, "状态": s.word, **{u: mine.get(u, NOT_NAMED) for u in units}})
    return pd.DataFrame(rows, columns=["任务", "状态", *units])


def unit_frame(states: list[TaskState], unit: str) -> pd.DataFrame:
    """One unit's own list: each task naming it, the unit's report and the task's state."""
    rows = []
    for s in states:
        mine = next(u for u in s.units if u.unit == unit)
        rows.append({"任务": s.task.label, "本单位": mine.word, "任务状态": s.word, "进展情况": mine.progress or "—",
                     "存在问题": mine.problems or "—", "下步打算": mine.next_steps or "—"})
    return pd.DataFrame(rows, columns=["任务", "本单位", "任务状态", "进展情况", "存在问题", "下步打算"])


def reports_frame(reports: pd.DataFrame, task: Task, as_of: str) -> pd.DataFrame:
    """Every report on a task up to as_of, latest month first: 月份 · 责任单位 · 完成状态 · 进展情况 · 存在问题 · 下步打算."""
    rows = reports[(reports["task"] == task.number) & (reports["period"] <= as_of)] if len(reports) else reports
    order = {u: i for i, u in enumerate(task.units)}
    rows = sorted(rows.itertuples(index=False), key=lambda r: (-int(r.period.replace("-", "")), order.get(r.unit, 99)))
    return pd.DataFrame([{"月份": r.period, "责任单位": r.unit, "完成状态": r.state, "进展情况": r.progress or "—",
                          "存在问题": r.problems or "—", "下步打算": r.next_steps or "—"} for r in rows],
                        columns=["月份", "责任单位", "完成状态", "进展情况", "存在问题", "下步打算"])


def latest_frame(state: TaskState, reports: pd.DataFrame) -> pd.DataFrame:
    """Each unit of a task: its state this month and its latest report up to this month (which may be earlier, when
    it has not reported this month). `reports`: reports_frame rows, latest month first."""
    latest = {}
    for r in reports.itertuples(index=False):
        latest.setdefault(r.责任单位, r)
    rows = []
    for u in state.units:
        r = latest.get(u.unit)
        rows.append({"责任单位": u.unit, "本单位": u.word, "最近报送": r.月份 if r else "—",
                     "进展情况": r.进展情况 if r else "—", "存在问题": r.存在问题 if r else "—",
                     "下步打算": r.下步打算 if r else "—"})
    return pd.DataFrame(rows, columns=["责任单位", "本单位", "最近报送", "进展情况", "存在问题", "下步打算"])


def behind_units(s: TaskState) -> list[UnitReport]:
    """The units a task behind is followed up with (docs/RULES.md "重点工作怎么判", 督办): those that reported 滞后 or did
    not report; every unit when it is behind only through a missed commitment."""
    return [u for u in s.units if u.state in BEHIND] or list(s.units)


def behind_frame(states: list[TaskState]) -> pd.DataFrame:
    """督办: the tasks 滞后 or 未报送, by unit — 责任单位 · 任务 · 单位状态 · 任务状态 · 自何时起 · 原因 — each task under every unit
    that reported 滞后 or did not report (a task behind only through a missed commitment: under all its units)."""
    rows = []
    for s in states:
        if s.state not in BEHIND:
            continue
        units = behind_units(s)
        reason = "；".join(f"{m.name}（期限 {m.deadline}）未达标" for m in s.missed)
        for u in units:
            rows.append({"责任单位": u.unit, "任务": s.task.label, "单位状态": u.word, "任务状态": s.word,
                         "自何时起": s.since or "—", "原因": reason or (u.problems or "—")})
    frame = pd.DataFrame(rows, columns=["责任单位", "任务", "单位状态", "任务状态", "自何时起", "原因"])
    return frame.sort_values("责任单位", kind="stable").reset_index(drop=True) if len(frame) else frame


@dataclass(frozen=True)
class Draft:
    """What a unit's 填报 form starts from for one task: this month's report when there is one, else its last report's
    words (the state to be chosen again: a month's state is that month's)."""
    task: Task
    state: str                  # a TASK_STATES word, or '' (to choose)
    progress: str = ""
    problems: str = ""
    next_steps: str = ""
    since: str = ""             # the month the words come from ('' : nothing reported yet)


def unit_drafts(catalog: Catalog, reports: pd.DataFrame, unit: str, month: str) -> list[Draft]:
    """Every task the plan gives `unit`, prefilled from its report of `month`, else from its latest earlier one."""
    mine = reports[(reports["unit"] == unit) & (reports["period"] <= month)] if len(reports) else reports
    latest = {int(r.task): r for r in mine.sort_values("period").itertuples(index=False)} if len(mine) else {}
    out = []
    for task in catalog.tasks:
        if unit not in task.units:
            continue
        r = latest.get(task.number)
        if r is None:
            out.append(Draft(task, ""))
            continue
        words = (r.progress or "", r.problems or "", r.next_steps or "")
        out.append(Draft(task, r.state if r.period == month else "", *words, r.period))
    return out
