"""农特产品加工转化率: the rate against 75 % (第12条), its trajectory (park or one industry, ?area=) and the seven
industries side by side."""

import streamlit as st

from cnpark import focus, trends, ui

view = ui.page("农特产品加工转化率", "pages/agri.py")
if view.report is None:
    st.stop()
scale = ui.chart_scale(view)
catalog, indicators = ui.get_catalog(), view.read("indicators")
breakdown = focus.industry_breakdown(indicators, "agri_processing_rate", view.as_of, since=catalog.start)

st.caption("第12条：到2025年农特产品加工转化率达75%以上。分产业数据按“片区”列填写的产业名称汇总。")
gauge_col, chart_col = st.columns([1, 3], vertical_alignment="top")
with gauge_col:
    ui.gauges(view, ui.statuses_of(view, "agri_processing_rate"), columns=1)
with chart_col:
    area = st.selectbox("产业", focus.area_options(), key="area", bind="query-params",
                        help="走势图显示全园区或某一产业（分产业数据没有2022年基期值，不画计划路径）")
    trajectory = focus.indicator_trajectory(indicators, "agri_processing_rate", view.as_of, catalog,
                                            focus.area_code(area))
    ui.chart(trends.trajectory_chart(trajectory, title=f"农特产品加工转化率走势 · {area}", width=640, scale=scale),
             key="trajectory")
    st.caption(focus.projection_text(trajectory))

st.subheader("分产业")
ui.chart(trends.grouped_bar_chart(breakdown, title="农特产品加工转化率分产业（年末）", unit="%",
                                  target=catalog["agri_processing_rate"].goals[-1].value, scale=scale),
         key="industries")
