"""Names and units as the plan and the offices write them: text clean-up, the form names are compared in, the
units a figure can come in and their conversions. Shared by the catalog, the parser and the pages. Pure.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


class BadValue(ValueError):
    """A cell that cannot be understood; str(exc) is the reason shown to the user."""


# ---------------------------------------------------------------------------------------- text

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\u180e"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u3000\u2002\u2003\u2009\t\r\n"), " ")
# Quotes and brackets that only decorate a name: "标准地" / “标准地” / 「标准地」 are one name.
_DECOR = dict.fromkeys(map(ord, "\"'“”‘’「」『』《》〈〉`"), None)
# Traditional forms seen in re-posted figures (億元, 萬噸, 產值 …); only what our names and units use.
_TRAD = str.maketrans("億萬噸產業區園總營體額數據標準閒處資鏈實際發電組裝來進貿農業轉換",
                      "亿万吨产业区园总营体额数据标准闲处资链实际发电组装来进贸农业转换")
DASHES = str.maketrans({"\u2212": "-", "\u2013": "-", "\ufe63": "-"})


def clean_text(value: object) -> str:
    """A cell as text: full-width forms folded (NFKC), invisible characters dropped, spaces trimmed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).translate(_INVISIBLE).translate(_SPACES)
    return re.sub(r" {2,}", " ", text).strip()


def clean_prose(value: object) -> str:
    """A unit's own words (进展情况, 存在问题 …) as written: invisible characters dropped, spaces trimmed, but the
    full-width punctuation of Chinese prose (，：；（）) kept — not folded to ASCII as names and figures are."""
    if value is None:
        return ""
    text = str(value).translate(_INVISIBLE).translate(_SPACES)
    return re.sub(r" {2,}", " ", text).strip()


@lru_cache(maxsize=65536)
def normalize_name(value: str) -> str:
    """The form names are compared in: no spaces, quotes or case; 繁体 units folded.

    >>> normalize_name(' “标准地” 出让占比 ') == normalize_name('"标准地"出让占比')
    True
    """
    text = clean_text(value).translate(_DECOR).translate(_TRAD)
    return re.sub(r"\s+", "", text).lower()


# ---------------------------------------------------------------------------------------- units

@dataclass(frozen=True)
class Unit:
    dimension: str
    factor: float  # multiply by this to get the dimension's base unit


UNITS: dict[str, Unit] = {
    "万元": Unit("money", 1), "元": Unit("money", 1e-4), "千元": Unit("money", 0.1),
    "亿元": Unit("money", 1e4), "亿": Unit("money", 1e4),
    "吨": Unit("mass", 1), "万吨": Unit("mass", 1e4), "千克": Unit("mass", 1e-3), "公斤": Unit("mass", 1e-3),
    "%": Unit("percent", 1), "百分比": Unit("percent", 1),
    "户": Unit("count", 1), "家": Unit("count", 1), "个": Unit("count", 1),
    "万美元": Unit("usd", 1), "美元": Unit("usd", 1e-4), "亿美元": Unit("usd", 1e4),
    "万元/人": Unit("per_person", 1), "元/人": Unit("per_person", 1e-4),
    "万元/亩": Unit("per_mu", 1), "元/亩": Unit("per_mu", 1e-4),
}
# Spellings that mean one of the units above.
_UNIT_SPELLINGS = {"吨/年": "吨", "万吨/年": "万吨", "t": "吨", "万t": "万吨", "％": "%", "人民币万元": "万元",
                   "万元人民币": "万元", "元人民币": "元", "亿元人民币": "亿元"}


def canonical_unit(text: str) -> str | None:
    """The registry name of a unit as typed ('万吨/年' → '万吨'), or None when it is not a unit we know."""
    unit = normalize_name(text).replace("(", "").replace(")", "")
    unit = _UNIT_SPELLINGS.get(unit, unit)
    return unit if unit in UNITS else None


def convert_unit(value: float, from_unit: str, to_unit: str) -> float:
    """value in from_unit expressed in to_unit; BadValue when the two cannot measure the same thing."""
    if from_unit == to_unit:
        return value
    source, target = UNITS.get(from_unit), UNITS.get(to_unit)
    if source is None:
        raise BadValue(f"无法识别单位“{from_unit}”")
    if target is None or source.dimension != target.dimension:
        raise BadValue(f"单位“{from_unit}”不适用于该指标（应为{to_unit or '完成/未完成'}）")
    return value * source.factor / target.factor
