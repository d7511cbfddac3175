"""农特产品加工转化率: the rate against the plan's target (第12条), its trajectory (park or one industry, ?area=)
and the industries side by side."""

import streamlit as st

from cnpark import ui
from cnpark.ui import meeting

view = ui.data_page("pages/agri.py")
code = view.target("rate")
target, r = view.catalog[code], view.readings


def rate() -> None:
    with ui.gauges_beside(view, (code,), "。分产业数据按“片区”列填写的产业名称汇总。"):
        areas = {a: a for a in ui.focus.area_options(view.catalog.chain(target.chain).links)}
        area = ui.url_select("产业", "area", areas, next(iter(areas)), view.meeting,
                             help=f"走势图显示全园区或某一产业（分产业数据没有{view.catalog.start[:4]}年基期值，不画计划路径）")
        trajectory = r.trajectory(code, ui.focus.area_code(area))
        ui.chart(ui.trends.trajectory_chart(trajectory, title=f"{target.name}走势 · {area}", width=640, height=260,
                                            scale=ui.chart_scale(view)), key="trajectory")
        st.caption(ui.forecast.projection_text(trajectory))


def industries() -> None:
    st.subheader("分产业")
    rows = r.by_industry(code)
    # a phone: an industry a row (eight groups of bars side by side would crowd; ui.chart narrows it)
    ui.chart(ui.trends.grouped_bar_chart(rows, title=f"{target.name}分产业（年末）", unit="%",
                                         target=target.goals[-1].value, scale=ui.chart_scale(view), horizontal=view.phone,
                                         **({"height": 30 + 13 * len(rows)} if view.phone else {})), key="industries")


meeting.screens(view, [("走势", rate), ("分产业", industries)])
