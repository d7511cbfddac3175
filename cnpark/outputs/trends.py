"""Altair charts of the focus pages: trajectories, bars and lines (the chains: chains.py). Same fonts and colours as the gauges.

Honest by construction: value axes start at zero; every printed label sits on a white halo drawn above the lines
(so a line never runs through a figure), and a label near the target line moves to its other side; a projection is
drawn only where its method fits the series (forecast.indicator_trajectory), rounded to the data's precision.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from cnpark.outputs.charts import INK, MUTED, PLAN, STATUS_COLORS, finish_chart
from cnpark.rules.display import figure, plan_number
from cnpark.rules.forecast import LINEAR, PIPELINE

# ---------------------------------------------------------------------------------------- focus pages
# Sizes are for the ordinary view; `scale` (the meeting mode's gauge ratio) enlarges every length and font.

WARN = "#EE7733"            # gaps and the projection: the "lagging" orange
SERIES = {"实际": (PLAN, [1, 0]), "计划路径": (MUTED, [6, 4]), LINEAR: (WARN, [2, 3]), PIPELINE: (WARN, [2, 3]),
          "累计化解": (PLAN, [1, 0]), "累计计划": (MUTED, [6, 4])}
YEAR_SHADES = ("#C6DBEF", "#9ECAE1", "#6BAED6", "#3182BD", "#08519C")
HALO = "#FFFFFF"


def _fig(value: float | None, unit: str = "", decimals: int | None = None) -> str:
    """A figure as the pages print it (display.figure: one format per unit; no unit: a whole number)."""
    return figure(value, unit, decimals)


def _datetime(month: str) -> alt.DateTime:
    """'2025-06' → the first of that month, UTC, for a temporal scale's domain (Streamlit's renderer drops a
    domain given as epoch milliseconds: every point lands on the left edge)."""
    return alt.DateTime(year=int(month[:4]), month=int(month[5:7]), date=1, utc=True)


def chart_title(text: str, scale: float, unit: str = "") -> alt.TitleParams:
    """The chart's title, with the unit under it (an axis title would stand on its side)."""
    return alt.TitleParams(text, fontSize=15 * scale, anchor="start", color=INK, offset=8 * scale,
                           subtitle=f"单位：{unit}" if unit else alt.Undefined, subtitleFontSize=11 * scale,
                           subtitleColor=MUTED)


def _series(names: list[str], scale: float, text: str) -> tuple[alt.Color, alt.StrokeDash, list[alt.Tooltip]]:
    """Colour, dash and tooltip of named series (SERIES): one legend for colour and dash (same field, same legend
    settings), so the key shows each line as drawn."""
    legend = alt.Legend(title=None, orient="top", labelFontSize=12 * scale, symbolType="stroke",
                        symbolStrokeWidth=2.5 * scale, symbolSize=400 * scale)
    color = alt.Color("series:N", scale=alt.Scale(domain=names, range=[SERIES[n][0] for n in names]), legend=legend)
    dash = alt.StrokeDash("series:N", scale=alt.Scale(domain=names, range=[SERIES[n][1] for n in names]),
                          legend=legend)
    tooltip = [alt.Tooltip("series:N", title="系列"), alt.Tooltip("period:N", title="期间"),
               alt.Tooltip(f"{text}:N", title="数值")]
    return color, dash, tooltip


def labels(chart: alt.Chart, scale: float, **mark) -> list[alt.Chart]:
    """A text layer on a white halo: the halo (the same text, stroked white) hides whatever line runs under it."""
    halo = chart.mark_text(**{**mark, "color": HALO, "stroke": HALO, "strokeWidth": 4 * scale, "strokeJoin": "round"})
    return [halo, chart.mark_text(**mark)]


def label_side(values: list[float], i: int) -> str:
    """Where point i's label goes so that the line through it does not cross it: above a peak, below a trough, and
    beside a point on a slope (right for the last point, left for the first; above-left/below-right in between).

    >>> [label_side([308, 294, 272, 238], i) for i in range(4)]
    ['left', 'above-right', 'above-right', 'right']
    """
    before = values[i - 1] if i > 0 else None
    after = values[i + 1] if i + 1 < len(values) else None
    v = values[i]
    if before is None and after is None:
        return "above"
    if after is None:
        return "right"
    if before is None:
        return "left"
    if v >= before and v >= after:
        return "above"
    if v <= before and v <= after:
        return "below"
    return "above-right" if before > v else "above-left"     # falling through the point: the upper right is free


_SIDES = {"above": {"dy": -12, "baseline": "bottom", "align": "center", "dx": 0},
          "below": {"dy": 12, "baseline": "top", "align": "center", "dx": 0},
          "left": {"dx": -9, "align": "right", "baseline": "middle", "dy": 0},
          "right": {"dx": 9, "align": "left", "baseline": "middle", "dy": 0},
          "above-right": {"dx": 6, "dy": -8, "align": "left", "baseline": "bottom"},
          "above-left": {"dx": -6, "dy": -8, "align": "right", "baseline": "bottom"}}


def _point_labels(frame: pd.DataFrame, x, y, scale: float, size: float = 11, **mark) -> list[alt.Chart]:
    """Labels of a line's points, each on the side label_side() picks (frame has `_label` and `_side`)."""
    out = []
    for side, offsets in _SIDES.items():
        part = frame[frame["_side"] == side]
        if len(part):
            o = {k: (v * scale if k in ("dx", "dy") else v) for k, v in offsets.items()}
            out += labels(alt.Chart(part).encode(x=x, y=y, text="_label:N"), scale, fontSize=size * scale,
                          fontWeight="bold", **o, **mark)
    return out


def no_data_chart(title: str, *, note: str = "无数据", width: int = 480, height: int = 120,
                  scale: float = 1.0) -> alt.LayerChart:
    """A titled box saying 无数据 (or why), where a chart has nothing to draw."""
    w, h = int(width * scale), int(height * scale)
    text = alt.Chart(pd.DataFrame([{"note": note}])).mark_text(
        x=w / 2, y=h / 2, fontSize=14 * scale, color=MUTED).encode(text="note:N")
    return finish_chart(alt.layer(text).properties(title=chart_title(title, scale), description=f"{title}：{note}"), w, h)


def trajectory_chart(t, *, title: str, width: int = 740, height: int = 300, scale: float = 1.0) -> alt.LayerChart:
    """Actual readings (line and points), the plan path (dashed) and the projection (dotted; named by its method),
    with the target as a labelled rule; the value axis starts at zero. `t` is a forecast.Trajectory."""
    if len(t.actual) == 0:
        return no_data_chart(title, note=f"截至所选月份无{t.name}数据", width=width, scale=scale)
    parts = [(name, frame) for name, frame in (("实际", t.actual), ("计划路径", t.plan), (t.method, t.projection))
             if len(frame)]
    data = pd.concat([frame.assign(series=name) for name, frame in parts], ignore_index=True)
    data = data.assign(date=data["period"] + "-01", text=[_fig(v, t.unit, t.decimals) for v in data["value"]])
    names = [name for name, _ in parts]
    # the time axis always runs from the first reading (or the plan's baseline) to the deadline, so a short
    # series is placed in the plan period rather than stretched across the chart; UTC so no timezone moves a month
    span = [data["period"].min(), max(t.deadline, data["period"].max())]
    x = alt.X("date:T", timeUnit="utcyearmonth", title=None, scale=alt.Scale(domain=[_datetime(m) for m in span]),
              axis=alt.Axis(format="%Y-%m", labelFontSize=11 * scale, labelAngle=0, tickCount=8))
    fmt = ",.0f" if t.unit != "%" else ",.1~f"
    top = max([*data["value"], t.target or 0.0]) or 1.0
    y = alt.Y("value:Q", title=None, scale=alt.Scale(zero=True, nice=True),
              axis=alt.Axis(format=fmt, labelFontSize=11 * scale))
    color, dash, tooltip = _series(names, scale, "text")
    base = alt.Chart(data)
    # a pipeline projection holds today's capacity until the projects start, then steps up: not a straight line
    step = {"interpolate": "step-after"} if t.method == PIPELINE else {}
    layers = [base.transform_filter(alt.datum.series != t.method).mark_line(strokeWidth=2.5 * scale)
              .encode(x=x, y=y, color=color, strokeDash=dash, tooltip=tooltip),
              base.transform_filter(alt.datum.series == t.method).mark_line(strokeWidth=2.5 * scale, **step)
              .encode(x=x, y=y, color=color, strokeDash=dash, tooltip=tooltip),
              base.transform_filter(alt.datum.series == "实际").mark_point(filled=True, size=30 * scale ** 2,
                                                                         color=PLAN, opacity=1)
              .encode(x=x, y=y, tooltip=tooltip)]
    if t.target is not None:
        rule = pd.DataFrame([{"value": t.target, "label": f"目标 {plan_number(t.target, t.unit)}（{t.deadline}）"}])
        layers.append(alt.Chart(rule).mark_rule(color=STATUS_COLORS["met"], strokeDash=[4, 2],
                                                strokeWidth=1.5 * scale).encode(y=y))
        layers += labels(alt.Chart(rule).encode(y=y, text="label:N"), scale, align="left", x=4 * scale,
                         dy=-8 * scale, fontSize=12 * scale, color=STATUS_COLORS["met"], fontWeight="bold")
    ends = [(t.actual.iloc[-1], f"{_fig(t.actual['value'].iloc[-1], t.unit, t.decimals)}（{t.actual['period'].iloc[-1]}）")]
    if len(t.projection):
        ends.append((t.projection.iloc[-1], f"预计 {_fig(t.projected, t.unit, t.decimals)}"))
    for point, text in ends:
        frame = pd.DataFrame([{"date": point["period"] + "-01", "value": point["value"], "label": text}])
        where = alt.Chart(frame).encode(x=x, y=y, text="label:N")
        if point["period"] >= span[1]:
            # at the right edge: in the margin right of the point, where no line runs
            layers += labels(where, scale, align="left", dx=9 * scale, baseline="middle", fontSize=12 * scale,
                             fontWeight="bold", color=INK)
            continue
        # above the point, unless the target line is just above it: then below (12 px clear at this height)
        near = t.target is not None and 0 <= (t.target - point["value"]) / top * height * scale < 18 * scale
        layers += labels(where, scale, align="right", dx=-6 * scale, dy=(14 if near else -10) * scale,
                         baseline="top" if near else "alphabetic", fontSize=12 * scale, fontWeight="bold", color=INK)
    last = t.actual.iloc[-1]
    words = [f"实际 {_fig(last['value'], t.unit, t.decimals)}（{last['period']}）"]
    if len(t.plan):
        words.append(f"计划路径 {t.plan['period'].iloc[0]} {_fig(t.plan['value'].iloc[0], t.unit, t.decimals)} → "
                     f"{t.plan['period'].iloc[-1]} {_fig(t.plan['value'].iloc[-1], t.unit, t.decimals)}")
    if len(t.projection):
        words.append(f"{t.method} {t.deadline} {_fig(t.projected, t.unit, t.decimals)}")
    chart = alt.layer(*layers).properties(title=chart_title(title, scale, t.unit),
                                          description=f"{title}：{'，'.join(words)}")
    return finish_chart(chart, int(width * scale), int(height * scale))


def bar_chart(frame: pd.DataFrame, category: str, value: str, *, title: str, unit: str, width: int = 420,
              height: int = 240, horizontal: bool = False, color: str = PLAN, label_angle: int = 0,
              scale: float = 1.0, zeros: bool = True) -> alt.LayerChart:
    """Bars with their figure printed on them, an empty bar too ('0', not a blank that reads as missing); categories
    in the frame's order. zeros=False: a calendar whose empty slots mean "nothing that month" leaves them unlabelled."""
    if len(frame) == 0:
        return no_data_chart(title, width=width, scale=scale)
    data = frame.assign(_label=[("" if v == 0 and not zeros else _fig(v)) for v in frame[value]],
                        _tip=[_fig(v, unit) for v in frame[value]])
    order = list(dict.fromkeys(data[category]))
    cat_axis = alt.Axis(labelFontSize=11 * scale, labelAngle=label_angle, labelLimit=int(220 * scale))
    whole = bool((data[value].fillna(0) % 1 == 0).all())   # counts (户): no ticks between whole numbers
    val_axis = alt.Axis(format=",.0f" if unit != "%" else ",.1~f", labelFontSize=11 * scale,
                        tickMinStep=1 if whole else alt.Undefined)
    cat = (alt.Y if horizontal else alt.X)(f"{category}:N", sort=order, title=None, axis=cat_axis)
    val = (alt.X if horizontal else alt.Y)(f"{value}:Q", title=None, axis=val_axis,
                                           scale=alt.Scale(nice=True, domainMin=0))
    tooltip = [alt.Tooltip(f"{category}:N", title="项目"), alt.Tooltip("_tip:N", title="数值")]
    base = alt.Chart(data)
    bars = base.mark_bar(color=color, **({"height": {"band": 0.7}} if horizontal else {"width": {"band": 0.7}}))
    enc = {"x": val, "y": cat} if horizontal else {"x": cat, "y": val}
    text = labels(base.encode(**enc, text="_label:N"), scale, fontSize=11 * scale, color=INK, fontWeight="bold",
                  **({"align": "left", "dx": 4 * scale} if horizontal else {"baseline": "bottom", "dy": -3 * scale}))
    words = "，".join(f"{c} {_fig(v, unit)}" for c, v in zip(data[category], data[value]) if v != 0 or zeros) or "均为 0"
    chart = alt.layer(bars.encode(**enc, tooltip=tooltip), *text).properties(
        title=chart_title(title, scale, unit), description=f"{title}：{words}")
    return finish_chart(chart, int(width * scale), int(height * scale))


def line_chart(frame: pd.DataFrame, period: str, value: str, *, title: str, unit: str, width: int = 420,
               height: int = 240, scale: float = 1.0) -> alt.LayerChart:
    """A short series (a few periods) as a line from a zero-based axis, every point labelled on the side its line
    leaves free (label_side)."""
    if len(frame) == 0:
        return no_data_chart(title, width=width, scale=scale)
    values = [float(v) for v in frame[value]]
    data = frame.assign(_label=[_fig(v, unit if unit == "%" else "") for v in values],
                        _side=[label_side(values, i) for i in range(len(values))])
    x = alt.X(f"{period}:O", title=None, axis=alt.Axis(labelAngle=0, labelFontSize=11 * scale),
              scale=alt.Scale(paddingOuter=0.6))
    y = alt.Y(f"{value}:Q", title=None, scale=alt.Scale(zero=True, nice=True),
              axis=alt.Axis(format=",.0f", labelFontSize=11 * scale))
    base = alt.Chart(data).encode(x=x, y=y)
    layers = [base.mark_line(color=PLAN, strokeWidth=2.5 * scale),
              base.mark_point(filled=True, color=PLAN, size=40 * scale ** 2, opacity=1),
              *_point_labels(data, x, y, scale, color=INK)]
    words = "，".join(f"{p} {_fig(v, unit)}" for p, v in zip(data[period], values))
    chart = alt.layer(*layers).properties(title=chart_title(title, scale, unit), description=f"{title}：{words}")
    return finish_chart(chart, int(width * scale), int(height * scale))


def progress_chart(frame: pd.DataFrame, *, title: str, unit: str, width: int = 420, height: int = 240,
                   scale: float = 1.0) -> alt.LayerChart:
    """Cumulative series over time, (period, series, value) — 累计化解 (solid, its readings marked) against 累计计划
    (dashed) — from zero, each line's last value labelled at its end."""
    if len(frame) == 0:
        return no_data_chart(title, width=width, scale=scale)
    names = list(dict.fromkeys(frame["series"]))
    data = frame.assign(date=frame["period"] + "-01", _text=[_fig(v, unit) for v in frame["value"]])
    months = sorted(data["period"])
    x = alt.X("date:T", timeUnit="utcyearmonth", title=None,
              scale=alt.Scale(domain=[_datetime(months[0]), _datetime(months[-1])]),
              axis=alt.Axis(format="%Y-%m", labelFontSize=11 * scale, labelAngle=0, tickCount=6))
    y = alt.Y("value:Q", title=None, scale=alt.Scale(zero=True, nice=True),
              axis=alt.Axis(format=",.0f", labelFontSize=11 * scale))
    color, dash, tooltip = _series(names, scale, "_text")
    base = alt.Chart(data)
    layers = [base.mark_line(strokeWidth=2.5 * scale).encode(x=x, y=y, color=color, strokeDash=dash, tooltip=tooltip),
              base.transform_filter(alt.datum.series == names[0]).mark_point(filled=True, size=36 * scale ** 2,
                                                                           color=SERIES[names[0]][0], opacity=1)
              .encode(x=x, y=y, tooltip=tooltip)]
    ends = data.sort_values("period").groupby("series", sort=False).tail(1)
    ends = ends.assign(_label=[f"{n} {t}" for n, t in zip(ends["series"], ends["_text"])])
    # each line's end is labelled in the right margin, where no line runs; two ends close together are pushed apart
    top = float(data["value"].max()) or 1.0
    gap = (ends["value"].max() - ends["value"].min()) / top * height * scale if len(ends) > 1 else 99.0
    for (_, row), lift in zip(ends.sort_values("value").iterrows(), (1, -1)):
        one = pd.DataFrame([row])
        layers += labels(alt.Chart(one).encode(x=x, y=y, text="_label:N"), scale, align="left", dx=8 * scale,
                         dy=lift * max(0.0, 8 * scale - gap / 2) if len(ends) > 1 else 0, baseline="middle",
                         fontSize=11.5 * scale, fontWeight="bold",
                         color=SERIES[row["series"]][0] if row["series"] != "累计计划" else INK)
    last = data[data["period"] == months[-1]]
    words = "，".join(f"{n} {_fig(v, unit)}" for n, v in zip(last["series"], last["value"]))
    chart = alt.layer(*layers).properties(title=chart_title(title, scale, unit),
                                          description=f"{title}：{months[-1]} {words}")
    return finish_chart(chart, int(width * scale), int(height * scale))


def grouped_bar_chart(frame: pd.DataFrame, *, title: str, unit: str, target: float | None = None,
                      width: int = 760, height: int = 280, scale: float = 1.0,
                      horizontal: bool = False) -> alt.LayerChart:
    """(area, year, value) as bars grouped by area, one shade per year, with the target as a labelled rule.
    horizontal: an area a row, its years' bars one under another (a phone's width), the target's label above."""
    if len(frame) == 0:
        return no_data_chart(title, width=width, scale=scale)
    years = sorted(set(frame["year"]))
    data = frame.assign(_label=[_fig(v, unit).removesuffix("%") for v in frame["value"]],
                        _tip=[_fig(v, unit) for v in frame["value"]])
    area = (alt.Y if horizontal else alt.X)("area:N", sort=list(dict.fromkeys(data["area"])), title=None,
                                            axis=alt.Axis(labelAngle=0, labelFontSize=12 * scale))
    value = (alt.X if horizontal else alt.Y)("value:Q", title=None,
                                             scale=alt.Scale(domain=[0, 100] if unit == "%" else alt.Undefined),
                                             axis=alt.Axis(format=",.0f", labelFontSize=11 * scale))
    shades = YEAR_SHADES[-len(years):] if len(years) <= len(YEAR_SHADES) else alt.Undefined
    color = alt.Color("year:N", title="年度", scale=alt.Scale(domain=years, range=shades),
                      legend=alt.Legend(orient="top", labelFontSize=12 * scale, titleFontSize=12 * scale))
    if horizontal:
        enc = {"x": value, "y": area, "yOffset": alt.YOffset("year:N", sort=years)}
    else:
        enc = {"x": area, "y": value, "xOffset": alt.XOffset("year:N", sort=years)}
    base = alt.Chart(data)
    tooltip = [alt.Tooltip("area:N", title="产业"), alt.Tooltip("year:N", title="年度"),
               alt.Tooltip("_tip:N", title="数值")]
    layers = [base.mark_bar().encode(**enc, color=color, tooltip=tooltip)]
    if target is not None:
        # the target's label stands outside the plot, beyond its line's end: it never sits on a bar's figure
        rule = pd.DataFrame([{"value": target, "label": f"目标 {plan_number(target, unit)}"}])
        at = alt.X("value:Q") if horizontal else alt.Y("value:Q")
        end = ({"align": "center", "y": 0, "dy": -6 * scale, "baseline": "bottom"} if horizontal else
               {"align": "left", "x": "width", "dx": 6 * scale, "baseline": "middle"})
        layers += [alt.Chart(rule).mark_rule(color=STATUS_COLORS["met"], strokeDash=[4, 2], strokeWidth=1.5 * scale)
                   .encode(**({"x": at} if horizontal else {"y": at})),
                   alt.Chart(rule).mark_text(**end, fontSize=12 * scale, fontWeight="bold", color=STATUS_COLORS["met"])
                   .encode(**({"x": at} if horizontal else {"y": at}), text="label:N")]
    place = ({"align": "left", "baseline": "middle", "dx": 2 * scale} if horizontal else
             {"baseline": "bottom", "dy": -2 * scale})
    layers += labels(base.encode(**enc, text="_label:N"), scale, **place, fontSize=10 * scale, color=INK)
    latest = data[data["year"] == years[-1]]
    words = f"{years[-1]}年 " + "，".join(f"{a} {_fig(v, unit)}" for a, v in zip(latest["area"], latest["value"]))
    chart = alt.layer(*layers).properties(title=chart_title(title, scale, unit), description=f"{title}：{words}")
    return finish_chart(chart, int(width * scale), int(height * scale))
