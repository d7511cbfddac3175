"""多晶硅产能 (focus page)."""

import streamlit as st

from cnpark import ui

view = ui.page("多晶硅产能", "pages/polysilicon.py")
if view.report is None:
    st.stop()
ui.gauges(view, ui.statuses_of(view, "polysilicon_capacity", "solar_cell_firms"))
