"""The read model: every reading the dashboard shows for one month, from one state of the store, under one plan.

One Readings per (store version, plan, as-of month, snapshot): the pages, the 督办 brief, the Word 终期评估, the
command line's reading commands and the warmer all read from it, and nothing else reads the store for them. Each
reading is a named member computed on first use and kept (`reading`: a lazy attribute; `reading_of`: one per
argument); the members share their work — the datasets are read once, the status rule builds its series once
(status.Judge), and the 督办 list and the tasks walk back month by month only as far as some run of 滞后 goes.
A Readings is shared across sessions by the UI's cache: its lazy members are guarded by one re-entrant lock.

A new reading is one member here. A dataset feeds the status rule by its declaration (store/datasets.py `status`)
and a catalog target's `source`; the months a reading can be as of are the datasets declared `months`.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import wraps

import pandas as pd

from cnpark import settings
from cnpark.plan.catalog import Catalog
from cnpark.plan.months import MONTH, default_month
from cnpark.rules import focus, forecast, ledger, reviews, scope
from cnpark.rules.project_check import Mismatch, mismatches
from cnpark.rules.projects import Pipeline, narrow, pipeline, project_frame
from cnpark.rules.scope import reporting_units
from cnpark.rules.series import data_month
from cnpark.rules.status import Judge, TargetStatus
from cnpark.rules.submissions import report_frame
from cnpark.rules.supervision import Item, behind_since, supervision_list
from cnpark.rules.tasks import Draft, TaskState, reports_frame, task_states, unit_drafts, with_since
from cnpark.store.datasets import PARK_AREA
from cnpark.store.manifest import next_number
from cnpark.store.snapshots import Entry, Store


@dataclass(frozen=True)
class Report:
    """A status reading: as of which month, from which state of the store, and whether it is sample data."""
    as_of: str
    snapshot: str | None      # the manifest entry the data is read as of (None: empty store)
    sample: bool
    statuses: list[TargetStatus]


def reading(fn: Callable, of_state: bool = False) -> property:
    """A named reading: computed on first use, under the Readings' lock, and kept. of_state: it does not depend on
    the month (a dataset, the months, the status rule's series): kept once for every month of the state."""
    return property(wraps(fn)(lambda self: self._keep(fn.__name__, fn, (), of_state)))


def reading_of(fn: Callable, of_state: bool = False) -> Callable:
    """A named reading with arguments (a dataset, a target, a filter): one kept per argument."""
    signature = inspect.signature(fn)

    @wraps(fn)
    def get(self, *args):
        bound = signature.bind(self, *args)
        bound.apply_defaults()          # projects() and projects("", "", "") are one reading
        return self._keep((fn.__name__, *bound.args[1:]), fn, bound.args[1:], of_state)
    return get


def state_reading(fn: Callable) -> property:
    """A reading of the state, not of the month: kept on the base, shared by every month read from it."""
    return reading(fn, of_state=True)


def state_reading_of(fn: Callable) -> Callable:
    """A reading of the state with arguments (a dataset by name), kept on the base."""
    return reading_of(fn, of_state=True)


@dataclass(frozen=True)
class Projects:
    """重点项目 narrowed by chain, area and unit (ALL = ""): the rows, their pipeline, the table of every project."""
    ledger: pd.DataFrame
    pipeline: Pipeline
    table: pd.DataFrame


class Readings:
    """Everything shown for one month of one state of the store under one plan (as_of None: the default month).

    base: the Readings of the same state and plan with no month asked, which keeps the readings of the state (the
    datasets, the months, the status rule's series) for every month read from it; by default a Readings is its own."""

    def __init__(self, store: Store, catalog: Catalog, as_of: str | None = None, at: str | None = None,
                 base: Readings | None = None):
        if as_of is not None and not MONTH.match(as_of):
            raise ValueError(f"截至月份应写成 YYYY-MM（如 2025-06），收到：{as_of}")
        if base is not None and (base.store is not store or base.catalog is not catalog or base.at != at):
            raise ValueError("base must read the same state under the same plan")
        self.store, self.catalog, self.at, self._asked = store, catalog, at, as_of
        self._base = base._base or base if base is not None else None     # always the root of the state
        self._lock = threading.RLock()
        self._kept: dict = {}

    def month(self, as_of: str) -> Readings:
        """The readings of another month of the same state, sharing this one's readings of the state (not kept)."""
        return Readings(self.store, self.catalog, as_of, self.at, self._base or self)

    # ------------------------------------------------------------------ the state read
    @state_reading
    def entries(self) -> list[Entry]:
        """Every manifest entry that is a version of the data (no 督查通报 number), oldest first."""
        return self.store.entries()

    @reading
    def notice(self) -> Entry | None:
        """The plan's 督查通报 of the month, when one has been issued (its 期号 is kept; docs/RULES.md "督查通报")."""
        return next((e for e in self.store.notices() if e.plan == self.catalog.code and e.month == self.as_of), None)

    @reading
    def notice_next(self) -> int:
        """The 期号 the month's 督查通报 takes when it is issued now (the one it has, if issued)."""
        return self.notice.number if self.notice else next_number(self.store.notices())

    @state_reading
    def months(self) -> list[str]:
        """Months with data in this state (the datasets declared `months`), latest first: the as-of choices."""
        return self.store.periods(self.at)

    @reading
    def as_of(self) -> str:
        """The month read: the one asked, else the latest with data (not after the plan's end), else this month."""
        return self._asked or default_month(self.months, self.catalog.end) or date.today().strftime("%Y-%m")

    @reading
    def snapshot(self) -> str | None:
        """The manifest entry the data is read as of (None: an empty store)."""
        return self.at or (self.entries[-1].id if self.entries else None)

    @reading
    def entry(self) -> Entry | None:
        return next((e for e in self.entries if e.id == self.snapshot), None)

    @state_reading
    def sample(self) -> bool:
        return self.store.is_sample(self.at)

    @state_reading_of
    def dataset(self, name: str) -> pd.DataFrame:
        """A dataset as it stands in this state (read once; for the readings below, not for pages)."""
        return self.store.read(name, self.at)

    @state_reading
    def log(self) -> list[Entry]:
        """The manifest's entries of this state (up to entry `at`): the uploads, rollbacks and reviews."""
        if self.at is None:
            return self.entries
        return self.entries[:next(i for i, e in enumerate(self.entries) if e.id == self.at) + 1]

    @state_reading_of
    def returned(self, name: str) -> set[tuple[str, str]]:
        """The units' months of a dataset the 督查室 returned and the unit has not resubmitted (rules/reviews.py)."""
        if not any(e.kind == "review" and e.decision == "returned" and e.dataset == name for e in self.log):
            return set()
        return reviews.returned(self.catalog, name, self.dataset(name), self.log)

    @state_reading_of
    def counted(self, name: str) -> pd.DataFrame:
        """A dataset's rows that count: a unit's month returned by the 督查室 left out until resubmitted."""
        return reviews.without(self.catalog, name, self.dataset(name), self.returned(name))

    def _reviewed(self) -> dict[str, pd.DataFrame]:
        return {name: self.dataset(name) for name in reviews.REVIEWED}

    @reading
    def review_states(self) -> list[reviews.Submission]:
        """Every report due for the month (each task unit's 工作进展, each project unit's rows, each reporter's
        指标数据) with its review state: 未报送, 待审核, 退回 (with the reason) or 已审核; when it was sent."""
        firsts = {name: self.first_uploads(name) for name in reviews.REVIEWED}
        return reviews.states(self.catalog, self._reviewed(), firsts, self.log, self.as_of,
                              int(settings.number("report_due_day")))

    @state_reading_of
    def has(self, name: str) -> bool:
        """Whether the dataset has any rows in this state."""
        return bool(len(self.dataset(name)))

    @reading_of
    def data_month(self, name: str) -> str | None:
        """The latest month a dataset has data for, up to the as-of month (series.data_month)."""
        return data_month(self.dataset(name), self.as_of)

    @state_reading_of
    def first_uploads(self, name: str) -> pd.DataFrame:
        """Each key of a dataset with the upload that first brought it (报送情况)."""
        return self.store.first_uploads(name, self.at)

    # ------------------------------------------------------------------ the targets
    @state_reading
    def judge(self) -> Judge:
        """The status rule over this state's declared inputs, its series built once."""
        inputs = self.store.read_for_status(self.at)
        for name, frame in inputs.items():          # a returned report of figures does not count
            if name in reviews.REVIEWED:
                inputs[name] = reviews.without(self.catalog, name, frame, self.returned(name))
        return Judge(self.catalog, inputs)

    @reading
    def report(self) -> Report:
        """The status of every goal as of the month."""
        return Report(self.as_of, self.snapshot, self.sample, self.judge.month(self.as_of))

    def _earlier(self) -> list[str]:
        return [m for m in self.months if m < self.as_of]      # latest first

    @reading
    def behind(self) -> list[Item]:
        """督办: the goals behind, with since when (each walked back only as far as its run of 滞后 goes)."""
        statuses = self.report.statuses
        return supervision_list(statuses, behind_since(statuses, self.as_of, self._earlier(), self.judge.status_at))

    # ------------------------------------------------------------------ 重点工作
    def _task_states(self, month: str, statuses: list[TargetStatus] | None = None) -> list[TaskState]:
        carried = {c for t in self.catalog.tasks for c in t.targets}
        statuses = statuses if statuses is not None else self.judge.month(month, carried)
        return task_states(self.catalog, self.counted("tasks"), statuses, month)

    @reading
    def tasks(self) -> list[TaskState]:
        """重点工作 as of the month, each behind task with since when (reports are due from the plan's first month)."""
        earlier: Iterator = ((m, self._task_states(m)) for m in self._earlier() if m > self.catalog.start)
        return with_since(self._task_states(self.as_of, self.report.statuses), self.as_of, earlier)

    @reading_of
    def task_history(self, number: int) -> pd.DataFrame:
        """A task's reports by unit and month, up to the month (the task's detail)."""
        task = next(t for t in self.catalog.tasks if t.number == number)
        return reports_frame(self.counted("tasks"), task, self.as_of)

    @reading_of
    def unit_month(self, unit: str) -> pd.DataFrame:
        """A unit's 工作进展 of the month beside the month before (what the 督查室 opens to review)."""
        return reviews.unit_month(self.catalog, self.dataset("tasks"), unit, self.as_of)

    @reading_of
    def unit_rows(self, unit: str, name: str) -> pd.DataFrame:
        """A unit's 重点项目台账 or 指标数据 of the month beside the month before (what the 督查室 opens)."""
        return reviews.unit_rows(self.catalog, name, self.dataset(name), unit, self.as_of)

    @reading_of
    def versions(self, unit: str) -> pd.DataFrame:
        """Every version a unit sent of its month (each upload holding its rows), with the 督查室's decisions."""
        # a month is reported from that month on: the uploads before it cannot hold its rows (and are not read)
        uploads = [e for e in self.log if e.kind == "upload" and e.dataset in reviews.REVIEWED
                   and e.uploaded_at[:7] >= self.as_of]
        return reviews.versions(self.catalog, self.log, {e.id: self.store.read_snapshot(e.id) for e in uploads},
                                unit, self.as_of)

    @reading_of
    def drafts(self, unit: str) -> list[Draft]:
        """A unit's 填报 form for the month: its tasks prefilled from its own last report (a returned one included:
        it is the unit's to correct)."""
        return unit_drafts(self.catalog, self.dataset("tasks"), unit, self.as_of)

    @reading_of
    def project_drafts(self, unit: str) -> pd.DataFrame:
        """A unit's 填报 rows of the 重点项目台账 for the month: each of its projects, prefilled (rules/scope.py)."""
        return scope.project_drafts(self.dataset("projects"), unit, self.as_of)

    @reading_of
    def figure_drafts(self, unit: str) -> pd.DataFrame:
        """A reporter's 填报 rows of 指标数据 for the month: each target it is the 数据来源单位 of (rules/scope.py)."""
        return scope.figure_drafts(self.catalog, self.dataset("indicators"), unit, self.as_of)

    @reading
    def submissions(self) -> pd.DataFrame:
        """报送情况: each unit's reports (工作进展, 项目台账, 指标数据) from the month tracking began to this month, on time
        or not (rules/submissions.py); a returned report is missing until resubmitted."""
        owed = reviews.owed_keys(self.catalog, self._reviewed(), self.as_of)
        came = {name: reviews.sent_days(self.catalog, name, self.counted(name), self.first_uploads(name), self.log)
                for name in owed}
        units = dict.fromkeys([*reporting_units(self.catalog), *(k[0] for keys in owed.values() for k in keys)])
        return report_frame(list(units), owed, came, int(settings.number("report_due_day")))

    # ------------------------------------------------------------------ 重点项目
    @reading
    def pipeline(self) -> Pipeline:
        """重点项目 of the whole park: the funnel, the four rates and a year earlier, the stalled."""
        return self.projects().pipeline

    @reading_of
    def projects(self, chain: str = "", area: str = "", unit: str = "") -> Projects:
        """重点项目 narrowed by chain, area and unit ("" = all)."""
        rows = self.counted("projects")
        narrowed = narrow(rows, self.catalog, chain, area, unit) if chain or area or unit else rows
        p = pipeline(narrowed, self.as_of, int(settings.number("stalled_months")),
                     settings.number("stalled_funding_share"))
        return Projects(narrowed, p, project_frame(p, narrowed, self.catalog, self.dataset("enterprises")))

    @reading_of
    def project_mismatches(self, chain: str = "", area: str = "", unit: str = "") -> list[Mismatch]:
        """Projects whose ledger stage disagrees with the enterprise list (数据不一致), narrowed as projects()."""
        p = self.projects(chain, area, unit).pipeline
        return mismatches(p.now, self.dataset("enterprises"), p.month)

    # ------------------------------------------------------------------ the focus pages
    @reading
    def chain_links(self) -> pd.DataFrame:
        """产业集群: every link of the plan's chains with its firms."""
        return focus.chain_links(self.dataset("enterprises"), self.as_of, self.catalog.chains)

    @reading
    def enterprise_period(self) -> str | None:
        return focus.enterprise_period(self.dataset("enterprises"), self.as_of)

    @reading_of
    def firms_by_year(self, code: str) -> pd.DataFrame:
        """A yearly-sum target (new 规上 firms) by year."""
        return focus.new_firms_by_year(self.dataset("indicators"), self.as_of, self.catalog, code)

    @reading_of
    def trajectory(self, code: str, area: str = PARK_AREA) -> forecast.Trajectory:
        """A target's readings, plan path and projection (park-wide or one area)."""
        return forecast.indicator_trajectory(self.dataset("indicators"), code, self.as_of, self.catalog, area,
                                             enterprises=self.dataset("enterprises"))

    @reading_of
    def capacity_by_firm(self, code: str) -> pd.DataFrame:
        return focus.enterprise_capacity(self.dataset("enterprises"), self.as_of, self.catalog[code].link)

    @reading_of
    def capacity_check(self, code: str) -> focus.CapacityCheck:
        """Whether the firms' capacities add up to the reported figure."""
        return focus.capacity_check(self.dataset("enterprises"), self.dataset("indicators"), self.as_of, self.catalog,
                                    code)

    @reading_of
    def by_industry(self, code: str) -> pd.DataFrame:
        """A rate by industry (the links of its chain), at year ends."""
        links = self.catalog.chain(self.catalog[code].chain).links
        return focus.industry_breakdown(self.dataset("indicators"), code, self.as_of, since=self.catalog.start,
                                        industries=links)

    # ------------------------------------------------------------------ 债务
    @reading
    def overdue(self) -> pd.DataFrame:
        """The overdue debts as of the month."""
        return ledger.overdue_items(self.dataset("debt"), self.as_of)

    @reading_of
    def resolution(self, code: str) -> pd.DataFrame:
        """Cumulative resolution against the plan, month by month."""
        return ledger.resolution_progress(self.dataset("debt"), self.dataset("indicators"), self.catalog[code],
                                          self.as_of)

    @reading
    def debt_balance(self) -> pd.DataFrame:
        return ledger.debt_balance_trend(self.dataset("debt"), self.as_of)

    @reading
    def new_debt(self) -> pd.DataFrame:
        return ledger.new_debt_by_year(self.dataset("debt"), self.as_of, self.catalog.start)

    @reading
    def maturities(self) -> pd.DataFrame:
        return ledger.maturities(self.dataset("debt"), self.as_of)

    def build(self, *names: str) -> None:
        """Compute these named readings now (the warmer)."""
        for name in names:
            getattr(self, name)

    # ------------------------------------------------------------------ derived by callers above this layer
    def derived(self, fn: Callable, *args):
        """fn(self, *args), computed once per Readings: what a layer above builds from a reading (the UI's gauge
        specs) is kept with it, not looked up again by key."""
        return self._keep((fn, *args), fn, args)

    def _keep(self, key, fn: Callable, args: tuple, of_state: bool = False):
        """fn(self, *args) under `key`: computed once, under the lock (a Readings is shared by every session); a
        reading of the state on the base."""
        if of_state and self._base is not None:
            return self._base._keep(key, fn, args)
        try:
            return self._kept[key]
        except KeyError:
            pass
        with self._lock:
            if key not in self._kept:
                self._kept[key] = fn(self, *args)
            return self._kept[key]
