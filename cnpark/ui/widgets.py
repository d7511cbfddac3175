"""The pages' shared parts: gauges, tables that show every row, the reckoning, choices kept in the URL, screens of
long content for meeting mode, and the focus pages' chart frame. Re-exported by cnpark.ui."""

from __future__ import annotations

from html import escape

import altair as alt
import pandas as pd
import streamlit as st

from cnpark.outputs.chains import chain_chart
from cnpark.outputs.charts import DANGER, STATUS_COLORS, gauge_rows
from cnpark.plan.catalog import Catalog, Chain
from cnpark.plan.plans import this_month
from cnpark.rules import overview
from cnpark.rules.overview import catalog_table, clause_table, met_line
from cnpark.rules.status import TargetStatus, count_statuses
from cnpark.ui.frame import View, plain
from cnpark.ui.links import link_note
from cnpark.ui.phone import cards, on_phone, title_lines
from cnpark.ui.text import inert

__all__ = ["SCREEN_GAUGES", "alert_table", "catalog_table", "chain_charts", "chart", "chart_scale", "clause_line", "clause_table",
           "clauses", "data_as_of", "gauge_screens", "gauges", "gauges_beside", "goal_table", "grouped_gauges", "met_line", "plan_facts", "reckoning",
           "statuses_in_group", "statuses_of", "summary", "table", "table_screens", "url_choice", "url_select", "url_value"]


def url_value(key: str, options: dict[str, str], default: str) -> str:
    """The choice ?key= names when it is one of the options, else the default — and then a line says so (what meeting
    mode reads, having no widgets, and what url_choice starts from)."""
    requested = st.query_params.get(key)
    if requested is None or requested in options:
        return default if requested is None else requested
    link_note(key, requested, f"“{options.get(default) or default}”", "不在可选范围内")
    return default


def url_choice(label: str, key: str, options: dict[str, str], default: str) -> str:
    """A segmented choice kept in the URL as ?key=value (value, not its label; the default leaves the URL clean).
    Bound by hand, like as_of: a bound widget would put the label in the URL."""
    choice = st.segmented_control(label, list(options), format_func=options.__getitem__, key=key, required=True,
                                  default=url_value(key, options, default))
    if choice == default:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = choice
    return choice


def url_select(label: str, key: str, options: dict[str, str], default: str, meeting: bool, help: str = "") -> str:
    """A selectbox kept in the URL as ?key=value (the default leaves the URL clean); in meeting mode no widget, the
    URL's choice."""
    chosen = url_value(key, options, default)
    if meeting:
        return chosen
    picked = st.selectbox(label, list(options), format_func=options.__getitem__, key=key,
                          index=list(options).index(chosen), help=help or None, placeholder="请选择")
    if picked == default:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = picked
    return picked


def gauges(view: View, statuses: list[TargetStatus], columns: int = 5) -> None:
    """Gauges for the given goals, in rows of `columns`, each row one chart (charts.gauge_rows: the browser draws it
    sooner than as many charts); on a phone one a row, each its own chart. A row wider than the page shrinks to fit
    (style.BASE_CSS). The clause and departments are in each gauge's tooltip and below."""
    specs = view.arrow_specs()
    if view.phone:
        for s in statuses:
            st.vega_lite_chart(specs[(s.code, s.deadline)], theme=None, key=f"gauge-{s.code}-{s.deadline}")
        return
    charts = gauge_rows([specs[(s.code, s.deadline)] for s in statuses], columns)
    for chart, first in zip(charts, statuses[::columns], strict=True):
        st.vega_lite_chart(chart, theme=None, width="content", key=f"gauges-{first.code}-{first.deadline}")


def grouped_gauges(view: View, statuses: list[TargetStatus]) -> None:
    """Gauges under a heading per catalog group."""
    for group in view.catalog.groups:
        members = [s for s in statuses if s.group == group]   # statuses may be a subset, so not statuses_in_group
        if not members:
            continue
        st.subheader(group)
        gauges(view, members)


def opened(label: str, key: str):
    """A collapsed box whose contents are drawn only once it is opened (Streamlit's lazy expander: opening it reruns
    the page): the box to draw into when open, else None. For details that would cost every run what few ask for."""
    box = st.expander(label, key=key, on_change="rerun")
    return box if box.open else None


def clauses(view: View, statuses: list[TargetStatus]) -> None:
    """The clause and responsible units of each goal, on demand: drawn when the box is opened (its ~200 cells, each
    set as Markdown by the browser, cost the overview more to paint than its frame otherwise does)."""
    if not view.meeting:
        if box := opened("条款与责任单位", "clauses"):
            with box:
                table(clause_table(statuses))


def table(frame: pd.DataFrame, alert: bool = False, nowrap: tuple[str, ...] = ()) -> None:
    """A table for reading, not for scrolling: every row shown, cells wrap, no toolbar, text shown as typed. A `_key`
    column (a status key) colours that row's 状态 cell, a `_mismatch` column (True/False) marks its 关联 cell red
    (数据不一致); neither is shown. alert: every cell red and bold. nowrap: columns whose cells and headers never wrap
    (the words Streamlit puts inside a cell carry their own wrapping, so the rule reaches into them). On a phone the
    same cells in the same colours as a list of cards (phone.cards)."""
    keys = frame["_key"].tolist() if "_key" in frame.columns else None
    wrong = frame["_mismatch"].tolist() if "_mismatch" in frame.columns else None
    shown = frame.drop(columns=[c for c in ("_key", "_mismatch") if c in frame.columns])

    def style(column: str, i: int) -> str:
        if alert or (column == "关联" and wrong and wrong[i]):
            return f"color: {DANGER}; font-weight: bold"
        if column == "状态" and keys:
            return f"color: {STATUS_COLORS[keys[i]]}; font-weight: bold"
        return ""
    if on_phone():
        cards(shown, style)
        return
    styles = [{"selector": f"{cell}.col{i}{inside}", "props": [("white-space", "nowrap")]}
              for i, column in enumerate(shown.columns) if column in nowrap
              for cell in ("td", "th") for inside in ("", " *")]
    colours = shown.style.apply(lambda col: [style(col.name, i) for i in range(len(col))], axis=0)
    st.table(inert(colours.set_table_styles(styles)), hide_index=True)


def table_screens(frame: pd.DataFrame, name: str, meeting_rows: int = 12,
                  meeting_columns: list[str] | None = None) -> list[tuple[str, object]]:
    """A long table as meeting-mode screens of `meeting_rows` rows (and only `meeting_columns`, when given); outside
    meeting mode one part with the whole table."""
    if st.query_params.get("mode") != "meeting":
        return [(name, lambda: table(frame))]
    shown = frame[[*meeting_columns, *(["_key"] if "_key" in frame.columns else [])]] if meeting_columns else frame
    chunks = [shown.iloc[i:i + meeting_rows] for i in range(0, len(shown), meeting_rows)] or [shown]
    return [(f"{name}（第 {i * meeting_rows + 1}–{i * meeting_rows + len(c)} 行，共 {len(shown)} 行）",
             lambda c=c: table(c)) for i, c in enumerate(chunks)]


def reckoning(view: View, statuses: list[TargetStatus]) -> None:
    """The final reckoning at a glance: for each deadline year, how many goals are met and which are not."""
    boxes = []
    for year in overview.by_deadline_year(statuses, view.as_of):
        state = "已全部到期" if year.ended else f"截至 {view.as_of} 进行中"
        lines = "".join(f'<div class="cn-year-line" style="color:{STATUS_COLORS[key]}">{escape(text)}</div>'
                        for key, text in year.lines)
        boxes.append(f'<div class="cn-year"><div class="cn-year-head">{year.year}年到期目标 · {len(year.goals)} 项'
                     f'（{state}）</div><div class="cn-year-big" style="color:{STATUS_COLORS["met"]}">'
                     f'{escape(year.headline)}</div>{lines}</div>')
    st.html(f'<div class="cn-total">{escape(overview.total_line(statuses))}</div>'
            f'<div class="cn-years">{"".join(boxes)}</div>')


def goal_table(statuses: list[TargetStatus]) -> None:
    """The table view: 目标 · 期限 · 目标值 · 实际 · 完成率 · 状态 · 数据期, the status in its colour."""
    table(overview.goal_frame(statuses))


def summary(statuses: list[TargetStatus]) -> None:
    """How many goals are met, on track, behind, missed, not yet judged (one line in meeting mode and on a phone)."""
    counts = count_statuses(statuses)
    cells = [("达标", counts["met"]), ("正常推进", counts["on_track"]),
             ("滞后/严重滞后", counts["lagging"] + counts["off_track"]), ("未达标", counts["missed"]),
             ("待完成/无数据", counts["pending"] + counts["no_data"])]
    if st.query_params.get("mode") == "meeting" or on_phone():          # one line
        st.markdown(f"**共 {len(statuses)} 项**：" + " · ".join(f"{label} {n}" for label, n in cells))
        return
    for col, (label, n) in zip(st.columns(len(cells)), cells):
        col.metric(label, n)


SCREEN_GAUGES = 10      # a 1920×1080 screen holds two rows of five meeting-size gauges


def gauge_screens(view: View, name: str, statuses: list[TargetStatus]) -> list[tuple[str, object]]:
    """Goals as gauges: one part with their counts normally; in meeting mode screens of SCREEN_GAUGES, named with
    the count of those met."""
    if not view.meeting:
        def both() -> None:
            summary(statuses)
            gauges(view, statuses)
        return [(name, both)]
    title = f"{name}：{met_line(statuses)}"
    return [(title, lambda part=statuses[i:i + SCREEN_GAUGES]: gauges(view, part))
            for i in range(0, len(statuses), SCREEN_GAUGES)] or [(title, lambda: None)]


def plan_facts(catalog: Catalog) -> None:
    """The plan's record (overview.plan_facts) as two lines of label · value."""
    facts = overview.plan_facts(catalog, this_month())

    def value(key: str, text: str) -> str:
        if key == "原文" and text.startswith(("https://", "http://")):     # a link, the address shown as typed
            return f"[{plain(text)}]({text.replace(' ', '%20').replace(')', '%29')})"
        return plain(text)
    st.markdown("　·　".join(f"**{k}**：{value(k, v)}" for k, v in facts))


def clause_line(view: View, *codes: str) -> str:
    """The plan's own words for these targets, from the catalog: '(四)主导产业聚集工程 · 第12条：到2025年，…'."""
    catalog = view.catalog
    by_clause: dict[str, list[str]] = {}
    for code in codes:
        if catalog[code].text and catalog[code].text not in by_clause.get(catalog[code].clause, []):
            by_clause.setdefault(catalog[code].clause, []).append(catalog[code].text)
    return "；".join(f"{clause}：{'；'.join(texts)}" for clause, texts in by_clause.items())


def statuses_of(view: View, *codes: str) -> list[TargetStatus]:
    """The goals of the given targets in this view, in the order asked."""
    if view.report is None:
        return []
    return [s for code in codes for s in view.report.statuses if s.code == code]


def statuses_in_group(view: View, group: str) -> list[TargetStatus]:
    """The goals of one catalog group in this view, in catalog order."""
    return [] if view.report is None else [s for s in view.report.statuses if s.group == group]


# ---------------------------------------------------------------------------------------- focus pages

def gauges_beside(view: View, codes: tuple[str, ...], note: str = "", widths: tuple[float, float] = (1, 3)):
    """A focus page's head: the plan's words for these targets (and a note), their gauges at the left; returns the
    column beside them, for the chart (`with ui.gauges_beside(…):`)."""
    st.caption(clause_line(view, *codes) + note)
    gauge_col, chart_col = st.columns(list(widths), vertical_alignment="top")
    with gauge_col:
        gauges(view, statuses_of(view, *codes), columns=len(codes))
    return chart_col


MEETING_CHART_SCALE = 1.5   # the focus pages' charts on the projector: axis labels 11 px × 1.5 ≥ 16 px at 1920×1080


def data_as_of(view: View, dataset: str, name: str) -> None:
    """'债务台账数据截至 2025-06 …' when the dataset's latest rows are older than the view's month: what the page reads
    from it is that month's, not the as-of month's."""
    latest = view.readings.data_month(dataset)
    if latest and latest < view.as_of:
        st.warning(f"{name}数据截至 {latest}：{view.as_of} 尚无{name}，本页据此所示为 {latest} 的情况。",
                   icon=":material/history:")


def chart_scale(view: View) -> float:
    """How much larger the focus pages' charts are drawn: 1 normally, MEETING_CHART_SCALE in meeting mode."""
    return MEETING_CHART_SCALE if view.meeting else 1.0


PHONE_PLOT = 200      # a chart's plot on a phone: with its axis labels and end labels about the 358 px of a 390 px screen


def chart(alt_chart, key: str, narrowed: bool = True) -> None:
    """An Altair chart as built (its own fonts, colours and size: no Streamlit theme, no stretching); on a phone a
    wider plot is drawn PHONE_PLOT wide and the title in lines (its words keep their size), unless it was drawn for
    the phone (narrowed False)."""
    if narrowed and on_phone():
        if isinstance(getattr(alt_chart, "width", None), int | float) and alt_chart.width > PHONE_PLOT:
            # the key in two columns; room above the title, whose glyphs a chart shrunk to the screen would clip
            alt_chart = alt_chart.properties(width=PHONE_PLOT, padding={"left": 5, "right": 5, "top": 12, "bottom": 5}) \
                .configure_legend(columns=2)
        title = getattr(alt_chart, "title", None)
        if isinstance(title, alt.TitleParams) and isinstance(title.text, str):
            alt_chart = alt_chart.properties(title=alt.TitleParams(**{**title.to_dict(), "text": title_lines(title.text)}))
    st.altair_chart(alt_chart, theme=None, key=key, width="content")


def chain_charts(links: pd.DataFrame, chains: tuple[Chain, ...], scale: float) -> None:
    """Each chain of the plan as its boxes, link by link (focus.chain_links rows), under the catalog's title."""
    for c in chains:
        chart(chain_chart(links[links["chain"] == c.name], title=c.title, arrows=c.arrows, scale=scale,
                          down=on_phone()), key=f"chain-{c.name}", narrowed=False)


def alert_table(frame: pd.DataFrame) -> None:
    """A table whose every cell is red text (overdue items, stalled projects); cells are shown as text."""
    table(frame, alert=True)
