"""总览: every target of the plan, its status as of a month. (Gauges come with the dashboard issue.)"""

import streamlit as st

from cnpark import ui
from cnpark.status import STATUS_LABELS, count_statuses

ui.setup_page("总览")
as_of = ui.as_of_selector()
if as_of is None:
    ui.empty_state()
    st.stop()

report = ui.get_report(as_of)
ui.sample_banner(report)
counts = count_statuses(report.statuses)
st.markdown(f"截至 **{report.as_of}**（数据快照 {report.snapshot}）："
            + "，".join(f"{STATUS_LABELS[k]} **{v}**" for k, v in counts.items() if v))
table = ui.status_table(report)
st.dataframe(table, hide_index=True, width="stretch", height=35 * (len(table) + 1) + 3)
