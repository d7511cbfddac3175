"""The only cnpark module that imports streamlit: caching, page setup, banners and shared widgets."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cnpark import settings
from cnpark.catalog import Catalog, goal_text, load_catalog
from cnpark.service import Report, data_months, read_report
from cnpark.status import STATUS_LABELS, format_completion, format_figure
from cnpark.store import Store

APP_TITLE = "昌宁产业园区振兴三年行动计划 · 目标监测"


@st.cache_resource
def _store(root: str) -> Store:
    return Store(root)


@st.cache_resource
def _catalog(path: str) -> Catalog:
    return load_catalog(path)


def get_store() -> Store:
    """The process-wide store (one DuckDB connection per process; a cursor per query)."""
    return _store(str(settings.path("data_dir")))


def get_catalog() -> Catalog:
    return _catalog(str(settings.path("catalog")))


@st.cache_data(show_spinner=False, max_entries=256)
def _report(root: str, version: tuple[int, int], as_of: str | None, at: str | None) -> Report:
    # version is part of the key: an accepted upload or rollback changes it, so no stale reads
    return read_report(_store(root), get_catalog(), as_of, at)


@st.cache_data(show_spinner=False, max_entries=64)
def _months(root: str, version: tuple[int, int], at: str | None) -> list[str]:
    return data_months(_store(root), at)


def setup_page(title: str) -> None:
    """Page config and title; every page calls this first (classic pages/ need it on each page)."""
    st.set_page_config(page_title=f"{title} · {APP_TITLE}", page_icon="📊", layout="wide")
    st.title(title)


def as_of_selector() -> str | None:
    """Month selector bound to ?as_of=…; default (first option) is the latest month with data."""
    store = get_store()
    months = _months(str(store.root), store.version(), None)
    if not months:
        return None
    return st.selectbox("截至月份", months, key="as_of", bind="query-params",
                        help="按哪个月份评估各项目标（默认：有数据的最新月份）")


def get_report(as_of: str | None) -> Report:
    store = get_store()
    return _report(str(store.root), store.version(), as_of, None)


def sample_banner(report: Report) -> None:
    if report.sample:
        st.warning("**示例数据**：当前显示的是演示用示例数据，并非官方统计。", icon="⚠️")


def empty_state() -> None:
    st.info("数据仓库为空。请在“数据上传”页上传数据，或在服务器上运行 `python -m cnpark demo` 载入示例数据。")


def status_table(report: Report) -> pd.DataFrame:
    """The statuses as a table with Chinese headers, for st.dataframe."""
    return pd.DataFrame([{
        "分组": s.group, "目标": s.name, "期限": s.deadline, "实际": format_figure(s.actual),
        "目标值": format_figure(s.target), "单位": s.unit, "完成率": format_completion(s.completion),
        "状态": STATUS_LABELS[s.status],
        "数据期": s.period or "—", "条款": s.clause, "说明": s.note,
    } for s in report.statuses])


def catalog_table(catalog: Catalog) -> pd.DataFrame:
    """Every goal of the plan with its clause, rule text, deadline and lead departments."""
    return pd.DataFrame([{
        "分组": t.group, "目标": t.name, "代码": t.code, "目标值": goal_text(t, g), "期限": g.deadline, "条款": t.clause, "计划原文": t.text, "牵头部门": "、".join(t.departments),
    } for t in catalog.targets if t.is_tracked for g in t.goals])
