"""The meeting pack's workbook (目标完成情况表): the goals, the tasks behind, the projects' four rates and the stalled
projects, a sheet each, as an office reads them in Excel, WPS or LibreOffice Calc.

Numbers stay numbers and read as the gauge writes them through their number format: amounts with thousands separators
and the unit's decimals (1,302,000), rates and shares as fractions shown in percent (0.804 → 80.4%), growth signed
(+23.0%), an amount's completion in 0.0% (108.5%), changes of a rate in signed points; each value is rounded to what it
shows, so no 23.0237154150198 hides behind a cell. 完成情况 says what the gauge says (display.achievement_text) —
words for rates (超额 60.4 个百分点) and direction goals (较基期下降 0.04 个百分点); milestones and direction goals' targets
are words. Every sheet's first line names the sheet, the plan, the month and the snapshot, and 示例数据 when it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from cnpark.outputs.exports import Number, xlsx_bytes
from cnpark.plan.months import month_index, month_of
from cnpark.rules.display import (
    LATE_WORD,
    achievement_text,
    decimals_of,
    goal_titles,
    is_rate,
    plan_number,
    status_word,
    target_text,
    value_text,
)
from cnpark.rules.projects import RATES, Pipeline, part_text, stalled_frame
from cnpark.rules.status import TargetStatus
from cnpark.rules.tasks import behind_frame

if TYPE_CHECKING:
    from cnpark.outputs.brief import Brief

SAMPLE_TITLE = "示例数据（虚构，并非官方统计）"
POINTS_FORMAT = '+0.0;-0.0;0.0'      # a change in 个百分点 (the header says the unit)


def _digits(decimals: int) -> str:
    return "0" + ("." + "0" * decimals if decimals else "")


def fraction(percent: float, decimals: int) -> float:
    """A figure in % as the fraction a percent-formatted cell holds, rounded to what it shows: 80.43 → 0.804."""
    return round(round(percent, decimals) / 100, decimals + 2)


def number_format(unit: str, decimals: int, signed: bool = False) -> str:
    """'#,##0' (万元, 吨, 户), '#,##0.0' (万元/人), '0.0%' (a rate kept as a fraction), '+0.0%;-0.0%;0.0%' (growth)."""
    if unit == "%":
        shown = _digits(decimals) + "%"
        return f"+{shown};-{shown};{shown}" if signed else shown
    return "#,##" + _digits(decimals)


def measured(s: TargetStatus, value: float | None) -> Number | None:
    """A goal's figure (actual, 序时进度值) as a number in the goal's format, rounded to what it shows."""
    if value is None:
        return None
    unit = "%" if s.rule == "growth" else s.unit
    d = decimals_of(unit, s.decimals)
    return Number(fraction(value, d) if unit == "%" else round(value, d), number_format(unit, d, signed=s.rule == "growth"))


def actual_cell(s: TargetStatus) -> Number | str | None:
    """实际值: the figure as a number; a milestone in words with its month (已完成（2023-08）, 逾期完成（2023-11）, 未完成)."""
    if s.kind == "milestone" and s.actual is not None:
        return f"{LATE_WORD}（{s.period}）" if s.late else value_text(s)
    return measured(s, s.actual)


def target_cell(s: TargetStatus) -> Number | str:
    """目标: a number shown as the plan writes it, with its comparison in the format ('≥ 250,000', '同比增长 ≥ 20%'); a
    milestone's and a direction goal's target in words ('2023-09 前完成', '较基期提升（基期 45.8 万元/人，2022年）')."""
    text = target_text(s)
    if s.target is None or s.kind in ("milestone", "direction"):
        return text
    unit = "%" if s.rule == "growth" else s.unit
    shown = plan_number(s.target, unit)
    prefix = text[:-len(shown)] if text.endswith(shown) else ""
    d = 0 if float(s.target).is_integer() else len(f"{s.target:.4f}".rstrip("0").split(".")[1])
    fmt = number_format(unit, d)
    return Number(fraction(s.target, d) if unit == "%" else s.target, f'"{prefix}"{fmt}' if prefix else fmt)


def completion_cell(s: TargetStatus) -> Number | str:
    """完成情况 as the gauge says it: an amount's completion as a number in 0.0% (108.5%, rounded as display.share), every
    other goal's words (超额 60.4 个百分点, 较基期提升 14.2%, — for milestones)."""
    amount = s.actual is not None and s.completion is not None and s.kind not in ("milestone", "direction")
    if amount and not is_rate(s):
        return Number(fraction(s.completion * 100, 1), "0.0%")
    return achievement_text(s)


def status_frame(brief: Brief) -> pd.DataFrame:
    """Every goal: numbers as numbers (with their formats), 完成情况 and status in words, 督办 gap, clause and units."""
    r = brief.report
    by_key = {(it.status.code, it.status.deadline): it for it in brief.items}
    rows = []
    for s, title in zip(r.statuses, goal_titles(r.statuses)):
        it = by_key.get((s.code, s.deadline))
        rows.append({"分组": s.group, "指标": title, "期限": s.deadline, "实际值": actual_cell(s), "目标": target_cell(s),
                     "单位": "%" if s.rule == "growth" else s.unit, "完成情况": completion_cell(s),
                     "状态": status_word(s), "数据期间": s.period or "",
                     "序时进度值": None if s.kind in ("milestone", "direction") else measured(s, s.expected),
                     "督办差距": it.gap_text if it else "", "滞后起始": (it.since or "") if it else "",
                     "条款": s.clause, "责任单位": "、".join(s.departments), "说明": s.note})
    return pd.DataFrame(rows)


def _rate(v: float | None) -> Number | str:
    return "—" if v is None else Number(fraction(v * 100, 1), "0.0%")


def rates_frame(p: Pipeline, thresholds: dict[str, float]) -> pd.DataFrame:
    """比率 · 截至本月 · 上年同期 · 变化（个百分点） · 门槛 · 算法 (numerator ÷ denominator), the rates as numbers in
    percent (projects.rates_frame in words)."""
    before = month_of(month_index(p.month) - 12)     # the ledger's month: an older ledger speaks of its own
    rows = []
    for key, name in RATES.items():
        now, earlier = p.rates[key], p.year_before[key]
        change = "—" if now is None or earlier is None else Number(round((now - earlier) * 100, 1), POINTS_FORMAT)
        rows.append({"比率": name, f"截至 {p.month}": _rate(now), f"上年同期（{before}）": _rate(earlier),
                     "变化（个百分点）": change, "门槛": _rate(thresholds[key]) if key in thresholds else "未设",
                     "算法": part_text(key, p.parts[key])})
    return pd.DataFrame(rows)


def status_xlsx(brief: Brief) -> bytes:
    """The workbook: 目标完成情况, then 重点工作督办 (when tasks are reported) and 重点项目比率 · 重点项目停滞 (when there is a
    ledger); each sheet under its title line."""
    c = brief.catalog

    def title(heading: str) -> str:
        return f"{c.park}{heading} · 《{c.name}》 · {brief.source}" + (f" · {SAMPLE_TITLE}" if brief.report.sample else "")

    more: tuple = ()
    if brief.tasks:
        more += ((behind_frame(list(brief.tasks)), "重点工作督办", title("重点工作：滞后与未报送的任务（按责任单位）")),)
    if brief.pipeline is not None:
        more += ((rates_frame(brief.pipeline, c.project_rates), "重点项目比率", title("重点项目四个比率")),
                 (stalled_frame(brief.pipeline), "重点项目停滞", title("重点项目：停滞项目（按责任单位）")))
    return xlsx_bytes(status_frame(brief), sheet=f"目标完成情况{brief.report.as_of}", title=title("目标完成情况"),
                      more=more)
