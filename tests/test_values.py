"""Cell parsers: periods, numbers, units and names as analysts type them (expected values worked out by hand)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnpark.parse.cells import Period, find_period, find_year, is_missing, parse_done, parse_number, parse_period
from cnpark.parse.cells import _parse_number as general_parse_number
from cnpark.plan.units import BadValue, canonical_unit, clean_text, convert_unit, normalize_name

# ---------------------------------------------------------------------------------------- periods


@pytest.mark.parametrize("text, month, cumulative", [
    ("2025", "2025-12", True),            # a year alone is its December
    ("2025年", "2025-12", True),
    ("2025年度", "2025-12", True),
    ("2025-06", "2025-06", False),
    ("2025-6", "2025-06", False),
    ("2025/06", "2025-06", False),
    ("2025.06", "2025-06", False),
    ("202506", "2025-06", False),
    ("2025年6月", "2025-06", False),
    ("２０２５年６月", "2025-06", False),    # full-width digits
    ("2025-06-30", "2025-06", False),     # a date cell: its month
    ("2025年1-6月", "2025-06", True),
    ("2025年1—6月", "2025-06", True),      # em dash
    ("2025年1～6月", "2025-06", True),
    ("2025年二季度", "2025-06", True),
    ("2025年第二季度", "2025-06", True),
    ("2025Q2", "2025-06", True),
    ("2025年上半年", "2025-06", True),
    ("2025H1", "2025-06", True),
    ("2025.0", "2025-12", True),          # a year that came through a number cell
])
def test_period_forms(text, month, cumulative):
    assert parse_period(text) == Period(month, cumulative)


@pytest.mark.parametrize("text, hint, month", [
    ("1-2月", 2024, "2024-02"),           # = February, cumulative
    ("1至6月", 2025, "2025-06"),
    ("上半年", 2025, "2025-06"),
    ("二季度", 2025, "2025-06"),
    ("前三季度", 2025, "2025-09"),
    ("6月", 2025, "2025-06"),
    ("2023年1-2月", 2025, "2023-02"),     # a written year beats the hint
])
def test_period_with_year_hint(text, hint, month):
    assert parse_period(text, hint).month == month


def test_one_to_two_months_is_cumulative_february():
    assert parse_period("1-2月", 2025) == Period("2025-02", True)
    assert parse_period("6月", 2025) == Period("2025-06", False)


@pytest.mark.parametrize("text, message", [
    ("1-2月", "缺少年份（请写成 2025年1-6月 这样的完整期间，或在标题中注明年份）"),
    ("上半年", "缺少年份（请写成 2025年1-6月 这样的完整期间，或在标题中注明年份）"),
    ("3-5月", "3-5月不是自1月起的累计，请填写1-5月累计值"),
    ("2025-13", "月份不在 1–12 之间"),
    ("2025年0月", "月份不在 1–12 之间"),
    ("1999", "年份不在 2000–2100 之间"),
    ("", "期间为空"),
    ("上个月", "无法识别的期间（可写 2025、2025-06、2025年6月、2025年1-6月、2025Q2、2025年上半年 等）"),
])
def test_bad_periods(text, message):
    with pytest.raises(BadValue) as exc:
        parse_period(text)
    assert str(exc.value) == message


def test_find_year_and_period_in_titles():
    assert find_year("昌宁产业园区2024年1-6月主要指标") == 2024
    assert find_year("2024年与2025年对比") is None         # two years: no hint
    assert find_period("昌宁产业园区2025年1-6月主要经济指标") == Period("2025-06", True)
    assert find_period("园区2025年1月和2025年2月") is None   # two periods: none chosen
    assert find_period("主要经济指标") is None


# ---------------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("text, expected", [
    ("1,234,567.8", (1234567.8, None)),
    ("１２３４５．６", (12345.6, None)),
    ("７５．２％", (75.2, "%")),
    ("75%", (75.0, "%")),
    ("4.5万吨", (4.5, "万吨")),
    ("1.5亿元", (1.5, "亿元")),
    ("3户", (3.0, "户")),
    ("-3.2", (-3.2, None)),
    ("−3.2", (-3.2, None)),    # U+2212 minus sign
    ("－3.2", (-3.2, None)),    # full-width hyphen-minus
    ("+5", (5.0, None)),
    ("1e3", (1000.0, None)),
])
def test_number_forms(text, expected):
    assert parse_number(text) == expected


def _outcome(parse, text):
    try:
        return parse(text)
    except BadValue as exc:
        return str(exc)


# Strings near the plain-number short cut's edge: digits, commas, dots, signs, spaces, exponents, units.
_NEAR_NUMBERS = st.one_of(
    st.text(alphabet="0123456789,.-+ e%万吨", max_size=24),
    st.from_regex(r"-?[0-9]{1,20}(,[0-9]{1,4}){0,6}(\.[0-9]{0,20})?", fullmatch=True),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda f: f"{f:,.{abs(hash(f)) % 6}f}"),
)


@settings(max_examples=2000, deadline=None)
@given(text=_NEAR_NUMBERS)
def test_plain_number_short_cut_agrees_with_general_path(text):
    assert _outcome(parse_number.__wrapped__, text) == _outcome(general_parse_number, text)


@pytest.mark.parametrize("text", ["1,234", "1,234,567.89", "-0", "-0.50", "007", "999999999999999", "1000000000000000",
                                  "12,345,678,901,234,567", "1,23", "1,2345", "1.", ".5", "1,234.", "-1,000"])
def test_plain_number_short_cut_edges(text):
    assert _outcome(parse_number.__wrapped__, text) == _outcome(general_parse_number, text)


@pytest.mark.parametrize("text", ["", " ", "—", "——", "―", "－", "-", "--", "/", "无", "空", "…", "#N/A"])
def test_missing_markers(text):
    assert parse_number(text) == (None, None)
    assert is_missing(text)


@pytest.mark.parametrize("text, message", [
    ("abc", "不是数字"),
    ("(3.2)", "不是数字"),
    ("=B3/C3", "是公式而不是数值，请粘贴为数值后再上传"),
    ("#VALUE!", "是 Excel 错误值，不是数字"),
    ("#DIV/0!", "是 Excel 错误值，不是数字"),
    ("5.73亿万", "数值后的“亿万”不是可识别的单位"),
    ("1e400", "数值超出合理范围"),     # inf
    ("1e16", "数值超出合理范围"),
])
def test_bad_numbers(text, message):
    with pytest.raises(BadValue) as exc:
        parse_number(text)
    assert str(exc.value) == message


@pytest.mark.parametrize("text, expected", [
    ("完成", 1.0), ("已完成", 1.0), ("是", 1.0), ("√", 1.0), ("1", 1.0),
    ("未完成", 0.0), ("否", 0.0), ("0", 0.0), ("—", None), ("", None),
])
def test_done_words(text, expected):
    assert parse_done(text) == expected


def test_done_rejects_other_words():
    with pytest.raises(BadValue) as exc:
        parse_done("差不多")
    assert str(exc.value) == "应填 完成/未完成（或 1/0）"


# ---------------------------------------------------------------------------------------- units


@pytest.mark.parametrize("value, source, target, expected", [
    (4.5, "万吨", "吨", 45000.0),            # 4.5 × 10 000
    (12.3, "亿元", "万元", 123000.0),         # 12.3 × 10 000
    (1500.0, "元", "万元", 0.15),             # 1 500 / 10 000
    (2.0, "亿元", "亿元", 2.0),
    (3.0, "家", "户", 3.0),                   # both counts of firms
    (25000.0, "吨", "万吨", 2.5),
])
def test_convert_unit(value, source, target, expected):
    assert convert_unit(value, source, target) == pytest.approx(expected, rel=1e-12)


def test_tonnes_cannot_measure_a_rate():
    with pytest.raises(BadValue) as exc:
        convert_unit(5.0, "吨", "%")
    assert str(exc.value) == "单位“吨”不适用于该指标（应为%）"


def test_unknown_unit():
    with pytest.raises(BadValue) as exc:
        convert_unit(5.0, "斤", "吨")
    assert str(exc.value) == "无法识别单位“斤”"


@pytest.mark.parametrize("text, unit", [
    ("万吨/年", "万吨"), ("（万元）", "万元"), ("t", "吨"), ("％", "%"), ("亿元人民币", "亿元"), ("斤", None),
])
def test_canonical_unit(text, unit):
    assert canonical_unit(text) == unit


# ---------------------------------------------------------------------------------------- names


@pytest.mark.parametrize("text", [
    '"标准地"出让占比',             # ASCII quotes
    "“标准地”出让占比",             # Chinese quotes
    "「标准地」出让占比",
    " 标准地 出让占比 ",            # spaces around and inside
    "标准地\u3000出让占比",          # full-width space
    "标准地出让占比\u200b",          # zero-width space
    "\ufeff标准地出让占比",          # a BOM glued to the first header
    "标准地\u00a0出让占比",          # no-break space
    "標準地出让占比",               # traditional characters from a re-post
])
def test_normalize_name_folds_decoration(text):
    assert normalize_name(text) == "标准地出让占比"


def test_normalize_name_full_width_and_case():
    assert normalize_name("ＲＤ强度") == "rd强度"
    assert normalize_name("营业收入（万元）") == normalize_name("营业收入(万元)") == "营业收入(万元)"


def test_clean_text_keeps_inner_single_spaces():
    assert clean_text("  云南\u3000\u3000通威  ") == "云南 通威"
    assert clean_text(None) == ""
