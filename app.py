"""总览: the final reckoning by deadline year, then every target of the plan as a gauge (or a table), as of the chosen
month; in meeting mode, screens that each fit the projector."""

from cnpark import ui
from cnpark.ui import dashboard, meeting

view = ui.data_page("app.py")
meeting.screens(view, dashboard.parts(view))
