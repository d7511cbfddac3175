"""What a figure says wherever it is shown (gauges, tables, the brief, the CLI's table): one number format per
unit, the status words, and the one rule for a gauge's headline. Pure: TargetStatus in, words out.

The headline rule (docs/RULES.md "仪表盘上的数字"):
  * amounts and counts (万元, 吨, 户 …): the headline is completion = actual ÷ target, to one decimal ("108.5%"),
    the figure under it; beyond 100 % the status says by how much in words ("达标 · 超额 8.5%").
  * rates and shares (unit %): the headline is the rate itself ("80.4%") against its threshold
    ("目标 ≥ 20%"); the line under it says "超额 60.4 个百分点" or "差 3.5 个百分点".
  * growth targets: the growth with its sign ("+23.0%", "-14.0%"), against the threshold in points; completion
    is never negative: a fall leaves the arc empty.
  * milestones: 已完成 / 未完成, and a milestone done after its deadline reads 逾期完成, with both dates, in a
    colour of its own (its status stays 未达标).
  * direction-only goals (大幅提升): the change from the baseline in words ("提升 14.2%"), the figure under it; a
    goal that is itself a rate (研发投入强度, %) reads as a rate: the figure ("0.81%"), and the change in points
    under it ("较基期下降 0.04 个百分点").
Tables, the brief, the XLSX, the Word report and the CLI say the same through `achievement_text` (完成情况): the
completion of an amount ("108.5%"), how far a rate is past or short of its threshold in points, a direction goal's
change from its baseline. A rate is never divided by its threshold anywhere a user reads it.
The arc fills to min(completion, 100 %), 0 where nothing is achieved; a direction-only goal's arc is full when the
figure rose above the baseline and empty when it did not.
"""

from __future__ import annotations

from dataclasses import dataclass

from cnpark.rules.status import TargetStatus

STATUS_LABELS = {"met": "达标", "on_track": "正常推进", "lagging": "滞后", "off_track": "严重滞后",
                 "missed": "未达标", "pending": "待完成", "no_data": "无数据"}

# Decimals shown per unit (a target's own `decimals` in the catalog wins): the same unit reads the same everywhere.
UNIT_DECIMALS = {"元": 0, "万元": 0, "亿元": 2, "吨": 0, "万吨": 2, "%": 1, "户": 0, "个": 0, "万元/人": 1,
                 "万元/亩": 1, "万美元": 0, "": 0}
LATE = "late"                     # the display key of a milestone done after its deadline
LATE_WORD = "逾期完成"
POINTS = "个百分点"


def format_figure(value: float | None) -> str:
    """A figure as pages and the CLI show it: 1,302,000 · 71.5 · 0.81; '—' where there is none (never 0)."""
    if value is None:
        return "—"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.2f}".rstrip("0").rstrip(".")


def decimals_of(unit: str, decimals: int | None = None) -> int:
    return decimals if decimals is not None else UNIT_DECIMALS.get(unit, 1)


def number(value: float, decimals: int) -> str:
    """1302000 → '1,302,000'; 71.5 → '71.5' (with decimals=1); never '-0'."""
    text = f"{value:,.{decimals}f}"
    return text[1:] if text.startswith("-") and not any(c not in "0.," for c in text[1:]) else text


def figure(value: float | None, unit: str, decimals: int | None = None) -> str:
    """A measured figure with its unit: '1,302,000 万元', '71.5%', '8 户'; '—' where there is none."""
    if value is None:
        return "—"
    text = number(value, decimals_of(unit, decimals))
    return f"{text}%" if unit == "%" else f"{text} {unit}".strip()


def plan_number(value: float, unit: str) -> str:
    """A number as the plan writes it (no padding zeros): '250,000 吨', '75%', '2'."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4f}".rstrip("0").rstrip(".")
    return f"{text}%" if unit == "%" else f"{text} {unit}".strip()


def delta(value: float, unit: str, decimals: int | None = None) -> str:
    """A change with its sign and unit: '+282,000 万元', '-0.7 个百分点' (a change of a rate is in points);
    '无变化' when it rounds to nothing."""
    d = decimals_of(unit, decimals)
    text = number(abs(value), d)
    if not any(c not in "0.," for c in text):
        return "无变化"
    sign = "+" if value > 0 else "-"
    return f"{sign}{text} {POINTS}" if unit == "%" else f"{sign}{text} {unit}".strip()


def share(completion: float | None) -> str:
    """Completion as a percentage to one decimal, one rounding everywhere ('108.5%'); '—' where it cannot be
    computed."""
    return "—" if completion is None else f"{number(completion * 100, 1)}%"


# ---------------------------------------------------------------------------------------------- status words

def status_key(s: TargetStatus) -> str:
    """The colour key of a goal: its status, or LATE for a milestone done after its deadline."""
    return LATE if s.late else s.status


def status_word(s: TargetStatus) -> str:
    """The status as a word: 达标, 正常推进 … and 逾期完成 for a milestone done late."""
    return LATE_WORD if s.late else STATUS_LABELS[s.status]


def is_rate(s: TargetStatus) -> bool:
    """Rates and shares judged against a threshold in %, growth included: their headline is the figure itself."""
    return s.unit == "%" and s.rule in ("ge", "le", "growth")


def done_word(value: float | None) -> str:
    return "—" if value is None else ("已完成" if value >= 1 else "未完成")


# ---------------------------------------------------------------------------------------------- the texts

def value_text(s: TargetStatus) -> str:
    """The actual figure as tables show it: '1,302,000 万元', '+23.0%' (growth), '已完成（2023-11）'."""
    if s.actual is None:
        return STATUS_LABELS["no_data"] if s.status == "no_data" else "—"
    if s.kind == "milestone":
        return f"已完成（{s.period}）" if s.actual >= 1 else "未完成"
    if s.rule == "growth":
        return f"{'+' if s.actual > 0 else ''}{figure(s.actual, '%', s.decimals)}"
    return figure(s.actual, s.unit, s.decimals)


def period_word(period: str | None) -> str:
    """A data period in words: '2024年' for a year's end (a year alone means its December; flows are full years),
    else '2025年6月'; '—' for none."""
    if not period:
        return "—"
    return f"{period[:4]}年" if period.endswith("-12") else f"{period[:4]}年{int(period[5:7])}月"


def value_in(s: TargetStatus, month: str | None) -> str:
    """value_text under a heading that names a month: the value says its own period when that differs
    ('1,020,000 万元（2024年）' in a column headed 2025-11: a flow is judged on the last full year)."""
    text = value_text(s)
    if s.kind == "milestone" or s.actual is None or not s.period or s.period == month:
        return text
    return f"{text}（{period_word(s.period)}）"


def target_text(s: TargetStatus) -> str:
    """The goal: '≥ 250,000 吨', '同比增长 ≥ 20%', '期限 2023-09' (milestones), '较基期提升（基期 45.8 万元/人，2022年）'."""
    if s.kind == "milestone":
        return f"{s.deadline} 前完成"
    if s.kind == "direction":
        return "较基期提升" + (f"（{baseline_text(s, inside=True)}）" if s.target is not None else "")
    if s.target is None:
        return "—"
    op = "≤" if s.rule == "le" else "≥"
    if s.rule == "growth":
        return f"同比增长 {op} {plan_number(s.target, '%')}"
    if s.rule == "debt":
        return f"累计化解 {op} {plan_number(s.target, s.unit)}"
    return f"{op} {plan_number(s.target, s.unit)}"


def baseline_text(s: TargetStatus, inside: bool = False) -> str:
    """A direction-only goal's reference: '基期 45.8 万元/人（2022年）' ('基期 45.8 万元/人，2022年' inside brackets)."""
    year = f"{(s.baseline_period or '')[:4]}年"
    return f"基期 {figure(s.target, s.unit, s.decimals)}" + (f"，{year}" if inside else f"（{year}）")


def achievement_text(s: TargetStatus) -> str:
    """完成情况, as every table and document says it (the gauge says the same): an amount's completion ('108.5%'); a
    rate's distance from its threshold in points ('超额 60.4 个百分点', '差 3.5 个百分点'); a direction goal's change from
    its baseline ('较基期提升 14.2%', '较基期下降 0.04 个百分点'); '—' for milestones and where nothing is measured yet."""
    if s.actual is None or s.kind == "milestone":
        return "—"
    if s.kind == "direction":
        change = direction_change(s)
        return change if change in ("—", "与基期持平") else f"较基期{change}"
    if is_rate(s):
        return beyond_text(s) or "—"
    return share(s.completion)


def beyond_text(s: TargetStatus) -> str:
    """How far past (or short of) the threshold, in words: '超额 8%', '超额 60.4 个百分点', '差 3.5 个百分点'."""
    if s.actual is None or s.target is None or s.kind in ("milestone", "direction") or s.status == "pending":
        return ""
    lower = s.rule == "le"
    if is_rate(s):
        gap = (s.target - s.actual) if lower else (s.actual - s.target)
        d = decimals_of("%", s.decimals)
        if round(gap, d) == 0:
            return "恰好达到目标"
        return f"超额 {number(gap, d)} {POINTS}" if gap > 0 else f"差 {number(-gap, d)} {POINTS}"
    if s.completion is not None and s.completion > 1 and not lower:
        extra = number((s.completion - 1) * 100, 1)
        return f"超额 {extra}%" if extra != "0.0" else ""
    return ""


def change_text(s: TargetStatus) -> str:
    """'较上期(2024-12) +282,000 万元', '较上期(2025-11) -0.7 个百分点', '较上期(2023-10)：未完成 → 已完成';
    '' when there is no earlier reading."""
    if s.previous_period is None or s.previous is None or s.actual is None:
        return ""
    head = f"较上期({s.previous_period})"
    if s.kind == "milestone":
        before, now = done_word(s.previous), done_word(s.actual)
        return f"{head}：{before} → {now}" if before != now else f"{head}：无变化"
    unit = "%" if s.rule == "growth" else s.unit
    return f"{head} {delta(s.actual - s.previous, unit, s.decimals)}"


def dates_text(s: TargetStatus) -> str:
    """'期限 2025-12 · 数据期 2025-12': every goal says its deadline (a milestone's is on its target line)."""
    if s.kind == "milestone":
        return f"数据期 {s.period or '—'}"
    return f"期限 {s.deadline} · 数据期 {s.period or '—'}"


@dataclass(frozen=True)
class Reading:
    """A goal as its gauge says it: six lines from the top, the arc's fill and the colour key."""
    headline: str
    status: str
    detail: str
    target: str
    dates: str
    change: str
    arc: float
    key: str

    @property
    def words(self) -> list[str]:
        return [w for w in (self.headline, self.status, self.detail, self.target, self.dates, self.change) if w]


def _target_line(s: TargetStatus) -> str:
    """The gauge's target line: '目标 ≥ 250,000 吨', '目标 ≥ 20%（同比）', '累计计划 105,000 万元', '期限 2023-09',
    '基期 45.8 万元/人（2022年）'."""
    if s.kind == "milestone":
        return f"期限 {s.deadline}"
    if s.kind == "direction":
        return baseline_text(s) if s.target is not None else "较基期提升"
    if s.target is None:
        return "目标 —"
    if s.rule == "debt":
        return f"累计计划 {plan_number(s.target, s.unit)}"
    if s.rule == "growth":
        return f"目标 ≥ {plan_number(s.target, '%')}（同比）"
    return f"目标 {target_text(s)}"


def reading(s: TargetStatus) -> Reading:
    """The one rule for what a gauge says (module docstring)."""
    word = STATUS_LABELS[s.status]         # a late milestone says 逾期完成 in its headline and colour
    arc = 0.0 if s.completion is None else max(0.0, min(s.completion, 1.0))
    if s.kind == "direction":             # "大幅提升" has no amount to fill: the arc says whether it rose
        arc = 1.0 if s.status in ("met", "on_track") else 0.0
    if s.actual is None:
        headline, detail = "—", s.note
    elif s.kind == "milestone":
        headline = LATE_WORD if s.late else done_word(s.actual)
        detail = f"完成于 {s.period}" if s.actual >= 1 else ("尚未完成" if s.status == "pending" else "到期未完成")
    elif s.kind == "direction" and s.unit == "%":     # a rate reads as a rate: the figure, its change in points
        headline, detail = value_text(s), achievement_text(s)
    elif s.kind == "direction":
        headline, detail = direction_change(s), figure(s.actual, s.unit, s.decimals)
    elif is_rate(s):
        headline, detail = value_text(s), beyond_text(s)
    else:
        headline, detail = share(s.completion), figure(s.actual, s.unit, s.decimals)
        if s.rule == "debt":
            detail = f"累计化解 {detail}"
        beyond = beyond_text(s)
        if beyond:
            word = f"{word} · {beyond}"
    return Reading(headline=headline, status=word, detail=detail, target=_target_line(s), dates=dates_text(s),
                   change=change_text(s), arc=arc, key=status_key(s))


def direction_change(s: TargetStatus) -> str:
    """A direction goal's change from its baseline: '提升 14.2%' (relative), or for a goal in % '下降 0.04 个百分点';
    '与基期持平' when it rounds to nothing."""
    if s.target is None or s.actual is None:
        return "—"
    if s.unit == "%":
        change = delta(s.actual - s.target, "%", s.decimals)
        return "与基期持平" if change == "无变化" else ("提升 " if s.actual > s.target else "下降 ") + change[1:]
    if not s.target:
        return "—"
    relative = number(abs(s.actual / s.target - 1) * 100, 1)
    return "与基期持平" if relative == "0.0" else f"{'提升' if s.actual > s.target else '下降'} {relative}%"


def goal_titles(statuses: list[TargetStatus]) -> list[str]:
    """Each goal's title, with its year where its target has one goal per year ('工业总产值 · 2024年'), whatever
    part of the list is shown."""
    return [f"{s.name} · {s.deadline[:4]}年" if s.goals > 1 else s.name for s in statuses]
