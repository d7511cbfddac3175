"""The 数据上传 page's parts: who may change data, the templates, checking a file and storing what was checked
(service.check_upload → service.commit_upload, the CLI's path too), its report, the history with rollback."""

from __future__ import annotations

import threading
import time
from datetime import date

import streamlit as st

from cnpark import settings
from cnpark.auth import ROLES, Account, account_of, backoff_seconds, verify_password
from cnpark.outputs.exports import csv_bytes, history_frame, make_template, problems_frame, template_xlsx
from cnpark.plan.months import month_index, month_of
from cnpark.rules.changes import rows_frame
from cnpark.rules.scope import UNIT_DATASETS
from cnpark.service.uploads import SAME_AS_CURRENT, Upload, check_upload, commit_upload
from cnpark.store.datasets import DATASET_NAMES, REGISTRY
from cnpark.store.snapshots import ALREADY_CURRENT, StoreError
from cnpark.ui import warm
from cnpark.ui.cache import get_plans, get_store
from cnpark.ui.frame import View, plain
from cnpark.ui.widgets import opened, url_select

LAYOUT_NAMES = {"long": "长表（每行一个指标和期间）", "wide_indicator": "宽表（每列一个指标）",
                "wide_period": "宽表（每列一个期间）", "table": "台账（每行一条记录）"}
# What the uploader suggests (its label and instructions). The uploader itself takes any file (type=None in
# pages/upload.py): given a list, Streamlit's browser side refuses other files with only a red "!" and an English
# "… files are not allowed."; parse/workbooks.py says in Chinese what a picture or a WPS .et is and what to do.
TYPES = ("xlsx", "xls", "xlsb", "ods", "csv", "txt", "tsv")


def uploader_css() -> str:
    """Streamlit's file uploader writes its own English ("Upload", "50MB per file • …", a chosen file's size
    "338.0B", an upload error) and has no API to change it (Streamlit issue 13500). This rule, scoped to the
    uploader, hides those texts and writes Chinese in their place; tests/browser/test_upload.py reads what the
    browser paints."""
    limit = int(settings.number("max_upload_mb"))
    chip = '[data-testid="stFileUploader"] [data-testid="stFileChip"]'
    return f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"],
[data-testid="stFileUploaderDropzoneInstructions"] span {{display: none !important;}}
[data-testid="stFileUploaderDropzone"] button span[data-has-shortcut]::after {{content: "选择文件";}}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{
  content: "单个文件不超过 {limit} 兆字节（{'、'.join(t.upper() for t in TYPES)}）"; font-size: 0.875rem; color: #666;}}
{chip} [data-testid="stFileChipName"] ~ * {{display: none !important;}}
{chip} [role="alert"] {{font-size: 0 !important;}}
{chip} [role="alert"]::after {{content: "上传未完成：文件超过 {limit} 兆字节或网络中断，请检查后重新选择文件";
  font-size: 0.875rem;}}
</style>"""


def dataset_label(dataset: str | None) -> str:
    return "按列名自动识别" if dataset is None else DATASET_NAMES[dataset]


def upload_label() -> str:
    return f"选择或拖入文件（{'、'.join(t.upper() for t in TYPES)}，最大 {int(settings.number('max_upload_mb'))} 兆字节）"


def _secrets() -> dict:
    """st.secrets as a plain dict; {} when there is no secrets.toml (reading it then raises)."""
    try:
        return {k: st.secrets[k] for k in st.secrets}
    except Exception:  # no secrets file, or an unreadable one: no accounts, and the page says how to add them
        return {}


def _single_sign_on(name: str, secrets_: dict) -> Account:
    """Who a name from single sign-on is: the 督查室 when secrets.toml lists it (sso_reviewers = ["wangwu"]); a unit's
    account when it maps it to a unit ([sso_units] "zhangsan" = "县自然资源局"); else an analyst."""
    if name in [str(n) for n in secrets_.get("sso_reviewers", [])]:
        return Account(name, "reviewer")
    unit = str(dict(secrets_.get("sso_units", {})).get(name, "")).strip()
    return Account(name, "unit", unit) if unit else Account(name)


def _who(secrets_: dict) -> tuple[str, Account | None]:
    """How someone is signed in — "header" (SSO), "oidc", "session" (an account of secrets.toml, in this browser)
    or "" — and as whom. Draws nothing."""
    header = settings.get("user_header")
    if header and st.context.headers.get(header):
        return "header", _single_sign_on(st.context.headers.get(header), secrets_)
    if "auth" in secrets_:
        if st.user.get("is_logged_in"):
            return "oidc", _single_sign_on(str(st.user.get("name") or st.user.get("email")), secrets_)
        return "", None
    account = st.session_state.get("analyst")        # set by a sign-in here, never by a widget
    if isinstance(account, Account) and st.session_state.get("analyst_client") == _client():
        return "session", account
    return "", None


def account_now() -> Account | None:
    """Who is signed in, drawing nothing (no form): for a part of a viewing page offered only to a role."""
    return _who(_secrets())[1]


def signed_in() -> Account | None:
    """Who is signed in (SSO header, OIDC or an account in secrets.toml); otherwise draws the sign-in form, or how
    to configure accounts, and returns None. Viewing never needs this."""
    secrets_ = _secrets()
    how, account = _who(secrets_)
    if how == "header":
        return account
    if how == "oidc":
        st.button("退出登录", on_click=st.logout, key="sign-out")
        return account
    if "auth" in secrets_:
        st.button("单点登录", on_click=st.login, type="primary")
        return None
    if how == "session":
        st.button("退出登录", on_click=sign_out, key="sign-out")
        return account
    if isinstance(st.session_state.get("analyst"), Account):
        # The same session reached from another browser (a session id is enough to resume one): sign out.
        for key in ("analyst", "analyst_client"):
            st.session_state.pop(key, None)
        st.warning("登录已失效，请重新登录。")
    accounts = {name: dict(v) for name, v in dict(secrets_.get("accounts", {})).items()}
    if not accounts:
        st.warning("尚未配置分析人员账号，上传与回滚暂不可用。请系统管理员按使用说明“数据上传（分析人员）”一节"
                   "为分析人员配置账号。", icon=":material/lock:")
        return None
    with st.form("login"):
        st.markdown("**分析人员、责任单位与督查室登录**（查看无需登录；上传、报送、审核与回滚需要）")
        username = st.text_input("账号")
        password = st.text_input("密码", type="password")
        submitted = st.form_submit_button("登录", type="primary")
    if submitted:
        account = _sign_in(accounts, username, password)
        if account:
            st.session_state["analyst"] = account
            st.session_state["analyst_client"] = _client()
            st.rerun()
    return None


def sign_out() -> None:
    """Forget this browser's sign-in (the next upload or rollback asks for the password again)."""
    for key in ("analyst", "analyst_client", "upload_done"):
        st.session_state.pop(key, None)


def _client() -> str | None:
    """This browser: its XSRF cookie, which Streamlit sets per browser and never puts in a URL or a log. A sign-in
    holds only for the browser that made it, even when someone else resumes the session by its id."""
    return dict(st.context.cookies).get("_streamlit_xsrf")


@st.cache_resource
def _attempts() -> dict[str, tuple[int, float]]:
    """Per account name, for the whole server: wrong passwords in a row, and when the next try is allowed.
    Kept here, not in the session, so that opening new sessions does not reset the back-off."""
    return {}


_attempts_lock = threading.Lock()


def _sign_in(accounts: dict, username: str, password: str) -> Account | None:
    """Check a password, with a back-off after repeated failures (per account name and per session); the name."""
    name, attempts = username.strip(), _attempts()
    with _attempts_lock:
        failures, until = attempts.get(name, (0, 0.0))
    wait = max(until, st.session_state.get("login_wait_until", 0.0)) - time.monotonic()
    if wait > 0:
        st.error(f"密码错误次数过多，请 {wait:.0f} 秒后再试。")
        return None
    entry = accounts.get(name)
    account = account_of(name, entry) if entry else None
    if account and verify_password(password, entry.get("password_hash", "")):
        with _attempts_lock:
            attempts.pop(name, None)
        st.session_state["login_failures"] = 0
        return account
    with _attempts_lock:
        if len(attempts) > 10_000:          # names that are no account must not grow this without end
            attempts.clear()
        attempts[name] = (failures + 1, time.monotonic() + backoff_seconds(failures + 1))
    in_session = st.session_state.get("login_failures", 0) + 1
    st.session_state["login_failures"] = in_session
    st.session_state["login_wait_until"] = time.monotonic() + backoff_seconds(in_session)
    st.error("账号或密码不正确。")
    return None


@st.cache_data(show_spinner="正在检查文件…", max_entries=8)
def _check(root: str, version: tuple[int, int], plan: str, data: bytes, filename: str, dataset: str | None,
           unit: str | None) -> Upload:
    catalog = get_plans().get(plan)
    return check_upload(get_store(), catalog, data, filename, dataset, names=get_plans().names(catalog), unit=unit)


def checked(view: View, data: bytes, filename: str, dataset: str | None, account: Account) -> Upload:
    """The file checked and previewed against this run's data (cached per file, data version and the unit whose
    rows alone a unit's account may store)."""
    return _check(view.state.root, view.state.version, view.catalog.code, data, filename, dataset, account.scope)


def commit(upload: Upload, user: str) -> None:
    """Store what was checked (the bytes the check read, not a second copy), warm the new data and say so."""
    entry = commit_upload(get_store(), upload, user)
    warm.nudge()        # the first viewer of the new data meets a warm page
    st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
    st.session_state["history_entry"] = entry.id    # the history then shows the new snapshot
    st.session_state["upload_done"] = f"已入库：快照 {entry.id}，{entry.rows} 行。各页面下次刷新即显示新数据。"
    st.rerun()


def templates(view: View) -> None:
    """Each dataset's fill-in template, CSV and Excel from the same rows, for the month chosen (the 工作进展 template
    lists every task and unit of that month)."""
    catalog = view.catalog
    with st.expander("填报模板（CSV / Excel）"):
        months = template_months(catalog)
        month = st.selectbox("模板中的期间", months, index=len(months) - 1, key="template-month",
                             help="工作进展模板按所选月份列出全部任务及其每个责任单位", placeholder="请选择")
        for dataset in REGISTRY:
            csv_file, xlsx_file = _template(catalog.code, view.state.edition, dataset, month)
            csv_col, xlsx_col = st.columns(2)
            csv_col.download_button(f"{DATASET_NAMES[dataset]}模板（CSV）", csv_file, f"{dataset}-模板-{month}.csv",
                                    "text/csv", key=f"tpl-csv-{dataset}")
            xlsx_col.download_button(f"{DATASET_NAMES[dataset]}模板（Excel）", xlsx_file, f"{dataset}-模板-{month}.xlsx",
                                     key=f"tpl-xlsx-{dataset}")


@st.cache_data(show_spinner=False, max_entries=64)
def _template(plan: str, edition: int, dataset: str, month: str) -> tuple[bytes, bytes]:
    """A dataset's template for a month, CSV and Excel, built once per plan (and edition of its files), not on every
    run of the page."""
    catalog = get_plans().get(plan)
    return make_template(dataset, catalog, month).encode("utf-8-sig"), template_xlsx(dataset, catalog, month)


def report_month(view: View, label: str) -> str:
    """The month a unit reports or the 督查室 reviews (?month=), latest first: by default the view's month, else the
    latest a template can be for."""
    months = list(reversed(template_months(view.catalog)))
    return url_select(label, "month", {m: m for m in months}, view.as_of if view.as_of in months else months[0], False)


def template_months(catalog) -> list[str]:
    """The months a template can be for: from the plan's first month to this month (at least the plan's end)."""
    last = max(catalog.end or "2025-12", date.today().strftime("%Y-%m"))
    return [month_of(i) for i in range(month_index(catalog.start) + 1, month_index(last) + 1)]


def upload_report(view: View, upload: Upload) -> None:
    """The check of an upload: counts, every problem (with a CSV download), the rows and what they change."""
    result, preview, filename = upload.result, upload.preview, upload.filename
    a, b, c, d = st.columns(4)
    a.metric("读取数据行", result.rows_read)
    b.metric("可导入记录", len(result.rows))
    c.metric("问题", len(result.problems))
    d.metric("跳过的空值", result.skipped)
    read = [plain(result.source)] if result.source else []
    if result.dataset in DATASET_NAMES:
        read.append(f"数据集：{DATASET_NAMES[result.dataset]}")
    if result.layout in LAYOUT_NAMES:
        read.append(f"版式：{LAYOUT_NAMES[result.layout]}")
    if read:
        st.caption(" · ".join(read))
    if result.problems:
        whole = [p for p in result.problems if p.row is None]          # the file as a whole: one sentence each
        rows = [p for p in result.problems if p.row is not None]
        for p in whole:
            st.error(f"文件未入库：{p.reason.rstrip('。')}。", icon=":material/error:")
        if rows:
            st.error(f"文件有 {len(rows)} 个问题，未入库。请修改后重新上传：", icon=":material/error:")
            problems = problems_frame(rows)
            st.dataframe(problems, hide_index=True, width="stretch", height=min(36 * (len(problems) + 1) + 3, 600))
            st.download_button("下载问题清单（CSV，可用 Excel 打开）", csv_bytes(problems), f"问题清单-{filename}.csv",
                               "text/csv")
        return
    if result.conversions:
        st.info("单位换算：" + "；".join(result.conversions), icon=":material/swap_horiz:")
    # Details drawn when opened (a rerun finds the check in its cache): what the analyst decides on comes first
    if parsed := opened(f"解析后的数据（{len(result.rows)} 行，目标清单单位）", "parsed-rows"):
        with parsed:
            st.dataframe(rows_frame(result.rows, result.dataset, get_plans().names(view.catalog)), hide_index=True,
                         width="stretch")
    if upload.same:
        st.info(f"{SAME_AS_CURRENT}：文件中的 {len(result.rows)} 行与当前数据完全相同。", icon=":material/info:")
    if preview is not None:
        st.markdown(f"**入库后的变化**：新增 {preview.new} 个数值，修改 {preview.changed} 个"
                    f"（其中变化超过 {settings.number('change_flag_share'):.0%} 的 {preview.flagged} 个），"
                    f"不变 {preview.unchanged} 个。")
        st.dataframe(preview.figures, hide_index=True, width="stretch")
        if len(preview.flips):
            st.warning(f"有 {len(preview.flips)} 项目标的状态将改变：", icon=":material/swap_vert:")
            st.dataframe(preview.flips, hide_index=True, width="stretch")


def signed_in_line(account: Account) -> str:
    """'当前分析人员：张三', or '当前账号：县自然资源局（责任单位，只能报送本单位的工作进展、项目与指标）'."""
    if account.role == "reviewer":
        return f"当前{ROLES['reviewer']}：{plain(account.name)}"
    if account.role == "unit":
        return f"当前账号：{plain(account.name)}（{ROLES['unit']} {plain(account.unit)}，只能报送本单位的工作进展、项目与指标）"
    return f"当前{ROLES['analyst']}：{plain(account.name)}"


def signed_in_as(role: str, elsewhere: str) -> Account | None:
    """The account signed in when it has this role (its line written); another account is told where to go
    (`elsewhere`); None when no one is signed in (the sign-in form is drawn)."""
    account = signed_in()
    if account is None:
        return None
    if account.role != role:
        st.info(elsewhere, icon=":material/info:")
        return None
    st.caption(signed_in_line(account))
    return account


def datasets_for(account: Account) -> list[str]:
    """The datasets the account may upload: every one for an analyst; a unit's own reports (rules/scope.py)."""
    return list(REGISTRY) if account.scope is None else [d for d in REGISTRY if d in UNIT_DATASETS]


def upload_history(view: View, account: Account) -> None:
    """Every snapshot; view one's rows, download its original file; an analyst rolls back to it after
    confirming (a unit's account does not)."""
    store = get_store()
    entries = view.entries()
    if not entries:
        st.caption("尚无上传记录。")
        return
    st.dataframe(history_frame(entries), hide_index=True, width="stretch")
    ids = [e.id for e in reversed(entries)]
    # a confirmation given for one snapshot must not carry over to another
    chosen = st.selectbox("选择快照", ids, key="history_entry",
                          on_change=lambda: st.session_state.update(rollback_confirm=False), placeholder="请选择")
    entry = next(e for e in entries if e.id == chosen)
    if entry.kind == "upload":
        if rows := opened(f"{entry.id} 的数据行（{entry.rows} 行）", "history-rows"):   # read only when asked
            with rows:
                st.dataframe(store.read_snapshot(entry.id).drop(columns=["snapshot_id", "seq"]), hide_index=True,
                             width="stretch")
        st.download_button("下载原始文件", store.read_original(entry.id), entry.original, key="original")
    if account.role != "analyst":
        return
    user = account.author
    current = store.is_current(entry.id)
    if current:         # a rollback to the state already current would record a change that changes nothing
        st.info(f"{ALREADY_CURRENT.format(entry.id)}。请选择其他快照。", icon=":material/info:")
    confirm = st.checkbox(f"确认：把当前数据恢复为 {entry.id} 入库后的状态（记为新记录，不删除任何数据）",
                          key="rollback_confirm", disabled=current)
    if st.button("回滚", disabled=current or not confirm):
        try:
            done = store.rollback(entry.id, user=user)
        except StoreError as e:       # someone else's rollback or upload got there first
            st.error(f"未回滚：{e}。", icon=":material/error:")
            return
        warm.nudge()
        st.session_state["upload_done"] = f"已回滚：当前数据恢复为 {entry.id} 入库后的状态（记录为 {done.id}）。"
        st.session_state.pop("rollback_confirm", None)
        st.rerun()
