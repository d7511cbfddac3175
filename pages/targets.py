"""目标清单: every target of the plan, with the clause it comes from, its deadline and responsible units."""

from cnpark import ui
from cnpark.ui import meeting

view = ui.page("pages/targets.py", needs_data=False)
ui.plan_facts(view.catalog)
meeting.screens(view, ui.table_screens(ui.catalog_table(view.catalog), "目标清单", meeting_rows=10,
                                      meeting_columns=["分组", "目标", "目标值", "期限", "条款"]))
