"""The cache layer: every read a page makes, cached per data version.

A run reads the store's version once (Data.now(), done by ui.page) and every read of that run goes through that
one Data, so everything a run shows comes from one state of the store. The version is part of every cache key: an
accepted upload or a rollback changes it, so no read is stale, and while nothing changes a rerun touches no file
but the manifest's stat. The warmer (ui/warm.py) fills exactly these entries, through the same Data.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit import dataframe_util

from cnpark import settings
from cnpark.outputs.charts import gauge_specs
from cnpark.plan.catalog import Catalog
from cnpark.plan.plans import Plans, load_plans, stamp
from cnpark.rules.projects import Pipeline
from cnpark.rules.supervision import Item
from cnpark.rules.tasks import TaskState
from cnpark.service.uploads import Report, behind_list, data_months, read_pipeline, read_report, read_tasks
from cnpark.store.snapshots import Entry, Store


@st.cache_resource(show_spinner=False)
def _store(root: str) -> Store:
    return Store(root)


@st.cache_resource(show_spinner=False, max_entries=4)
def _plans(extra: str, files: tuple) -> Plans:
    return load_plans(extra)


def get_store() -> Store:
    """The process-wide store (one DuckDB connection per process; a cursor per query)."""
    return _store(str(settings.path("data_dir")))


def get_plans() -> Plans:
    """Every plan of the installation, reloaded when a catalog file is added, changed or removed."""
    extra = settings.get("plans")
    return _plans(extra, stamp(extra))


def get_catalog() -> Catalog:
    """The plan this run shows: ?plan= (the sidebar's selector), else the plan in force today, else the latest ended."""
    return get_plans().pick(st.query_params.get("plan"))


def _catalog(plan: tuple[str, int]) -> Catalog:
    return get_plans().get(plan[0])


@st.cache_data(show_spinner=False, max_entries=256)
def _report(root: str, version: tuple[int, int], plan: tuple[str, int], as_of: str | None, at: str | None) -> Report:
    return read_report(_store(root), _catalog(plan), as_of, at)


@st.cache_data(show_spinner=False, max_entries=64)
def _months(root: str, version: tuple[int, int], at: str | None) -> list[str]:
    return data_months(_store(root), at)


@st.cache_data(show_spinner=False, max_entries=16)
def _entries(root: str, version: tuple[int, int]) -> list[Entry]:
    return _store(root).entries()


@st.cache_data(show_spinner=False, max_entries=64)
def _read(root: str, version: tuple[int, int], dataset: str, at: str | None) -> pd.DataFrame:
    return _store(root).read(dataset, at)


@st.cache_data(show_spinner=False, max_entries=64)
def _gauge_specs(root: str, version: tuple[int, int], plan: tuple[str, int], as_of: str, at: str | None, size: int) -> dict[tuple, dict]:
    return gauge_specs(_report(root, version, plan, as_of, at).statuses, size)


@st.cache_data(show_spinner=False, max_entries=64)
def _gauge_arrow(root: str, version: tuple[int, int], plan: tuple[str, int], as_of: str, at: str | None, size: int) -> dict[tuple, dict]:
    specs = {k: dict(v) for k, v in _gauge_specs(root, version, plan, as_of, at, size).items()}
    for spec in specs.values():
        spec["datasets"] = {name: dataframe_util.convert_anything_to_arrow_bytes(rows)
                            for name, rows in spec["datasets"].items()}
    return specs


@st.cache_data(show_spinner=False, max_entries=32)
def _behind(root: str, version: tuple[int, int], plan: tuple[str, int], as_of: str, at: str | None) -> list[Item]:
    return behind_list(_store(root), _catalog(plan), as_of, at)


@st.cache_data(show_spinner=False, max_entries=32)
def _tasks(root: str, version: tuple[int, int], plan: tuple[str, int], as_of: str, at: str | None) -> list[TaskState]:
    return read_tasks(_store(root), _catalog(plan), as_of, at)


@st.cache_data(show_spinner=False, max_entries=32)
def _pipeline(root: str, version: tuple[int, int], plan: tuple[str, int], as_of: str, at: str | None) -> Pipeline:
    return read_pipeline(_store(root), _catalog(plan), as_of, at)


@st.cache_data(show_spinner=False, max_entries=16)
def _first(root: str, version: tuple[int, int], dataset: str, at: str | None) -> pd.DataFrame:
    return _store(root).first_uploads(dataset, at)


@dataclass(frozen=True)
class Data:
    """One state of the store as a run sees it, under one plan: the store's root, the version read once, the plan's
    code and the edition of the plan files (so an edited catalog is never read from the caches of the one before)."""
    root: str
    version: tuple[int, int]
    plan: str = ""
    edition: int = 0

    @classmethod
    def now(cls, plan: str | None = None) -> Data:
        """The store as it is now, read under the plan with this code (default: plans.Plans.default)."""
        store, extra = get_store(), settings.get("plans")
        files = stamp(extra)
        return cls(str(store.root), store.version(), _plans(extra, files).pick(plan).code, hash(files))

    @property
    def key(self) -> tuple[str, int]:
        """The plan as the cached reads are keyed: its code and the files' edition."""
        return self.plan, self.edition

    @property
    def catalog(self) -> Catalog:
        return _catalog(self.key)

    def report(self, as_of: str | None, at: str | None) -> Report:
        """The status of every goal as of a month, in the state after entry `at`."""
        return _report(self.root, self.version, self.key, as_of, at)

    def months(self, at: str | None) -> list[str]:
        """Months with data, latest first."""
        return _months(self.root, self.version, at)

    def entries(self) -> list[Entry]:
        return _entries(self.root, self.version)

    def read(self, dataset: str, at: str | None) -> pd.DataFrame:
        return _read(self.root, self.version, dataset, at)

    def specs(self, as_of: str, at: str | None, size: int) -> dict[tuple, dict]:
        """Every gauge's Vega-Lite spec for a view, built once: the pages draw them and the brief's download reuses
        them."""
        return _gauge_specs(self.root, self.version, self.key, as_of, at, size)

    def arrow_specs(self, as_of: str, at: str | None, size: int) -> dict[tuple, dict]:
        """The same specs with their datasets as Arrow bytes, once: given lists, Streamlit converts them again on
        every run of every session (the largest share of the server's time with 30 viewers; docs/RELIABILITY.md)."""
        return _gauge_arrow(self.root, self.version, self.key, as_of, at, size)

    def tasks(self, as_of: str, at: str | None) -> list[TaskState]:
        """重点工作: every task's state by unit as of a month, with since when (cnpark/rules/tasks.py)."""
        return _tasks(self.root, self.version, self.key, as_of, at)

    def pipeline(self, as_of: str, at: str | None) -> Pipeline:
        """重点项目 as of a month, the whole park (cnpark/rules/projects.py)."""
        return _pipeline(self.root, self.version, self.key, as_of, at)

    def first_uploads(self, dataset: str, at: str | None) -> pd.DataFrame:
        """Each key with the upload time that first brought it (报送情况)."""
        return _first(self.root, self.version, dataset, at)

    def behind(self, as_of: str, at: str | None) -> list[Item]:
        """督办: the goals behind, with since when (every month's status up to as_of: the costliest read)."""
        return _behind(self.root, self.version, self.key, as_of, at)
