"""农特产品加工转化率: the rate against the plan's target (第12条), its trajectory (park or one industry, ?area=)
and the seven industries side by side."""

import streamlit as st

from cnpark import ui
from cnpark.ui import focus, forecast, meeting, trends

CODE = "agri_processing_rate"
catalog = ui.plan_page("pages/agri.py")
view = ui.data_page(catalog[CODE].name, "pages/agri.py")
scale, indicators = ui.chart_scale(view), view.read("indicators")
links = catalog.chain(catalog[CODE].chain).links      # the industries: the links of the target's chain
breakdown = focus.industry_breakdown(indicators, CODE, view.as_of, since=catalog.start, industries=links)


def rate() -> None:
    with ui.gauges_beside(view, (CODE,), "。分产业数据按“片区”列填写的产业名称汇总。"):
        areas = {a: a for a in focus.area_options(links)}
        area = ui.url_select("产业", "area", areas, next(iter(areas)), view.meeting,
                             help=f"走势图显示全园区或某一产业（分产业数据没有{catalog.start[:4]}年基期值，不画计划路径）")
        trajectory = forecast.indicator_trajectory(indicators, CODE, view.as_of, catalog, focus.area_code(area))
        ui.chart(trends.trajectory_chart(trajectory, title=f"{catalog[CODE].name}走势 · {area}", width=640,
                                         height=260, scale=scale), key="trajectory")
        st.caption(forecast.projection_text(trajectory))


def industries() -> None:
    st.subheader("分产业")
    ui.chart(trends.grouped_bar_chart(breakdown, title=f"{catalog[CODE].name}分产业（年末）", unit="%",
                                      target=catalog[CODE].goals[-1].value, scale=scale), key="industries")


meeting.screens(view, [("走势", rate), ("分产业", industries)])
