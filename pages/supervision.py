"""督办清单: the goals behind (滞后, 严重滞后, 未达标) by responsible unit, with the gap and since when; what changed
since an earlier month; and the 调度会 take-away — the PDF brief, PNG slides and gauges, the status table."""

import streamlit as st

from cnpark import ui
from cnpark.ui import briefs

view = ui.page("督办清单", "pages/supervision.py")
if view.report is None:
    st.stop()

found = briefs.items(view)
briefs.summary(found)
briefs.by_unit(found)

st.subheader("与上次调度会相比")
since = briefs.since_selector(view, ui.data_months_of(view))
if since:
    briefs.changes(view, since)
else:
    st.info("截至月份之前没有可比较的月份。")

st.subheader("调度会材料")
include = since is not None and st.checkbox(f"简报中包含与 {since} 相比的变化", value=True)
briefs.downloads(view, since, include)
st.caption("简报为 A4 PDF（标题、汇总、全部仪表盘、目标一览表、督办清单、说明），状态均以文字标注，黑白打印同样可读；"
           "图片包含每个分组一张 16:9 幻灯片和每个仪表盘一张 PNG。命令行：`python -m cnpark brief --as-of 月份 --out 简报.pdf`。")
