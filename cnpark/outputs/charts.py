"""Altair chart builders: colours, fonts and the gauge (focus-page charts are in trends.py); no streamlit.

Every chart gets the CJK font list (a single missing family makes vl-convert drop all text) and
autosize "pad" (Streamlit's default "fit" clips text placed in pixels).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from cnpark.rules.display import LATE, achievement_text, goal_titles, reading, status_word, target_text, value_text
from cnpark.rules.status import TargetStatus

if TYPE_CHECKING:
    import altair as alt  # imported where a chart is built: the brief and the command line draw gauge specs only

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, Source Han Sans SC, sans-serif"
# Paul Tol's "vibrant"/"muted" colours, distinguishable with the common colour-vision deficiencies;
# the status word is always printed beside the colour, never the colour alone.
STATUS_COLORS = {
    "met": "#009988", "on_track": "#0077BB", "lagging": "#EE7733", "off_track": "#CC3311",
    "missed": "#882255", "pending": "#888888", "no_data": "#BBBBBB",
    LATE: "#8A6F00",   # a milestone done after its deadline: neither 达标's green nor 未达标's wine (4.9 : 1 on white)
}
TRACK = "#E8E8E8"
INK = "#222222"
MUTED = "#666666"
PLAN = "#0077BB"

_START, _SPAN = -math.pi / 2, math.pi
GAUGE_SIZE, MEETING_GAUGE_SIZE = 230, 330    # px: pages, brief and images draw the same specs at GAUGE_SIZE


# Streamlit's chart config gives every mark a tooltip of its encoding, whose keys are our field names ("headline:
# 108.5%"): only the tooltips a chart asks for (with Chinese titles) are shown.
NO_TOOLTIP = {"tooltip": None}


def finish_chart(chart: alt.Chart | alt.LayerChart, width: int, height: int) -> alt.LayerChart:
    import altair as alt
    return (chart.properties(width=width, height=height, autosize=alt.AutoSizeParams(type="pad"))
            .configure(font=FONT).configure_view(stroke=None).configure_mark(**NO_TOOLTIP))


def text_em(text: str) -> float:
    """Width of a text in em of its font: CJK characters are square, Latin letters and digits about half."""
    return sum(1.0 if ord(c) >= 0x2E80 else 0.58 for c in text)


def fit_font(text: str, room: float, largest: float) -> float:
    """The font size at which `text` fits `room` pixels, at most `largest`."""
    return min(largest, room / max(text_em(text), 1.0))


def gauge_spec(s: TargetStatus, *, title: str | None = None, size: int = 240) -> dict:
    """A half-donut gauge as a Vega-Lite spec, coloured by status, with what display.reading says printed on it: the
    headline (completion, or the rate itself, or the growth with its sign, or the milestone's state), the status word,
    the figure or how far past the threshold, the target, the deadline and data period, the change since the previous
    period. A tick marks 序时进度 (where the value should be by now) while the target is still running.

    Written as the JSON itself, not through Altair's classes: the structure is the same for every goal, and Altair's
    classes cost many times more per gauge (docs/PERFORMANCE.md; tests/test_charts.py checks each kind against the
    Vega-Lite schema)."""
    r = reading(s)
    color = STATUS_COLORS[r.key]
    r_out = size * 0.42
    r_in = r_out * 0.70
    cx, cy = size / 2, r_out + size * 0.16
    row = {"bg0": _START, "bg1": _START + _SPAN, "v0": _START, "v1": _START + _SPAN * r.arc,
           "headline": r.headline, "status": r.status, "detail": r.detail, "target": r.target, "dates": r.dates,
           "change": r.change, "actual": value_text(s), "goal": target_text(s), "completion": achievement_text(s),
           "word": status_word(s), "clause": s.clause, "departments": "、".join(s.departments), "note": s.note or "—"}
    expected = _expected_completion(s)
    if expected is not None:
        angle = _START + _SPAN * expected
        row.update(t0=angle - 0.02, t1=angle + 0.02)

    def arc(start: str, end: str, inner: float, outer: float, fill: str, **encoding) -> dict:
        return {"mark": {"type": "arc", "color": fill, "innerRadius": inner, "outerRadius": outer, "x": cx, "y": cy},
                "encoding": {"theta": {"field": start, "scale": None, "type": "quantitative"},
                             "theta2": {"field": end}, **encoding}}

    tooltip = [{"field": f, "title": t, "type": "nominal"} for f, t in (
        ("actual", "实际"), ("goal", "目标"), ("completion", "完成情况"), ("word", "状态"), ("clause", "条款"),
        ("departments", "责任单位"), ("note", "说明"))]
    layers = [arc("bg0", "bg1", r_in, r_out, TRACK), arc("v0", "v1", r_in, r_out, color, tooltip=tooltip)]
    if expected is not None:
        layers.append(arc("t0", "t1", r_in - size * 0.03, r_out + size * 0.03, INK))
    room = size * 0.94
    text = [   # field, y, font size (shrunk to fit the gauge's width), weight, colour
        # the headline may use the hollow's width at its height (≈ 1.8 r_in): every headline display.reading writes
        # (at most "提升 14.2%") stays larger than the words under it
        ("headline", cy - size * 0.05, fit_font(r.headline, r_in * 1.8, size * 0.15), "bold", color),
        ("status", cy + size * 0.09, fit_font(r.status, room, size * 0.085), "bold", color),
        ("detail", cy + size * 0.20, fit_font(r.detail, room, size * 0.072), "bold", INK),
        ("target", cy + size * 0.29, fit_font(r.target, room, size * 0.055), "normal", MUTED),
        ("dates", cy + size * 0.36, fit_font(r.dates, room, size * 0.05), "normal", MUTED),
        ("change", cy + size * 0.42, fit_font(r.change, room, size * 0.05), "normal", MUTED),
    ]
    layers += [{"mark": {"type": "text", "baseline": "middle", "color": fill, "fontSize": round(font_size, 1),
                         "fontWeight": weight, "x": cx, "y": y},
                "encoding": {"text": {"field": field, "type": "nominal"}}}
               for field, y, font_size, weight, fill in text]
    title = title or s.name
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "config": {"view": {"continuousWidth": 300, "continuousHeight": 300, "stroke": None}, "font": FONT,
                   "mark": NO_TOOLTIP},
        "autosize": {"type": "pad"}, "width": size, "height": int(cy + size * 0.46),
        # a long name shrinks to fit rather than being cut ("主导产业新增固定资产投资占比")
        "title": {"text": title, "anchor": "middle", "color": INK, "limit": size,
                  "fontSize": round(fit_font(title, size * 0.92, size * 0.075), 1)},
        # the gauge in words: screen readers get it as the chart's label, tests read it
        "description": f"{title}：{'，'.join(r.words)}",
        "data": {"name": "gauge"}, "datasets": {"gauge": [row]}, "layer": layers,
    }


def gauge_chart(s: TargetStatus, *, title: str | None = None, size: int = 240) -> alt.LayerChart:
    """The gauge as an Altair chart (checked against the Vega-Lite schema), for callers that compose charts."""
    import altair as alt
    return alt.LayerChart.from_dict(gauge_spec(s, title=title, size=size))


def drawn_size(spec: dict) -> tuple[float, float]:
    """The size vl-convert draws a gauge spec at, without drawing it: the view, Vega-Lite's padding (5 px a side)
    and, above, the title's line (its font size and Vega's 4-px offset), rounded up. The brief lays its pages out from
    this, so its text pages can be drawn before and beside its gauges (tests/test_charts.py holds it to vl-convert)."""
    return spec["width"] + 10, math.ceil(spec["height"] + 14 + spec["title"]["fontSize"])


def gauge_specs(statuses: list[TargetStatus], size: int) -> dict[tuple[str, str], dict]:
    """Every goal's gauge as a Vega-Lite spec, keyed by (code, deadline): the pages and the brief draw the same."""
    return {(s.code, s.deadline): gauge_spec(s, title=title, size=size)
            for s, title in zip(statuses, goal_titles(statuses))}


def gauge_row(specs: list[dict], spacing: int = 16) -> dict:
    """Gauges side by side as one Vega-Lite chart (hconcat): each keeps its title, data, tooltip and description (the
    browser gives each its own label, as it does a chart's). The browser draws a row of five as one chart for about
    three quarters of the CPU five charts cost it (docs/PERFORMANCE.md, issue 24, "The gauges in rows"). Works on
    the specs as gauge_spec writes them, whatever their datasets hold (rows, or Arrow bytes for Streamlit)."""
    views, datasets = [], {}
    for i, spec in enumerate(specs):
        (name, rows), = spec["datasets"].items()
        datasets[f"{name}{i}"] = rows
        views.append({**{k: v for k, v in spec.items() if k not in ("$schema", "config", "autosize", "datasets")},
                      "data": {"name": f"{name}{i}"}})
    return {"$schema": specs[0]["$schema"], "config": specs[0]["config"], "autosize": specs[0]["autosize"],
            "spacing": spacing, "datasets": datasets, "hconcat": views}


def gauge_rows(specs: list[dict], columns: int = 5) -> list[dict]:
    """Gauges as the pages draw them: rows of `columns`, each one chart (gauge_row), a row of one its own spec."""
    rows = [specs[i:i + columns] for i in range(0, len(specs), columns)]
    return [row[0] if len(row) == 1 else gauge_row(row) for row in rows]


def _expected_completion(s: TargetStatus) -> float | None:
    """Where 序时进度 puts the value, on the completion scale: (B + s·(T − B)) / T."""
    if s.due_share is None or s.status in ("met", "missed") or not s.target or s.rule in ("growth", "improve"):
        return None
    base = s.baseline or 0.0
    return max(0.0, min((base + s.due_share * (s.target - base)) / s.target, 1.0))


DANGER = STATUS_COLORS["off_track"]   # overdue items and other alarms
