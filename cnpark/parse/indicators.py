"""Stage 4 of the parser for the indicators dataset (指标数据): its rows in its three layouts: long (指标, 期间, 数值), wide by period (a column per
month) and wide by indicator (a column per indicator). Values end in the catalog unit of their indicator.

Units bind in this order: written in the cell (4.5万吨) > the unit column > written with the name in the
header or row label (营业收入(亿元)) > a "单位：万元" line above the header or a unit in the value column's
header, these last two only where they measure what the indicator measures > the catalog unit.
"""

from __future__ import annotations

from cnpark.parse.cells import Period, is_missing
from cnpark.parse.collect import Reading, fits, read_done, read_number, read_period, tidy
from cnpark.parse.decode import format_number
from cnpark.parse.locate import LONG, Column, Header, clean, split_unit
from cnpark.plan.catalog import Target
from cnpark.plan.units import BadValue, canonical_unit, convert_unit, normalize_name
from cnpark.store.datasets import COLUMNS

_UNSEEN = object()
_ROW = ("indicator", "period", "area", "value", "unit", "cumulative", "note", "source_row")
if tuple(COLUMNS["indicators"]) != _ROW:  # emit() builds rows in this order
    raise ImportError("indicators.emit() is out of step with datasets.COLUMNS['indicators']")
# Columns that wide tables carry beside the figures (序号, 同比 …): read past, never reported.
_IGNORED = ("序号", "行次", "栏次", "代码", "编号", "行号")
_IGNORED_PARTS = ("同比", "增速", "增幅", "增长", "增减", "比上年", "比去年", "上年同期", "去年同期", "排名", "位次")
_CUMULATIVE_VALUE_HEADERS = {normalize_name(n) for n in ("本年累计", "累计")}


def read_indicators(reading: Reading, rows) -> str:
    """Indicator rows in whichever layout the header shows; returns the layout's name."""
    h = reading.header
    if "indicator" in h.roles and "value" in h.roles:
        layout = "long"
    elif "indicator" in h.roles and h.periods:
        layout = "wide_period"
    elif h.codes and "indicator" not in h.roles and len(h.codes) >= len(_other_columns(h)):
        layout = "wide_indicator"  # most headers are indicator names (not one 营业收入 among a ledger's columns)
    else:
        reading.missing_columns([("指标", "indicator" in h.roles), ("数值", False)])
        return "long"
    if layout != "wide_period" and "period" not in h.roles and reading.title.period is None:
        reading.problems.add(None, "", "", "缺少必需的列：期间（或在标题中写明期间，如“2025年1-6月”）")
        return layout
    getattr(_IndicatorReader(reading), layout)(rows)
    return layout


def _other_columns(h: Header) -> list[Column]:
    """Headers that are neither a role, an indicator name, nor a column wide tables carry beside the figures."""
    roles = {c.index for c in h.roles.values()}
    return [c for c in h.columns if c.index not in roles and c.index not in h.codes and not _ignored(c)]


def _ignored(col: Column) -> bool:
    return col.key in _IGNORED or any(part in col.key for part in _IGNORED_PARTS)


def _out_of_range(target: Target, value: float) -> str | None:
    """The catalog's bounds and whole-number rule: a rate over 100 % or a negative capacity cannot be."""
    low, high, unit = target.min, target.max, target.unit
    if (low is not None and value < low) or (high is not None and value > high):
        if low is not None and high is not None:
            return f"数值不合理：应在{format_number(low)}～{format_number(high)}{unit}之间"
        if low is not None:
            return f"数值不合理：不能小于{format_number(low)}{unit}"
        return f"数值不合理：不能大于{format_number(high)}{unit}"
    if target.integer and abs(value - round(value)) > 1e-9:
        return "应为整数"
    return None


class _IndicatorReader:
    """Reads indicator values; units bind in the order: in the cell > unit column > with the name > title line."""

    def __init__(self, reading: Reading):
        self.reading, self.catalog, self.header = reading, reading.catalog, reading.header
        self.problems = reading.problems
        self.names: dict[str, tuple[str | None, str | None]] = {}
        # Per spelling, as name() does: a unit column repeats a handful of texts on every row.
        self.units: dict[str, str | None] = {}
        self.indicator_label = self.header.label("indicator", "")
        area, note = self.header.roles.get("area"), self.header.roles.get("note")
        self.area_index = area.index if area else None
        self.note_index = note.index if note else None

    def name(self, raw: str) -> tuple[str | None, str | None]:
        """(code, unit written with the name) for an indicator cell or header, cached per spelling."""
        found = self.names.get(raw)
        if found is None and len(raw) > LONG:
            found = self.names[raw] = (None, None)
        if found is None:
            code, unit = self.catalog.lookup(raw), None
            if code is None:
                base, unit = split_unit(raw)
                code = self.catalog.lookup(base)
            found = self.names[raw] = (code, unit)
        return found

    def target(self, raw: str, number: int, column: str) -> Target | None:
        """The catalog target a cell names; unknown names and ledger-computed targets are reported."""
        code = self.name(raw)[0]
        if code is None:
            text = clean(raw)
            if not text:
                reason = "指标名称为空"
            elif text.startswith("="):
                reason = "是公式而不是指标名称，请“粘贴为数值”后再上传"
            elif self.problems.full or len(raw) > LONG:  # closest_name is slow; past the cap only the count matters
                reason = "未知指标"
            else:
                guess = self.catalog.closest_name(split_unit(raw)[0])
                reason = f"未知指标，是否为“{guess}”？" if guess else "未知指标"
            self.problems.add(number, column, raw, reason)
            return None
        target = self.catalog[code]
        if target.kind == "debt":
            self.problems.add(number, column, raw, "由债务台账自动计算，不能直接上传")
            return None
        return target

    def check_only(self, raw: str, number: int, column: Column) -> None:
        """A value whose indicator is unknown: still say if it is no number at all (every problem at once)."""
        try:
            read_number(raw)
        except BadValue as exc:
            try:
                read_done(raw)
            except BadValue:
                self.problems.add(number, column.text, raw, str(exc))

    def bound_units(self, target: Target, cells: list[str], number: int, raw_name: str) -> list[tuple] | None:
        """The row's units that bind, (unit, row, column, text): the unit column's, then one written with
        the indicator's name. None after reporting a unit column entry that is no unit we know."""
        col = self.header.roles.get("unit")
        entries = [(self.name(raw_name)[1], number, self.indicator_label, raw_name)]
        if col is None or target.kind == "milestone":
            return entries
        raw = cells[col.index] if col.index < len(cells) else ""
        unit = self.unit_cell(raw)
        if unit == "":
            return entries
        if unit is None:
            self.problems.add(number, col.text, raw, "无法识别的单位")
            return None
        return [(unit, number, col.text, raw)] + entries

    def unit_cell(self, raw: str) -> str | None:
        """A unit column's entry, per spelling: "" when blank or a missing marker (no unit given), None when it is
        no unit we know."""
        unit = self.units.get(raw, _UNSEEN)
        if unit is _UNSEEN:
            unit = self.units[raw] = ("" if not clean(raw) or is_missing(raw)
                                      else canonical_unit(raw) if len(raw) <= LONG else None)
        return unit

    def value(self, target: Target, raw: str, number: int, column: Column, bound: list[tuple]) -> float | None:
        """A value in the catalog unit, or None (missing: counted in skipped; wrong: reported).

        bound: units that apply whatever their kind, in precedence order, as (unit, row, column, text);
        the header's and the title's units apply only where they measure what the indicator measures.
        """
        reading = self.reading
        if target.kind == "milestone":
            try:
                done = read_done(raw)
            except BadValue as exc:
                self.problems.add(number, column.text, raw, str(exc))
                return None
            reading.skipped += done is None
            return done
        found = reading.number(raw, number, column.text)
        if found is None:
            return None
        value, unit = found
        origin = (number, column.text, raw)
        if unit is None:
            for b_unit, b_row, b_column, b_text in bound:
                if b_unit:
                    unit, origin = b_unit, (b_row, b_column, b_text)
                    break
        if unit is None:
            unit = next((u for u in (column.unit, reading.title.unit) if fits(u, target.unit)), None)
        if unit and unit != target.unit:
            try:
                value = tidy(convert_unit(value, unit, target.unit))
            except BadValue as exc:
                self.problems.add(*origin, str(exc))
                return None
            reading.note_conversion(target.name, unit, target.unit)
        reason = _out_of_range(target, value)
        if reason:
            self.problems.add(number, column.text, raw, reason)
            return None
        return value

    def emit(self, target: Target, period: Period, cells: list[str], value: float, number: int, column: Column,
             raw: str, cumulative: bool = False) -> None:
        area, note, n = self.area_index, self.note_index, len(cells)
        self.reading.records.add_row(  # in _ROW order
            (target.code, period.month, self.reading.area(cells[area] if area is not None and area < n else ""),
             float(value), target.unit, period.cumulative or cumulative,
             clean(cells[note]) if note is not None and note < n else "", number),
            self.problems, column.text, raw)

    def long(self, rows) -> None:
        """One row per indicator and period: 指标, 期间, 数值 (+ 单位, 片区, 备注)."""
        h = self.header
        ind_col, val_col = h.roles["indicator"], h.roles["value"]
        cumulative = val_col.key in _CUMULATIVE_VALUE_HEADERS  # a 本年累计 column is cumulative whatever the period
        ind, val = ind_col.index, val_col.index
        per = h.roles["period"].index if "period" in h.roles else None
        for number, cells in rows:
            n = len(cells)
            raw_name, raw = cells[ind] if ind < n else "", cells[val] if val < n else ""
            target = self.target(raw_name, number, ind_col.text)
            period = self.reading.period(cells[per] if per is not None and per < n else "", number)
            if target is None:
                self.check_only(raw, number, val_col)
            if target is None or period is None:
                continue
            bound = self.bound_units(target, cells, number, raw_name)
            if bound is None:
                continue
            value = self.value(target, raw, number, val_col, bound)
            if value is not None:
                self.emit(target, period, cells, value, number, val_col, raw, cumulative)

    def wide_period(self, rows) -> None:
        """An indicator column and one column per period (2025-01, 1-2月, 2025年1-6月 …)."""
        h, reading = self.header, self.reading
        ind_col = h.roles["indicator"]
        periods = []
        for col in h.periods:
            try:
                periods.append((col, read_period(col.text, reading.title.year)))
            except BadValue as exc:
                self.problems.add(h.row, col.text, col.text, str(exc))
        for number, cells in rows:
            raw_name = h.cell(cells, "indicator")
            target = self.target(raw_name, number, ind_col.text)
            bound = target and self.bound_units(target, cells, number, raw_name)
            if not bound:
                continue
            for col, period in periods:
                raw = cells[col.index] if col.index < len(cells) else ""
                value = self.value(target, raw, number, col, bound)
                if value is not None:
                    self.emit(target, period, cells, value, number, col, raw)

    def wide_indicator(self, rows) -> None:
        """A period column (or a period in the title) and one column per indicator (营业收入(亿元) …)."""
        h, reading = self.header, self.reading
        targets = []
        role_columns = {c.index for c in h.roles.values()}
        for col in h.columns:
            if col.index in role_columns:
                continue
            if col.index not in h.codes:
                if not _ignored(col):
                    self.target(col.text, h.row, col.text)  # reports the unknown name with a suggestion
                continue
            target = self.target(col.text, h.row, col.text)
            if target is None:
                continue
            if col.unit and target.kind != "milestone" and not fits(col.unit, target.unit):
                self.problems.add(h.row, col.text, col.text,
                                  f"单位“{col.unit}”不适用于该指标（应为{target.unit or '完成/未完成'}）")
                continue
            targets.append((col, target))
        for number, cells in rows:
            period = reading.period(h.cell(cells, "period"), number)
            if period is None:
                continue
            for col, target in targets:
                raw = cells[col.index] if col.index < len(cells) else ""
                value = self.value(target, raw, number, col, [(col.unit, h.row, col.text, col.text)])
                if value is not None:
                    self.emit(target, period, cells, value, number, col, raw)
