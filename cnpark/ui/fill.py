"""The 填报 page's parts: a responsible unit reports its month on the page (四(四)). Its tasks, prefilled from its last
report, in a form (a choice list for 完成状态; the words kept as a draft in the session until submitted); its
projects' monthly rows and the figures it is the 数据来源单位 of, in data editors (a choice list for 阶段). Each
form's rows go through the one upload path as the dataset's template file (check_upload with the unit's scope, then
commit_upload with the unit as author), so the page and a file say the same things. The 督查室's decision on each
of the month's reports — and a return's reason — is shown above the forms.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from cnpark.auth import Account
from cnpark.outputs.exports import filled_csv
from cnpark.rules.reviews import STATES
from cnpark.rules.scope import cell_text
from cnpark.service.uploads import SAME_AS_CURRENT, check_upload, commit_upload
from cnpark.store.datasets import DATASET_NAMES, PROJECT_STAGES, TASK_STATES
from cnpark.ui import uploads, warm
from cnpark.ui.cache import get_store
from cnpark.ui.frame import View, plain

CHOOSE = "（请选择）"


def review_line(view: View, account: Account, month: str) -> None:
    """The 督查室's state of each of the unit's reports of the month, with a return's reason."""
    for s in view.at(month).review_states:
        if s.unit != account.unit:
            continue
        text = f"{month} {DATASET_NAMES[s.dataset]}：**{STATES[s.state]}**"
        if s.state == "returned":
            st.warning(f"{text}。退回理由：{plain(s.reason)}。请修改后重新提交。", icon=":material/undo:")
        elif s.state == "approved":
            st.success(f"{text}（{plain(s.decided_by)}）。如需更正，修改后再次提交将重新进入审核。", icon=":material/verified:")
        elif s.state == "submitted":
            st.info(f"{text}（{s.at[:16].replace('T', ' ')} 提交）", icon=":material/schedule_send:")
        else:
            st.info(f"{text}。", icon=":material/edit_note:")


def forms(view: View, account: Account, month: str) -> None:
    """The unit's forms of the month, one tab each for what it reports."""
    readings = view.at(month)
    parts = [("工作进展", task_form)]
    if len(readings.project_drafts(account.unit)):
        parts.append(("重点项目", project_form))
    if len(readings.figure_drafts(account.unit)):
        parts.append(("指标数据", figure_form))
    st.caption("也可以在“数据上传”页上传本单位的文件（同样的模板、同样的检查）。")
    if len(parts) == 1:
        task_form(view, account, month)
        return
    for tab, (_, part) in zip(st.tabs([name for name, _ in parts]), parts):
        with tab:
            part(view, account, month)


def task_form(view: View, account: Account, month: str) -> None:
    """Every task the plan gives the unit, prefilled; 提交报送 sends what is filled in."""
    drafts = view.at(month).drafts(account.unit)
    if not drafts:
        st.info(f"计划没有交给{plain(account.unit)}的任务。", icon=":material/info:")
        return
    st.caption(f"计划交给{plain(account.unit)}的任务 {len(drafts)} 条。已有报送的按本月所报填好；本月尚未报送的，文字取上次"
               "报送，完成状态请重新选择。未选完成状态的任务不报送。")
    options = [CHOOSE, *TASK_STATES]
    kept = _kept(account, month, "tasks")          # a draft kept in the session (暂存草稿), else the stored rows
    # enter_to_submit=False: Ctrl+Enter in a text area does not send the month half-written, and Streamlit paints no
    # "Press Ctrl+Enter to submit form" under it (English, the only words on the page that are not Chinese)
    with st.form(f"fill-{month}", enter_to_submit=False):
        for d in drafts:
            st.markdown(f"**{plain(d.task.label)}**" + (f"　·　上次报送 {d.since}" if d.since and not d.state else ""))
            key = f"fill-{month}-{d.task.number}"
            state = kept.get(f"{key}-state", d.state)
            st.selectbox("完成状态", options, index=options.index(state) if state in options else 0,
                         key=f"{key}-state", placeholder="请选择完成状态")     # shown once its text is deleted
            st.text_area("进展情况", kept.get(f"{key}-progress", d.progress), key=f"{key}-progress", height=68)
            left, right = st.columns(2)
            left.text_area("存在问题", kept.get(f"{key}-problems", d.problems), key=f"{key}-problems", height=68)
            right.text_area("下步打算", kept.get(f"{key}-next", d.next_steps), key=f"{key}-next", height=68)
        sent, save = _buttons("提交报送")
    if save:
        _keep(account, month, "tasks", {k: st.session_state[k] for d in drafts
                                        for k in (f"fill-{month}-{d.task.number}-{part}"
                                                  for part in ("state", "progress", "problems", "next"))})
    if sent:
        submit(view, account, month, drafts)


def submit(view: View, account: Account, month: str, drafts) -> None:
    """The task form's rows (those with a 完成状态 chosen), as the unit."""
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
    send(view, account, month, "tasks", rows)


PROJECT_EDITS = ("阶段", "累计到位资金(万元)", "本年累计完成投资(万元)", "签约日期", "计划开工日期", "实际开工日期", "投产日期",
                 "备注")
MONEY = ("累计到位资金(万元)", "本年累计完成投资(万元)")
DATES = ("签约日期", "计划开工日期", "实际开工日期", "投产日期")


def project_form(view: View, account: Account, month: str) -> None:
    """The unit's projects, one row each, prefilled; 提交项目台账 sends every row."""
    drafts = view.at(month).project_drafts(account.unit)
    since = "、".join(sorted(set(drafts["上次报送"])))
    st.caption(f"{plain(account.unit)}负责的项目 {len(drafts)} 个，按{since}报送的台账填好；请改阶段、到位资金、"
               "本年累计完成投资与各日期（日期写 2025-06-30 或 2025-06）。新项目请用“数据上传”页上传台账文件。")
    kept = _kept(account, month, "projects")
    shown = pd.DataFrame(kept["rows"], columns=drafts.columns) if kept else drafts
    shown = shown.assign(**{c: pd.to_numeric(shown[c], errors="coerce") for c in MONEY})
    columns = {
        "项目编号": st.column_config.TextColumn("项目编号", disabled=True),
        "项目名称": st.column_config.TextColumn("项目名称", disabled=True),
        "阶段": st.column_config.SelectboxColumn("阶段", options=list(PROJECT_STAGES), required=True),
        **{c: st.column_config.NumberColumn(c, min_value=0.0, format="%.0f") for c in MONEY},
        **{c: st.column_config.TextColumn(c, width=14 * len(c) + 36) for c in DATES},   # the header whole
        "备注": st.column_config.TextColumn("备注", width=72),
    }
    with st.form(f"fill-projects-{month}"):
        edited = st.data_editor(shown, column_order=["项目编号", "项目名称", *PROJECT_EDITS],
                                column_config=columns, hide_index=True, num_rows="fixed", width="stretch",
                                key=f"fill-projects-{month}-editor")
        sent, save = _buttons("提交项目台账")
    rows = [{k: cell_text(v) for k, v in r.items()} for r in edited.to_dict("records")]
    if save:
        _keep(account, month, "projects", {"rows": rows})
    if sent:
        send(view, account, month, "projects", rows)


def figure_form(view: View, account: Account, month: str) -> None:
    """The targets the unit is the 数据来源单位 of; 提交指标数据 sends the rows with a 数值."""
    drafts = view.at(month).figure_drafts(account.unit)
    owed = drafts[drafts["本月应报"] == "是"]["指标"].tolist()
    st.caption(f"{plain(account.unit)}是以下指标的数据来源单位。" +
               (f"本月应报：{'、'.join(owed)}。" if owed else "本月没有应报的指标（年度指标 12 月报送）。") +
               "数值为本年累计或期末数，单位可改（如 25 万吨自动换算为吨）；里程碑填 完成 或 未完成；空着的行不报送。")
    columns = {c: st.column_config.TextColumn(c, disabled=True) for c in ("指标", "本月应报", "上次数值", "上次期间")}
    kept = _kept(account, month, "indicators")
    with st.form(f"fill-figures-{month}"):
        edited = st.data_editor(pd.DataFrame(kept["rows"], columns=drafts.columns) if kept else drafts, column_order=["指标", "本月应报", "数值", "单位", "备注", "上次数值", "上次期间"],
                                column_config=columns, hide_index=True, num_rows="fixed", width="stretch",
                                key=f"fill-figures-{month}-editor")
        sent, save = _buttons("提交指标数据")
    if save:
        _keep(account, month, "indicators", {"rows": [{k: cell_text(v) for k, v in r.items()}
                                                      for r in edited.to_dict("records")]})
    if sent:
        rows = [{k: cell_text(v) for k, v in r.items()} for r in edited.to_dict("records") if cell_text(r["数值"])]
        if not rows:
            st.error("没有填写数值的指标，未报送。", icon=":material/error:")
            return
        send(view, account, month, "indicators", rows)


def _buttons(label: str) -> tuple[bool, bool]:
    """A form's two buttons: send (stored, for review), or keep the draft in this session only."""
    left, right = st.columns([1, 4])
    sent = left.form_submit_button(label, type="primary")
    save = right.form_submit_button("暂存草稿", help="只保存在本次登录的会话中，不入库、不报送；离开本页后回来仍在")
    return sent, save


def _kept(account: Account, month: str, dataset: str) -> dict:
    """The draft of a form the unit kept in this session (暂存草稿): {} when none."""
    return st.session_state.get("fill_drafts", {}).get((account.unit, month, dataset), {})


def _keep(account: Account, month: str, dataset: str, draft: dict) -> None:
    st.session_state.setdefault("fill_drafts", {})[(account.unit, month, dataset)] = draft
    st.success(f"草稿已暂存（{DATASET_NAMES[dataset]}，未报送）：本次登录中离开本页再回来仍在；点“提交”后才入库，"
               "交督查室审核。", icon=":material/save:")


def send(view: View, account: Account, month: str, dataset: str, rows: list[dict]) -> None:
    """A form's rows through the one upload path (the template file, the unit's scope), stored as the unit."""
    store = get_store()
    upload = check_upload(store, view.catalog, filled_csv(dataset, rows), f"填报-{account.unit}-{month}.csv", dataset,
                          preview=False, unit=account.unit)
    if upload.same:
        st.info(f"{SAME_AS_CURRENT}：所填内容与已报送的相同。", icon=":material/info:")
        return
    if not upload.ok:
        uploads.upload_report(view, upload)
        return
    entry = commit_upload(store, upload, account.author)
    st.session_state.get("fill_drafts", {}).pop((account.unit, month, dataset), None)     # sent: no draft left
    warm.nudge()
    st.session_state["fill_done"] = (f"已报送：{month} {DATASET_NAMES[dataset]} {entry.rows} 条（记录 {entry.id}），"
                                     "等待督查室审核。")
    st.rerun()
