"""重点项目 (第8条): the pipeline as of the month — the four rates against a year earlier, the funnel, the stalled
projects with their reasons, every project with filters in the URL, one project's months."""

from cnpark import ui
from cnpark.ui import meeting, pipeline

view = ui.data_page("pages/projects.py")
meeting.screens(view, pipeline.parts(view))
