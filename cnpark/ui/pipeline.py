"""The 重点项目 page's parts: the four rates (each with what it divides) against a year earlier, the funnel by stage, the
stalled projects in red with their reasons, the projects whose stage disagrees with the enterprise list (数据不一致),
every project (filters in the URL: ?chain= ?area= ?unit= ?stage=) and one project's months (?project=: drawn open,
right under the filters, so that a link to a project opens at it). Meeting mode: the rates and funnel, then the
stalled, each a screen."""

from __future__ import annotations

import re
from functools import partial

import pandas as pd
import streamlit as st

from cnpark.outputs import trends
from cnpark.rules.project_check import mismatch_frame
from cnpark.rules.projects import (
    RATES,
    chain_of,
    history_rows,
    part_text,
    rates_by,
    rates_frame,
    share_text,
    stalled_frame,
)
from cnpark.store.datasets import PROJECT_STAGES
from cnpark.ui import widgets
from cnpark.ui.frame import View, plain
from cnpark.ui.meeting import Part
from cnpark.ui.widgets import chart, chart_scale, url_select, url_value

ALL = ""
MEETING_ROWS = 6
# Columns whose cells are short words, numbers, dates or money: never broken across lines (a stage or a state one
# character a line reads as nothing); the long texts (names, reasons, ties) wrap.
SHORT = ("编号", "环节", "责任单位", "阶段", "本阶段月数", "签约", "计划开工", "实际开工", "投产", "协议投资", "到位资金", "状态", "自何时起",
         "月份", "本年累计完成投资（万元）", "累计到位资金（万元）", "台账阶段", "台账期间", "企业名录状态", "名录期间",
         "截至本月", "上年同期", "变化", "门槛", *RATES.values())


def _choices(values, everything: str) -> dict[str, str]:
    return {ALL: everything, **{v: v for v in sorted({v for v in values if v})}}


def parts(view: View) -> list[Part]:
    r = view.readings
    if not r.has("projects"):
        return [("重点项目", lambda: st.info("尚无重点项目台账：分析人员可在“数据上传”页下载“重点项目台账”模板，每月上传一次。",
                                           icon=":material/assignment:"))]
    catalog, ledger = view.catalog, r.projects().ledger
    chains = ledger["chain_link"].map(lambda link: chain_of(catalog, link))
    cols = st.columns(5) if not view.meeting else [None] * 5
    picks = {}
    for col, (key, label, values, everything) in zip(cols, [
            ("chain", "产业链", chains, "全部产业链"), ("area", "片区", ledger["area"], "全部片区"),
            ("unit", "责任单位", ledger["unit"], "全部责任单位"), ("stage", "阶段", PROJECT_STAGES, "全部阶段")]):
        options = _choices(values, everything) if key != "stage" else {ALL: everything, **{s: s for s in values}}
        if col is None:
            picks[key] = url_value(key, options, ALL)
        else:
            with col:
                picks[key] = url_select(label, key, options, ALL, False)
    narrowing = (picks["chain"], picks["area"], picks["unit"])     # ALL is "": the whole park
    chosen = r.projects(*narrowing)
    p, narrowed = chosen.pipeline, chosen.ledger
    st.caption(f"截至 {p.month}，每个项目取期间不晚于该月的最新一行；落地率 = 已开工 ÷ 已签约，开工率 = 已开工 ÷ 计划开工不晚于本月的"
               "已签约项目，资金到位率 = 累计到位资金 ÷ 协议投资，年度投资完成率 = 本年累计完成投资 ÷ 年度计划投资；计划未设门槛，"
               "与上年同期比较。金额单位：万元。")
    if p.stale:
        st.warning(p.stale, icon=":material/history:")
    rates = ("比率与阶段", partial(_rates, view, p, catalog.project_rates))
    if view.meeting:            # the stalled in screens of MEETING_ROWS: each reason takes two lines on the projector
        frame = stalled_frame(p)
        return [rates, *[(f"停滞项目（第 {i + 1}–{min(i + MEETING_ROWS, len(frame))} 个，共 {len(frame)} 个）",
                          partial(alert_table, frame.iloc[i:i + MEETING_ROWS]))
                         for i in range(0, len(frame), MEETING_ROWS)]]
    projects = chosen.table
    with cols[4]:
        picked = url_select("查看项目", "project", {ALL: "选择项目，查看逐月记录", **{
            i: f"{i} {n}" for i, n in zip(projects["编号"], projects["项目"])}}, ALL, False,
            "选择一个项目：它的逐月记录在此处展开（链接中记为 ?project=）")
    chosen = [("项目逐月记录", partial(_project, p, narrowed, projects, picked))] if picked else []
    return [*chosen, rates, ("停滞项目", partial(_stalled, p)),
            ("数据不一致", partial(_mismatches, r.project_mismatches(*narrowing))),
            ("全部项目", partial(_projects, projects, picks["stage"]))]




def _short(column) -> bool:
    return column in SHORT or bool(re.fullmatch(r"\d{4}-\d{2}", str(column)))


def table(frame: pd.DataFrame, alert: bool = False) -> None:
    """widgets.table whose SHORT columns (and month columns) never wrap: no stage or state stacked a character a line."""
    widgets.table(frame, alert, tuple(c for c in frame.columns if _short(c)))


def alert_table(frame: pd.DataFrame) -> None:
    table(frame, alert=True)


def stalled_parts(view: View, rows: int) -> list[Part]:
    """督办: the stalled projects by responsible unit, with the reason and since when (screens of `rows` in meeting);
    a ledger older than the month says so."""
    if not view.readings.has("projects"):
        return []
    p = view.readings.pipeline
    frame = stalled_frame(p)
    name = "重点项目：停滞项目" + (f"（台账数据截至 {p.month}）" if p.stale else "")
    if not view.meeting or not len(frame):
        return [(name, partial(_stalled_table, frame, name, p.stale))]
    return [(f"{name}（第 {i + 1}–{min(i + rows, len(frame))} 个，共 {len(frame)} 个）",
             partial(alert_table, frame.iloc[i:i + rows])) for i in range(0, len(frame), rows)]


def _stalled_table(frame: pd.DataFrame, name: str, stale: str) -> None:
    st.subheader(name)
    if stale:
        st.warning(stale, icon=":material/history:")
    if len(frame):
        st.caption("已签约但过了计划开工月份仍未开工、在同一阶段过久、签约满一年资金到位不足的项目，按责任单位列出。")
        alert_table(frame)
    else:
        st.success("没有停滞的项目。", icon=":material/check_circle:")


def _rates(view: View, p, thresholds: dict[str, float]) -> None:
    for col, (key, name) in zip(st.columns(4), RATES.items()):
        now, before = p.rates[key], p.year_before[key]
        delta = None if now is None or before is None else f"{(now - before) * 100:+.1f} 个百分点（较上年同期）"
        col.metric(name, share_text(now), delta)
        col.markdown(part_text(key, p.parts[key]))
    scale = chart_scale(view)
    left, right = st.columns(2)
    with left:
        chart(trends.bar_chart(p.stages, "stage", "projects", title="各阶段项目数（洽谈→纳统）", unit="个", horizontal=True,
                               width=360, height=200, scale=scale), key="funnel")
    with right:
        chart(trends.bar_chart(p.stages, "stage", "investment", title="各阶段项目总投资", unit="万元", horizontal=True,
                               width=360, height=200, scale=scale), key="funnel-money")
    if not view.meeting:
        with st.expander("四个比率与上年同期；分产业链、片区、责任单位"):
            table(rates_frame(p, thresholds))
            for by, label in (("chain", "产业链"), ("area", "片区"), ("unit", "责任单位")):
                table(rates_by(p.now, p.month, view.catalog, by).rename(columns={by: label, **RATES}))


def _stalled(p) -> None:
    st.subheader(f"停滞项目（{len(p.stalled)} 个）")
    if p.stalled:
        alert_table(stalled_frame(p))
    else:
        st.success("没有停滞的项目。", icon=":material/check_circle:")


def _mismatches(found: list) -> None:
    if not found:
        return
    st.subheader(f"数据不一致（{len(found)} 个）")
    st.caption("项目台账的阶段与企业名录中业主单位的状态不符（名录的签约、在建、投产、达产对应台账同名阶段，纳统对应投产或达产）："
               "请核对后更正其中一方。")
    table(mismatch_frame(found), alert=True)


def _projects(projects: pd.DataFrame, stage: str) -> None:
    st.subheader("全部项目")
    table(projects[projects["阶段"] == stage] if stage else projects)


def _project(p, ledger: pd.DataFrame, projects: pd.DataFrame, picked: str) -> None:
    """The chosen project (?project=): what it is and where it stands, then its months, open."""
    row = projects.set_index("编号").loc[picked]
    st.subheader(plain(f"{picked} {row['项目']}"))
    stalled = f"停滞（{row['停滞原因']}）" if row["状态"] == "停滞" else "正常"
    st.markdown(plain(f"阶段：{row['阶段']}（本阶段 {row['本阶段月数']} 个月） · 责任单位：{row['责任单位']} · "
                      f"关联：{row['关联']} · 状态：{stalled}"))
    rows = history_rows(ledger, picked, p.month)
    st.markdown(f"**逐月记录（{len(rows)} 个月，最近的在上）**")
    table(rows)
