"""重点工作: the plan's 21 tasks by responsible unit for the as-of month — the matrix by section, a unit's own list
(?unit=), a task's detail (?task=) and 报送情况; in meeting mode a screen per section."""

from cnpark import ui
from cnpark.ui import meeting, work

view = ui.data_page("pages/tasks.py")
meeting.screens(view, work.parts(view))
