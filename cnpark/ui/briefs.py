"""The 督办清单 page's parts: the list by responsible unit, the change since an earlier reading, the downloads."""

from __future__ import annotations

import functools
from functools import partial

import pandas as pd
import streamlit as st

from cnpark.outputs import brief
from cnpark.outputs.charts import GAUGE_SIZE
from cnpark.outputs.pdf import FontMissing, font_file
from cnpark.rules.display import STATUS_LABELS
from cnpark.rules.overview import report_name
from cnpark.rules.supervision import Item, by_department, change_frame, coloured, item_frame
from cnpark.service.readings import Readings
from cnpark.ui import pipeline, warm, work
from cnpark.ui.cache import gauge_spec_set
from cnpark.ui.frame import View, plain
from cnpark.ui.links import link_note
from cnpark.ui.phone import on_phone
from cnpark.ui.uploads import account_now
from cnpark.ui.widgets import table, table_screens


def summary(found: list[Item]) -> None:
    if on_phone():              # one line, not four metrics one under another
        _summary_line(found)
        return
    counts = {k: sum(it.status.status == k for it in found) for k in ("missed", "off_track", "lagging")}
    cols = st.columns(4)
    cols[0].metric("督办事项", len(found))
    for col, (status, n) in zip(cols[1:], counts.items()):
        col.metric(STATUS_LABELS[status], n)


def by_unit(found: list[Item]) -> None:
    """Each responsible unit with its whole list (every row shown)."""
    if not found:
        st.success("本期没有滞后、严重滞后或未达标的目标。", icon=":material/check_circle:")
        return
    st.caption("计划各条款写明“按照职责分工负责”的单位；一个目标列在它的每个责任单位下。“差距”在截止日期前对照序时进度，"
               "到期后对照目标，方向性目标对照基期；“滞后起始”是截至本月连续滞后的第一个有数据的月份。")
    for unit, unit_items in by_department(found):
        st.markdown(f"**{plain(unit)}**（{len(unit_items)} 项）")
        table(item_frame(unit_items))


MEETING_ITEMS, MEETING_CHANGES = 7, 9      # rows per projector screen (the units' column wraps to two lines)


def _summary_line(found: list[Item]) -> None:
    counts = "；".join(f"{STATUS_LABELS[k]} {sum(it.status.status == k for it in found)}"
                      for k in ("missed", "off_track", "lagging"))
    st.markdown(f"**督办事项 {len(found)} 项**（{counts}）")


def parts(view: View) -> list[tuple[str, object]]:
    """The page as screens: normally the list by unit, then the comparison and the downloads; in meeting mode each
    goal once with its units in a column, and the comparison, both in screens that fit the projector."""
    found = view.readings.behind
    if not view.meeting:
        return [("督办事项", partial(_by_unit_part, found)), *work.behind_parts(view, MEETING_CHANGES),
                *pipeline.stalled_parts(view, pipeline.MEETING_ROWS), ("与上次调度会相比", partial(compared, view))]
    frame = item_frame(found, units=True)[["目标", "期限", "状态", "差距", "滞后起始", "责任单位", "_key"]]
    out = [(f"督办事项（第 {i + 1}–{min(i + MEETING_ITEMS, len(frame))} 项，共 {len(frame)} 项）",
            partial(_meeting_items, found, frame.iloc[i:i + MEETING_ITEMS])) for i in range(0, len(frame), MEETING_ITEMS)]
    if not out:
        out = [("督办事项", partial(by_unit, found))]          # says that nothing is behind
    out += work.behind_parts(view, MEETING_CHANGES) + pipeline.stalled_parts(view, pipeline.MEETING_ROWS)
    since = default_since(view, view.months())
    moved = change_frame(view.at(since).report.statuses, view.report.statuses, since, view.as_of) if since else None
    if moved is None or not len(moved):
        return [*out, ("与上次调度会相比", partial(compared, view))]
    return out + table_screens(coloured(moved), f"与 {since} 相比", MEETING_CHANGES)


def _by_unit_part(found: list[Item]) -> None:
    summary(found)
    by_unit(found)


def _meeting_items(found: list[Item], rows: pd.DataFrame) -> None:
    _summary_line(found)
    table(rows)


def compared(view: View) -> None:
    """What changed since an earlier month (?since=), and the meeting pack's downloads."""
    st.subheader("与上次调度会相比")
    since = since_selector(view, view.months())
    if since:
        changes(view, since)
    else:
        st.info("截至月份之前没有可比较的月份。")
    if not view.meeting:
        st.subheader("调度会材料")
        include = since is not None and st.checkbox(f"简报中包含与 {since} 相比的变化", value=True)
        downloads(view, since, include)
        st.caption("简报为 A4 PDF（标题、各年度目标完成情况、全部仪表盘、目标一览表，督办清单、重点工作滞后与未报送、"
                   "停滞的重点项目均按责任单位成表，说明）；状态均以文字标注，黑白打印同样可读。"
                   "Excel 中数值带格式（80.4%、1,302,000），另有重点工作督办、重点项目比率与停滞项目工作表；"
                   "图片包含总览、每个分组、重点工作、重点项目的 16:9 幻灯片和每个仪表盘一张 PNG，每张都注明截至月份。"
                   "评估报告为可在 Word / WPS 中编辑的公文格式初稿（截至计划期末为终期评估，否则为中期评估）：各项数字已填好，"
                   "“存在的问题”“下一步打算”以黄色标出，留待撰写。"
                   "督查通报为截至月份当月的报送情况、滞后任务与停滞项目，按期编号，“下步要求”留给督查室填写。")


def default_since(view: View, months: list[str]) -> str | None:
    """The month to compare with: ?since= when it is an earlier month with data, else the month before as_of (and a
    line says that the link's month could not be followed)."""
    earlier = [m for m in months if m < view.as_of]
    requested = st.query_params.get("since")
    if requested in earlier:
        return requested
    if requested is not None:
        link_note("since", requested, f"与 {earlier[0]} 相比" if earlier else "不作比较",
                  f"不是截至月份 {view.as_of} 之前有数据的月份")
    return earlier[0] if earlier else None


def since_selector(view: View, months: list[str]) -> str | None:
    """"对比月份" bound to ?since=: an earlier month with data (default: the one before the as-of month)."""
    earlier = [m for m in months if m < view.as_of]
    first = default_since(view, months)
    if not earlier:
        return None
    choice = st.selectbox("与哪个月份相比（上次调度会）", earlier, key="since", index=earlier.index(first), placeholder="请选择")
    st.query_params["since"] = choice
    return choice


def changes(view: View, since: str) -> None:
    frame = change_frame(view.at(since).report.statuses, view.report.statuses, since, view.as_of)
    if not len(frame):
        st.info(f"与 {since} 相比，各目标的状态和数值均无变化。")
        return
    st.caption("“数值”按目标方向判断数字的变化（向好 / 变差）；“状态”按状态高低判断（好转 / 退步）。两者可以不同："
               "数字提高了，但期限已到仍未达标，状态也会退步。")
    table(coloured(frame))


@functools.lru_cache(maxsize=8)
def _files(r: Readings, since: str | None, kind: str) -> bytes:
    """A download, made when it is clicked (Streamlit calls this outside the script run) and kept per reading."""
    if kind == "docx":
        from cnpark.outputs import evaluation  # python-docx only when the report is asked for
        return evaluation.docx_bytes(evaluation.gather(r))
    data = brief.gather(r, since)
    specs = gauge_spec_set(r, GAUGE_SIZE)    # the gauges this page has drawn
    if kind == "pdf":
        return brief.pdf(data, specs)
    if kind == "zip":
        return brief.images_zip(data, specs)
    return brief.status_xlsx(data)


def _notice_file(r: Readings, user: str) -> bytes:
    """The month's 督查通报, made on click: issuing is the click — the 期号 is taken now (kept for a month issued
    before), by the 督查室 signed in when the button was drawn (docs/RULES.md "督查通报")."""
    from cnpark.outputs import notice  # python-docx only when the notice is asked for
    n, new = notice.issue(r, user)
    if new:
        warm.nudge()        # a new number is a new manifest line: the caches are rebuilt for it at once
    return notice.docx_bytes(n)


def notice_download(view: View, column) -> None:
    """督查通报（Word）: for the 督查室 signed in (a download takes a 期号: a viewing page writes nothing for anyone
    else); others see the button disabled, with where to sign in."""
    r, account = view.readings, account_now()
    label = "督查通报（Word）" + ("（示例数据）" if view.report.sample else "")
    if account is None or account.role != "reviewer":
        column.download_button(label, b"", "督查通报.docx", disabled=True, icon=":material/campaign:", width="stretch",
                               help="督查室在“审核”页登录后可在此下载；下载即为本月通报编期号")
        return
    issued = r.notice
    column.download_button(label, functools.partial(_notice_file, r, account.author),
                           # the number is in the name only once taken: another month issued meanwhile would
                           # give this one the next
                           f"督查通报第{issued.number}期-{view.as_of}.docx" if issued else f"督查通报-{view.as_of}.docx",
                           "application/vnd.openxmlformats-officedocument.wordprocessingml.document", on_click="ignore",
                           icon=":material/campaign:", width="stretch",
                           help="本月报送情况、滞后任务与停滞项目；“下步要求”留给督查室填写")
    column.caption(f"{view.as_of} 已编为第 {issued.number} 期（{issued.uploaded_at[:10]}），再次下载期号不变。" if issued
                   else f"{view.as_of} 尚未编号：下载即编为第 {r.notice_next} 期。")


def downloads(view: View, since: str | None, include_changes: bool) -> None:
    key = (view.readings, since if include_changes else None)
    stem = f"调度会简报-截至{view.as_of}" + (f"-数据版本{view.snapshot}" if view.snapshot else "")
    sample = "（示例数据）" if view.report.sample else ""
    try:
        font_file(False)       # the files are made on click, outside the page: a missing font is said here
    except FontMissing as e:
        st.error(str(e))
        return
    a, b, c, d, e = st.columns(5)
    a.download_button(f"简报 PDF{sample}", functools.partial(_files, *key, "pdf"), f"{stem}.pdf", "application/pdf",
                      on_click="ignore", type="primary", icon=":material/picture_as_pdf:", width="stretch")
    b.download_button("幻灯片与仪表盘图片（ZIP）", functools.partial(_files, *key, "zip"), f"{stem}-图片.zip",
                      "application/zip", on_click="ignore", icon=":material/slideshow:", width="stretch")
    c.download_button("目标完成情况表（Excel）", functools.partial(_files, *key, "xlsx"), f"{stem}.xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                      icon=":material/table:", width="stretch")
    name = report_name(view.catalog, view.as_of)
    d.download_button(f"{name}（Word）{sample}", functools.partial(_files, *key[:-1], None, "docx"),
                      f"{name}-截至{view.as_of}" + (f"-数据版本{view.snapshot}" if view.snapshot else "") + ".docx",
                      "application/vnd.openxmlformats-officedocument.wordprocessingml.document", on_click="ignore",
                      icon=":material/description:", width="stretch",
                      help="可在 Word / WPS 中编辑的评估报告初稿：各项数字已填好，“存在的问题”“下一步打算”留给办公室撰写")
    notice_download(view, e)
