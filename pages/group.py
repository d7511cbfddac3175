"""分组目标: the gauges of one catalog group (?group=…), for the groups without a focus page of their own."""

import streamlit as st

from cnpark import ui
from cnpark.ui import meeting

view = ui.data_page("分组目标", "pages/group.py")
groups = ui.get_catalog().groups
if view.meeting:        # the projector shows the group of the link; its name and count head the screen
    group = st.query_params.get("group") if st.query_params.get("group") in groups else groups[0]
else:
    group = st.segmented_control("分组", groups, key="group", bind="query-params", default=groups[0], required=True)
members = ui.statuses_in_group(view, group)
meeting.screens(view, [*ui.gauge_screens(view, group, members),
                       ("条款与责任单位", lambda: ui.table(ui.clause_table(members)))])
