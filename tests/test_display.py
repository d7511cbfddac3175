"""What a figure says (cnpark/rules/display.py): one format per unit and the headline rule, on goals made by hand."""

from dataclasses import replace

from cnpark.rules.display import (
    achievement_text,
    change_text,
    delta,
    figure,
    plan_number,
    reading,
    status_word,
    value_text,
)
from cnpark.rules.status import TargetStatus


def goal(**kw) -> TargetStatus:
    base = dict(code="x", name="指标", unit="吨", deadline="2025-12", actual=None, target=None, completion=None,
                status="no_data", period=None, kind="numeric", rule="ge")
    return TargetStatus(**{**base, **kw})


def test_one_format_per_unit():
    assert figure(1_302_000.0, "万元") == "1,302,000 万元" and figure(71.5, "%") == "71.5%" and figure(62.0, "%") == "62.0%"
    assert figure(8.0, "户") == "8 户" and figure(52.34, "万元/人") == "52.3 万元/人"
    assert figure(0.81, "%", decimals=2) == "0.81%" and figure(None, "吨") == "—"
    assert figure(-0.04, "%") == "0.0%"                     # no "-0.0"
    assert plan_number(250_000, "吨") == "250,000 吨" and plan_number(75, "%") == "75%"
    assert delta(282_000, "万元") == "+282,000 万元" and delta(-0.75, "%") == "-0.8 个百分点" and delta(0.01, "%") == "无变化"


def test_amounts_read_as_completion_and_say_how_far_beyond():
    # 1,302,000 ÷ 1,200,000 = 108.5 %: the arc full, 超额 8.5 % in words — one rounding, not "108% · 超额 8%"
    r = reading(goal(unit="万元", actual=1_302_000, target=1_200_000, completion=1_302_000 / 1_200_000, status="met",
                     period="2025-12", rule="double_base"))
    assert (r.headline, r.status, r.detail, r.target, r.arc) == ("108.5%", "达标 · 超额 8.5%", "1,302,000 万元",
                                                                 "目标 ≥ 1,200,000 万元", 1.0)
    assert achievement_text(goal(unit="万元", actual=1_302_000, target=1_200_000, completion=1_302_000 / 1_200_000,
                                 status="met", period="2025-12")) == "108.5%"


def test_a_share_reads_as_itself_against_its_threshold():
    # 80.4 % against ≥ 20 %: completion would be 402 %; the headline is the share, 80.4 − 20 = 60.4 points over
    r = reading(goal(unit="%", actual=80.4, target=20, completion=4.02, status="met", period="2023-12"))
    assert (r.headline, r.detail, r.target, r.arc) == ("80.4%", "超额 60.4 个百分点", "目标 ≥ 20%", 1.0)
    short = reading(goal(unit="%", actual=71.5, target=75, completion=71.5 / 75, status="missed", period="2025-12"))
    assert (short.headline, short.detail) == ("71.5%", "差 3.5 个百分点")
    # tables and documents say the same words, never 80.4 ÷ 20 = "402%"
    assert achievement_text(goal(unit="%", actual=80.4, target=20, completion=4.02, status="met", period="2023-12")) == \
        "超额 60.4 个百分点"


def test_a_fall_keeps_its_sign_and_leaves_the_arc_empty():
    r = reading(goal(unit="%", actual=-14.0, target=20, completion=0.0, status="missed", period="2024-12",
                     rule="growth", deadline="2024-12"))
    assert (r.headline, r.detail, r.target, r.arc) == ("-14.0%", "差 34.0 个百分点", "目标 ≥ 20%（同比）", 0.0)
    assert value_text(goal(unit="%", actual=23.04, rule="growth", status="met")) == "+23.0%"


def test_a_milestone_done_late_has_its_own_word_and_both_dates():
    late = goal(kind="milestone", unit="", rule="done", deadline="2023-09", actual=1.0, completion=1.0,
                status="missed", period="2023-11", late=True, previous=0.0, previous_period="2023-09")
    r = reading(late)
    assert (r.headline, r.status, r.detail, r.target, r.key) == ("逾期完成", "未达标", "完成于 2023-11", "期限 2023-09", "late")
    assert status_word(late) == "逾期完成" and change_text(late) == "较上期(2023-09)：未完成 → 已完成"
    on_time = replace(late, late=False, status="met", period="2023-08")
    assert (reading(on_time).headline, reading(on_time).key) == ("已完成", "met")


def test_a_direction_goal_says_its_change_from_the_baseline():
    up = goal(kind="direction", unit="万元/人", rule="improve", actual=52.3, target=45.8, completion=52.3 / 45.8,
              status="met", period="2025-12", baseline_period="2022-12")
    r = reading(up)
    assert (r.headline, r.detail, r.target, r.arc) == ("提升 14.2%", "52.3 万元/人", "基期 45.8 万元/人（2022年）", 1.0)
    assert achievement_text(up) == "较基期提升 14.2%"
    # a goal that is itself a rate reads as a rate: 0.81 %, and 0.85 − 0.81 = 0.04 points down, in one wording
    # everywhere (not "较基期 -4.7%", not 0.9529)
    down = replace(up, unit="%", actual=0.81, target=0.85, completion=0.81 / 0.85, status="missed", decimals=2)
    assert (reading(down).headline, reading(down).detail, reading(down).arc) == ("0.81%", "较基期下降 0.04 个百分点", 0.0)
    assert achievement_text(down) == "较基期下降 0.04 个百分点"
    assert achievement_text(replace(up, actual=45.8)) == "与基期持平"


def test_change_since_the_previous_period_carries_its_unit():
    assert change_text(goal(unit="万元", actual=1_302_000, previous=1_020_000, previous_period="2024-12")) == \
        "较上期(2024-12) +282,000 万元"
    assert change_text(goal(unit="%", actual=71.5, previous=67.0, previous_period="2024-12")) == \
        "较上期(2024-12) +4.5 个百分点"
    assert change_text(goal(unit="吨", actual=250_000, previous=250_000, previous_period="2025-11")) == \
        "较上期(2025-11) 无变化"
    assert change_text(goal(unit="吨", actual=5.0)) == ""


def test_figures_are_shown_with_separators_and_a_dash_for_none():
    from cnpark.rules.display import format_figure, share
    assert format_figure(1_302_000.0) == "1,302,000"
    assert format_figure(71.5) == "71.5" and format_figure(0.81) == "0.81" and format_figure(-14.0) == "-14"
    assert format_figure(None) == "—" and format_figure(0.0) == "0"
    assert share(1.085) == "108.5%" and share(0.0) == "0.0%" and share(None) == "—"
