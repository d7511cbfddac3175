"""产业集群 (focus page)."""

import streamlit as st

from cnpark import ui

view = ui.page("产业集群", "pages/cluster.py")
if view.report is None:
    st.stop()
ui.gauges(view, ui.statuses_of(view, "leading_revenue_share", "leading_fai_share", "new_above_scale_firms", "clusters_formed"))
