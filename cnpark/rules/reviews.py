"""The 督查室's review of each unit's month (四(四)): 未报送, 待审核, 退回, 已审核 (docs/RULES.md "审核").

What a unit owes each month: its 工作进展 (every task unit), its 重点项目台账 rows (a unit with a project in the ledger
by then), its 指标数据 (a target's 数据来源单位: every December, and every month but January for a target reported
monthly, once any indicator has been reported). A unit's submission of a month is the latest upload that holds its
rows of that month (the unit's own report, or the office's on its behalf); the 督查室's latest decision on exactly
that upload is its state. A submitted or approved report counts at once; a returned one counts as not reported until
the unit resubmits (a new upload, which nobody has decided on yet). Pure: the rows (with their snapshot ids) and the
manifest's entries in.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cnpark.plan.catalog import Catalog
from cnpark.plan.months import month_index, month_of
from cnpark.rules.display import format_figure
from cnpark.rules.scope import owes_figure, row_units
from cnpark.rules.submissions import due_date, row_days
from cnpark.rules.tasks import units_of
from cnpark.store.datasets import DATASET_NAMES
from cnpark.store.manifest import Entry

STATES = {"not_reported": "未报送", "submitted": "待审核", "returned": "退回", "approved": "已审核"}
REVIEWED = ("tasks", "projects", "indicators")      # the datasets units report month by month


@dataclass(frozen=True)
class Submission:
    unit: str
    dataset: str
    month: str
    state: str                  # a key of STATES
    entry: str = ""             # the upload that is the submission ('' when not reported)
    at: str = ""                # when it came in
    by: str = ""                # who stored it (the unit, or an analyst for it)
    reason: str = ""            # a return's reason
    decided_by: str = ""
    sent: str = ""              # the day it counts as sent (rules/submissions.py), '' when not reported
    due: str = ""               # the last day it is on time

    @property
    def word(self) -> str:
        return STATES[self.state]

    @property
    def late(self) -> bool:
        """Sent after its due day (a report not sent is not late: it is missing)."""
        return bool(self.sent) and self.sent > self.due


def indicator_reporters(catalog: Catalog, month: str) -> list[str]:
    """The 数据来源单位 that owe 指标数据 for the month (scope.owes_figure)."""
    return list(dict.fromkeys(t.reporter for t in catalog.targets if owes_figure(t, month)))


def _tracked(frame: pd.DataFrame, month: str) -> bool:
    return bool(len(frame)) and bool((frame["period"] <= month).any())


def owed(catalog: Catalog, frames: dict[str, pd.DataFrame], month: str) -> list[tuple[str, str]]:
    """(unit, dataset) for every report due for the month: each task unit's 工作进展; each unit with a project in the
    ledger by then, its 重点项目台账 rows; once indicators are reported at all, each reporter owing the month."""
    out = [(u, "tasks") for u in units_of(catalog)]
    projects = frames["projects"]
    if len(projects):
        known = projects[projects["period"] <= month]
        out += [(str(u), "projects") for u in dict.fromkeys(known["unit"]) if isinstance(u, str) and u]
    if _tracked(frames["indicators"], month):
        out += [(u, "indicators") for u in indicator_reporters(catalog, month)]
    return out


def owed_keys(catalog: Catalog, frames: dict[str, pd.DataFrame], as_of: str) -> dict[str, list[tuple]]:
    """报送情况's reports due, by dataset, from the first month the dataset has rows (tracking began) to the month:
    工作进展 one (unit, month, task) per task and unit; the others one (unit, month) per unit owing the month."""
    out: dict[str, list[tuple]] = {}
    for dataset in REVIEWED:
        periods = [p for p in frames[dataset]["period"] if p <= as_of] if len(frames[dataset]) else []
        months = [month_of(i) for i in range(month_index(min(periods)), month_index(as_of) + 1)] if periods else []
        keys: list[tuple] = []
        for m in months:
            units = [u for u, d in owed(catalog, frames, m) if d == dataset]
            if dataset == "tasks":
                keys += [(u, m, t.number) for u in units for t in catalog.tasks if u in t.units]
            else:
                keys += [(u, m) for u in units]
        out[dataset] = keys
    return out


def _decisions(entries: list[Entry]) -> dict[tuple[str, str, str], Entry]:
    """The latest review of each (submission, unit, month)."""
    return {(e.target, e.unit, e.month): e for e in entries if e.kind == "review"}


def submissions_of(catalog: Catalog, dataset: str, rows: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(unit, month) → its submission: the latest upload holding the unit's rows of the month."""
    if not len(rows):
        return {}
    frame = pd.DataFrame({"unit": row_units(catalog, dataset, rows).to_numpy(), "period": rows["period"].to_numpy(),
                          "seq": rows["seq"].to_numpy(), "sid": rows["snapshot_id"].to_numpy()})
    latest = frame.sort_values("seq").groupby(["unit", "period"]).tail(1)
    return {(u, p): str(sid) for u, p, sid in zip(latest["unit"], latest["period"], latest["sid"]) if u}


def returned(catalog: Catalog, dataset: str, rows: pd.DataFrame, entries: list[Entry]) -> set[tuple[str, str]]:
    """The units' months (of a dataset) whose submission the 督查室 returned: not counted until resubmitted."""
    sent_back = {k for k, e in _decisions(entries).items() if e.decision == "returned" and e.dataset == dataset}
    if not sent_back:
        return set()
    return {(u, m) for (u, m), sid in submissions_of(catalog, dataset, rows).items() if (sid, u, m) in sent_back}


def resent(catalog: Catalog, dataset: str, rows: pd.DataFrame, entries: list[Entry]) -> dict[tuple[str, str], str]:
    """(unit, month) → the day of its submission, for the months resubmitted after a return (the return's upload is
    not the submission any more): the day the report counts as sent."""
    sent_back = {(e.unit, e.month) for e in entries
                 if e.kind == "review" and e.decision == "returned" and e.dataset == dataset}
    if not sent_back:
        return {}
    decided_on = {(e.target, e.unit, e.month) for e in entries if e.kind == "review"}
    day = {e.id: e.uploaded_at[:10] for e in entries}
    return {(u, m): day[sid] for (u, m), sid in submissions_of(catalog, dataset, rows).items()
            if (u, m) in sent_back and (sid, u, m) not in decided_on}


def without(catalog: Catalog, dataset: str, rows: pd.DataFrame, months: set[tuple[str, str]]) -> pd.DataFrame:
    """The rows that count: those of the units' `months` (returned) left out."""
    if not months or not len(rows):
        return rows
    keep = [(u, p) not in months for u, p in zip(row_units(catalog, dataset, rows), rows["period"])]
    return rows[keep]


def sent_days(catalog: Catalog, dataset: str, rows: pd.DataFrame, first: pd.DataFrame,
              entries: list[Entry]) -> dict[tuple, str]:
    """The day each report that came was sent (rows: those that count): 工作进展 by (unit, month, task), the others
    by (unit, month) — a unit's month the first day any of its rows was sent."""
    if not len(rows):
        return {}
    units = row_units(catalog, dataset, rows)
    days = row_days(dataset, rows, units, first, resent(catalog, dataset, rows, entries))
    if dataset == "tasks":
        return {(u, p, int(t)): d for u, p, t, d in zip(units, rows["period"], rows["task"], days)}
    return earliest({(u, p, i): d for i, (u, p, d) in enumerate(zip(units, rows["period"], days)) if u})


def earliest(days: dict[tuple, str]) -> dict[tuple[str, str], str]:
    """(unit, month) → the first day any of its reports (keyed (unit, month, …)) was sent."""
    out: dict[tuple[str, str], str] = {}
    for k, d in days.items():
        if d and (not out.get(k[:2]) or d < out[k[:2]]):
            out[k[:2]] = d
    return out


def states(catalog: Catalog, frames: dict[str, pd.DataFrame], firsts: dict[str, pd.DataFrame], entries: list[Entry],
           month: str, day: int) -> list[Submission]:
    """Every report due for the month with its state. frames: the datasets as read (with snapshot_id and seq);
    firsts: store.first_uploads of each; day: report_due_day."""
    by_id = {e.id: e for e in entries}
    decided = _decisions(entries)
    subs = {d: submissions_of(catalog, d, frames[d]) for d in REVIEWED}
    days: dict[str, dict[tuple[str, str], str]] = {}
    out = []
    for unit, dataset in owed(catalog, frames, month):
        sid = subs[dataset].get((unit, month))
        due = due_date(month, day)
        if sid is None:
            out.append(Submission(unit, dataset, month, "not_reported", due=due))
            continue
        if dataset not in days:
            days[dataset] = earliest(sent_days(catalog, dataset, frames[dataset], firsts[dataset], entries))
        sent = days[dataset].get((unit, month), "")
        e, review = by_id[sid], decided.get((sid, unit, month))
        state = "submitted" if review is None else review.decision
        out.append(Submission(unit, dataset, month, state, sid, e.uploaded_at, e.user,
                              review.reason if review and review.decision == "returned" else "",
                              review.user if review else "", sent, due))
    return out


def unit_month(catalog: Catalog, reports: pd.DataFrame, unit: str, month: str) -> pd.DataFrame:
    """A unit's 工作进展 of the month beside the month before, for the 督查室 to open: 任务 · 上月状态 · 本月状态 ·
    进展情况 · 存在问题 · 下步打算 (only the tasks it reported this month)."""
    columns = ["任务", "上月状态", "本月状态", "进展情况", "存在问题", "下步打算"]
    mine = reports[reports["unit"] == unit] if len(reports) else reports
    if not len(mine):
        return pd.DataFrame(columns=columns)
    before = month_of(month_index(month) - 1)
    last = {int(r.task): r.state for r in mine[mine["period"] == before].itertuples(index=False)}
    labels = {t.number: t.label for t in catalog.tasks}
    rows = [[labels.get(int(r.task), f"第{int(r.task)}条"), last.get(int(r.task), "未报送"), r.state, r.progress or "—",
             r.problems or "—", r.next_steps or "—"]
            for r in mine[mine["period"] == month].sort_values("task").itertuples(index=False)]
    return pd.DataFrame(rows, columns=columns)


def versions(catalog: Catalog, entries: list[Entry], snapshots: dict[str, pd.DataFrame], unit: str,
             month: str) -> pd.DataFrame:
    """Every version of a unit's month — each upload that held its rows of the month (snapshots: the uploads' own
    rows, by id), oldest first — with the 督查室's decisions on it: 记录 · 报送内容 · 提交时间 · 提交人 · 行数 · 审核."""
    decided: dict[str, list[Entry]] = {}
    for e in entries:
        if e.kind == "review" and e.unit == unit and e.month == month:
            decided.setdefault(e.target, []).append(e)
    out = []
    for e in entries:
        rows = snapshots.get(e.id)
        if e.kind != "upload" or rows is None or not len(rows):
            continue
        mine = (row_units(catalog, e.dataset, rows) == unit) & (rows["period"] == month)
        if not mine.any():
            continue
        words = [f"{STATES[d.decision]}（{d.user or '—'}，{d.uploaded_at[:16].replace('T', ' ')}"
                 + (f"：{d.reason}" if d.reason else "") + "）" for d in decided.get(e.id, [])]
        out.append([e.id, DATASET_NAMES[e.dataset], e.uploaded_at[:16].replace("T", " "), e.user or "—", int(mine.sum()),
                    "；".join(words) or "—"])
    return pd.DataFrame(out, columns=["记录", "报送内容", "提交时间", "提交人", "行数", "审核"])


def unit_rows(catalog: Catalog, dataset: str, rows: pd.DataFrame, unit: str, month: str) -> pd.DataFrame:
    """A unit's 重点项目台账 or 指标数据 of the month beside the month before, for the 督查室 to open."""
    if not len(rows):
        return pd.DataFrame()
    before = month_of(month_index(month) - 1)
    mine = rows[row_units(catalog, dataset, rows) == unit]
    now, last = mine[mine["period"] == month], mine[mine["period"] == before]
    if dataset == "projects":
        prev = {r.project_id: r for r in last.itertuples(index=False)}
        out = []
        for r in now.sort_values("project_id").itertuples(index=False):
            p = prev.get(r.project_id)
            out.append([r.project_id, r.name, getattr(p, "stage", "—") if p is not None else "—", r.stage,
                        _num(p.funded) if p is not None else "—", _num(r.funded), _num(r.year_done), r.note or ""])
        return pd.DataFrame(out, columns=["项目编号", "项目名称", "上月阶段", "本月阶段", "上月累计到位资金(万元)",
                                          "本月累计到位资金(万元)", "本年累计完成投资(万元)", "备注"])
    names = {t.code: t for t in catalog.targets}
    prev = {(r.indicator, r.area): r.value for r in last.itertuples(index=False)}
    out = [[names[r.indicator].name if r.indicator in names else r.indicator, r.area or "全园区",
            _num(prev.get((r.indicator, r.area))), _num(r.value), names[r.indicator].unit if r.indicator in names else "",
            r.note or ""] for r in now.sort_values("indicator").itertuples(index=False)]
    return pd.DataFrame(out, columns=["指标", "片区", "上月数值", "本月数值", "单位", "备注"])


def _num(value) -> str:
    """A stored figure as pages show it (display.format_figure); '—' for a missing one."""
    return format_figure(None if value is None or pd.isna(value) else float(value))
