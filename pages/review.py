"""审核: the 督查室 reviews each unit's month — every report due with its state, a submission beside the month before,
approve or return with a reason (四(四))."""

import streamlit as st

from cnpark import ui
from cnpark.ui import review, uploads

view = ui.page("pages/review.py", needs_data=False)
account = uploads.signed_in_as("reviewer", "审核页供督查室使用；责任单位请在“填报”页报送，分析人员请在“数据上传”页上传。")
if account is not None:
    month = uploads.report_month(view, "审核月份")
    if st.session_state.get("review_done"):
        st.success(st.session_state.pop("review_done"), icon=":material/check_circle:")
    review.decisions(view, account, month, review.states_table(view, month))
