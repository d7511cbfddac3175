"""填报: a responsible unit signs in and reports its month — its tasks, its projects' rows and the figures it is the
source of, prefilled from its last report — and sees the 督查室's decisions (四(四)). The same check and store as an
uploaded file."""

import streamlit as st

from cnpark import ui
from cnpark.ui import fill, uploads

view = ui.page("pages/report.py", needs_data=False)
account = uploads.signed_in_as("unit", "填报页供责任单位报送本单位的月报；分析人员请在“数据上传”页上传文件，督查室请到“审核”页。")
if account is not None:
    month = uploads.report_month(view, "报送月份")
    if st.session_state.get("fill_done"):
        st.success(st.session_state.pop("fill_done"), icon=":material/check_circle:")
    fill.review_line(view, account, month)
    fill.forms(view, account, month)
