"""分组目标: the gauges of one catalog group (?group=…), for the groups without a focus page of their own."""

import streamlit as st

from cnpark import ui

view = ui.page("分组目标", "pages/group.py")
if view.report is None:
    st.stop()
group = st.segmented_control("分组", ui.get_catalog().groups, key="group", bind="query-params",
                             default=ui.get_catalog().groups[0], required=True)
members = ui.statuses_in_group(view, group)
ui.summary(members)
ui.gauges(view, members)
st.dataframe(ui.clause_table(members), hide_index=True, width="stretch")
