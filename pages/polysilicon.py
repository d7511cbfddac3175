"""多晶硅产能: capacity against 250,000 t (第12条) — actual, plan path, recent pace — and capacity by enterprise."""

import streamlit as st

from cnpark import focus, trends, ui

view = ui.page("多晶硅产能", "pages/polysilicon.py")
if view.report is None:
    st.stop()
scale = ui.chart_scale(view)
catalog, indicators, enterprises = ui.get_catalog(), view.read("indicators"), view.read("enterprises")
trajectory = focus.indicator_trajectory(indicators, "polysilicon_capacity", view.as_of, catalog)
firms = focus.enterprise_capacity(enterprises, view.as_of, "多晶硅")
check = focus.capacity_check(enterprises, indicators, view.as_of, catalog)

st.caption("第12条：到2025年多晶硅产能达25万吨以上，引进太阳能电池切片组装企业1户以上。")
ui.gauges(view, ui.statuses_of(view, "polysilicon_capacity", "solar_cell_firms"))
ui.chart(trends.trajectory_chart(trajectory, title="多晶硅产能走势（实际、计划路径、近期速度预测）", scale=scale),
         key="trajectory")
st.caption(f"计划路径：{catalog.start} 基期值至 {trajectory.deadline} 目标值的直线（序时进度）。"
           f"{focus.projection_text(trajectory)}")

st.subheader("分企业产能")
chart_col, table_col = st.columns([3, 2])
with chart_col:
    ui.chart(trends.bar_chart(firms, "name", "capacity", title="多晶硅企业产能", unit="吨", horizontal=True,
                              width=320, height=40 + 40 * len(firms), scale=scale), key="capacity")
with table_col:
    if len(firms):
        st.dataframe(focus.capacity_table(firms), hide_index=True, width="stretch")
    else:
        st.caption(f"截至 {view.as_of} 还没有企业名录数据。")
if check.matches is False:
    st.warning(check.message, icon=":material/difference:")
else:
    st.info(check.message, icon=":material/fact_check:")
