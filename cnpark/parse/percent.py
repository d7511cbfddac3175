"""Which cells of a workbook are formatted as a percentage, for the formats python-calamine reads.

calamine gives a cell's value, not its number format: a cell that shows "75%" comes back as 0.75, and stored as a
number for a % indicator it would read 0.75 %. openpyxl sees the format in an .xlsx (decode._cell_text); for the
others this module finds the cells itself, cheaply, from the file's own records:
  .xls   the OLE2 compound file's Workbook stream: FORMAT and XF records, then each sheet's number cells (BIFF8)
  .ods   content.xml: cells with office:value-type="percentage"
  .xlsb  xl/styles.bin's formats and cell styles, then each sheet's number cells (BIFF12)
Each returns {sheet name: {(row, column), …}} (0-based); anything it cannot follow gives {} for that sheet, never an
exception to the caller (read_percent catches): the values are still read, only without the % sign.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Iterator

Cells = dict[str, set[tuple[int, int]]]
MAX_CELLS = 2_000_000          # positions kept per file: far beyond any report, bounded against crafted files
_BUILTIN_PERCENT = {9, 10}     # Excel's built-in formats "0%" and "0.00%"
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def is_percent_format(code: str) -> bool:
    """True when a number format shows a percentage: a % outside quotes, escapes and [colour] brackets."""
    return "%" in _QUOTED.sub("", code)


def read_percent(kind: str, data: bytes) -> Cells:
    """The percent-formatted cells of a workbook of this kind ('xls', 'ods', 'xlsb'); {} when they cannot be found."""
    reader = {"xls": _xls, "ods": _ods, "xlsb": _xlsb}.get(kind)
    try:
        return reader(data) if reader else {}
    except Exception:       # damaged records: calamine reports a damaged file; here only the % signs are lost
        return {}


# ---------------------------------------------------------------------------------------- .xls (OLE2 + BIFF8)

def ole_streams(data: bytes) -> dict[str, tuple[int, int]]:
    """The streams of an OLE2 compound file: name → (first sector, size). Raises on a damaged file."""
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    if shift not in (9, 12):
        raise ValueError("sector size")
    fat = _fat(data, shift)
    directory = _chain(data, shift, fat, struct.unpack_from("<I", data, 0x30)[0], None)
    streams = {}
    for at in range(0, len(directory) - 127, 128):
        length, kind = struct.unpack_from("<HB", directory, at + 0x40)
        if kind in (2, 5) and 2 <= length <= 64:
            name = directory[at:at + length - 2].decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<IQ", directory, at + 0x74)
            streams[name] = (start, size if shift == 12 else size & 0xFFFFFFFF)
    return streams


def ole_stream(data: bytes, name: str) -> bytes:
    """One stream of an OLE2 compound file, whether in the big sectors or in the mini stream."""
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    fat = _fat(data, shift)
    streams = ole_streams(data)
    start, size = streams[name]
    if size >= struct.unpack_from("<I", data, 0x38)[0]:
        return _chain(data, shift, fat, start, size)
    root_start, root_size = next(v for k, v in streams.items() if k.startswith("Root"))
    mini = _chain(data, shift, fat, root_start, root_size)
    minifat_bytes = _chain(data, shift, fat, struct.unpack_from("<I", data, 0x3C)[0], None)
    minifat = struct.unpack(f"<{len(minifat_bytes) // 4}I", minifat_bytes)
    out, sector = bytearray(), start
    while sector < len(minifat) and len(out) < size:
        out += mini[sector * 64:(sector + 1) * 64]
        sector = minifat[sector]
    return bytes(out[:size])


def _fat(data: bytes, shift: int) -> tuple[int, ...]:
    count, difat_next, difat_count = (struct.unpack_from("<I", data, o)[0] for o in (0x2C, 0x44, 0x48))
    sectors = list(struct.unpack_from("<109I", data, 0x4C))
    per = (1 << shift) // 4
    for _ in range(min(difat_count, 1 << 16)):
        if difat_next >= 0xFFFFFFFA:
            break
        at = (difat_next + 1) << shift
        block = struct.unpack_from(f"<{per}I", data, at)
        sectors += block[:-1]
        difat_next = block[-1]
    fat = bytearray()
    for s in sectors[:count]:
        fat += data[(s + 1) << shift:(s + 2) << shift]
    return struct.unpack(f"<{len(fat) // 4}I", fat)


def _chain(data: bytes, shift: int, fat: tuple[int, ...], sector: int, size: int | None) -> bytes:
    out, seen = bytearray(), set()
    while sector < len(fat) and sector not in seen and (size is None or len(out) < size):
        seen.add(sector)
        out += data[(sector + 1) << shift:(sector + 2) << shift]
        sector = fat[sector]
    return bytes(out if size is None else out[:size])


def _xls(data: bytes) -> Cells:
    streams = ole_streams(data)
    name = "Workbook" if "Workbook" in streams else "Book"
    book = ole_stream(data, name)
    formats, xfs, sheets = {}, [], []
    for kind, body, _at in _biff(book, 0):
        if kind == 0x041E:                                    # FORMAT: index, then the format string
            formats[struct.unpack_from("<H", body)[0]] = _biff_string(body, 2, 2)
        elif kind == 0x00E0:                                  # XF: its number format is the second field
            xfs.append(struct.unpack_from("<H", body, 2)[0])
        elif kind == 0x0085:                                  # BOUNDSHEET: where the sheet starts, its name
            sheets.append((struct.unpack_from("<I", body)[0], _biff_string(body, 6, 1)))
        elif kind == 0x000A:                                  # EOF of the workbook globals
            break
    percent = {i for i, f in enumerate(xfs) if f in _BUILTIN_PERCENT or is_percent_format(formats.get(f, ""))}
    out: Cells = {}
    for offset, sheet in sheets:
        cells = out.setdefault(sheet, set())
        for kind, body, _at in _biff(book, offset):
            if kind == 0x000A:
                break
            if kind in (0x0203, 0x027E, 0x0006):             # NUMBER, RK, FORMULA: row, column, XF
                row, col, xf = struct.unpack_from("<HHH", body)
                if xf in percent:
                    cells.add((row, col))
            elif kind == 0x00BD:                              # MULRK: row, first column, (XF, RK)…, last column
                row, first = struct.unpack_from("<HH", body)
                for i in range((len(body) - 6) // 6):
                    if struct.unpack_from("<H", body, 4 + 6 * i)[0] in percent:
                        cells.add((row, first + i))
            if len(cells) > MAX_CELLS:
                break
    return out


def _biff(stream: bytes, at: int) -> Iterator[tuple[int, bytes, int]]:
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        yield kind, stream[at + 4:at + 4 + length], at
        at += 4 + length


def _biff_string(body: bytes, at: int, count_bytes: int) -> str:
    count = body[at] if count_bytes == 1 else struct.unpack_from("<H", body, at)[0]
    wide = body[at + count_bytes] & 1
    start = at + count_bytes + 1
    raw = body[start:start + count * (2 if wide else 1)]
    return raw.decode("utf-16-le" if wide else "latin-1", "replace")


# ---------------------------------------------------------------------------------------- .ods (content.xml)

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _ods(data: bytes) -> Cells:
    from xml.etree.ElementTree import iterparse

    out: Cells = {}
    cells: set[tuple[int, int]] = set()
    row = col = 0
    repeat_row = 1
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        content = archive.read("content.xml")
    if b'"percentage"' not in content:       # most files have no percent cell: no need to walk their XML (~1 s)
        return out
    for event, element in iterparse(io.BytesIO(content), events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == _TABLE + "table":
                cells, row = out.setdefault(element.get(_TABLE + "name", ""), set()), 0
            elif tag == _TABLE + "table-row":
                col, repeat_row = 0, int(element.get(_TABLE + "number-rows-repeated", "1"))
            elif tag in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
                span = int(element.get(_TABLE + "number-columns-repeated", "1"))
                if (element.get(_OFFICE + "value-type") == "percentage"
                        and len(cells) + repeat_row * span <= MAX_CELLS):
                    cells.update((row + r, col + c) for r in range(repeat_row) for c in range(span))
                col += span
        elif tag == _TABLE + "table-row":
            row += repeat_row
            element.clear()
    return out


# ---------------------------------------------------------------------------------------- .xlsb (BIFF12)

def _xlsb(data: bytes) -> Cells:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        percent = _xlsb_percent_styles(archive.read("xl/styles.bin")) if "xl/styles.bin" in names else set()
        if not percent:
            return {}
        targets = _xlsb_rels(archive.read("xl/_rels/workbook.bin.rels"))
        out: Cells = {}
        for kind, body in _biff12(archive.read("xl/workbook.bin")):
            if kind == 0x9C:                                   # BrtBundleSh: state, tab id, relationship id, name
                rel, at = _wide(body, 8)
                name, _ = _wide(body, at)
                path = "xl/" + targets.get(rel, "").lstrip("/").removeprefix("xl/")
                if path in names:
                    out[name] = _xlsb_cells(archive.read(path), percent)
        return out


def _xlsb_percent_styles(styles: bytes) -> set[int]:
    formats, xfs, in_cell_xfs = {}, [], False
    for kind, body in _biff12(styles):
        if kind == 0x2C:                                       # BrtFmt: index, format string
            formats[struct.unpack_from("<H", body)[0]] = _wide(body, 2)[0]
        elif kind == 0x269:                                    # BrtBeginCellXFs
            in_cell_xfs = True
        elif kind == 0x26A:
            in_cell_xfs = False
        elif kind == 0x2F and in_cell_xfs:                     # BrtXF: parent, number format, …
            xfs.append(struct.unpack_from("<H", body, 2)[0])
    return {i for i, f in enumerate(xfs) if f in _BUILTIN_PERCENT or is_percent_format(formats.get(f, ""))}


def _xlsb_rels(rels: bytes) -> dict[str, str]:
    return {m[1].decode(): m[2].decode() for m in re.finditer(rb'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"',
                                                             rels)} | \
           {m[2].decode(): m[1].decode() for m in re.finditer(rb'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"',
                                                             rels)}


def _xlsb_cells(sheet: bytes, percent: set[int]) -> set[tuple[int, int]]:
    cells, row = set(), 0
    for kind, body in _biff12(sheet):
        if kind == 0x00:                                       # BrtRowHdr: the row of the cells that follow
            row = struct.unpack_from("<I", body)[0]
        elif kind in (0x02, 0x05, 0x09):                       # BrtCellRk, BrtCellReal, BrtFmlaNum
            col, style = struct.unpack_from("<II", body)
            if style & 0xFFFFFF in percent and len(cells) < MAX_CELLS:
                cells.add((row, col))
    return cells


def _biff12(stream: bytes) -> Iterator[tuple[int, bytes]]:
    at, end = 0, len(stream)
    while at < end:
        kind, at = _varint(stream, at, 2)
        size, at = _varint(stream, at, 4)
        yield kind, stream[at:at + size]
        at += size


def _varint(stream: bytes, at: int, most: int) -> tuple[int, int]:
    """A BIFF12 record type (up to 2 bytes) or size (up to 4): 7 bits a byte, low first; the high bit says another
    byte follows (bytes 0x9C 0x01 are record 156 = 0x9C, BrtBundleSh)."""
    value, shift = 0, 0
    for _ in range(most):
        byte = stream[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            break
    return value, at


def _wide(body: bytes, at: int) -> tuple[str, int]:
    """An XLWideString: a 4-byte character count, then UTF-16."""
    count = struct.unpack_from("<I", body, at)[0]
    if count == 0xFFFFFFFF:
        return "", at + 4
    end = at + 4 + 2 * count
    return body[at + 4:end].decode("utf-16-le", "replace"), end
