"""Stage 4 of the fast path (columnar.py): _IndicatorReader.long on whole columns, for the indicators' long layout.

Each role's column is read once per distinct text with the row reader's own methods (name, period, unit_cell, area);
figures once per distinct text too, or, where nearly every figure differs, plain ones ("1,234.56") cast by Arrow and
the rest through parse_number. Units bind, convert and are checked as in _IndicatorReader.value, once per kind of row;
ranges, whole numbers and repeated keys as columns. Anything the row reader would report raises Declined.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cnpark.parse.cells import MAX_ABS
from cnpark.parse.collect import Reading, fits, read_done, read_number, tidy
from cnpark.parse.indicators import _CUMULATIVE_VALUE_HEADERS, _IndicatorReader
from cnpark.parse.locate import LONG, clean
from cnpark.plan.units import UNITS, BadValue, convert_unit
from cnpark.store.datasets import COLUMNS

_PLAIN = r"^-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?$"   # cells.parse_number's short cut, anchored


class Declined(Exception):
    """The row reader must read this file."""


def check(ok: bool) -> None:
    """Raise Declined unless ok."""
    if not ok:
        raise Declined


class Columns:
    """The data rows' columns as text, each with its distinct texts once asked for (most hold a few hundred)."""

    def __init__(self, arrays: list[pa.Array]):
        self.arrays = arrays
        self._dictionaries: dict[int, pa.DictionaryArray] = {}
        self._encoded: dict[int, tuple[np.ndarray, list[str]]] = {}

    def __len__(self) -> int:
        return len(self.arrays)

    def _dictionary(self, i: int) -> pa.DictionaryArray:
        if i not in self._dictionaries:
            self._dictionaries[i] = self.arrays[i].dictionary_encode()
        return self._dictionaries[i]

    def few(self, i: int) -> bool:
        """True when column i repeats its texts (names, periods, units, areas do; figures mostly do not)."""
        return len(self._dictionary(i).dictionary) * 4 <= len(self.arrays[i]) + 400

    def encoded(self, i: int) -> tuple[np.ndarray, list[str]]:
        """(each cell's index into the distinct texts, the distinct texts)."""
        if i not in self._encoded:
            found = self._dictionary(i)
            self._encoded[i] = found.indices.to_numpy(zero_copy_only=False), found.dictionary.to_pylist()
        return self._encoded[i]

    def keep(self, mask: np.ndarray) -> None:
        self.arrays = [a.filter(pa.array(mask)) for a in self.arrays]
        self._dictionaries.clear()
        self._encoded.clear()

    def release(self) -> None:
        """Every cell is read: the texts go (~13 MB at 200,000 rows) before the rows are built beside them."""
        self.arrays = []
        self._dictionaries.clear()
        self._encoded.clear()


def long_rows(reading: Reading, cols: Columns, numbers: np.ndarray) -> pd.DataFrame:
    """_IndicatorReader.long on columns; Declined on anything the row reader would report."""
    reader, catalog, h = _IndicatorReader(reading), reading.catalog, reading.header
    n = len(numbers)

    def codes(role: str, fn) -> tuple[np.ndarray, list]:
        """Each row's index into [fn(text) for each distinct text of the role's column] (a blank one if absent)."""
        if role not in h.roles:
            return np.zeros(n, dtype=np.int64), [fn("")]
        at, texts = cols.encoded(h.roles[role].index)
        return at, [fn(t) for t in texts]

    def target(raw: str):
        code, unit = reader.name(raw)
        check(code is not None and catalog[code].kind != "debt")
        return catalog[code], unit

    def period(raw: str):
        found = reading.period(raw, 0)
        check(found is not None)
        return found

    name_at, names = codes("indicator", target)
    period_at, periods = codes("period", period)
    unit_at, unit_cells = codes("unit", reader.unit_cell)
    milestone = np.array([t.kind == "milestone" for t, _ in names], dtype=bool)[name_at]
    unknown = [i for i, u in enumerate(unit_cells) if u is None]   # no unit we know: wrong beside a figure
    check(not unknown or not np.isin(unit_at[~milestone], unknown).any())
    values, cell_unit, unit_names = np.full(n, np.nan), np.full(n, -1, dtype=np.int64), list(UNITS)
    val = h.roles["value"].index
    if cols.few(val):   # each distinct figure once, through the row reader's own parsers
        at, texts = cols.encoded(val)
        for fn, rows in ((_number, ~milestone), (_done, milestone)):
            if not rows.any():
                continue
            every = rows.all()          # the common file: no milestone, or nothing else; no masks then
            these = at if every else at[rows]
            used = np.flatnonzero(np.bincount(these, minlength=len(texts)))
            found = np.full(len(texts), np.nan), np.full(len(texts), -1, dtype=np.int64)
            for u in used.tolist():
                value, unit = fn(texts[u])
                found[0][u], found[1][u] = value, unit_names.index(unit) if unit else -1
            where = slice(None) if every else rows
            values[where], cell_unit[where] = found[0][these], found[1][these]
    else:
        _figures(cols.arrays[val], milestone, values, cell_unit, unit_names)
    present = ~np.isnan(values)
    reading.skipped = int(n - present.sum())
    check(present.any())
    _units(reading, names, name_at, unit_cells, unit_at, cell_unit, unit_names, values, present, milestone)
    areas_at, areas = codes("area", reading.area)
    notes_at, notes = codes("note", clean)
    cols.release()
    code_of = [t.code for t, _ in names]
    cumulative = h.roles["value"].key in _CUMULATIVE_VALUE_HEADERS
    cumulative = np.array([p.cumulative or cumulative for p in periods], dtype=bool)[period_at]
    months, places = _ids([p.month for p in periods]), _ids(areas)
    key = (_ids(code_of)[name_at] * (months.max() + 1) + months[period_at]) * (places.max() + 1) + places[areas_at]
    _repeats(key, values, cumulative, present)
    del key
    kept = np.flatnonzero(present) if not present.all() else slice(None)

    def text(distinct: list[str], at: np.ndarray) -> pd.Series:
        return pa.array(distinct, pa.large_string()).take(at[kept]).to_pandas()

    table = {
        "indicator": text(code_of, name_at), "period": text([p.month for p in periods], period_at),
        "area": text(areas, areas_at), "value": values[kept], "unit": text([t.unit for t, _ in names], name_at),
        "cumulative": cumulative[kept], "note": text(notes, notes_at), "source_row": numbers[kept],
    }
    # The frame takes the numbers' arrays as they are and the text as Arrow holds it: Arrow's to_pandas of a whole
    # table copied every number column into pandas' blocks beside it (~3 MB at the peak of a 200,000-row upload).
    return pd.DataFrame({name: table[name] for name in COLUMNS["indicators"]}, copy=False)


def _figures(raw: pa.Array, milestone: np.ndarray, values: np.ndarray, cell_unit: np.ndarray, unit_names) -> None:
    """A column of mostly distinct figures: plain ones ("1,234.56") cast by Arrow, the rest parsed once per text."""
    plain = pc.and_(pc.match_substring_regex(raw, _PLAIN), pc.less_equal(pc.binary_length(raw), LONG))
    plain = plain.to_numpy(zero_copy_only=False) & ~milestone
    if plain.any():
        try:
            figures = pc.cast(pc.replace_substring(raw.filter(pa.array(plain)), ",", ""), pa.float64()).to_numpy()
        except pa.ArrowInvalid:   # beyond a float: the row reader says 数值超出合理范围
            raise Declined from None
        check(bool((np.abs(figures) < MAX_ABS).all()))
        values[plain] = figures
    for fn, rows in ((_number, ~plain & ~milestone), (_done, milestone)):
        if rows.any():
            found = raw.filter(pa.array(rows)).dictionary_encode()
            at = found.indices.to_numpy(zero_copy_only=False)
            parsed = [fn(t) for t in found.dictionary.to_pylist()]
            values[rows] = np.array([v for v, _ in parsed], dtype=np.float64)[at]
            cell_unit[rows] = np.array([unit_names.index(u) if u else -1 for _, u in parsed], dtype=np.int64)[at]


def _repeats(key: np.ndarray, values: np.ndarray, cumulative: np.ndarray, present: np.ndarray) -> None:
    """Records.add_row on columns: a key met again with the same figures counts once (its first row is kept, so
    later ones leave `present`); with other figures it is the row reader's to report. key: one int64 per row."""
    rows = np.flatnonzero(present)
    key = key[rows] if len(rows) < len(key) else key
    if key.max() < 4 * len(key) + 1024:      # keys as dense as rows: count them
        unique = not (np.bincount(key) > 1).any()
    else:
        unique = len(pc.unique(pa.array(key))) == len(key)
    if unique:
        return
    order = np.argsort(key, kind="stable")          # stable: each key's rows in file order, the first one first
    again = np.r_[False, key[order][1:] == key[order][:-1]]
    first = order[np.maximum.accumulate(np.where(again, 0, np.arange(len(order))))]
    at, kept = rows[order[again]], rows[first[again]]
    check(bool((values[at] == values[kept]).all() and (cumulative[at] == cumulative[kept]).all()))
    present[at] = False


def _ids(texts: list[str]) -> np.ndarray:
    """Equal texts, equal numbers: two spellings of one period or area are one key."""
    return np.unique(np.array(texts, dtype=object), return_inverse=True)[1].astype(np.int64)


def _number(raw: str) -> tuple[float, str | None]:
    try:
        value, unit = read_number(raw)
    except BadValue:
        raise Declined from None
    return (np.nan, None) if value is None else (value, unit)


def _done(raw: str) -> tuple[float, None]:
    try:
        done = read_done(raw)
    except BadValue:
        raise Declined from None
    return np.nan if done is None else done, None


def _units(reading, names, name_at, unit_cells, unit_at, cell_unit, unit_names, values, present, milestone) -> None:
    """_IndicatorReader.value's units, conversions and range checks, once per kind of row: (name, unit column entry,
    unit in the cell). The unit binds as there: in the cell > unit column > with the name > header or title."""
    column, title, base = reading.header.roles["value"], reading.title, len(unit_names) + 1
    rows = np.flatnonzero(present & ~milestone)
    # (name, unit entry, unit in the cell) as one number per row, computed in place: each 8 MB temporary of a
    # 1,000,000-row file is ~2,000 fresh pages to fault in, which cost more than the arithmetic.
    combo = name_at[rows].astype(np.int64, copy=False)
    combo *= len(unit_cells)
    combo += unit_at[rows]
    combo *= base
    combo += cell_unit[rows]
    combo += 1
    kinds = np.flatnonzero(np.bincount(combo)) if len(rows) and combo.max() < 4 * len(rows) else np.unique(combo)
    check(len(kinds) <= 256)    # a handful of names × units; a file with more is the row reader's
    noted = []
    for kind in kinds.tolist():
        these = rows[combo == kind]
        name, rest = divmod(kind, len(unit_cells) * base)
        entry, in_cell = divmod(rest, base)
        target, name_unit = names[name]
        unit = unit_names[in_cell - 1] if in_cell else (unit_cells[entry] or name_unit or next(
            (u for u in (column.unit, title.unit) if fits(u, target.unit)), None))
        if unit and unit != target.unit:
            try:
                convert_unit(1.0, unit, target.unit)   # the same checks; the figures are converted below as it does
            except BadValue:
                raise Declined from None
            distinct, back = np.unique(values[these] * UNITS[unit].factor / UNITS[target.unit].factor,
                                       return_inverse=True)
            values[these] = np.array([tidy(v) for v in distinct.tolist()])[back]
            noted.append((these[0], target.name, unit, target.unit))
        # _out_of_range's bounds and whole numbers, for this kind's rows (every checked row is of one kind)
        figures = values[these]
        check((target.min is None or figures.min() >= target.min) and (target.max is None or figures.max() <= target.max))
        check(not target.integer or not (np.abs(figures - np.round(figures)) > 1e-9).any())
    for _, name, unit, target_unit in sorted(noted):    # in the order of the rows that first needed them
        reading.note_conversion(name, unit, target_unit)
