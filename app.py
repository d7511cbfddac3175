"""总览: the final reckoning by deadline year, then every target of the plan as a gauge (or a table), as of the chosen
month; in meeting mode, screens that each fit the projector."""

import streamlit as st

from cnpark import ui
from cnpark.ui import dashboard, meeting

view = ui.page("总览", "app.py")
if view.report is None:
    st.stop()
meeting.screens(view, dashboard.parts(view))
