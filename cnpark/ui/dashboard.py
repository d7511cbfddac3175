"""The overview's parts: the reckoning by deadline year, then the goals as gauges or as a table, filtered by deadline
year (?deadline=2025), shown by group or most urgent first (?sort=), in screens of ten gauges in meeting mode."""

from __future__ import annotations

from functools import partial

import streamlit as st

from cnpark.plan.plans import this_month
from cnpark.rules import overview
from cnpark.rules.status import TargetStatus
from cnpark.rules.supervision import item_frame
from cnpark.ui.frame import View, shared_params
from cnpark.ui.meeting import Part
from cnpark.ui.widgets import (
    SCREEN_GAUGES,
    clauses,
    gauges,
    goal_table,
    grouped_gauges,
    met_line,
    opened,
    reckoning,
    table,
    table_screens,
    url_choice,
    url_value,
)

ALL = "all"
SORTS = {"按分组": "按分组", "按紧急程度": "按紧急程度"}
VIEWS = {"gauges": "仪表盘", "table": "表格"}
SCREEN_ROWS = 12


def _grouped(view: View, statuses: list[TargetStatus]) -> list[tuple[str, list[TargetStatus]]]:
    return [(g, members) for g in view.catalog.groups if (members := [s for s in statuses if s.group == g])]


def _ordered(view: View, statuses: list[TargetStatus], sort: str) -> list[TargetStatus]:
    if sort == "按紧急程度":
        return overview.by_urgency(statuses)
    return [s for _, members in _grouped(view, statuses) for s in members]


def parts(view: View) -> list[Part]:
    """The overview as screens: the reckoning, then the goals (one part normally; screens of ten in meeting mode)."""
    statuses = view.report.statuses
    first = [("各年度目标完成情况", partial(_reckoning, view, statuses))]
    if view.phone and not view.meeting:        # a phone: what is behind and who must act before the gauges
        return [*first, ("需督办", partial(_behind, view)), ("目标", partial(_goals, view, statuses))]
    if not view.meeting:
        return [*first, ("目标", partial(_goals, view, statuses))]
    year = url_value("deadline", dict.fromkeys(overview.deadline_years(statuses), ""), ALL)
    sort = url_value("sort", SORTS, "按分组")
    chosen = _ordered(view, overview.due_in(statuses, None if year == ALL else year), sort)
    if url_value("view", VIEWS, "gauges") == "table":
        return first + table_screens(overview.goal_frame(chosen), "目标一览", SCREEN_ROWS)
    if sort == "按紧急程度":
        chunks = [("按紧急程度", chosen[i:i + SCREEN_GAUGES]) for i in range(0, len(chosen), SCREEN_GAUGES)]
    else:
        chunks = [("、".join(g for g, _ in screen), [s for _, members in screen for s in members])
                  for screen in overview.pack(_grouped(view, chosen), SCREEN_GAUGES)]
    return first + [(name, partial(gauges, view, members)) for name, members in chunks]


def _reckoning(view: View, statuses: list[TargetStatus]) -> None:
    note = overview.ended_note(view.catalog, view.as_of, this_month())
    if note:
        st.info(note, icon=":material/flag:")
    month = "" if view.phone else f"截至 {view.as_of} · "         # a phone has it under the title already
    st.caption(f"{month}数据版本 {view.report.snapshot} · 按期限年度统计（按年度分解的目标逐年计）")
    reckoning(view, statuses)


def _goals(view: View, statuses: list[TargetStatus]) -> None:
    """Filter, view and order (kept in the URL), then the goals."""
    years = {ALL: "全部期限", **{y: f"{y}年到期" for y in overview.deadline_years(statuses)}}
    if view.phone:      # the choices side by side as far as they fit (columns would stack them, a screen's height)
        year_col = view_col = sort_col = st.container(horizontal=True, key="cn-choices")
    else:
        year_col, view_col, sort_col = st.columns([3, 1.3, 1.6])
    with year_col:
        year = url_choice("期限", "deadline", years, ALL)
    with view_col:
        shown = url_choice("显示", "view", VIEWS, "gauges")
    with sort_col:
        sort = url_choice("排列", "sort", SORTS, "按分组")
    chosen = overview.due_in(statuses, None if year == ALL else year)
    if shown == "table":
        goal_table(_ordered(view, chosen, sort))
    elif sort == "按紧急程度":
        gauges(view, overview.by_urgency(chosen))
    elif view.phone:
        # a group's gauges, one a row, drawn when a tap opens it: the page stays a few screens long, and a phone
        # neither downloads nor paints gauges it was not asked for (the chart library is not even loaded until then)
        for group, members in _grouped(view, chosen):
            if box := opened(f"{group}（{met_line(members)}）", f"group-{group}"):
                with box:
                    gauges(view, members)
    else:
        grouped_gauges(view, chosen)
    clauses(view, chosen)


def _behind(view: View) -> None:
    """The goals behind (滞后, 严重滞后, 未达标) with their gap and responsible units, a card each (a phone)."""
    found = view.readings.behind
    st.subheader(f"需督办的目标（{len(found)} 项）")
    if found:
        table(item_frame(found, units=True)[["目标", "期限", "状态", "差距", "滞后起始", "责任单位", "_key"]])
    else:
        st.success("本期没有滞后、严重滞后或未达标的目标。", icon=":material/check_circle:")
    st.page_link("pages/supervision.py", label="督办清单：按责任单位", icon=":material/arrow_forward:",
                 query_params=shared_params())
