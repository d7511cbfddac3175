"""多晶硅产能: capacity against the plan's target (第12条) — actual, plan path and, where the enterprise list has
projects not yet producing, what they add — and capacity by enterprise."""

import streamlit as st

from cnpark import ui
from cnpark.ui import meeting

view = ui.data_page("pages/polysilicon.py")
ui.data_as_of(view, "enterprises", "企业名录")
code, r, scale = view.target("capacity"), view.readings, ui.chart_scale(view)
target, trajectory, firms = view.catalog[code], r.trajectory(code), r.capacity_by_firm(code)


def capacity() -> None:
    with ui.gauges_beside(view, (code, view.target("cells")), widths=(2, 3.3)):
        ui.chart(ui.trends.trajectory_chart(trajectory, title=f"{trajectory.name}走势（实际、计划路径、预测）", width=540,
                                            height=280, scale=scale), key="trajectory")
    st.caption(f"计划路径：{view.catalog.start} 基期值至 {trajectory.deadline} 目标值的直线（序时进度）。"
               f"{ui.forecast.projection_text(trajectory)}")


def by_firm() -> None:
    st.subheader("分企业产能")
    chart_col, table_col = st.columns([3, 2])
    with chart_col:
        ui.chart(ui.trends.bar_chart(firms, "name", "capacity", title=f"{target.link}企业产能", unit=target.unit,
                                     horizontal=True, width=320, height=40 + 40 * len(firms), scale=scale),
                 key="capacity")
    with table_col:
        if len(firms):
            ui.table(ui.focus.capacity_table(firms))
        else:
            st.caption(f"截至 {view.as_of} 还没有企业名录数据。")
    check = r.capacity_check(code)
    if check.matches is False:
        st.warning(check.message, icon=":material/difference:")
    else:
        st.info(check.message, icon=":material/fact_check:")


meeting.screens(view, [("产能与计划路径", capacity), ("分企业产能", by_firm)])
