"""The 审核 page's parts: the 督查室 reviews the units' months (四(四)). Every report due for the month with its state;
a unit's submission opened beside the month before; approve it (or every one awaiting review), or return it with a
reason the unit sees on its 填报 page. Each decision goes through service/review.py: an entry of the store's
manifest, naming the upload it was made on.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cnpark.auth import Account
from cnpark.rules.reviews import STATES
from cnpark.service.review import decide
from cnpark.store.datasets import DATASET_NAMES
from cnpark.store.manifest import StoreError
from cnpark.ui import warm
from cnpark.ui.cache import get_store
from cnpark.ui.frame import View, plain
from cnpark.ui.widgets import table, url_select

ALL = ""
KEYS = {"not_reported": "missed", "submitted": "lagging", "returned": "off_track", "approved": "met"}   # colours


def states_table(view: View, month: str) -> list:
    """Every report due for the month, its state coloured; returns them."""
    found = view.at(month).review_states
    counts = {k: sum(s.state == k for s in found) for k in STATES}
    st.markdown(f"**{month} 应报 {len(found)} 份**：" + "，".join(f"{w} {counts[k]}" for k, w in STATES.items()))
    table(pd.DataFrame([{"责任单位": s.unit, "数据集": DATASET_NAMES[s.dataset], "状态": s.word,
                         "报送时间": s.at[:16].replace("T", " ") or "—", "报送人": s.by or "—",
                         "退回理由": s.reason or "", "_key": KEYS[s.state]} for s in found]))
    return found


def decisions(view: View, account: Account, month: str, found: list) -> None:
    """Open one unit's submission and decide; or approve every one awaiting review."""
    waiting = [s for s in found if s.state == "submitted"]
    if not waiting:
        st.info(f"{month} 没有待审核的报送。", icon=":material/task_alt:")
        return
    shown = {}                  # each unit's submissions as this run shows them
    for s in waiting:
        shown.setdefault(s.unit, []).append(s.entry)
    units = list(shown)
    unit = url_select("打开待审核的报送", "unit", {ALL: "选择责任单位", **{u: u for u in units}}, ALL, False)
    if unit:
        readings = view.at(month)
        datasets = list(dict.fromkeys(s.dataset for s in waiting if s.unit == unit))
        for dataset in datasets:
            st.markdown(f"**{plain(unit)} {month} 的{DATASET_NAMES[dataset]}**（与上月对照）")
            table(readings.unit_month(unit) if dataset == "tasks" else readings.unit_rows(unit, dataset))
        with st.expander(f"{plain(unit)} {month} 的各次报送与审核记录"):
            table(readings.versions(unit))
        only = None             # one report of several: the others stay awaiting review
        if len(datasets) > 1:
            words = {ALL: "全部（" + "、".join(DATASET_NAMES[d] for d in datasets) + "）",
                     **{d: f"仅{DATASET_NAMES[d]}" for d in datasets}}
            only = st.radio("审核范围", list(words), format_func=words.get, horizontal=True,
                            key=f"scope-{month}-{unit}") or None
        approve_col, return_col = st.columns([1, 3], vertical_alignment="bottom")
        reason = return_col.text_input("退回理由（单位在填报页看到）", key=f"reason-{month}-{unit}")
        if approve_col.button("审核通过", type="primary", key=f"approve-{month}-{unit}", on_click=_seen, args=(shown,)):
            _decide(view, account, unit, month, True, dataset=only)
        if return_col.button("退回", key=f"return-{month}-{unit}", on_click=_seen, args=(shown,)):
            if reason.strip():
                _decide(view, account, unit, month, False, reason, dataset=only)
            else:
                st.error("退回须写明理由。", icon=":material/error:")
    if st.button(f"全部通过（待审核 {len(units)} 个单位）", key=f"approve-all-{month}", on_click=_seen, args=(shown,)):
        for u in st.session_state["review_seen"]:      # the units the reviewer saw listed (a newcomer waits)
            _decide(view, account, u, month, True, rerun=False)
        st.rerun()


def _seen(shown: dict[str, list[str]]) -> None:
    """A decision button's callback: what the run the reviewer clicked in showed (its arguments are that run's). The
    click's own run reads the store again, and may already show a version the unit sent since."""
    st.session_state["review_seen"] = shown


def _decide(view: View, account: Account, unit: str, month: str, approve: bool, reason: str = "",
            rerun: bool = True, dataset: str | None = None) -> None:
    seen = st.session_state.get("review_seen", {}).get(unit, [])
    try:
        done = decide(get_store(), view.catalog, unit, month, approve, reason, account.name, dataset, seen=seen)
    except StoreError as e:          # decided meanwhile by someone else, or resubmitted
        st.error(f"未记录：{e}。", icon=":material/error:")
        return
    warm.nudge()
    word = "审核通过" if approve else "已退回"
    what = "、".join(DATASET_NAMES[e.dataset] for e in done)
    st.session_state["review_done"] = f"{word}：{unit} {month} {what}（记录 {'、'.join(e.id for e in done)}）"
    if rerun:
        st.rerun()

