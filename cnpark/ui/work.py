"""The 重点工作 page's parts: counts, the tasks × units matrix by section (colour and word in each cell), one unit's
own list (?unit=), a task's detail (?task=: its clause, the commitments it carries with their gauges, each unit's
report and the history month by month), and 报送情况. Meeting mode: a screen per section, large."""

from __future__ import annotations

from functools import partial
from html import escape

import pandas as pd
import streamlit as st

from cnpark import settings
from cnpark.outputs.charts import STATUS_COLORS
from cnpark.rules.tasks import (
    COLOUR_KEYS,
    STATES,
    WORDS,
    TaskState,
    behind_frame,
    count_lines,
    count_text,
    for_unit,
    late_notes,
    latest_frame,
    matrix_frame,
    sections,
    unit_frame,
    units_of,
)
from cnpark.ui.frame import View, plain
from cnpark.ui.meeting import Part
from cnpark.ui.phone import cards, on_phone
from cnpark.ui.text import inert
from cnpark.ui.widgets import gauges, statuses_of, table, url_select, url_value

ALL = ""
_COLOUR = {WORDS[k]: STATUS_COLORS[COLOUR_KEYS[k]] for k in STATES}


STATE_COLUMNS = ("本单位", "任务状态", "完成状态", "单位状态")


def coloured(frame: pd.DataFrame) -> None:
    """A table whose state columns draw their words in their colour, bold (the word says it in black and white too);
    the texts units wrote are shown as they are. On a phone, cards with the same words in the same colours."""
    states = [c for c in frame.columns if c in STATE_COLUMNS]
    if on_phone():
        cards(frame, lambda column, i: _state_style(frame[column].iloc[i]) if column in states else "")
        return
    st.table(inert(frame.style.map(_state_style, subset=states)), hide_index=True)


def _state_style(value: object) -> str:
    return f"color: {_COLOUR[value]}; font-weight: bold" if value in _COLOUR else ""


def matrix(frame: pd.DataFrame) -> None:
    """Tasks × units as a grid that reads at a glance: a word in its colour in each cell, on one line; a blank grey
    cell where the task does not name the unit. Drawn as HTML (escaped) so that no word wraps and every column fits.
    On a phone, a card per task: its state, then each of its units with the unit's word in its colour."""
    units = list(frame.columns[2:])
    if on_phone():
        _matrix_cards(frame, units)
        return
    head = "".join(f"<th>{escape(u)}</th>" for u in units)
    rows = []
    for row in frame.itertuples(index=False):
        task, state, *cells = row
        tds = "".join(f'<td class="cn-cell" style="color:{_COLOUR[c]}">{escape(c)}</td>' if c in _COLOUR
                      else '<td class="cn-none"></td>' for c in cells)
        rows.append(f'<tr><td class="cn-task">{escape(task)}</td>'
                    f'<td class="cn-cell" style="color:{_COLOUR[state]}">{escape(state)}</td>{tds}</tr>')
    st.html(f'<table class="cn-matrix"><thead><tr><th class="cn-task">任务</th><th style="white-space:nowrap">任务状态</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _matrix_cards(frame: pd.DataFrame, units: list[str]) -> None:
    out = []
    for row in frame.itertuples(index=False):
        task, state, *cells = row
        lines = "".join(f'<span class="cn-card-field"><span class="cn-card-key">{escape(u)}</span>'
                        f'<span style="{_state_style(c)}">{escape(c)}</span></span>'
                        for u, c in zip(units, cells) if c in _COLOUR)
        out.append(f'<div class="cn-card cn-task-card"><div class="cn-card-title">{escape(task)}'
                   f'<span class="cn-card-state" style="{_state_style(state)}">{escape(state)}</span></div>'
                   f'<div class="cn-card-row">{lines}</div></div>')
    st.html(f'<div class="cn-cards">{"".join(out)}</div>')


def unit_choice(view: View) -> str:
    """?unit=: a department head's own list (the default: every unit). A selector outside meeting mode."""
    options = {ALL: "全部责任单位", **{u: u for u in units_of(view.catalog)}}
    return url_select("责任单位", "unit", options, ALL, view.meeting, "选择一个责任单位，只看它承担的任务（链接中记为 ?unit=）")


COUNTS_CSS = """<style>
.cn-counts {margin: 0.1rem 0 0.9rem 0;}
.cn-count-row {display: flex; align-items: baseline; gap: 1.8rem; padding: 0.35rem 0; border-bottom: 1px solid #E6E6E6;}
.cn-count-head {width: 19rem; flex: none;}
.cn-count-head b {font-size: 1.05rem;}
.cn-count-head span {display: block; font-size: 0.8rem; color: #666;}
.cn-count {font-size: 1rem; font-weight: 600; white-space: nowrap; min-width: 6.5rem;}
.cn-count b {font-size: 1.7rem; margin-left: 0.35rem;}
.cn-count.cn-zero {color: #8A8A8A !important; font-weight: normal;}
@media (max-width: 640px) {.cn-count-row {flex-wrap: wrap; gap: 0 1.2rem;} .cn-count-head {width: 100%;}}
</style>"""


def summary(states: list[TaskState], view: View, unit: str = "") -> None:
    """The counts, each saying what it counts: per task, and per task and unit (the matrix's cells) — or, for one
    unit, its own reports and the state of its tasks."""
    lines = count_lines(states, unit or None)
    if view.meeting:
        st.markdown(count_text(lines))
        return
    rows = []
    for label, note, n in lines:
        cells = "".join(f'<span class="cn-count{" cn-zero" if not n[k] else ""}" style="color:{_COLOUR[WORDS[k]]}">'
                        f'{WORDS[k]}<b>{n[k]}</b></span>' for k in STATES)
        rows.append(f'<div class="cn-count-row"><div class="cn-count-head"><b>{escape(label)}</b>'
                    f'<span>{escape(note)}</span></div>{cells}</div>')
    st.html(f'{COUNTS_CSS}<div class="cn-counts">{"".join(rows)}</div>')


def parts(view: View) -> list[Part]:
    """The page as screens: the matrix by section (one screen each in meeting mode), a unit's list, a task's detail
    and 报送情况."""
    unit = unit_choice(view)
    states = for_unit(view.readings.tasks, unit or None)
    st.caption(f"截至 {view.as_of} · 计划“三、主要任务”第1–{len(view.catalog.tasks)}条 · 各单位按月报送的工作进展；"
               "未报送 = 该月没有报送。任务状态：任一单位滞后或所承载的目标已过期限未达标为滞后；全部单位已完成为已完成。")
    latest = view.readings.data_month("tasks")
    if latest and latest < view.as_of:
        st.warning(f"工作进展数据截至 {latest}：{view.as_of} 尚无任何单位报送，以下各单位本月均为未报送。",
                   icon=":material/history:")
    if not view.readings.has("tasks"):
        st.info("尚无重点工作进展报送：各责任单位可在“数据上传”页下载“工作进展”模板（按月份列出全部任务及其责任单位），"
                "填写完成状态与进展后上传。在此之前，每条任务都显示为未报送。", icon=":material/assignment:")
    if unit:
        return [(f"{unit}的任务", partial(_unit_list, view, states, unit)), ("任务详情", partial(_detail, view, states))]
    by_section = [(name, partial(_section, view, states, members)) for name, members in sections(states)]
    if view.meeting:
        return by_section
    return [("各条任务与责任单位", partial(_matrix, view, states, by_section)), ("任务详情", partial(_detail, view, states)),
            ("报送情况", partial(_reporting, view))]


def _matrix(view: View, states: list[TaskState], by_section: list[Part]) -> None:
    summary(states, view)
    for _, draw in by_section:
        draw()


def _section(view: View, states: list[TaskState], members: list[TaskState]) -> None:
    if view.meeting:
        summary(states, view)
    st.markdown(f"**{members[0].task.section}**（{len(members)} 项）")
    matrix(matrix_frame(members))


def _unit_list(view: View, states: list[TaskState], unit: str) -> None:
    summary(states, view, unit)
    coloured(unit_frame(states, unit))


def _detail(view: View, states: list[TaskState]) -> None:
    st.subheader("任务详情")
    numbers = [s.task.number for s in states]
    asked = url_value("task", {str(s.task.number): s.task.label for s in states}, str(numbers[0]) if numbers else "")
    if not numbers:
        return
    picked = st.selectbox("任务", numbers, format_func=lambda n: next(s.task.label for s in states if s.task.number == n),
                          index=numbers.index(int(asked)), key="task", placeholder="请选择")
    st.query_params["task"] = str(picked)
    s = next(s for s in states if s.task.number == picked)
    st.markdown(f"**{s.task.section} · {s.task.label}**：{plain(s.task.summary)}")
    carried = statuses_of(view, *s.task.targets) if s.task.targets else []
    late = late_notes(carried)
    st.markdown(f"任务状态：**{s.word}**" + (f"（自 {s.since}）" if s.since else "") +
                "".join(f" · {note}" for note in late) + " · 责任单位：" + "、".join(s.task.units))
    if carried:
        st.caption("所承载的目标（计划中写明期限的承诺）：" + ("逾期完成的目标已经完成，不再使任务滞后；仪表盘按计划期限"
                                                   "判为未达标。" if late else ""))
        gauges(view, carried, columns=5)
    history = view.readings.task_history(s.task.number)
    history = history[history["责任单位"].isin([u.unit for u in s.units])]      # ?unit=: that unit's own
    st.markdown(f"**各单位 {view.as_of} 的状态与最近一次报送**")
    coloured(latest_frame(s, history))
    with st.expander(f"逐月报送记录（{len(history)} 条）"):
        if len(history):
            coloured(history)
        else:
            st.caption("尚无报送记录。")


def behind_parts(view: View, rows: int) -> list[Part]:
    """督办: the tasks 滞后 or 未报送 by responsible unit, with since when (the 督办清单 page; screens of `rows` in meeting
    mode)."""
    name = "重点工作：滞后与未报送"
    if not view.readings.has("tasks"):
        return [(name, lambda: (st.subheader(name), st.info("尚无重点工作进展报送（数据上传页“工作进展”模板）。")))]
    latest = view.readings.data_month("tasks")
    if latest and latest < view.as_of:
        name += f"（工作进展数据截至 {latest}）"
    frame = behind_frame(view.readings.tasks)
    if not view.meeting:
        return [(name, partial(_behind, frame, name))]
    return [(f"{name}（第 {i + 1}–{min(i + rows, len(frame))} 行，共 {len(frame)} 行）",
             partial(coloured, frame.iloc[i:i + rows])) for i in range(0, len(frame), rows)] or \
        [(name, partial(_behind, frame, name))]


def _behind(frame: pd.DataFrame, name: str) -> None:
    st.subheader(name)
    if not len(frame):
        st.success("本月没有滞后或未报送的任务。", icon=":material/check_circle:")
        return
    st.caption("每条任务列在报“滞后”或未报送的责任单位下（因所承载的目标未达标而滞后的任务列在它的每个责任单位下）；"
               "“自何时起”是截至本月连续处于该状态的第一个月份。")
    coloured(frame)


def _reporting(view: View) -> None:
    st.subheader("报送情况")
    day = int(settings.number("report_due_day"))
    frame = view.readings.submissions
    st.caption(f"工作进展：每月每条任务的每个责任单位报送一次；项目台账：台账中有项目的单位每月报送一次；指标数据："
               "各指标的数据来源单位每年 12 月报送，月度指标 2—12 月每月报送（1—2 月合并）。次月 "
               f"{day} 日（含）前报送为按时；报送时间取各行填写的“报送日期”，未填写的取该记录首次入库的上传时间"
               "（退回后重新报送的，取重新报送的时间）；退回未重报的按未报计。")
    if view.readings.sample:
        st.caption("示例数据的项目台账和指标数据没有报送日期，按装入示例数据的时间计，均为逾期报送。")
    if len(frame):
        table(frame)
    else:
        st.info("尚无报送。")
