"""分组目标: the gauges of one catalog group (?group=…), for the groups without a focus page of their own."""

from cnpark import ui
from cnpark.ui import meeting

view = ui.data_page("pages/group.py")
groups = {g: g for g in view.catalog.groups}
first = next(iter(groups))
# the projector shows the group of the link (no widget); its name and count head the screen
group = ui.url_value("group", groups, first) if view.meeting else ui.url_choice("分组", "group", groups, first)
members = ui.statuses_in_group(view, group)
meeting.screens(view, [*ui.gauge_screens(view, group, members),
                       ("条款与责任单位", lambda: ui.table(ui.clause_table(members)))])
