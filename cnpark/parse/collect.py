"""Stage 3 of the parser, reading cells into records: collecting one file's canonical records and problems, and the cell readers the three datasets share.

A Reading holds everything found so far: the problems (capped), the records as plain column lists with
duplicate keys checked on the way, the unit conversions applied and the counts. Readers add to it and
never raise for a bad cell.
"""

from __future__ import annotations

import math
import re
from datetime import date
from operator import itemgetter

from cnpark.parse.cells import DONE_WORDS, NOT_DONE_WORDS, Period, is_missing, parse_done, parse_number, parse_period
from cnpark.parse.decode import Problem, format_number, shorten
from cnpark.parse.locate import LONG, Column, Header, Title, clean, name_key
from cnpark.plan.catalog import Catalog
from cnpark.plan.units import UNITS, BadValue, convert_unit, normalize_name
from cnpark.store.datasets import COLUMNS, KEYS, label

MAX_PROBLEMS = 200     # a page of messages; 50 MB of noise must not produce a million

_WHOLE_PARK = {normalize_name(n) for n in ("全园区", "园区", "全园", "全区", "合计", "总计", "全部", "园区合计")}
_YES = {normalize_name(w) for w in DONE_WORDS | {"规上", "逾期", "已逾期", "1"}}
_NO = {normalize_name(w) for w in NOT_DONE_WORDS | {"规下", "非规上", "未逾期", "正常", "0"}}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(?:(\d{1,2})\s*日?)?)?(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
_YEAR = re.compile(r"(\d{4})(?:\.0+)?\s*年?度?")


def _stand_in(raw: str) -> str:
    """A long cell's stand-in for the cached parsers: it fails the way the long cell would, and is short."""
    if len(raw) <= LONG:
        return raw
    return "=?" if raw.lstrip().startswith("=") else "?"


def read_number(raw: str) -> tuple[float | None, str | None]:
    """parse_number, safe for cells of any length."""
    return parse_number(_stand_in(raw))


def read_period(raw: str, year_hint: int | None) -> Period:
    """parse_period, safe for cells of any length."""
    return parse_period(_stand_in(raw), year_hint)


def read_done(raw: str) -> float | None:
    """parse_done, safe for cells of any length."""
    return parse_done(_stand_in(raw))


class Problems:
    """Every problem up to MAX_PROBLEMS, then only a count; `full` lets callers skip costly messages."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.more = 0
        self._seen: set[Problem] = set()   # one bad unit beside a name must not be told once per month column

    @property
    def full(self) -> bool:
        return len(self.items) >= MAX_PROBLEMS

    @property
    def count(self) -> int:
        return len(self.items) + self.more

    def add(self, row: int | None, column: str, value: object, reason: str) -> None:
        """Record a problem at a spreadsheet row and column (once); past the cap only count it."""
        if self.full:
            self.more += 1
            return
        problem = Problem(row, column, shorten(value), reason)
        if problem not in self._seen:
            self._seen.add(problem)
            self.items.append(problem)

    def __bool__(self) -> bool:
        return bool(self.items)

    def final(self) -> list[Problem]:
        """The listed problems and, when some were left out, a last entry saying how many."""
        extra = [Problem(None, "", "", f"…另有 {self.more} 个问题未列出")] if self.more else []
        return self.items + extra


class Records:
    """Canonical rows as tuples in schema order, keys checked on the way; columns are built once, at the end.

    Tuples of strings and numbers leave the garbage collector's watch once it has seen them, so a million
    records cost it nothing more (dicts and lists would be walked again by every full collection).
    """

    def __init__(self, dataset: str):
        self.names = tuple(COLUMNS[dataset])
        self.key_names = KEYS[dataset]
        self.rows: list[tuple] = []
        self.seen: dict[tuple, int] = {}   # key → position in rows
        at = [self.names.index(k) for k in self.key_names]
        self._key = itemgetter(*at) if len(at) > 1 else lambda row: (row[at[0]],)
        # The note may differ between two copies of a row; the figures may not.
        self._compared = [i for i, name in enumerate(self.names) if name not in ("source_row", "note")]
        self._source_row = self.names.index("source_row")

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def columns(self) -> dict[str, list]:
        """The records as one list per canonical column."""
        # One C-level pass per column; zip(*rows) would make an iterator per row for the collector to chase.
        return {name: list(map(itemgetter(i), self.rows)) for i, name in enumerate(self.names)}

    def add(self, record: dict, problems: Problems, column: str, value: str) -> None:
        """Keep a record (every canonical column by name); see add_row."""
        self.add_row(tuple(record[name] for name in self.names), problems, column, value)

    def add_row(self, row: tuple, problems: Problems, column: str, value: str) -> None:
        """Keep a row (values in schema order); an identical repeat of its key counts once, a different one is a problem."""
        key = self._key(row)
        prior = self.seen.get(key)
        if prior is None:
            self.seen[key] = len(self.rows)
            self.rows.append(row)
            return
        kept = self.rows[prior]
        if any(not _same(kept[i], row[i]) for i in self._compared):
            same = "、".join(label(k) for k in self.key_names)
            problems.add(row[self._source_row], column, value,
                         f"与第{kept[self._source_row]}行重复（{same}相同）但内容不同")


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


def fits(unit: str | None, target_unit: str) -> bool:
    """True when `unit` measures the same kind of thing as `target_unit` (亿元 fits 万元, 吨 does not fit %)."""
    return bool(unit) and bool(target_unit) and UNITS[unit].dimension == UNITS[target_unit].dimension


def tidy(value: float) -> float:
    """Drop binary float dust from a conversion: 12.3 × 10000 → 123000.0, not 123000.00000000001."""
    return float(f"{value:.12g}")


class Reading:
    """State while reading one file: header, title, problems, records, conversions and counts."""

    def __init__(self, catalog: Catalog, dataset: str, header: Header, title: Title):
        self.catalog, self.dataset, self.header, self.title = catalog, dataset, header, title
        self.problems = Problems()
        self.records = Records(dataset)
        self.conversions: dict[str, None] = {}   # an ordered set of "营业收入：亿元 → 万元（×10000）"
        self.skipped = 0
        self.rows_read = 0
        self._whole_park = _WHOLE_PARK | ({normalize_name(catalog.park)} if catalog.park else set())
        self._areas: dict[str, str] = {}
        self._periods: dict[str, Period | str] = {}   # per spelling: the period, or the reason it is none
        self._noted: set[tuple[str, str, str]] = set()

    def missing_columns(self, needed: list[tuple[str, bool]]) -> bool:
        """Report the required columns that are absent (all in one problem); True when any is."""
        missing = [name for name, present in needed if not present]
        if missing:
            self.problems.add(None, "", "", f"缺少必需的列：{'、'.join(missing)}")
        return bool(missing)

    def keyed(self, rows, role: str, empty: str):
        """(number, cells, key) for each row whose `role` cell is filled; an empty one is reported (`empty`)."""
        column = self.header.roles[role]
        for number, cells in rows:
            key = clean(self.header.cell(cells, role))
            if key:
                yield number, cells, key
            else:
                self.problems.add(number, column.text, "", empty)

    def header_units(self, roles: tuple[str, ...], target_unit: str) -> None:
        """A column whose header names a unit of another kind (期末余额(吨)) is wrong for every row: say it once."""
        for role in roles:
            col = self.header.roles.get(role)
            if col is not None and col.unit and not fits(col.unit, target_unit):
                self.problems.add(self.header.row, col.text, col.text, f"单位“{col.unit}”不适用于该列（应为{target_unit}）")

    def note_conversion(self, name: str, unit: str, target_unit: str) -> None:
        """Remember a conversion applied, as the line the upload page shows ("营业收入：亿元 → 万元（×10000）")."""
        if (name, unit, target_unit) in self._noted:  # once per kind, not once per row
            return
        self._noted.add((name, unit, target_unit))
        factor = UNITS[unit].factor / UNITS[target_unit].factor
        self.conversions[f"{name}：{unit} → {target_unit}（×{format_number(tidy(factor))}）"] = None

    def period(self, raw: str, number: int) -> Period | None:
        """The row's period; a blank cell takes the title's period; a bad one is reported (None)."""
        found = self._periods.get(raw)
        if found is None:
            if not clean(raw):
                found = self.title.period or "期间为空"
            else:
                try:
                    found = read_period(raw, self.title.year)
                except BadValue as exc:
                    found = str(exc)
            self._periods[raw] = found
        if isinstance(found, str):
            self.problems.add(number, self.header.label("period", "期间"), raw, found)
            return None
        return found

    def area(self, raw: str) -> str:
        """A 片区 cell; blank, missing markers and whole-park words (全园区, 合计, the park's name) mean ''."""
        found = self._areas.get(raw)
        if found is None:
            text = clean(raw)
            found = "" if not text or is_missing(text) or name_key(text) in self._whole_park else text
            self._areas[raw] = found
        return found

    def number(self, raw: str, number: int, column: str) -> tuple[float, str | None] | None:
        """(value, unit written in the cell); None when missing (counted in skipped) or not a number (reported)."""
        try:
            value, unit = read_number(raw)
        except BadValue as exc:
            self.problems.add(number, column, raw, str(exc))
            return None
        if value is None:
            self.skipped += 1
            return None
        return value, unit

    def amount(self, raw: str, column: Column, number: int, target_unit: str, name: str) -> float | None:
        """A money or mass cell in target_unit (≥ 0); None when missing (counted) or wrong (reported).

        The unit is the one in the cell, else the header's, else the title's "单位：…" when it fits.
        """
        found = self.number(raw, number, column.text)
        if found is None:
            return None
        value, unit = found
        unit = unit or column.unit or (self.title.unit if fits(self.title.unit, target_unit) else None) or target_unit
        try:
            converted = convert_unit(value, unit, target_unit)
        except BadValue as exc:
            self.problems.add(number, column.text, raw, str(exc))
            return None
        if unit != target_unit:
            converted = tidy(converted)
            self.note_conversion(name, unit, target_unit)
        if converted < 0:
            self.problems.add(number, column.text, raw, f"数值不合理：不能小于0{target_unit}")
            return None
        return converted

    def yes_no(self, raw: str, number: int, role: str) -> bool | None:
        """是/否 (also √/×, 1/0, 逾期/未逾期); blank means 否; anything else is reported (None)."""
        text = clean(raw)
        key = name_key(text)
        if key in _YES:
            return True
        if key in _NO or not text or is_missing(text):
            return False
        self.problems.add(number, self.header.label(role, ""), raw, "应填 是 或 否")
        return None

    def due_date(self, raw: str, number: int, role: str = "due_date") -> str | None:
        """A date cell: '2026-06-30' / '2026年6月30日' / '2026/6/30' / an Excel date → 'YYYY-MM-DD'; a month alone →
        'YYYY-MM'; blank → ''."""
        text = clean(raw)
        if not text or is_missing(text):
            return ""
        m = _DATE.match(text)
        if m and 2000 <= int(m[1]) <= 2100 and 1 <= int(m[2]) <= 12:
            if m[3] is None:
                return f"{int(m[1]):04d}-{int(m[2]):02d}"
            try:
                return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
            except ValueError:
                pass
        self.problems.add(number, self.header.label(role, ""), raw, "无法识别的日期（可写 2026-06-30 或 2026年6月）")
        return None

    def year(self, raw: str, number: int) -> int | None:
        """入规年份: '2023', '2023年', 2023.0 from a number cell → 2023; blank → None."""
        text = clean(raw)
        if not text or is_missing(text):
            return None
        m = _YEAR.fullmatch(text)
        if m and 2000 <= int(m[1]) <= 2100:
            return int(m[1])
        self.problems.add(number, self.header.label("above_scale_year", ""), raw, "应为年份（如 2023）")
        return None
