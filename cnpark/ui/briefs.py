"""The 督办清单 page's parts: the list by responsible unit, the change since an earlier reading, the downloads."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from cnpark import brief
from cnpark.charts import target_text, value_text
from cnpark.pdf import FontMissing, font_file
from cnpark.service import month_history
from cnpark.status import STATUS_LABELS, format_figure
from cnpark.supervision import Change, Item, behind_since, by_department, change_label, compare, supervision_list
from cnpark.ui import View, _report, get_catalog, get_store, plain


@st.cache_data(show_spinner="正在计算各目标的历史状态…", max_entries=32)
def _items(root: str, version: tuple[int, int], as_of: str, at: str | None) -> list[Item]:
    store, catalog = get_store(), get_catalog()
    history = month_history(store, catalog, as_of, at)
    return supervision_list(_report(root, version, as_of, at).statuses, behind_since(history, as_of))


def items(view: View) -> list[Item]:
    store = get_store()
    return _items(str(store.root), store.version(), view.as_of, view.snapshot)


def summary(found: list[Item]) -> None:
    counts = {k: sum(it.status.status == k for it in found) for k in ("missed", "off_track", "lagging")}
    cols = st.columns(4)
    cols[0].metric("督办事项", len(found))
    for col, (status, n) in zip(cols[1:], counts.items()):
        col.metric(STATUS_LABELS[status], n)


def _item_frame(found: list[Item]) -> pd.DataFrame:
    return pd.DataFrame([{
        "目标": it.status.name, "期限": it.status.deadline, "状态": STATUS_LABELS[it.status.status],
        "差距": it.gap_text, "实际": value_text(it.status), "目标值": target_text(it.status).removeprefix("目标 "),
        "数据期": it.status.period or "—", "滞后起始": it.since or "—", "条款": it.status.clause,
        "责任单位": "、".join(it.status.departments),
    } for it in found])


def by_unit(found: list[Item]) -> None:
    if not found:
        st.success("本期没有滞后、严重滞后或未达标的目标。", icon=":material/check_circle:")
        return
    st.caption("计划各条款写明“按照职责分工负责”的单位；一个目标列在它的每个责任单位下。“差距”在截止日期前对照序时进度，"
               "到期后对照目标，方向性目标对照基期；“滞后起始”是截至本月连续滞后的第一个有数据的月份。")
    for unit, unit_items in by_department(found):
        st.markdown(f"**{plain(unit)}**（{len(unit_items)} 项）")
        st.dataframe(_item_frame(unit_items).drop(columns=["责任单位"]), hide_index=True, width="stretch")


def since_selector(view: View, months: list[str]) -> str | None:
    """"对比月份" bound to ?since=: an earlier month with data (default: the one before the as-of month)."""
    earlier = [m for m in months if m < view.as_of]
    if not earlier:
        return None
    requested = st.query_params.get("since")
    choice = st.selectbox("与哪个月份相比（上次调度会）", earlier, key="since",
                          index=earlier.index(requested) if requested in earlier else 0)
    st.query_params["since"] = choice
    return choice


def changes(view: View, since: str) -> list[Change]:
    store = get_store()
    root, version = str(store.root), store.version()
    found = compare(_report(root, version, since, view.snapshot).statuses, view.report.statuses)
    moved = [c for c in found if c.status_changed or c.moved]
    if not moved:
        st.info(f"与 {since} 相比，各目标的状态和数值均无变化。")
        return found
    st.dataframe(pd.DataFrame([{
        "目标": c.after.name, "期限": c.after.deadline, "状态变化": change_label(c), "好转/退步": c.direction or "—",
        since: value_text(c.before) if c.before else "—", view.as_of: value_text(c.after),
        "变动": "—" if c.moved is None else f"{'+' if c.moved > 0 else ''}{format_figure(c.moved)}",
        "单位": c.after.unit,
    } for c in moved]), hide_index=True, width="stretch")
    return found


@functools.lru_cache(maxsize=8)
def _files(root: str, version: tuple[int, int], as_of: str, at: str | None, since: str | None, kind: str) -> bytes:
    """A download, made when it is clicked (Streamlit calls this outside the script run) and kept per state."""
    data = brief.gather(get_store(), get_catalog(), as_of, at, since)
    if kind == "pdf":
        return brief.pdf(data)
    if kind == "zip":
        return brief.images_zip(data)
    return brief.status_xlsx(data)


def downloads(view: View, since: str | None, include_changes: bool) -> None:
    store = get_store()
    key = (str(store.root), store.version(), view.as_of, view.snapshot, since if include_changes else None)
    stem = f"调度会简报-截至{view.as_of}" + (f"-快照{view.snapshot}" if view.snapshot else "")
    sample = "（示例数据）" if view.report.sample else ""
    try:
        font_file(False)       # the files are made on click, outside the page: a missing font is said here
    except FontMissing as e:
        st.error(str(e))
        return
    a, b, c = st.columns(3)
    a.download_button(f"简报 PDF{sample}", functools.partial(_files, *key, "pdf"), f"{stem}.pdf", "application/pdf",
                      on_click="ignore", type="primary", icon=":material/picture_as_pdf:", width="stretch")
    b.download_button("幻灯片与仪表盘图片（ZIP）", functools.partial(_files, *key, "zip"), f"{stem}-图片.zip",
                      "application/zip", on_click="ignore", icon=":material/slideshow:", width="stretch")
    c.download_button("目标完成情况表（Excel）", functools.partial(_files, *key, "xlsx"), f"{stem}.xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                      icon=":material/table:", width="stretch")
