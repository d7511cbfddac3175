"""督办清单: the goals behind (滞后, 严重滞后, 未达标) by responsible unit, with the gap and since when; what changed
since an earlier month; and the 调度会 take-away — the PDF brief, PNG slides and gauges, the status table."""


from cnpark import ui
from cnpark.ui import briefs, meeting

view = ui.data_page("pages/supervision.py")
meeting.screens(view, briefs.parts(view))
