"""总览: every target of the plan as a gauge, grouped or most urgent first, as of the chosen month."""

import streamlit as st

from cnpark import ui

view = ui.page("总览", "app.py")
if view.report is None:
    st.stop()

statuses = view.report.statuses
st.caption(f"截至 {view.as_of} · 数据快照 {view.report.snapshot} · 共 {len(statuses)} 项目标（按年度分解的目标逐年计）")
ui.summary(statuses)
order = st.radio("排列方式", ["按分组", "按紧急程度"], key="sort", bind="query-params", horizontal=True,
                 label_visibility="collapsed")
if order == "按紧急程度":
    ui.gauges(view, ui.by_urgency(statuses))
    ui.clauses(view, statuses)
else:
    ui.grouped_gauges(view, statuses)
