"""多晶硅产能: capacity against the plan's target (第12条) — actual, plan path and, where the enterprise list has
projects not yet producing, what they add — and capacity by enterprise."""

import streamlit as st

from cnpark import ui
from cnpark.ui import focus, forecast, meeting, trends

CODE = "polysilicon_capacity"
catalog = ui.plan_page("pages/polysilicon.py")
view = ui.data_page(catalog[CODE].name, "pages/polysilicon.py")
ui.data_as_of(view, "enterprises", "企业名录")
scale, indicators, enterprises = ui.chart_scale(view), view.read("indicators"), view.read("enterprises")
trajectory = forecast.indicator_trajectory(indicators, CODE, view.as_of, catalog, enterprises=enterprises)
firms = focus.enterprise_capacity(enterprises, view.as_of, catalog[CODE].link)
check = focus.capacity_check(enterprises, indicators, view.as_of, catalog, CODE)


def capacity() -> None:
    with ui.gauges_beside(view, (CODE, "solar_cell_firms"), widths=(2, 3.3)):
        ui.chart(trends.trajectory_chart(trajectory, title=f"{trajectory.name}走势（实际、计划路径、预测）", width=540,
                                         height=280, scale=scale), key="trajectory")
    st.caption(f"计划路径：{catalog.start} 基期值至 {trajectory.deadline} 目标值的直线（序时进度）。"
               f"{forecast.projection_text(trajectory)}")


def by_firm() -> None:
    st.subheader("分企业产能")
    chart_col, table_col = st.columns([3, 2])
    with chart_col:
        ui.chart(trends.bar_chart(firms, "name", "capacity", title=f"{catalog[CODE].link}企业产能", unit=catalog[CODE].unit,
                                  horizontal=True, width=320, height=40 + 40 * len(firms), scale=scale), key="capacity")
    with table_col:
        if len(firms):
            ui.table(focus.capacity_table(firms))
        else:
            st.caption(f"截至 {view.as_of} 还没有企业名录数据。")
    if check.matches is False:
        st.warning(check.message, icon=":material/difference:")
    else:
        st.info(check.message, icon=":material/fact_check:")


meeting.screens(view, [("产能与计划路径", capacity), ("分企业产能", by_firm)])
