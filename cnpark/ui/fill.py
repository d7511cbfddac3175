"""The 填报 page's parts: a responsible unit reports its month on the page (四(四)). Its tasks, prefilled from its last
report, in a form (a choice list for 完成状态; the words kept as a draft in the session until submitted); the form's
rows go through the one upload path as the dataset's template file (check_upload with the unit's scope, then
commit_upload with the unit as author), so the page and a file say the same things. The 督查室's decision on the
month — and a return's reason — is shown above the form.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from cnpark.auth import Account
from cnpark.outputs.exports import filled_csv
from cnpark.rules.reviews import STATES
from cnpark.service.uploads import SAME_AS_CURRENT, check_upload, commit_upload
from cnpark.store.datasets import TASK_STATES
from cnpark.ui import uploads, warm
from cnpark.ui.cache import get_store
from cnpark.ui.frame import View, plain

CHOOSE = "（请选择）"


def review_line(view: View, account: Account, month: str) -> None:
    """The 督查室's state of the unit's month, with a return's reason."""
    mine = [s for s in view.at(month).review_states if s.unit == account.unit and s.dataset == "tasks"]
    if not mine:
        return
    s = mine[0]
    text = f"{month} 工作进展：**{STATES[s.state]}**"
    if s.state == "returned":
        st.warning(f"{text}。退回理由：{plain(s.reason)}。请修改后重新提交。", icon=":material/undo:")
    elif s.state == "approved":
        st.success(f"{text}（{plain(s.decided_by)}）", icon=":material/verified:")
    elif s.state == "submitted":
        st.info(f"{text}（{s.at[:16].replace('T', ' ')} 提交）", icon=":material/schedule_send:")
    else:
        st.info(f"{text}。", icon=":material/edit_note:")


def task_form(view: View, account: Account, month: str) -> None:
    """Every task the plan gives the unit, prefilled; 提交报送 sends what is filled in."""
    drafts = view.at(month).drafts(account.unit)
    if not drafts:
        st.info(f"计划没有交给{plain(account.unit)}的任务。", icon=":material/info:")
        return
    st.caption(f"计划交给{plain(account.unit)}的任务 {len(drafts)} 条。已有报送的按本月所报填好；本月尚未报送的，文字取上次"
               "报送，完成状态请重新选择。未选完成状态的任务不报送。")
    options = [CHOOSE, *TASK_STATES]
    with st.form(f"fill-{month}"):
        for d in drafts:
            st.markdown(f"**{plain(d.task.label)}**" + (f"　·　上次报送 {d.since}" if d.since and not d.state else ""))
            key = f"fill-{month}-{d.task.number}"
            st.selectbox("完成状态", options, index=options.index(d.state) if d.state in options else 0,
                         key=f"{key}-state")
            st.text_area("进展情况", d.progress, key=f"{key}-progress", height=68)
            left, right = st.columns(2)
            left.text_area("存在问题", d.problems, key=f"{key}-problems", height=68)
            right.text_area("下步打算", d.next_steps, key=f"{key}-next", height=68)
        sent = st.form_submit_button("提交报送", type="primary")
    if sent:
        submit(view, account, month, drafts)


def submit(view: View, account: Account, month: str, drafts) -> None:
    """The form's rows through the one upload path, as the unit."""
    rows = []
    for d in drafts:
        key = f"fill-{month}-{d.task.number}"
        state = st.session_state.get(f"{key}-state", CHOOSE)
        if state == CHOOSE:
            continue
        rows.append({"任务": d.task.label, "责任单位": account.unit, "期间": month, "完成状态": state,
                     "进展情况": st.session_state.get(f"{key}-progress", ""),
                     "存在问题": st.session_state.get(f"{key}-problems", ""),
                     "下步打算": st.session_state.get(f"{key}-next", ""),
                     "报送日期": date.today().isoformat()})
    if not rows:
        st.error("没有选择完成状态的任务，未报送。", icon=":material/error:")
        return
    store = get_store()
    upload = check_upload(store, view.catalog, filled_csv("tasks", rows), f"填报-{account.unit}-{month}.csv", "tasks",
                          preview=False, unit=account.unit)
    if upload.same:
        st.info(f"{SAME_AS_CURRENT}：所填内容与已报送的相同。", icon=":material/info:")
        return
    if not upload.ok:
        uploads.upload_report(view, upload)
        return
    entry = commit_upload(store, upload, account.author)
    warm.nudge()
    st.session_state["fill_done"] = f"已报送：{month} 工作进展 {entry.rows} 条（记录 {entry.id}），等待督查室审核。"
    st.rerun()
