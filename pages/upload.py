"""数据上传: check a file, see what it would change, store it; the upload history with rollback; templates."""

import streamlit as st

from cnpark import exports, ui
from cnpark.schema import DATASET_NAMES, DATASETS
from cnpark.service import commit_upload
from cnpark.ui import uploads, warm

ui.page("数据上传", "pages/upload.py", needs_data=False)    # an empty store still takes uploads
store, catalog = ui.get_store(), ui.get_catalog()

with st.expander("填报模板（CSV / Excel）"):
    for dataset in DATASETS:
        csv_col, xlsx_col = st.columns(2)
        csv_col.download_button(f"{DATASET_NAMES[dataset]}模板（CSV）", uploads.template_csv(dataset),
                                f"{dataset}-模板.csv", "text/csv", key=f"tpl-csv-{dataset}")
        xlsx_col.download_button(f"{DATASET_NAMES[dataset]}模板（Excel）", exports.template_xlsx(dataset, catalog),
                                 f"{dataset}-模板.xlsx", key=f"tpl-xlsx-{dataset}")

# No st.stop() for a visitor who is not signed in: a stopped run skips Streamlit's end-of-run cleanup, and widget
# values a crafted request sent for the analyst's controls would survive until a sign-in and fire then
# (tests/test_crafted_requests.py). Every run, signed in or not, ends normally.
user = uploads.analyst()
if user is not None:
    st.caption(f"当前分析人员：{ui.plain(user)}")

    st.subheader("上传文件")
    st.html(uploads.uploader_css())
    file = st.file_uploader(uploads.upload_label(), type=list(uploads.TYPES),
                            key=f"file-{st.session_state.get('upload_round', 0)}")
    dataset = st.selectbox("数据集", [None, *DATASETS], format_func=lambda d: "按列名自动识别" if d is None
                           else DATASET_NAMES[d])
    if file is not None:
        result, preview = uploads.check_upload(file.getvalue(), file.name, dataset)
        uploads.upload_report(result, preview, file.name)
        if st.button("确认入库", type="primary", disabled=not result.ok):
            entry = commit_upload(store, result, file.getvalue(), file.name, user)
            warm.nudge()        # the first viewer of the new data meets a warm page
            st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
            st.session_state["history_entry"] = entry.id    # the history then shows the new snapshot
            st.session_state["upload_done"] = f"已入库：快照 {entry.id}，{entry.rows} 行。各页面下次刷新即显示新数据。"
            st.rerun()
    if st.session_state.get("upload_done"):
        st.success(st.session_state.pop("upload_done"), icon=":material/check_circle:")

    st.subheader("上传记录")
    uploads.upload_history(user)
