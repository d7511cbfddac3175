"""债务 (focus page)."""

import streamlit as st

from cnpark import ui

view = ui.page("债务", "pages/debt.py")
if view.report is None:
    st.stop()
ui.gauges(view, ui.statuses_of(view, "debt_resolution"))
