"""The only cnpark package that imports streamlit: caching, page setup, URL state, banners and shared widgets
(the upload page's parts are in ui/uploads.py).

Every page starts with `view = ui.page("标题")`: page config, navigation that keeps the URL's state,
meeting mode, the as-of month and snapshot selectors (bound to ?as_of= and ?snapshot=), the banners,
and the cached report for that view. Pages then only lay out what they show.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from streamlit import dataframe_util

from cnpark import settings
from cnpark.catalog import Catalog, goal_text, load_catalog
from cnpark.charts import DANGER, gauge_specs
from cnpark.service import Report, data_months, read_report
from cnpark.status import STATUS_LABELS, URGENCY, TargetStatus, count_statuses, format_completion, format_figure
from cnpark.store import Entry, Store

APP_TITLE = "昌宁产业园区振兴三年行动计划 · 目标监测"
# (script, label, url path) in navigation order; meeting mode's auto-advance follows it too.
PAGES = [
    ("app.py", "总览", ""),
    ("pages/cluster.py", "产业集群", "cluster"),
    ("pages/polysilicon.py", "多晶硅产能", "polysilicon"),
    ("pages/agri.py", "农特产品加工", "agri"),
    ("pages/debt.py", "债务", "debt"),
    ("pages/group.py", "分组目标", "group"),
    ("pages/supervision.py", "督办清单", "supervision"),
    ("pages/targets.py", "目标清单", "targets"),
    ("pages/upload.py", "数据上传", "upload"),
]
SHARED_PARAMS = ("as_of", "snapshot", "mode", "cycle")   # carried from page to page
GAUGE_SIZE, MEETING_GAUGE_SIZE = 230, 330

MEETING_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] {display: none !important;}
.block-container, [data-testid="stMainBlockContainer"] {padding-top: 1rem !important; max-width: 100% !important;}
html, body, [data-testid="stMarkdownContainer"] p {font-size: 1.35rem;}
h1 {font-size: 2.6rem !important;}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] p {font-size: 3.2rem !important;}
[data-testid="stMetricLabel"] p {font-size: 1.5rem !important;}
</style>"""


# ---------------------------------------------------------------------------------------- cached reads

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


# version is part of every key below: an accepted upload or a rollback changes it, so no read is stale,
# and while nothing changes a rerun touches no file but the manifest's stat.

@st.cache_data(show_spinner=False, max_entries=256)
def _report(root: str, version: tuple[int, int], as_of: str | None, at: str | None) -> Report:
    return read_report(_store(root), get_catalog(), as_of, at)


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
def _gauge_specs(root: str, version: tuple[int, int], as_of: str, at: str | None, size: int) -> dict[tuple, dict]:
    """Every gauge's Vega-Lite spec for a view, built once (building and validating is ~80 ms a gauge). The
    datasets are turned into Arrow bytes here, once: given lists, Streamlit converts them again on every run of
    every session (40 % of the server's time with 30 viewers; docs/RELIABILITY.md)."""
    specs = gauge_specs(_report(root, version, as_of, at).statuses, size)
    for spec in specs.values():
        spec["datasets"] = {name: dataframe_util.convert_anything_to_arrow_bytes(rows)
                            for name, rows in spec["datasets"].items()}
    return specs


# ---------------------------------------------------------------------------------------- the view

@dataclass(frozen=True)
class View:
    """What a page shows: the report for the chosen month and snapshot, and how to draw it."""
    report: Report | None      # None: the store is empty
    as_of: str | None
    snapshot: str | None       # None: the latest state
    meeting: bool

    @property
    def gauge_size(self) -> int:
        return MEETING_GAUGE_SIZE if self.meeting else GAUGE_SIZE

    def read(self, dataset: str) -> pd.DataFrame:
        """A dataset as it stood at this view's snapshot (cached)."""
        store = get_store()
        return _read(str(store.root), store.version(), dataset, self.snapshot)


def page(title: str, script: str, needs_data: bool = True) -> View:
    """Set up a page: config, meeting mode, navigation, time-travel selectors, banners. Call first.

    needs_data=False: a page that works on an empty store (uploads) shows no empty-store hint."""
    # no page_icon: a material icon makes browsers fetch the favicon from Google, unreachable on an intranet
    st.set_page_config(page_title=f"{title} · {APP_TITLE}", layout="wide",
                       initial_sidebar_state="expanded")
    meeting = st.query_params.get("mode") == "meeting"
    if meeting:
        st.html(MEETING_CSS)
    store = get_store()
    root, version = str(store.root), store.version()
    _navigation(script, st.sidebar.container())
    entries = _entries(root, version)
    snapshot = _snapshot_selector(entries)
    months = _months(root, version, snapshot)
    as_of = _month_selector(months)
    with st.sidebar:
        copy_link()
    if meeting:
        _auto_advance(script)
    st.title(title)
    if not entries or as_of is None:
        if needs_data:
            empty_state()
        return View(None, None, snapshot, meeting)
    report = _report(root, version, as_of, snapshot)
    _banners(report, months, entries, snapshot)
    return View(report, as_of, snapshot, meeting)


def _snapshot_selector(entries: list[Entry]) -> str | None:
    """"数据版本" selector bound to ?snapshot=; the first option (None) is the latest state."""
    if not entries:
        return None
    by_id = {e.id: e for e in entries}
    options = [None] + [e.id for e in reversed(entries)]

    def label(entry_id: str | None) -> str:
        if entry_id is None:
            return "最新（当前数据）"
        e = by_id[entry_id]
        what = f"回滚至 {e.target}" if e.kind == "rollback" else e.file
        return f"{e.id} · {e.uploaded_at[:16].replace('T', ' ')} · {what}"
    # Bound by hand: a bound selectbox would put the whole formatted label in the URL, not the id.
    requested = st.query_params.get("snapshot")
    choice = st.sidebar.selectbox("数据版本（按上传时间回看）", options, format_func=label, key="snapshot",
                                  index=options.index(requested) if requested in options else 0,
                                  help="查看某次上传入库后的数据状态；默认是当前最新数据")
    if choice is None:
        st.query_params.pop("snapshot", None)
    else:
        st.query_params["snapshot"] = choice
    return choice


def _month_selector(months: list[str]) -> str | None:
    """"截至月份" bound to ?as_of= by hand: Streamlit drops a bind="query-params" parameter on every page change
    (even one st.page_link passes) and st.switch_page refuses one; the first option (latest month) is the default."""
    if not months:
        return None
    requested = st.query_params.get("as_of")
    choice = st.sidebar.selectbox("截至月份", months, key="as_of",
                                  index=months.index(requested) if requested in months else 0,
                                  help="按哪个月份评估各项目标（默认：有数据的最新月份）")
    if choice == months[0]:
        st.query_params.pop("as_of", None)
    else:
        st.query_params["as_of"] = choice
    return choice


def _shared_params() -> dict[str, str]:
    return {k: st.query_params[k] for k in SHARED_PARAMS if k in st.query_params}


def data_months_of(view: View) -> list[str]:
    """The months with data in this view's state of the store, latest first (cached)."""
    store = get_store()
    return _months(str(store.root), store.version(), view.snapshot)


def store_entries() -> list[Entry]:
    """The manifest entries, cached per manifest version."""
    store = get_store()
    return _entries(str(store.root), store.version())


def _navigation(script: str, where) -> None:
    """Sidebar links that keep the view's state (Streamlit's own page links drop the query string)."""
    params = _shared_params()
    with where:
        st.markdown(f"**{APP_TITLE}**")
        for path, label, _ in PAGES:
            st.page_link(path, label=label, query_params=params, disabled=path == script)
        st.divider()


def copy_link() -> None:
    """A visible “复制链接” control: the full address of exactly this view, with a copy button."""
    with st.popover("复制链接", icon=":material/link:", help="复制本页链接，打开后显示完全相同的视图"):
        st.caption("复制下面的链接发给同事，打开即是同一页面、同一月份、同一数据版本：")
        # st.context.url has no query string; the view's state is all in it
        query = urlencode(st.query_params.to_dict())
        st.code(f"{st.context.url or ''}{'?' + query if query else ''}", language=None, wrap_lines=True)


def _auto_advance(script: str) -> None:
    """Meeting mode with &cycle=N: go to the next page every N seconds, keeping the URL's state."""
    try:
        seconds = int(st.query_params.get("cycle", "0"))
    except ValueError:
        return
    if seconds < 5:
        return
    order = [p for p, _, _ in PAGES if p != "pages/upload.py"]   # the meeting tour shows figures, not forms
    following = order[(order.index(script) + 1) % len(order)]

    @st.fragment(run_every=seconds)
    def advance() -> None:
        if st.session_state.get("_cycle_armed") == script:
            st.session_state["_cycle_armed"] = None
            st.switch_page(following, query_params=_shared_params())
        st.session_state["_cycle_armed"] = script
    advance()


def _banners(report: Report, months: list[str], entries: list[Entry], snapshot: str | None) -> None:
    if report.sample:
        st.warning("**示例数据**：当前显示的是演示用示例数据（虚构），并非官方统计。", icon=":material/warning:")
    if snapshot is not None:
        e = next(e for e in entries if e.id == snapshot)
        st.info(f"**历史数据版本**：显示的是 {e.uploaded_at[:16].replace('T', ' ')} 快照 {e.id} 入库后的数据，"
                "不是当前数据。", icon=":material/history:")
    if months and report.as_of != months[0]:
        st.info(f"**历史月份**：按截至 {report.as_of} 评估（有数据的最新月份为 {months[0]}）。", icon=":material/calendar_month:")


_MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()<>#+-.!|~$:"})


def plain(text: object) -> str:
    """Text from an upload (a sheet or file name …) made inert inside Markdown: shown as typed, never as a link,
    image, heading or HTML."""
    return str(text).translate(_MARKDOWN_SPECIALS)


def empty_state() -> None:
    st.info("数据仓库为空，还没有可显示的数据。请分析人员在服务器上用 `python -m cnpark ingest 文件.csv` 导入数据"
            "（模板：`python -m cnpark template indicators`），或运行 `python -m cnpark demo` 载入示例数据。",
            icon=":material/folder_open:")


# ---------------------------------------------------------------------------------------- shared widgets

def summary(statuses: list[TargetStatus]) -> None:
    """The one-line answer: how many goals are met, on track, behind, missed, not yet judged."""
    counts = count_statuses(statuses)
    cells = [("达标", counts["met"]), ("正常推进", counts["on_track"]),
             ("滞后/严重滞后", counts["lagging"] + counts["off_track"]), ("未达标", counts["missed"]),
             ("待完成/无数据", counts["pending"] + counts["no_data"])]
    for col, (label, n) in zip(st.columns(len(cells)), cells):
        col.metric(label, n)


def gauges(view: View, statuses: list[TargetStatus], columns: int = 5) -> None:
    """Gauges for the given goals, in rows; the clause and departments are in each gauge's tooltip and below."""
    store = get_store()
    specs = _gauge_specs(str(store.root), store.version(), view.as_of, view.snapshot, view.gauge_size)
    for start in range(0, len(statuses), columns):
        for col, s in zip(st.columns(columns), statuses[start:start + columns]):
            with col:
                st.vega_lite_chart(specs[(s.code, s.deadline)], theme=None, key=f"gauge-{s.code}-{s.deadline}")


def grouped_gauges(view: View, statuses: list[TargetStatus]) -> None:
    """Gauges under a heading per catalog group, with the clauses and departments on demand."""
    for group in get_catalog().groups:
        members = [s for s in statuses if s.group == group]   # statuses may be a subset, so not statuses_in_group
        if not members:
            continue
        st.subheader(group)
        gauges(view, members)
    clauses(view, statuses)


def clauses(view: View, statuses: list[TargetStatus]) -> None:
    """The clause and lead departments of each goal, on demand (one table: each table costs a page ~0.1 s)."""
    if not view.meeting:
        with st.expander("条款与牵头部门"):
            st.dataframe(clause_table(statuses), hide_index=True, width="stretch")


def by_urgency(statuses: list[TargetStatus]) -> list[TargetStatus]:
    """Missed and off-track first, then lagging, no data, pending, on track, met."""
    return sorted(statuses, key=lambda s: URGENCY[s.status])


def clause_table(statuses: list[TargetStatus]) -> pd.DataFrame:
    return pd.DataFrame([{"目标": s.name, "期限": s.deadline, "状态": STATUS_LABELS[s.status], "条款": s.clause,
                          "牵头部门": "、".join(s.departments), "说明": s.note} for s in statuses])


def status_table(report: Report) -> pd.DataFrame:
    """The statuses as a table with Chinese headers, for st.dataframe."""
    return pd.DataFrame([{
        "分组": s.group, "目标": s.name, "期限": s.deadline, "实际": format_figure(s.actual),
        "目标值": format_figure(s.target), "单位": s.unit, "完成率": format_completion(s.completion),
        "状态": STATUS_LABELS[s.status], "数据期": s.period or "—", "条款": s.clause, "说明": s.note,
    } for s in report.statuses])


def catalog_table(catalog: Catalog) -> pd.DataFrame:
    """Every goal of the plan with its clause, rule text, deadline and lead departments."""
    return pd.DataFrame([{
        "分组": t.group, "目标": t.name, "代码": t.code, "目标值": goal_text(t, g), "期限": g.deadline,
        "条款": t.clause, "计划原文": t.text, "牵头部门": "、".join(t.departments),
    } for t in catalog.targets if t.is_tracked for g in t.goals])


def statuses_of(view: View, *codes: str) -> list[TargetStatus]:
    """The goals of the given targets in this view, in the order asked."""
    if view.report is None:
        return []
    return [s for code in codes for s in view.report.statuses if s.code == code]


def statuses_in_group(view: View, group: str) -> list[TargetStatus]:
    """The goals of one catalog group in this view, in catalog order."""
    return [] if view.report is None else [s for s in view.report.statuses if s.group == group]


# ---------------------------------------------------------------------------------------- focus pages

def chart_scale(view: View) -> float:
    """How much larger the focus pages' charts are drawn: 1 normally, the gauges' ratio in meeting mode."""
    return view.gauge_size / GAUGE_SIZE


def chart(alt_chart, key: str) -> None:
    """An Altair chart as built (its own fonts, colours and size: no Streamlit theme, no stretching)."""
    st.altair_chart(alt_chart, theme=None, key=key, width="content")


def alert_table(frame: pd.DataFrame) -> None:
    """A table whose every cell is red text (overdue items); cells are shown as text, never as HTML."""
    st.dataframe(frame.style.set_properties(**{"color": DANGER, "font-weight": "bold"}), hide_index=True,
                 width="stretch")
