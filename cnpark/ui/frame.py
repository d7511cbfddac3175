"""The page frame: every page starts with `view = ui.page(script)` — the plan (the URL read once), page config,
navigation that keeps the URL's state, meeting mode, the as-of month and snapshot selectors (bound to ?as_of= and
?snapshot=), the banners, and the View: the read model of that month and state of the store (one State per run).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from cnpark.outputs.charts import GAUGE_SIZE, MEETING_GAUGE_SIZE
from cnpark.outputs.exports import entry_text
from cnpark.plan.catalog import Catalog
from cnpark.plan.months import default_month, normalize_month
from cnpark.plan.plans import Plans, state_word, this_month
from cnpark.service.readings import Readings, Report
from cnpark.store.snapshots import Entry
from cnpark.ui import warm
from cnpark.ui.cache import State, arrow_spec_set, gauge_spec_set, get_plans
from cnpark.ui.links import begin_notes, copy_link, link_note, place_notes, unknown_params
from cnpark.ui.phone import on_phone
from cnpark.ui.registry import BY_SCRIPT, PAGES, Page
from cnpark.ui.style import BASE_CSS, MEETING_CSS
from cnpark.ui.text import plain

__all__ = ["PAGES", "SHARED_PARAMS", "View", "copy_link", "data_page", "empty_state", "link_note", "page", "plain",
           "shared_params"]

SHARED_PARAMS = ("plan", "as_of", "snapshot", "mode", "cycle")   # carried from page to page

# ---------------------------------------------------------------------------------------- the view

@dataclass(frozen=True)
class View:
    """What a page shows: the read model of the chosen month and snapshot (service/readings.py), and how to draw it.
    Every reading comes from `state`, whose version was read once for this run, so everything a run shows comes from
    one state of the store; the plan is the one the URL named, read once."""
    page: Page
    state: State
    readings: Readings | None      # None: the store is empty
    base: Readings                 # the state's entries and months (no month chosen)
    meeting: bool
    phone: bool = False            # drawn for a phone (ui/phone.py)
    header: object = field(default=None, compare=False)   # meeting mode: where the screen indicator goes
    relink: object = field(default=None, compare=False)   # rewrites 复制链接 once the page has set its choices

    @property
    def catalog(self) -> Catalog:
        """The plan this view reads (?plan=, resolved once per run)."""
        return self.state.catalog

    @property
    def script(self) -> str:
        return self.page.script

    @property
    def report(self) -> Report | None:
        return self.readings.report if self.readings else None

    @property
    def as_of(self) -> str | None:
        return self.readings.as_of if self.readings else None

    @property
    def snapshot(self) -> str | None:
        """The entry the view reads as of (None: the latest state)."""
        return self.readings.at if self.readings else None

    def target(self, role: str) -> str:
        """The code of the page's target in this role (ui/registry.py)."""
        return self.page.targets[role]

    @property
    def gauge_size(self) -> int:
        return MEETING_GAUGE_SIZE if self.meeting else GAUGE_SIZE

    def at(self, as_of: str) -> Readings:
        """The read model of another month in this view's state of the store (cached)."""
        return self.state.readings(as_of, self.snapshot)

    def months(self) -> list[str]:
        """The months with data in this view's state of the store, latest first."""
        return self.base.months

    def entries(self) -> list[Entry]:
        return self.base.entries

    def specs(self, size: int | None = None) -> dict[tuple, dict]:
        """The gauges' plain Vega-Lite specs for this view (built once; the brief's download draws these)."""
        return gauge_spec_set(self.readings, size or self.gauge_size)

    def arrow_specs(self) -> dict[tuple, dict]:
        """The gauges of this view at its size, ready for st.vega_lite_chart (built once)."""
        return arrow_spec_set(self.readings, self.gauge_size)


def page(script: str, title: str | None = None, needs_data: bool = True) -> View:
    """Set up a page: the plan (from the URL, once), config, meeting mode, navigation, time-travel selectors,
    banners. Call first. title None: the registry's (the page's label, or its main target's name).

    A page about targets or tasks the chosen plan does not have shows its frame with a note and stops (no traceback
    for a link that names another park's plan). needs_data=False: a page that works on an empty store (uploads)
    shows no empty-store hint."""
    entry = BY_SCRIPT[script]
    begin_notes()
    unknown_params()
    navigation = st.sidebar.container()
    catalog = _plan_selector(get_plans())       # the one place the URL becomes a plan
    # no page_icon: a material icon makes browsers fetch the favicon from Google, unreachable on an intranet
    shown = title or entry.title(catalog)
    st.set_page_config(page_title=f"{shown} · {catalog.heading}", layout="wide",
                       initial_sidebar_state="auto")     # open on a desktop, closed on a phone
    mode = st.query_params.get("mode")
    meeting = mode == "meeting"
    if mode is not None and not meeting:
        link_note("mode", mode, "普通视图", "无效（调度会模式写作 mode=meeting）")
    st.html(BASE_CSS + (MEETING_CSS if meeting else ""))
    warm.start()            # once per process: keeps the latest month's caches built (ui/warm.py)
    state = State.now(catalog)       # the one read of the store's version in this run
    # The projector hides the sidebar (MEETING_CSS): its links, selectors and 复制链接 are not drawn at all there (the
    # screen is painted sooner); the month and data version are the link's.
    if not meeting:
        _navigation(script, navigation, catalog)
    base = state.readings(None, None)
    entries = base.entries
    snapshot = _snapshot_selector(entries, meeting)
    if snapshot is not None:
        base = state.readings(None, snapshot)
    months = base.months
    as_of = _month_selector(months, catalog.end, meeting)
    relink = None
    if not meeting:
        with st.sidebar:
            relink = copy_link(as_of, snapshot, entries[-1].id if entries else None)
    header = None
    if not entry.shows(catalog):
        st.title(entry.label)
        st.info(f"《{catalog.name}》没有本页所示的目标或任务。请从左侧选择其他页面，或在“规划”中换一个规划。",
                icon=":material/info:")
        st.stop()
    if meeting:     # title, month and the screen indicator share one line: the projector's height is precious
        title_col, header = st.columns([3, 2], vertical_alignment="center")
        title_col.title(f"{shown} · 截至 {as_of}" if as_of else shown)
    else:
        st.title(shown)
    phone = on_phone()
    if phone and not meeting and as_of:       # the sidebar, with the month in it, is closed on a phone
        st.caption(f"截至 {as_of} · 点左上角 » 打开侧栏：换页面、月份")
    place_notes()
    if not entries or as_of is None:
        if needs_data:
            empty_state()
        return View(entry, state, None, base, meeting, phone, header, relink)
    readings = state.readings(as_of, snapshot)
    _banners(readings.report, months, entries, snapshot, meeting, catalog)
    return View(entry, state, readings, base, meeting, phone, header, relink)


def data_page(script: str, title: str | None = None) -> View:
    """A page that only shows data: ui.page, and nothing more than the empty store's hint when there is none."""
    view = page(script, title)
    if view.readings is None:
        st.stop()
    return view


def _snapshot_selector(entries: list[Entry], meeting: bool = False) -> str | None:
    """"数据版本" selector bound to ?snapshot=; the first option (None) is the latest state. In meeting mode no
    widget: the link's."""
    if not entries:
        return None
    by_id = {e.id: e for e in entries}
    options = [None] + [e.id for e in reversed(entries)]

    def label(entry_id: str | None) -> str:
        if entry_id is None:
            return "最新（当前数据）"
        e = by_id[entry_id]
        what = entry_text(e)
        return f"{e.id} · {e.uploaded_at[:16].replace('T', ' ')} · {what}"
    # Bound by hand: a bound selectbox would put the whole formatted label in the URL, not the id.
    requested = st.query_params.get("snapshot")
    if requested is not None and requested not in options:
        link_note("snapshot", requested, "当前（最新）数据", "不存在")
    if meeting:
        choice = requested if requested in options else None
    else:
        choice = st.sidebar.selectbox("数据版本（按上传时间回看）", options, format_func=label, key="snapshot",
                                      index=options.index(requested) if requested in options else 0,
                                      help="查看某次上传入库后的数据状态；默认是当前最新数据", placeholder="请选择")
    if choice is None:
        st.query_params.pop("snapshot", None)
    else:
        st.query_params["snapshot"] = choice
    return choice


def _plan_selector(plans: Plans) -> Catalog:
    """"规划" bound to ?plan= by hand (as the month is); the default is the plan in force today, else the latest ended.
    Shown only when the installation has more than one plan, as radio buttons (every plan in view, labels that wrap
    rather than cut off); a catalog file that could not be loaded is said."""
    default = plans.default()
    requested = st.query_params.get("plan")
    chosen = plans.by_code.get(requested or "", default)
    if requested is not None and requested not in plans.by_code:
        link_note("plan", requested, f"《{default.name}》", "未安装")
    if len(plans.catalogs) > 1:
        options = [c.code for c in plans.catalogs]
        code = st.sidebar.radio("规划", options, index=options.index(chosen.code), key="plan",
                                    format_func=lambda c: plan_label(plans, plans.by_code[c], this_month()),
                                    help="按哪个规划的目标评估；数据各规划共用（同一指标是同一条数据序列）")
        chosen = plans.by_code[code]
        st.sidebar.caption(chosen.name)
    if requested or chosen is not default:      # a link that names its plan keeps it, even once it is the default
        st.query_params["plan"] = chosen.code
    for problem in plans.broken:
        st.sidebar.warning(f"有目标清单未能载入（其余规划照常）：{problem}", icon=":material/error:")
    return chosen


def plan_label(plans: Plans, c: Catalog, today: str) -> str:
    """A plan as the selector names it (the full name is written under it): its years and whether it is running — and
    its park, when the installation follows several parks."""
    state = state_word(c, today)
    years = f"{int(c.start[:4]) + 1}–{c.end[:4]}年" if c.start[5:] == "12" else f"{c.start}–{c.end}"
    several = len({x.park for x in plans.catalogs}) > 1
    return f"{c.park + ' ' if several else ''}{years}（{state}）"


def _month_selector(months: list[str], end: str, meeting: bool = False) -> str | None:
    """"截至月份" bound to ?as_of= by hand: Streamlit drops a bind="query-params" parameter on every page change
    (even one st.page_link passes) and st.switch_page refuses one; the default is months.default_month (not after
    the plan's end). In meeting mode no widget: the link's month."""
    if not months:
        return None
    requested, default = st.query_params.get("as_of"), default_month(months, end)
    asked = normalize_month(requested)       # 2024-6 is 2024-06: what was asked, written as months are
    if requested is not None and asked not in months:
        why = ("不是有效的月份（应写作 2025-06）" if asked is None else
               f"早于有数据的第一个月份 {months[-1]}" if asked < months[-1] else
               f"晚于有数据的最新月份 {months[0]}" if asked > months[0] else "没有数据")
        link_note("as_of", requested, f"截至 {default} 的情况", why)
    # Following the default (no ?as_of=), the choice moves with it when data of a later month comes in meanwhile (a
    # unit's submission): the widget's kept value would otherwise pin the old default as if it had been chosen.
    # Set through the Session State API, so that the browser's widget shows it too (a default alone would leave the
    # browser's kept value in place); no index then, which Streamlit would warn is a second default.
    followed = st.session_state.get("as_of_default")
    moved = requested is None and followed not in (None, default) and st.session_state.get("as_of") == followed
    if moved:
        st.session_state["as_of"] = default
    st.session_state["as_of_default"] = default
    if meeting:
        choice = asked if asked in months else default
    else:
        choice = st.sidebar.selectbox("截至月份", months, key="as_of",
                                      index=0 if moved else months.index(asked if asked in months else default),
                                      help="按哪个月份评估各项目标（默认：有数据的最新月份）", placeholder="请选择")
    if choice == default:
        st.query_params.pop("as_of", None)
    else:
        st.query_params["as_of"] = choice
    return choice


def shared_params() -> dict[str, str]:
    """The view's state that every page keeps (as_of, snapshot, mode, cycle)."""
    return {k: st.query_params[k] for k in SHARED_PARAMS if k in st.query_params}


def _navigation(script: str, where, catalog: Catalog) -> None:
    """Sidebar links that keep the view's state (Streamlit's own page links drop the query string)."""
    params = shared_params()
    with where:
        st.markdown(f"**{catalog.heading}**")
        for p in PAGES:
            if p.shows(catalog) or p.script == script:
                st.page_link(p.script, label=p.label, query_params=params, disabled=p.script == script)
        st.divider()


def _banners(report: Report, months: list[str], entries: list[Entry], snapshot: str | None, meeting: bool,
             catalog: Catalog) -> None:
    notes = []
    if report.sample:
        notes.append(("warning", "**示例数据**：当前显示的是演示用示例数据（虚构），并非官方统计。"))
    if snapshot is not None:
        e = next(e for e in entries if e.id == snapshot)
        notes.append(("history", f"**历史数据版本**：显示的是数据版本 {e.id}（{e.uploaded_at[:16].replace('T', ' ')} "
                                  "上传）时的数据，不是当前数据。"))
    latest = default_month(months, catalog.end)
    if latest and report.as_of != latest:
        notes.append(("calendar_month", f"**历史月份**：按截至 {report.as_of} 评估（有数据的最新月份为 {latest}）。"))
    if meeting and notes:        # one line on the projector
        st.warning("　".join(text for _, text in notes), icon=":material/warning:")
        return
    for icon, text in notes:
        (st.warning if icon == "warning" else st.info)(text, icon=f":material/{icon}:")


def empty_state() -> None:
    st.info("数据仓库为空，还没有可显示的数据。请分析人员登录“数据上传”页，下载填报模板、填好后上传；"
            "系统管理员也可以先载入示例数据试用（见使用说明）。", icon=":material/folder_open:")
    st.page_link("pages/upload.py", label="前往数据上传", icon=":material/upload:", query_params=shared_params())

