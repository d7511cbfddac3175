"""农特产品加工转化率 (focus page)."""

import streamlit as st

from cnpark import ui

view = ui.page("农特产品加工转化率", "pages/agri.py")
if view.report is None:
    st.stop()
ui.gauges(view, ui.statuses_of(view, "agri_processing_rate"))
