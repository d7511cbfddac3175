"""The gauge: its spec is written as Vega-Lite JSON (charts.gauge_spec), so each kind of goal is validated against the
schema and drawn by vl-convert here, and the arc and colour are checked against the headline rule."""

import math

import pytest

from cnpark.outputs.charts import GAUGE_SIZE, STATUS_COLORS, gauge_row, gauge_specs
from cnpark.rules.display import goal_titles
from cnpark.service.readings import Readings
from cnpark.store.snapshots import Store


@pytest.fixture(scope="module")
def final(demo_store, catalog):
    return {(s.code, s.deadline): s for s in Readings(Store(demo_store), catalog, "2025-12").report.statuses}


@pytest.mark.parametrize("key", [("revenue", "2025-12"), ("output_value", "2024-12"), ("leading_fai_share", "2023-12"),
                                 ("plan_approval", "2023-09"), ("mechanism_complete", "2025-12"),
                                 ("rd_intensity", "2025-12"), ("debt_resolution", "2025-12")])
def test_each_kind_of_gauge_is_valid_vega_lite_and_draws_its_words(final, key):
    import altair as alt
    import vl_convert as vlc

    s = final[key]
    spec = gauge_specs([s], GAUGE_SIZE)[key]
    alt.LayerChart.from_dict(spec)                     # validates against the Vega-Lite schema: raises if refused
    svg = vlc.vegalite_to_svg(spec)
    headline = spec["description"].split("：", 1)[1].split("，")[0]
    assert f">{headline}<" in svg and f">{goal_titles([s])[0]}<" in svg


def test_a_row_of_gauges_is_one_valid_chart_that_draws_each_gauge_with_its_own_figures(final):
    """charts.gauge_row: five goals side by side in one chart, each with its own data, title and words (the
    browser's label of its view); drawn, each headline appears once in the picture."""
    import altair as alt
    import vl_convert as vlc

    keys = [("revenue", "2025-12"), ("output_value", "2024-12"), ("leading_fai_share", "2023-12"),
            ("plan_approval", "2023-09"), ("debt_resolution", "2025-12")]
    specs = gauge_specs([final[k] for k in keys], GAUGE_SIZE)
    row = gauge_row([specs[k] for k in keys])
    alt.HConcatChart.from_dict(row)                    # validates against the Vega-Lite schema: raises if refused
    assert [v["description"] for v in row["hconcat"]] == [specs[k]["description"] for k in keys]
    assert len(row["datasets"]) == 5                     # no gauge reads another's figures
    for view, k in zip(row["hconcat"], keys, strict=True):
        assert row["datasets"][view["data"]["name"]] == specs[k]["datasets"]["gauge"]
    svg = vlc.vegalite_to_svg(row)
    for k in keys:
        headline = specs[k]["description"].split("：", 1)[1].split("，")[0]
        assert svg.count(f">{headline}<") == 1, headline
    width = float(svg.split('width="', 1)[1].split('"', 1)[0])
    assert width >= 5 * GAUGE_SIZE + 4 * row["spacing"]       # side by side, not stacked


def arc_end(spec) -> float:
    row = next(iter(spec["datasets"].values()))[0]
    return (row["v1"] - row["v0"]) / math.pi


def test_the_arc_and_colour_follow_the_headline_rule(final):
    specs = gauge_specs(list(final.values()), GAUGE_SIZE)
    assert arc_end(specs[("output_value", "2024-12")]) == 0            # −14 %: nothing achieved, the arc empty
    assert arc_end(specs[("leading_fai_share", "2023-12")]) == 1       # 402 % of the threshold: full, not more
    assert arc_end(specs[("agri_processing_rate", "2025-12")]) == pytest.approx(71.5 / 75)
    late = specs[("plan_approval", "2023-09")]
    assert late["layer"][1]["mark"]["color"] == STATUS_COLORS["late"] != STATUS_COLORS["missed"]
    assert arc_end(specs[("foreign_capital", "2025-12")]) == 0         # a direction goal that fell: empty


def test_no_headline_is_shrunk_below_the_words_under_it(demo_store, catalog):
    """Every headline display.reading writes on the sample (amounts "108.5%", rates, signed growth, 逾期完成, "提升 14.2%",
    a rate-valued direction goal "0.81%") fits the gauge's hollow at a size larger than the status line under it: no
    headline is auto-shrunk into small print (the old "下降 0.04 个百分点" was)."""
    from cnpark.outputs.charts import GAUGE_SIZE, MEETING_GAUGE_SIZE, gauge_spec
    from cnpark.store.snapshots import Store

    for as_of in ("2024-06", "2025-12"):
        for s in Readings(Store(demo_store), catalog, as_of, None).report.statuses:
            for size in (GAUGE_SIZE, MEETING_GAUGE_SIZE):
                texts = [layer["mark"]["fontSize"] for layer in gauge_spec(s, size=size)["layer"]
                         if layer["mark"]["type"] == "text"]
                assert texts[0] > texts[1] and texts[0] >= size * 0.09, (s.name, as_of, size, texts)


def test_a_gauge_is_drawn_at_the_size_its_spec_says(demo_store, catalog):
    """charts.drawn_size, which the brief lays its pages out by before any gauge is drawn, is what vl-convert draws:
    every sample gauge at the brief's size, at two months (long titles shrink their font: 269 px high, not 271)."""
    import vl_convert as vlc

    from cnpark.outputs.charts import drawn_size
    from cnpark.outputs.pdf import svg_size

    heights = set()
    for as_of in ("2024-06", "2025-12"):
        statuses = Readings(Store(demo_store), catalog, as_of, None).report.statuses
        for spec in gauge_specs(statuses, GAUGE_SIZE).values():
            assert svg_size(vlc.vegalite_to_svg(spec)) == drawn_size(spec), spec["title"]
            heights.add(drawn_size(spec)[1])
    # 239 (the view: 0.42·230 + 0.16·230 + 0.46·230, floored) + 10 padding + 4 title offset + the title's 17.2 px
    assert (GAUGE_SIZE + 10, 271) == drawn_size(gauge_specs(statuses[:1], GAUGE_SIZE).popitem()[1])
    assert len(heights) > 1                                    # a shrunk title is among them
