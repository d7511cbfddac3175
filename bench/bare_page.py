"""The framework's floor for bench_overview.py: a bare Streamlit page drawing as many static Altair gauges as the
overview (29), each a layered half-donut (track, value, tick and six text marks, like cnpark's gauge), built in
the script on every run with no caching. No cnpark imports. `?mode=meeting` draws them at the meeting size.
`?n=9` draws that many gauges.
`?specs=once` draws the same specs built once per server process (st.cache_resource) with st.vega_lite_chart, as
the app does with its cached specs: the cost of sending and drawing alone. `?specs=file` draws the charts of
$BARE_SPECS/specs-<size>.json (cnpark's own, written by bench_overview: its gauges in rows of five, a row one chart)
one under another, until ?n gauges are drawn: the app's gauges without the app's frame.

    .venv/bin/python -m streamlit run bench/bare_page.py
"""

import json
import math
import os
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

COLUMNS = 5
FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"

st.set_page_config(page_title="bare page", layout="wide")
meeting = st.query_params.get("mode") == "meeting"
N_CHARTS = int(st.query_params.get("n", "29"))   # ?n=9: as many gauges as one meeting-mode screen of the overview
size = 330 if meeting else 230


def gauge(i: int, size: int) -> alt.LayerChart:
    done = (i * 37 % 100) / 100
    r_out = size * 0.42
    r_in, cx, cy = r_out * 0.7, size / 2, r_out + size * 0.16
    row = {"bg0": -math.pi / 2, "bg1": math.pi / 2, "v0": -math.pi / 2, "v1": -math.pi / 2 + math.pi * done,
           "t0": 0.0, "t1": 0.04, "a": f"{done:.0%}", "b": "正常推进", "c": f"{i * 1000:,} 吨",
           "d": "目标 ≥ 250,000 吨", "e": "数据期 2024-06", "f": "较上期 +1,000"}
    base = alt.Chart(pd.DataFrame([row]))
    center = {"x": cx, "y": cy}
    layers = [
        base.mark_arc(innerRadius=r_in, outerRadius=r_out, color="#E8E8E8", **center)
        .encode(theta=alt.Theta("bg0:Q", scale=None), theta2="bg1:Q"),
        base.mark_arc(innerRadius=r_in, outerRadius=r_out, color="#0077BB", **center)
        .encode(theta=alt.Theta("v0:Q", scale=None), theta2="v1:Q", tooltip=["c:N", "d:N"]),
        base.mark_arc(innerRadius=r_in - 6, outerRadius=r_out + 6, color="#222222", **center)
        .encode(theta=alt.Theta("t0:Q", scale=None), theta2="t1:Q"),
    ]
    for j, field in enumerate("abcdef"):
        layers.append(base.mark_text(x=cx, y=cy - size * 0.05 + j * size * 0.08, fontSize=size * (0.15 - j * 0.015),
                                     baseline="middle").encode(text=f"{field}:N"))
    return (alt.layer(*layers)
            .properties(title=f"指标 {i + 1}", width=size, height=int(cy + size * 0.46),
                        autosize=alt.AutoSizeParams(type="pad"))
            .configure(font=FONT).configure_view(stroke=None))


@st.cache_resource
def specs_once(size: int, n: int) -> list[dict]:
    return [gauge(i, size).to_dict() for i in range(n)]


@st.cache_resource
def specs_from(path: str) -> list[dict]:
    """?specs=file: the charts of a JSON file (BARE_SPECS/specs-<size>.json: bench_overview writes cnpark's own
    there), drawn as given."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


st.title("bare page")
how = st.query_params.get("specs")
prebuilt = None
if how == "once":
    prebuilt = specs_once(size, N_CHARTS)
elif how == "file":
    drawn = 0
    for i, chart in enumerate(specs_from(f"{os.environ['BARE_SPECS']}/specs-{size}.json")):
        if drawn >= N_CHARTS:
            break
        st.vega_lite_chart(chart, theme=None, width="content", key=f"r{i}")
        drawn += len(chart.get("hconcat", [chart]))
    st.stop()
for start in range(0, N_CHARTS, COLUMNS):
    for col, i in zip(st.columns(COLUMNS), range(start, min(start + COLUMNS, N_CHARTS))):
        with col:
            if prebuilt:
                st.vega_lite_chart(prebuilt[i], theme=None, key=f"g{i}")
            else:
                st.altair_chart(gauge(i, size), theme=None, key=f"g{i}")
