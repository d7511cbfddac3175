"""The 重点项目 page's parts: the four rates against a year earlier, the funnel by stage, the stalled projects in red
with their reasons, every project (filters in the URL: ?chain= ?area= ?unit= ?stage=), one project's months
(?project=). Meeting mode: the rates and funnel, then the stalled, each a screen."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from cnpark import settings, trends
from cnpark.datasets import PROJECT_STAGES
from cnpark.projects import (
    RATES,
    chain_of,
    history_rows,
    narrow,
    pipeline,
    project_frame,
    rates_by,
    rates_frame,
    share_text,
    stalled_frame,
)
from cnpark.ui.cache import get_catalog
from cnpark.ui.frame import View
from cnpark.ui.meeting import Part
from cnpark.ui.widgets import alert_table, chart, chart_scale, table, url_select, url_value

ALL = ""
MEETING_ROWS = 6


def _choices(values, everything: str) -> dict[str, str]:
    return {ALL: everything, **{v: v for v in sorted({v for v in values if v})}}


def parts(view: View) -> list[Part]:
    ledger = view.read("projects")
    if not len(ledger):
        return [("重点项目", lambda: st.info("尚无重点项目台账：分析人员可在“数据上传”页下载“重点项目台账”模板，每月上传一次。",
                                           icon=":material/assignment:"))]
    catalog = get_catalog()
    chains = ledger["chain_link"].map(lambda link: chain_of(catalog, link))
    cols = st.columns(4) if not view.meeting else [None] * 4
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
    narrowed = narrow(ledger, catalog, picks["chain"], picks["area"], picks["unit"])
    p = read(view) if len(narrowed) == len(ledger) else pipeline(
        narrowed, view.as_of, int(settings.number("stalled_months")), settings.number("stalled_funding_share"))
    st.caption(f"截至 {view.as_of}，每个项目取期间不晚于该月的最新一行；落地率 = 已开工 ÷ 已签约，开工率 = 已开工 ÷ 计划开工不晚于本月的"
               "已签约项目，资金到位率 = 累计到位资金 ÷ 协议投资，年度投资完成率 = 本年累计完成投资 ÷ 年度计划投资；计划未设门槛，"
               "与上年同期比较。")
    rates = ("比率与阶段", partial(_rates, view, p, catalog.project_rates))
    if view.meeting:            # the stalled in screens of MEETING_ROWS: each reason takes two lines on the projector
        frame = stalled_frame(p)
        return [rates, *[(f"停滞项目（第 {i + 1}–{min(i + MEETING_ROWS, len(frame))} 个，共 {len(frame)} 个）",
                          partial(alert_table, frame.iloc[i:i + MEETING_ROWS]))
                         for i in range(0, len(frame), MEETING_ROWS)]]
    return [rates, ("停滞项目", partial(_stalled, p)), ("全部项目", partial(_projects, view, p, narrowed, picks["stage"]))]


def read(view: View):
    """The whole park's pipeline as of the view's month (cached per data version; the 督办 page's too)."""
    return view.data.pipeline(view.as_of, view.snapshot)


def stalled_parts(view: View, rows: int) -> list[Part]:
    """督办: the stalled projects by responsible unit, with the reason and since when (screens of `rows` in meeting)."""
    if not len(view.read("projects")):
        return []
    frame = stalled_frame(read(view))
    name = "重点项目：停滞项目"
    if not view.meeting or not len(frame):
        return [(name, partial(_stalled_table, frame, name))]
    return [(f"{name}（第 {i + 1}–{min(i + rows, len(frame))} 个，共 {len(frame)} 个）",
             partial(alert_table, frame.iloc[i:i + rows])) for i in range(0, len(frame), rows)]


def _stalled_table(frame: pd.DataFrame, name: str) -> None:
    st.subheader(name)
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
    scale = chart_scale(view)
    left, right = st.columns(2)
    with left:
        chart(trends.bar_chart(p.stages, "stage", "projects", title="各阶段项目数（洽谈→纳统）", unit="个", horizontal=True,
                               width=360, height=220, scale=scale), key="funnel")
    with right:
        chart(trends.bar_chart(p.stages, "stage", "investment", title="各阶段项目总投资", unit="万元", horizontal=True,
                               width=360, height=220, scale=scale), key="funnel-money")
    if not view.meeting:
        with st.expander("四个比率与上年同期；分产业链、片区、责任单位"):
            table(rates_frame(p, thresholds))
            for by, label in (("chain", "产业链"), ("area", "片区"), ("unit", "责任单位")):
                frame = rates_by(p.now, view.as_of, get_catalog(), by)
                table(frame.rename(columns={by: label, **RATES}).assign(
                    **{name: frame[key].map(share_text) for key, name in RATES.items()}))


def _stalled(p) -> None:
    st.subheader(f"停滞项目（{len(p.stalled)} 个）")
    if p.stalled:
        alert_table(stalled_frame(p))
    else:
        st.success("没有停滞的项目。", icon=":material/check_circle:")


def _projects(view: View, p, ledger: pd.DataFrame, stage: str) -> None:
    st.subheader("全部项目")
    frame = project_frame(p, ledger, get_catalog(), view.read("enterprises"))
    table(frame[frame["阶段"] == stage] if stage else frame)
    ids = p.now["project_id"].tolist()
    if ids:
        picked = url_select("逐月查看项目", "project", {i: f"{i} {n}" for i, n in zip(p.now["project_id"], p.now["name"])},
                            ids[0], False)
        rows = history_rows(ledger, picked, view.as_of)
        with st.expander(f"{picked} 逐月记录（{len(rows)} 个月）"):
            table(rows)
