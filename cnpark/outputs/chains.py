"""The industry chains drawn link by link (产业集群 page): a box per link with its firms, a gap in warning colours.
Same fonts and colours as the gauges and trends.py."""

from __future__ import annotations

import altair as alt
import pandas as pd

from cnpark.outputs.charts import INK, MUTED, PLAN, TRACK, finish_chart
from cnpark.outputs.trends import WARN, chart_title, no_data_chart

WARN_INK = "#9A3D0A"        # text on the light warning fill (contrast ≥ 4.5 : 1)
WARN_FILL = "#FDE8D7"
FIRM_FILL = "#E6F1F8"
DOWN_WIDTH = 320            # a chain drawn down (a phone): the boxes of a row within a 360 px screen's column


def chain_chart(links: pd.DataFrame, *, title: str, arrows: bool = True, max_names: int = 6,
                scale: float = 1.0, down: bool = False) -> alt.LayerChart:
    """One box per link (left to right, joined by arrows for a value chain): the link, its number of firms and their
    names; a link without firms is a warning-coloured 缺口 box. `links` are focus.chain_links rows of one chain.
    down: for a phone — a value chain's boxes top to bottom, other links in rows that fit DOWN_WIDTH."""
    if len(links) == 0:
        return no_data_chart(title, scale=scale)
    fs, pad = 11.5 * scale, 7 * scale
    line = fs * 1.45
    shown = [list(n[:max_names]) + ([f"… 等 {len(n)} 户"] if len(n) > max_names else []) for n in links["names"]]
    widest = max([len(s) for names in shown for s in names] + [len(s) for s in links["link"]] + [6])
    box_w = widest * fs + 2 * pad
    rows = max(len(n) for n in shown) + 2
    box_h = rows * line + 2 * pad
    gap = (40 if arrows else 10) * scale
    top = 4 * scale
    # down: a value chain one box under another; the links of a group of industries as many a row as DOWN_WIDTH holds
    across = 1 if arrows or not down else max(1, min(len(links), int((DOWN_WIDTH + gap) // (box_w + gap))))
    boxes, texts, words = [], [], []
    for i, (link, state, firms, names, full) in enumerate(zip(links["link"], links["state"], links["firms"], shown,
                                                              links["full_names"])):
        x0, y0 = ((i % across) * (box_w + gap), top + (i // across) * (box_h + gap)) if down else (i * (box_w + gap), top)
        gap_box = state == "gap"
        head = {"firms": f"{firms} 户", "gap": "缺口 · 待延链补链", "no_data": "无数据"}[state]
        boxes.append({"x": x0, "x2": x0 + box_w, "y": y0, "y2": y0 + box_h, "link": link, "head": head,
                      "who": "、".join(full) or "—",
                      "fill": WARN_FILL if gap_box else (FIRM_FILL if state == "firms" else "#F2F2F2"),
                      "stroke": WARN if gap_box else (PLAN if state == "firms" else TRACK)})
        cx = x0 + box_w / 2
        texts.append({"x": cx, "y": y0 + pad + line / 2, "text": link, "style": "link",
                      "ink": WARN_INK if gap_box else INK})
        texts.append({"x": cx, "y": y0 + pad + line * 1.5, "text": head, "style": "head",
                      "ink": WARN_INK if gap_box else (PLAN if state == "firms" else MUTED)})
        texts += [{"x": cx, "y": y0 + pad + line * (2.5 + k), "text": n, "style": "name", "ink": INK}
                  for k, n in enumerate(names)]
        words.append(f"{link} {head}")
    box_data = pd.DataFrame(boxes)
    px = {"scale": None, "axis": None}
    tooltip = [alt.Tooltip("link:N", title="环节"), alt.Tooltip("head:N", title="企业数"),
               alt.Tooltip("who:N", title="企业")]
    layers = [alt.Chart(box_data).mark_rect(cornerRadius=6 * scale, strokeWidth=2 * scale).encode(
        x=alt.X("x:Q", **px), x2="x2:Q", y=alt.Y("y:Q", **px), y2="y2:Q",
        fill=alt.Fill("fill:N", scale=None), stroke=alt.Stroke("stroke:N", scale=None), tooltip=tooltip)]
    text_data = pd.DataFrame(texts)
    for style, size, weight in (("link", fs * 1.15, "bold"), ("head", fs, "bold"), ("name", fs, "normal")):
        layers.append(alt.Chart(text_data).transform_filter(alt.datum.style == style)
                      .mark_text(fontSize=size, fontWeight=weight, baseline="middle")
                      .encode(x=alt.X("x:Q", **px), y=alt.Y("y:Q", **px), text="text:N",
                              color=alt.Color("ink:N", scale=None)))
    if arrows and len(boxes) > 1:
        if down:       # the shaft from under a box to the next one's top, the head pointing down
            mid = box_w / 2
            shafts = pd.DataFrame([{"x": mid, "x2": mid, "y": b["y2"] + 4 * scale, "y2": b["y2"] + gap - 8 * scale}
                                   for b in boxes[:-1]])
            ends, head_shape = {"x": alt.X("x:Q", **px), "y": alt.Y("y2:Q", **px)}, "triangle-down"
        else:
            mid = top + box_h / 2
            shafts = pd.DataFrame([{"x": b["x2"] + 4 * scale, "x2": b["x2"] + gap - 8 * scale, "y": mid, "y2": mid}
                                   for b in boxes[:-1]])
            ends, head_shape = {"x": alt.X("x2:Q", **px), "y": alt.Y("y:Q", **px)}, "triangle-right"
        layers += [alt.Chart(shafts).mark_rule(color=MUTED, strokeWidth=2 * scale)
                   .encode(x=alt.X("x:Q", **px), x2="x2:Q", y=alt.Y("y:Q", **px), y2="y2:Q"),
                   alt.Chart(shafts).mark_point(shape=head_shape, filled=True, color=MUTED, opacity=1,
                                                size=(9 * scale) ** 2).encode(**ends)]
    n, rows = len(boxes), -(-len(boxes) // across)
    width, height = ((across * box_w + (across - 1) * gap + 2, rows * box_h + (rows - 1) * gap) if down
                     else (n * box_w + (n - 1) * gap + 2, box_h))
    chart = alt.layer(*layers).properties(title=chart_title(title, scale), description=f"{title}：{'，'.join(words)}")
    return finish_chart(chart, int(width), int(top + height + 4 * scale))
