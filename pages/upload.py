"""数据上传: check a file, see what it would change, store it; the upload history with rollback; templates."""

import streamlit as st

from cnpark import ui
from cnpark.ui import uploads

view = ui.page("pages/upload.py", needs_data=False)    # an empty store still takes uploads
uploads.templates(view)

# No st.stop() for a visitor who is not signed in: a stopped run skips Streamlit's end-of-run cleanup, and widget
# values a crafted request sent for the analyst's controls would survive until a sign-in and fire then
# (tests/test_crafted_requests.py). Every run, signed in or not, ends normally.
account = uploads.signed_in()
if account is not None and not account.uploads:
    st.info("督查室账号用于审核各单位的报送，请到“审核”页。", icon=":material/info:")
elif account is not None:
    st.caption(uploads.signed_in_line(account))

    st.subheader("上传文件")
    st.html(uploads.uploader_css())
    file = st.file_uploader(uploads.upload_label(), type=None,      # any file: our check says what is wrong
                            key=f"file-{st.session_state.get('upload_round', 0)}")
    dataset = st.selectbox("数据集", [None, *uploads.datasets_for(account)], format_func=uploads.dataset_label, placeholder="请选择")
    if file is not None:
        upload = uploads.checked(view, file.getvalue(), file.name, dataset, account)
        uploads.upload_report(view, upload)
        if not upload.same and st.button("确认入库", type="primary", disabled=not upload.ok):
            uploads.commit(upload, account.author)
    if st.session_state.get("upload_done"):
        st.success(st.session_state.pop("upload_done"), icon=":material/check_circle:")

    st.subheader("上传记录")
    uploads.upload_history(view, account)
