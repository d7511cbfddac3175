"""Stage 3 of the parser, reading cells: numbers (with their units), 完成/未完成 and periods as analysts type them.

Pure functions. A cell that cannot be understood raises BadValue with the reason in Chinese;
the caller (parse.collect) adds the row and column and collects every problem. Names and units: cnpark.plan.units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cnpark.plan.units import DASHES, BadValue, canonical_unit, clean_text

# ---------------------------------------------------------------------------------------- numbers

MISSING_MARKERS = frozenset({"", "空", "—", "——", "―", "－", "-", "--", "---", "/", "无", "…", "...", "……",
                             "#N/A", "N/A", "NA", "NULL", "null", "None", "nan", "NaN", "不详", "暂无"})
EXCEL_ERRORS = frozenset({"#VALUE!", "#DIV/0!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"})
DONE_WORDS = frozenset({"完成", "已完成", "是", "√", "✓", "✔", "y", "yes", "true", "已办结", "已建成", "已批复"})
NOT_DONE_WORDS = frozenset({"未完成", "否", "×", "✗", "n", "no", "false", "推进中", "进行中", "未启动"})

_NUMBER = re.compile(r"^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?(.*)$")
_GROUPED = re.compile(r"(?<=\d),(?=\d)")
MAX_ABS = 1e15  # beyond any figure a county park reports, in any unit


def is_missing(text: str) -> bool:
    """True for the markers statistics tables use for 'not reported' (—, /, 无, 空, blank …)."""
    return clean_text(text).translate(DASHES) in MISSING_MARKERS or clean_text(text) in MISSING_MARKERS


# What most figures look like: ASCII digits, thousands grouped by commas or not, a decimal part. For these the
# general path below gives float(text without commas) (clean_text changes nothing, no marker, no unit), so they
# take a short cut: figures rarely repeat, and the general path costs ~10× as much (~6 µs a cell).
_PLAIN = re.compile(r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")


@lru_cache(maxsize=262144)
def parse_number(text: str) -> tuple[float | None, str | None]:
    """A number as typed, with any unit written inside it: (value, unit) or (None, None) when missing.

    >>> parse_number('１,２３４.５万元'), parse_number('75%'), parse_number('—')
    ((1234.5, '万元'), (75.0, '%'), (None, None))
    """
    if _PLAIN.fullmatch(text):
        value = float(text.replace(",", ""))
        if not abs(value) < MAX_ABS:
            raise BadValue("数值超出合理范围")
        return value, None
    return _parse_number(text)


def _parse_number(text: str) -> tuple[float | None, str | None]:
    """parse_number's general path: every form analysts type (tests check the short cut against it)."""
    raw = clean_text(text)
    if raw in MISSING_MARKERS:
        return None, None
    if raw.upper() in EXCEL_ERRORS:
        raise BadValue("是 Excel 错误值，不是数字")
    if raw.startswith("=") and len(raw) > 1:
        raise BadValue("是公式而不是数值，请粘贴为数值后再上传")
    body = _GROUPED.sub("", raw.translate(DASHES)).replace(" ", "")
    if body in MISSING_MARKERS:
        return None, None
    match = _NUMBER.match(body)
    if not match:
        raise BadValue("不是数字")
    sign, digits, exponent, rest = match.groups()
    try:
        value = float(f"{sign}{digits}e{exponent or 0}")
    except (ValueError, OverflowError):
        raise BadValue("不是数字") from None
    if not abs(value) < MAX_ABS:
        raise BadValue("数值超出合理范围")
    unit = None
    if rest:
        unit = canonical_unit(rest)
        if unit is None:
            raise BadValue(f"数值后的“{rest}”不是可识别的单位")
    return value, unit


def parse_done(text: str) -> float | None:
    """A milestone cell: 1 for 完成/是/√, 0 for 未完成/否, None when missing."""
    raw = clean_text(text)
    if raw in MISSING_MARKERS:
        return None
    if raw.lower() in DONE_WORDS or raw in DONE_WORDS:
        return 1.0
    if raw.lower() in NOT_DONE_WORDS or raw in NOT_DONE_WORDS:
        return 0.0
    try:
        value, unit = parse_number(raw)
    except BadValue:  # a word like 差不多 is not "no number" but "not one of the answers"
        value, unit = None, None
    if unit is None and value in (0.0, 1.0):
        return value
    raise BadValue("应填 完成/未完成（或 1/0）")


# ---------------------------------------------------------------------------------------- periods

@dataclass(frozen=True)
class Period:
    month: str          # "YYYY-MM": the period's last month
    cumulative: bool    # written as a 1–N月 / 季度 / 上半年 range from January


_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_RANGE = r"[-~至到—]"
_PERIOD_FORMS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^(\d{4})(?:年(?:度|全年)?)?$"), "year"),
    (re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2})?(?: \d{1,2}:\d{2}(?::\d{2})?)?$"), "ym"),
    (re.compile(r"^(\d{4})(\d{2})$"), "ym"),
    (re.compile(r"^(\d{4})年(\d{1,2})月(?:份|末|底)?$"), "ym"),
    (re.compile(r"^(\d{4})年(\d{1,2})月\d{1,2}日$"), "ym"),
    (re.compile(rf"^(?:(\d{{4}})年?)?(\d{{1,2}})月?{_RANGE}(\d{{1,2}})月(?:累计|份)?$"), "range"),
    (re.compile(r"^(?:(\d{4})年?)?(\d{1,2})月(?:份)?$"), "month"),
    (re.compile(r"^(?:(\d{4})年?)?第?([一二三四1-4])季度$"), "quarter"),
    (re.compile(r"^(\d{4})\s?Q([1-4])$", re.I), "quarter"),
    (re.compile(r"^(?:(\d{4})年?)?(上半年|前三季度|全年)$"), "named"),
    (re.compile(r"^(\d{4})\s?H1$", re.I), "h1"),
]
_NAMED = {"上半年": 6, "前三季度": 9, "全年": 12}


def _month(year: str | int | None, month: int, year_hint: int | None) -> str:
    y = int(year) if year else year_hint
    if y is None:
        raise BadValue("缺少年份（请写成 2025年1-6月 这样的完整期间，或在标题中注明年份）")
    if not 2000 <= y <= 2100:
        raise BadValue("年份不在 2000–2100 之间")
    if not 1 <= month <= 12:
        raise BadValue("月份不在 1–12 之间")
    return f"{y:04d}-{month:02d}"


@lru_cache(maxsize=65536)
def parse_period(text: str, year_hint: int | None = None) -> Period:
    """A period as typed → its last month; a year alone is its December, 1-2月 is February (cumulative).

    >>> parse_period('2025年1—6月'), parse_period('2025Q2').month, parse_period('1-2月', 2024).month
    (Period(month='2025-06', cumulative=True), '2025-06', '2024-02')
    """
    raw = clean_text(text).translate(DASHES).replace(" 年", "年").replace("年 ", "年")
    raw = re.sub(r"(?<=\d)\.0$", "", raw)  # 2025.0 from a spreadsheet number cell
    if not raw:
        raise BadValue("期间为空")
    for pattern, form in _PERIOD_FORMS:
        m = pattern.match(raw)
        if not m:
            continue
        g = m.groups()
        if form == "year":
            return Period(_month(g[0], 12, None), True)
        if form == "ym":
            return Period(_month(g[0], int(g[1]), None), False)
        if form == "month":
            return Period(_month(g[0], int(g[1]), year_hint), False)
        if form == "range":
            first, last = int(g[1]), int(g[2])
            if first != 1:
                raise BadValue(f"{first}-{last}月不是自1月起的累计，请填写1-{last}月累计值")
            if last < first:
                raise BadValue("期间的起止月份颠倒")
            return Period(_month(g[0], last, year_hint), True)
        if form == "quarter":
            return Period(_month(g[0], 3 * _CN_NUM[g[1]], year_hint), True)
        if form == "named":
            return Period(_month(g[0], _NAMED[g[1]], year_hint), True)
        if form == "h1":
            return Period(_month(g[0], 6, None), True)
    raise BadValue("无法识别的期间（可写 2025、2025-06、2025年6月、2025年1-6月、2025Q2、2025年上半年 等）")


_YEAR_IN_TEXT = re.compile(r"(20\d{2})\s*年")


def find_year(text: str) -> int | None:
    """The one year named in a title line ('昌宁产业园区2024年1-6月主要指标' → 2024), else None."""
    years = set(_YEAR_IN_TEXT.findall(clean_text(text)))
    return int(years.pop()) if len(years) == 1 else None


_PERIOD_IN_TEXT = re.compile(r"(20\d{2}年(?:\d{1,2}[-~至到—]\d{1,2}月|\d{1,2}月|第?[一二三四]季度|上半年|前三季度|度)?)")


def find_period(text: str) -> Period | None:
    """The one period named in a title line, if exactly one can be read there."""
    found = set()
    for candidate in _PERIOD_IN_TEXT.findall(clean_text(text).translate(DASHES)):
        try:
            found.add(parse_period(candidate))
        except BadValue:
            continue
    return found.pop() if len(found) == 1 else None
