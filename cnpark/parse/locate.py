"""Stage 2 of the parser, finding the table: where things are in a grid — the header row and what each column means, the title lines above it
(a period, a year, "单位：万元"), and the data rows below it without footnotes or repeated headers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cnpark.parse.cells import Period, find_period, find_year, parse_period
from cnpark.plan.catalog import Catalog
from cnpark.plan.units import BadValue, canonical_unit, clean_text, normalize_name
from cnpark.store.datasets import REGISTRY

HEADER_SCAN = 30       # the header is among the first non-blank rows (titles take a few)
# No name, number, period or unit is longer. Longer cells are never handed to the cached parsers, whose
# caches outlive an upload: a file of 30 000-character cells must not stay in memory after it is refused.
LONG = 200

# The names each column goes by (datasets.Field.headers); when a role is met twice, the earlier name wins.
_ROLE_OF = {d.name: {normalize_name(n): (role, rank) for role, names in d.headers.items() for rank, n in enumerate(names)}
            for d in REGISTRY.values()}

_HEADER_UNIT = re.compile(r"^(.*?)\s*[(\[【]([^()\[\]【】]+)[)\]】]$")
_UNIT_LINE = re.compile(r"单位\s*[:：]\s*([^\s,;，；、]+)")
_FOOTNOTE = re.compile(r"^(注|说明|备注|数据来源|资料来源|来源)\s*\d*\s*[:：.、]"
                       r"|^(填表人|填报人|审核人|审核|制表人|制表|负责人|单位负责人|统计负责人|填报日期|制表日期|报出日期"
                       r"|联系电话|联系人)")
_SECTION = re.compile(r"^([一二三四五六七八九十]+[、.]|\(?[一二三四五六七八九十]+\)|其中)")


_clean = lru_cache(maxsize=65536)(clean_text)


def clean(text: str) -> str:
    """clean_text, cached for short cells: names, periods and areas repeat on every row."""
    return _clean(text) if len(text) <= LONG else clean_text(text)


def name_key(text: str) -> str:
    """normalize_name for a cell that can be a name; '' for one too long to be any."""
    return normalize_name(text) if len(text) <= LONG else ""


def split_unit(text: str) -> tuple[str, str | None]:
    """A name and the unit written with it: '营业收入(亿元)' or '营业收入/亿元' → ('营业收入', '亿元')."""
    return _split_unit(text) if len(text) <= LONG else (clean_text(text), None)


@lru_cache(maxsize=65536)
def _split_unit(text: str) -> tuple[str, str | None]:
    cleaned = clean(text).strip("*※ ")
    m = _HEADER_UNIT.match(cleaned)
    if m and canonical_unit(m[2]):
        return m[1], canonical_unit(m[2])
    base, _, unit = cleaned.partition("/")
    if base and unit and canonical_unit(unit):
        return base, canonical_unit(unit)
    return cleaned, None


@dataclass(frozen=True)
class Column:
    index: int
    text: str            # as written (cleaned), for messages
    key: str             # normalized, unit stripped
    unit: str | None     # the unit in the header: 营业收入(亿元) → 亿元


@dataclass
class Header:
    """The header row read for one dataset: which column plays which role."""
    row: int
    columns: list[Column]
    roles: dict[str, Column]
    codes: dict[int, str]          # column index → indicator code, where indicator names are the headers
    periods: list[Column]          # headers that read as periods (wide by period)

    def cell(self, cells: list[str], role: str) -> str:
        """The raw text of a role's cell in a row ('' when the role or the cell is absent)."""
        col = self.roles.get(role)
        return cells[col.index] if col is not None and col.index < len(cells) else ""

    def label(self, role: str, default: str) -> str:
        """The header text of a role's column, for messages."""
        col = self.roles.get(role)
        return col.text if col else default

    @property
    def score(self) -> int:
        return len(self.roles) + len(self.codes) + len(self.periods)


def _period_like(text: str) -> bool:
    if len(text) > LONG:
        return False
    try:
        parse_period(text, 2000)  # any year: '1-2月' is a period even before we know which year
        return True
    except BadValue:
        return False


def read_header(number: int, cells: list[str], catalog: Catalog, dataset: str) -> Header:
    """What each cell of a candidate header row means for `dataset`."""
    columns, roles, ranks, codes, periods = [], {}, {}, {}, []
    names = _ROLE_OF[dataset]
    for i, raw in enumerate(cells):
        if not raw or raw.isspace():
            continue
        base, unit = split_unit(raw)
        if not base:
            continue
        col = Column(i, clean(raw), name_key(base), unit)
        columns.append(col)
        role, rank = names.get(name_key(raw).strip("*※"), None) or names.get(col.key, (None, 0))
        if role:
            if role not in roles or rank < ranks[role]:
                roles[role], ranks[role] = col, rank
        elif dataset == "indicators" and len(raw) <= LONG:
            code = catalog.lookup(raw) or catalog.lookup(base)
            if code:
                codes[i] = code
            elif _period_like(raw):
                periods.append(col)
    return Header(number, columns, roles, codes, periods)


def _score(header: Header, dataset: str) -> int:
    if dataset == "indicators":
        return header.score
    return len(header.roles) if REGISTRY[dataset].markers & header.roles.keys() else 0


def find_header(rows, catalog: Catalog, dataset: str | None) -> tuple[int, str, Header] | None:
    """(position, dataset, header): the row among the first ones naming the most known columns, earliest on ties.

    With a dataset given, a file whose columns it does not know still gets a header (its first row of two
    or more cells), so that the caller can say which required columns are missing.
    """
    best, best_score, fallback = None, 0, None
    for i, (number, cells) in enumerate(rows[:HEADER_SCAN]):
        if sum(1 for c in cells if c.strip()) < 2:
            continue
        for ds in [dataset] if dataset else REGISTRY:
            header = read_header(number, cells, catalog, ds)
            fallback = fallback or (i, ds, header)
            score = _score(header, ds)
            if score > best_score:
                best, best_score = (i, ds, header), score
    if best and (best_score >= 2 or dataset):
        return best
    return fallback if dataset else None


@dataclass
class Title:
    """What the lines above the header say: a period, a year, a unit ("单位：万元")."""
    period: Period | None = None
    year: int | None = None
    unit: str | None = None

    @classmethod
    def read(cls, rows) -> Title:
        """Read the rows above the header; a period or year counts only when exactly one is named."""
        texts = [" ".join(clean(c) for c in cells if c.strip()) for _, cells in rows]
        periods = {p for p in map(find_period, texts) if p}
        units = (canonical_unit(m) for t in texts for m in _UNIT_LINE.findall(t) if len(m) <= LONG)
        return cls(periods.pop() if len(periods) == 1 else None, find_year(" ".join(texts)),
                   next((u for u in units if u), None))


def data_rows(rows, header: Header) -> list[tuple[int, list[str]]]:
    """The rows a person would call data: blank, footnote, section-heading and repeated-header rows left out."""
    kept = []
    header_first = header.columns[0].text if header.columns else None
    header_keys = tuple(c.key for c in header.columns)
    after_footnote = False
    firsts: dict[str, tuple[str, bool]] = {}   # first cell → (cleaned, is a footnote): names repeat on every row
    for number, cells in rows:
        filled = [c for c in cells if c and not c.isspace()]
        if filled:
            found = firsts.get(filled[0])
            if found is None:
                first = clean(filled[0])
                found = (first, bool(_FOOTNOTE.match(first)))
                if len(firsts) < 10_000:
                    firsts[filled[0]] = found
            first, footnote = found
        else:
            first, footnote = "", False
        if not first and len(filled) <= 1:
            continue
        if footnote or (after_footnote and len(filled) == 1):
            after_footnote = True  # a footnote's continuation lines ("2.增加值按可比价计算") go with it
            continue
        if len(filled) == 1 and _SECTION.match(first):
            continue  # a section heading (一、经济总量 / 其中：) carries no figure
        if first == header_first and tuple(name_key(split_unit(c)[0]) for c in filled) == header_keys:
            continue  # the header again, as a page break in an export leaves it
        kept.append((number, cells))
    return kept
