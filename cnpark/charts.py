"""Altair chart builders: colours, fonts and the gauge (focus-page charts are in trends.py); no streamlit.

Every chart gets the CJK font list (a single missing family makes vl-convert drop all text) and
autosize "pad" (Streamlit's default "fit" clips text placed in pixels).
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from cnpark.status import STATUS_LABELS, TargetStatus, format_completion, format_figure

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, Source Han Sans SC, sans-serif"
# Paul Tol's "vibrant"/"muted" colours, distinguishable with the common colour-vision deficiencies;
# the status word is always printed beside the colour, never the colour alone.
STATUS_COLORS = {
    "met": "#009988", "on_track": "#0077BB", "lagging": "#EE7733", "off_track": "#CC3311",
    "missed": "#882255", "pending": "#888888", "no_data": "#BBBBBB",
}
TRACK = "#E8E8E8"
INK = "#222222"
MUTED = "#666666"
PLAN = "#0077BB"

_START, _SPAN = -math.pi / 2, math.pi


def finish_chart(chart: alt.Chart | alt.LayerChart, width: int, height: int) -> alt.LayerChart:
    return (chart.properties(width=width, height=height, autosize=alt.AutoSizeParams(type="pad"))
            .configure(font=FONT).configure_view(stroke=None))


def goal_title(s: TargetStatus, yearly: bool) -> str:
    """The gauge's title: the target's name, with the year where a target has one goal per year."""
    return f"{s.name} · {s.deadline[:4]}年" if yearly else s.name


def value_text(s: TargetStatus) -> str:
    """'1,302,000 万元', '-14 %', '完成' / '未完成' for milestones, '无数据' where there is none."""
    if s.actual is None:
        return STATUS_LABELS["no_data"] if s.status == "no_data" else "—"
    if s.kind == "milestone":
        return "已完成" if s.actual >= 1 else "未完成"
    return f"{format_figure(s.actual)} {s.unit}".strip()


def target_text(s: TargetStatus) -> str:
    """'目标 ≥ 250,000 吨' ('基期 0.85 %' for direction-only goals)."""
    if s.target is None:
        return "目标 —"
    if s.kind == "direction":
        return f"基期 {format_figure(s.target)} {s.unit}（{(s.baseline_period or '')[:4]}年）".strip()
    if s.kind == "milestone":
        return f"期限 {s.deadline}"
    op = "≤" if s.rule == "le" else "≥"
    return f"目标 {op} {format_figure(s.target)} {s.unit}".strip()


def change_text(s: TargetStatus) -> str:
    """'较上期 +20,000' with the previous period, or '' when there is no earlier reading."""
    if s.change is None:
        return ""
    sign = "+" if s.change > 0 else ""
    return f"较上期({s.previous_period}) {sign}{format_figure(s.change)}"


def gauge_chart(s: TargetStatus, *, title: str | None = None, size: int = 240) -> alt.LayerChart:
    """A half-donut gauge of completion (V / T) coloured by status, with the status word, value, target,
    data period and change since the previous period printed on it. A tick marks 序时进度 (where the
    value should be by now) when the target is still running."""
    color = STATUS_COLORS[s.status]
    done = 0.0 if s.completion is None else max(0.0, min(s.completion, 1.0))
    r_out = size * 0.42
    r_in = r_out * 0.70
    cx, cy = size / 2, r_out + size * 0.16
    height = int(cy + size * 0.46)
    big, small = format_completion(s.completion), value_text(s)
    if s.rule == "growth" and s.actual is not None:   # a growth rate reads better as itself than as a share of 20 %
        big, small = f"{s.actual:+.1f}%", f"完成率 {format_completion(s.completion)}"
    row = {"bg0": _START, "bg1": _START + _SPAN, "v0": _START, "v1": _START + _SPAN * done,
           "completion": big, "value": small, "status": STATUS_LABELS[s.status],
           "target": target_text(s), "period": f"数据期 {s.period or '—'}", "change": change_text(s),
           "clause": s.clause, "departments": "、".join(s.departments), "note": s.note or "—"}
    data = pd.DataFrame([row])
    base = alt.Chart(data)
    center = {"x": cx, "y": cy}
    layers = [
        base.mark_arc(innerRadius=r_in, outerRadius=r_out, color=TRACK, **center)
        .encode(theta=alt.Theta("bg0:Q", scale=None), theta2="bg1:Q"),
        base.mark_arc(innerRadius=r_in, outerRadius=r_out, color=color, **center)
        .encode(theta=alt.Theta("v0:Q", scale=None), theta2="v1:Q",
                tooltip=[alt.Tooltip("value:N", title="实际"), alt.Tooltip("target:N", title="目标"),
                         alt.Tooltip("completion:N", title="完成率"), alt.Tooltip("status:N", title="状态"),
                         alt.Tooltip("clause:N", title="条款"), alt.Tooltip("departments:N", title="牵头部门"),
                         alt.Tooltip("note:N", title="说明")]),
    ]
    expected = _expected_completion(s)
    if expected is not None:
        angle = _START + _SPAN * expected
        tick = pd.DataFrame([{"t0": angle - 0.02, "t1": angle + 0.02}])
        layers.append(alt.Chart(tick).mark_arc(innerRadius=r_in - size * 0.03, outerRadius=r_out + size * 0.03,
                                               color=INK, **center)
                      .encode(theta=alt.Theta("t0:Q", scale=None), theta2="t1:Q"))
    text = [
        ("completion", cy - size * 0.05, size * 0.15, "bold", color),
        ("status", cy + size * 0.09, size * 0.085, "bold", color),
        ("value", cy + size * 0.20, size * 0.075, "bold", INK),
        ("target", cy + size * 0.29, size * 0.055, "normal", MUTED),
        ("period", cy + size * 0.36, size * 0.05, "normal", MUTED),
        ("change", cy + size * 0.42, size * 0.05, "normal", MUTED),
    ]
    for field, y, font_size, weight, fill in text:
        layers.append(base.mark_text(x=cx, y=y, fontSize=font_size, fontWeight=weight, color=fill, baseline="middle")
                      .encode(text=f"{field}:N"))
    title = title or s.name
    # The description is the gauge in words: screen readers get it as the chart's label, tests read it.
    words = "，".join(w for w in (row["completion"], row["status"], row["value"], row["target"], row["period"],
                                 row["change"]) if w)
    chart = alt.layer(*layers).properties(
        # a long name shrinks to fit rather than being cut ("主导产业新增固定资产投资占比")
        title=alt.TitleParams(title, fontSize=min(size * 0.075, size * 0.92 / max(len(title), 1)), anchor="middle",
                              color=INK, limit=size),
        description=f"{title}：{words}")
    return finish_chart(chart, size, height)


def goal_titles(statuses: list[TargetStatus]) -> list[str]:
    """Each goal's title, with its year where its target has one goal per year ('工业总产值 · 2024年')."""
    yearly = {s.code for s in statuses if sum(t.code == s.code for t in statuses) > 1}
    return [goal_title(s, s.code in yearly) for s in statuses]


def gauge_specs(statuses: list[TargetStatus], size: int) -> dict[tuple[str, str], dict]:
    """Every goal's gauge as a Vega-Lite spec, keyed by (code, deadline): the pages and the brief draw the same."""
    return {(s.code, s.deadline): gauge_chart(s, title=title, size=size).to_dict()
            for s, title in zip(statuses, goal_titles(statuses))}


def _expected_completion(s: TargetStatus) -> float | None:
    """Where 序时进度 puts the value, on the completion scale: (B + s·(T − B)) / T."""
    if s.due_share is None or s.status in ("met", "missed") or not s.target or s.rule in ("growth", "improve"):
        return None
    base = s.baseline or 0.0
    return max(0.0, min((base + s.due_share * (s.target - base)) / s.target, 1.0))


DANGER = STATUS_COLORS["off_track"]   # overdue items and other alarms
