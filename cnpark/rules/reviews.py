"""The 督查室's review of each unit's month (四(四)): 未报送, 待审核, 退回, 已审核 (docs/RULES.md "审核").

A unit's submission of a month is the latest upload that holds its rows of that month in the state read (the unit's
own report, or the office's on its behalf); the 督查室's latest decision on exactly that upload is its state.
A submitted or approved report counts at once; a returned one counts as not reported until the unit resubmits (a
new upload, which nobody has decided on yet). Pure: the rows (with their snapshot ids) and the manifest's entries in.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cnpark.plan.catalog import Catalog
from cnpark.plan.months import month_index, month_of
from cnpark.rules.tasks import units_of
from cnpark.store.manifest import Entry

STATES = {"not_reported": "未报送", "submitted": "待审核", "returned": "退回", "approved": "已审核"}
REVIEWED = ("tasks", "projects")            # the datasets a unit reports month by month


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

    @property
    def word(self) -> str:
        return STATES[self.state]


def owed(catalog: Catalog, projects: pd.DataFrame, month: str) -> list[tuple[str, str]]:
    """(unit, dataset) for every report due for the month: each task unit's 工作进展, each unit with a project in the
    ledger by then its 重点项目台账 rows."""
    out = [(u, "tasks") for u in units_of(catalog)]
    if len(projects):
        known = projects[projects["period"] <= month]
        out += [(str(u), "projects") for u in dict.fromkeys(known["unit"]) if isinstance(u, str) and u]
    return out


def _decisions(entries: list[Entry]) -> dict[tuple[str, str, str], Entry]:
    """The latest review of each (submission, unit, month)."""
    return {(e.target, e.unit, e.month): e for e in entries if e.kind == "review"}


def states(catalog: Catalog, frames: dict[str, pd.DataFrame], entries: list[Entry], month: str) -> list[Submission]:
    """Every report due for the month with its state. frames: the datasets as read (with snapshot_id and seq)."""
    by_id = {e.id: e for e in entries}
    decided = _decisions(entries)
    out = []
    for unit, dataset in owed(catalog, frames["projects"], month):
        rows = frames[dataset]
        mine = rows[(rows["unit"] == unit) & (rows["period"] == month)] if len(rows) else rows
        if not len(mine):
            out.append(Submission(unit, dataset, month, "not_reported"))
            continue
        sid = str(mine.loc[mine["seq"].idxmax(), "snapshot_id"])
        e, review = by_id[sid], decided.get((sid, unit, month))
        state = "submitted" if review is None else review.decision
        out.append(Submission(unit, dataset, month, state, sid, e.uploaded_at, e.user,
                              review.reason if review and review.decision == "returned" else "",
                              review.user if review else ""))
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


def counted(rows: pd.DataFrame, dataset: str, entries: list[Entry]) -> pd.DataFrame:
    """The rows that count: a unit's rows of a month whose submission (their latest upload) was returned are left
    out until the unit resubmits."""
    if dataset not in REVIEWED or not len(rows):
        return rows
    returned = {(e.target, e.unit, e.month) for e in _decisions(entries).values() if e.decision == "returned"}
    if not returned:
        return rows
    latest = rows.groupby(["unit", "period"])["seq"].transform("max")
    submission = rows["snapshot_id"].where(rows["seq"] == latest).groupby([rows["unit"], rows["period"]]).transform("first")
    keep = [(s, u, p) not in returned for s, u, p in zip(submission, rows["unit"], rows["period"])]
    return rows[keep]
