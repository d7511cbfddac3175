"""The cache layer: one read model (service/readings.py) per state of the store, plan, month and snapshot; the months
of one state share its datasets and the status rule's series (the Readings with no month asked is their base).

A run reads the store's version once (State.now, done by ui.page) and every reading of that run comes from the
Readings of that version, so everything a run shows comes from one state of the store. The version is part of every
key: an accepted upload or a rollback changes it, so no reading is stale, and while nothing changes a rerun touches
no file but the manifest's stat. A Readings is shared by every session (st.cache_resource: the object itself, its lazy
readings guarded by its lock); the warmer (ui/warm.py) fills exactly these objects, through the same State.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit import dataframe_util

from cnpark import settings
from cnpark.outputs.charts import gauge_specs
from cnpark.plan.catalog import Catalog
from cnpark.plan.plans import Plans, load_plans, stamp
from cnpark.service.readings import Readings
from cnpark.store.snapshots import Store


@st.cache_resource(show_spinner=False)
def _store(root: str) -> Store:
    return Store(root)


@st.cache_resource(show_spinner=False, max_entries=4)
def _plans(extra: str, files: tuple) -> Plans:
    return load_plans(extra)


@st.cache_resource(show_spinner=False, max_entries=64)
def _readings(root: str, version: tuple[int, int], plan: tuple[str, int], as_of: str | None, at: str | None
              ) -> Readings:
    extra = settings.get("plans")
    catalog = _plans(extra, stamp(extra)).get(plan[0])
    base = None if as_of is None else _readings(root, version, plan, None, at)    # the state's readings, shared
    return Readings(_store(root), catalog, as_of, at, base)


def get_store() -> Store:
    """The process-wide store (one DuckDB connection per process; a cursor per query)."""
    return _store(str(settings.path("data_dir")))


def get_plans() -> Plans:
    """Every plan of the installation, reloaded when a catalog file is added, changed or removed."""
    extra = settings.get("plans")
    return _plans(extra, stamp(extra))


def gauge_spec_set(r: Readings, size: int) -> dict[tuple, dict]:
    """Every gauge's Vega-Lite spec of a reading at a size, built once per Readings (the brief's download reuses
    them)."""
    return r.derived(_specs, size)


def arrow_spec_set(r: Readings, size: int) -> dict[tuple, dict]:
    """The same specs with their datasets as Arrow bytes, once: given lists, Streamlit converts them again on every
    run of every session (the largest share of the server's time with 30 viewers; docs/RELIABILITY.md)."""
    return r.derived(_arrow, size)


def _specs(r: Readings, size: int) -> dict[tuple, dict]:
    return gauge_specs(r.report.statuses, size)


def _arrow(r: Readings, size: int) -> dict[tuple, dict]:
    specs = {k: dict(v) for k, v in gauge_spec_set(r, size).items()}
    for spec in specs.values():
        spec["datasets"] = {name: dataframe_util.convert_anything_to_arrow_bytes(rows)
                            for name, rows in spec["datasets"].items()}
    return specs


@dataclass(frozen=True)
class State:
    """One state of the store as a run sees it, under one plan: the store's root, the version read once, the plan
    and the edition of the plan files (so an edited catalog is never read from the caches of the one before)."""
    root: str
    version: tuple[int, int]
    catalog: Catalog
    edition: int = 0

    @classmethod
    def now(cls, catalog: Catalog | None = None) -> State:
        """The store as it is now, under this plan (default: the installation's default plan)."""
        store, extra = get_store(), settings.get("plans")
        files = stamp(extra)
        return cls(str(store.root), store.version(), catalog or _plans(extra, files).default(), hash(files))

    def readings(self, as_of: str | None, at: str | None) -> Readings:
        """The read model of a month (None: the default month) in the state after entry `at`."""
        return _readings(self.root, self.version, (self.catalog.code, self.edition), as_of, at)
