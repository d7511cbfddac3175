"""The link is the view: what a link asks that cannot be followed is said in one line under the page's title (never
a silent substitution), and 复制链接 gives the address of exactly this view — or of this view with its data pinned."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from cnpark.ui.text import plain

# Every parameter a link may carry, by the name a user knows it by (the one-line notes say it so).
PARAM_NAMES = {"plan": "规划", "as_of": "截至月份", "snapshot": "数据版本", "mode": "模式", "screen": "屏号",
               "cycle": "自动翻屏间隔（秒）", "deadline": "期限年度", "view": "显示方式", "sort": "排列方式", "group": "分组",
               "area": "产业", "since": "对比月份", "unit": "责任单位", "task": "任务", "chain": "产业链", "stage": "阶段",
               "project": "项目", "month": "报送月份"}
STREAMLIT_PARAMS = ("embed", "embed_options")     # Streamlit's own, for embedding


_NOTES = "_link_notes"      # this run's notes: the lines said so far, and where they go once the page has a title


def link_note(key: str, asked: str, instead: str, why: str = "无效") -> None:
    """One line for a parameter of the link that cannot be followed: what was asked, why not, what is shown instead
    (never a silent substitution). Said once per run, under the page's title."""
    text = f"链接中的{PARAM_NAMES.get(key, '参数')}“{plain(asked)}”{why}，现显示{instead}。"
    notes = st.session_state.setdefault(_NOTES, {"box": None, "lines": []})
    if text in notes["lines"]:
        return
    notes["lines"].append(text)
    if notes["box"] is not None:
        notes["box"].info(text, icon=":material/link_off:")


def begin_notes() -> None:
    st.session_state[_NOTES] = {"box": None, "lines": []}


def place_notes() -> None:
    """The notes' place, under the title; the notes said before it (the sidebar's selectors) are written there."""
    notes = st.session_state[_NOTES]
    notes["box"] = st.container()
    for text in notes["lines"]:
        notes["box"].info(text, icon=":material/link_off:")


def unknown_params() -> None:
    """A parameter no page knows (a typo such as asof=) is said and dropped, not silently ignored."""
    for key in [k for k in st.query_params if k not in PARAM_NAMES and k not in STREAMLIT_PARAMS]:
        value = st.query_params[key]
        st.query_params.pop(key, None)
        link_note(key, f"{key}={value}", "未按它筛选的视图", "本系统不认识")


def copy_link(as_of: str | None, snapshot: str | None, latest: str | None):
    """A visible “复制链接” control with the full address of exactly this view; returns what rewrites it at the end of
    the run (the page's own choices — task, project, unit, filters — are set into the URL after the sidebar is drawn)."""
    with st.popover("复制链接", icon=":material/link:", help="复制本页链接，打开后显示完全相同的视图"):
        box = st.empty()

    def write() -> None:
        query = st.query_params.to_dict()
        # st.context.url has no query string; the view's state is all in it
        here = f"{st.context.url or ''}{'?' + urlencode(query) if query else ''}"
        with box.container():
            if snapshot is not None or latest is None or as_of is None:
                st.caption("复制下面的链接发给同事，打开即是同一页面、同一视图" +
                           (f"、同一数据版本（{snapshot}）：" if snapshot else "（数据为打开时的最新数据）："))
                st.code(here, language=None, wrap_lines=True)
                return
            st.caption("本页链接：打开即是同一页面、同一视图，月份与数据为打开时的最新：")
            st.code(here, language=None, wrap_lines=True)
            pinned = urlencode({**query, "as_of": as_of, "snapshot": latest})
            st.caption(f"固定数据的链接：截至 {as_of}、数据版本 {latest}，以后有新上传，打开仍是现在看到的数字：")
            st.code(f"{st.context.url or ''}?{pinned}", language=None, wrap_lines=True)
    write()
    return write
