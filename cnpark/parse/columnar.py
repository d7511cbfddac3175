"""Stages 1–4 at once for the common big upload, a plain long-layout indicator CSV/TXT, read column by column.

parse_upload tries this first. The file's head is read as the row reader reads it (decode.py, locate.py: the same
functions), the rows below the header go to pyarrow's CSV reader with every column as text, and each cell's work is
done once per distinct text with the row reader's own parsers (a thousand names, periods, units and areas stand for a
million cells); plain figures ("1,234.56") are cast by Arrow, the rest go through parse_number. Units, ranges,
whole numbers and repeated keys are checked as columns.

It answers only when it is certain to give what the row reader gives, and returns None — the row reader then reads
the file — for anything else: workbooks, mixed encodings, a full-width comma or a lone CR, a quoted line break, a
blank line inside the data, rows of unequal width or of one filled cell, footnotes, a repeated header, too many rows,
another dataset or layout, and **any problem at all** (a bad cell, an unknown name, a repeated key, a value out of
range): problems are only ever worded by the row reader. tests/test_ingest_fast.py holds it to that, field by field.
Here: the head, the Arrow read and locate.data_rows' rules; long_columns.py: the cells, the units and the checks.
"""

from __future__ import annotations

import ctypes
import os

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from cnpark.parse.collect import Reading
from cnpark.parse.decode import MAX_CELL_CHARS, MAX_COLUMNS, _read_csv, decode_text, sniff_delimiter
from cnpark.parse.locate import _FOOTNOTE, HEADER_SCAN, Header, Title, clean, find_header
from cnpark.parse.long_columns import Columns, Declined, check, long_rows
from cnpark.plan.catalog import Catalog

STATS = {"taken": 0, "declined": 0, "failed": 0}   # counted for tests/test_ingest_fast.py; "failed" = a bug, declined
HEAD_LINES = 100          # the head read row by row: enough lines for HEADER_SCAN rows above any data
# str.isspace's characters (tests check the list against Python): a cell of these alone is blank to data_rows.
_BLANK = (r"^[\t\n\x0b\x0c\r\x1c-\x20\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}"
          r"\x{3000}]*$")
_STRING_TYPES = {f"f{i}": pa.string() for i in range(MAX_COLUMNS + 1)}
try:
    _MALLOC_TRIM = ctypes.CDLL("libc.so.6").malloc_trim
except (OSError, AttributeError):   # not glibc (a developer's Mac): nothing to give back
    _MALLOC_TRIM = None


def read_long(data: bytes, filename: str, catalog: Catalog, dataset: str | None, max_rows: int,
              max_records: int) -> tuple[pd.DataFrame, Reading, str] | None:
    """(canonical rows, the Reading with its counts and conversions, source) for a plain long indicator CSV with
    no problem; None whenever the row reader must read the file."""
    try:
        found = _read(data, filename, catalog, dataset, max_rows, max_records)
    except Declined:
        found = None
    except Exception:  # a bug here must not cost the user the right answer: the row reader gives it
        STATS["failed"] += 1
        found = None
    STATS["taken" if found else "declined"] += 1
    pa.default_memory_pool().release_unused()   # the pool keeps what the columns used; the store needs it next
    _trim()
    return found


def _trim() -> None:
    """Give the C heap's free pages back: glibc keeps what RE2 and numpy freed (the decoded text's free raised its
    mmap threshold to ~13 MB), and the store's Parquet writer comes next. Only free memory: harmless to every other
    thread; ~1–5 ms."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def _read(data: bytes, filename: str, catalog: Catalog, dataset: str | None, max_rows: int, max_records: int):
    """read_long's work; Declined (via check) wherever the row reader must read the file."""
    check(not _binary(data, filename))
    text, encoding, problem = decode_text(data)
    check(problem is None and encoding in ("UTF-8", "GB18030", "UTF-16", "UTF-16-LE", "UTF-16-BE"))
    delimiter = sniff_delimiter(text)
    head_end = _after_line(text, 0, HEAD_LINES)
    check(delimiter != "，" and text.count("\r", 0, head_end) == text.count("\r\n", 0, head_end))  # no lone CR
    head = _read_csv(text[:head_end], encoding, max_records, delimiter)
    check(not head.problems and not head.truncated
          and (head_end == len(text) or len(head.rows) >= HEADER_SCAN)
          and not any("\n" in c or "\r" in c for _, cells in head.rows for c in cells))  # a record is a line
    found = find_header(head.rows, catalog, dataset)
    check(found is not None and found[1] == "indicators")
    index, dataset, header = found
    roles = header.roles
    title = Title.read(head.rows[:index])
    check("indicator" in roles and "value" in roles and ("period" in roles or title.period is not None))
    number = head.rows[index][0]            # the header's line: every record above is one line
    start, end = _after_line(text, 0, number), len(text)
    while end > start and text[end - 1] in "\r\n":
        end -= 1
    lines = text.count("\n", start, end) + 1
    check(end > start and number + lines + len(text) - end <= max_records and lines <= max_rows)
    skip = len(text[:start].encode("utf-8"))   # the head's bytes: Arrow reads the rest of one encoding, uncopied
    region = memoryview(text.encode("utf-8"))[skip:]
    del text
    # On this thread: Arrow's reader threads freed their parse buffers into their own mimalloc heaps, which kept
    # ~30 MB nothing else could reuse (release_unused reaches the calling thread's heap only); the C heap instead
    # (system pool, trimmed) cost more time than the second core saved (docs/PERFORMANCE.md, issue 24). A block per
    # core as before: few chunks per column.
    try:
        table = pcsv.read_csv(pa.py_buffer(region),
                              read_options=pcsv.ReadOptions(autogenerate_column_names=True, use_threads=False,
                                                            block_size=max(1 << 20, len(region) // (os.cpu_count() or 1)
                                                                           + 1)),
                              parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
                              convert_options=pcsv.ConvertOptions(column_types=_STRING_TYPES, null_values=[],
                                                                  strings_can_be_null=False))
    except pa.ArrowInvalid:  # rows of unequal width, mostly
        raise Declined from None
    del region
    # As many records as lines: no line break inside a quoted cell and no blank line (csv counts those, Arrow not);
    # a lone CR would end a record in both readers, so there would be more records than lines.
    check(table.num_rows == lines and table.num_columns <= MAX_COLUMNS
          and max(c.index for c in roles.values()) < table.num_columns)
    cols = Columns([table.column(i).combine_chunks() for i in range(table.num_columns)])
    del table
    pa.default_memory_pool().release_unused()
    _trim()
    numbers = np.arange(number + 1, number + 1 + lines, dtype=np.int64)
    numbers = _data_rows(cols, numbers, header, delimiter)
    check(0 < len(numbers) <= max_rows)
    reading = Reading(catalog, dataset, header, title)
    reading.rows_read = len(numbers)
    return long_rows(reading, cols, numbers), reading, head.source


def _binary(data: bytes, filename: str) -> bool:
    """What workbooks.read_binary would take: an office file, a picture, a PDF, a binary .et."""
    from cnpark.parse import workbooks

    start = data[:4096].lstrip()
    return (not start or data.startswith((workbooks.OLE_MAGIC, workbooks.ZIP_MAGIC, b"RIFF"))
            or data.startswith(tuple(magic for magic, _ in workbooks.PICTURES))
            or start[:5] == b"%PDF-" or filename.lower().endswith(".et"))


def _after_line(text: str, at: int, count: int) -> int:
    """The position after `count` more line ends (LF; a CR is always before one here), or the end of the text."""
    for _ in range(count):
        found = text.find("\n", at)
        if found < 0:
            return len(text)
        at = found + 1
    return at


def _data_rows(cols: Columns, numbers: np.ndarray, header: Header, delimiter: str) -> np.ndarray:
    """locate.data_rows on columns: blank rows left out; a row of one filled cell, a footnote or the header again
    declined (data_rows' rules for those depend on the rows before); cells too long or too wide for decode.py too."""
    empty = None        # blank cells per row, counted once a column has one (most files have none: no pass then)
    first, widest, longest = None, 0, 0
    for i, col in enumerate(cols.arrays):
        if cols.few(i):
            at, texts = cols.encoded(i)
            blank_text = np.array([not t or t.isspace() for t in texts], dtype=bool)
            blank = blank_text[at] if blank_text.any() else None
            length = max(map(len, texts), default=0)
        else:
            blank = pc.match_substring_regex(col, _BLANK).to_numpy(zero_copy_only=False)
            blank = blank if blank.any() else None
            length = pc.max(pc.utf8_length(col)).as_py() or 0
        if blank is not None:
            empty = blank.astype(np.int16) if empty is None else empty + blank   # < MAX_COLUMNS columns
        longest, widest = max(longest, length), widest + length
        if i == 0 and blank is None:
            first = cols.encoded(0)[1]      # the usual case: the first column is never blank
    filled = len(cols) if empty is None else len(cols) - empty
    check(longest <= MAX_CELL_CHARS and not np.any(filled == 1))
    if widest + len(cols) - 1 >= MAX_COLUMNS:   # a line could hold MAX_COLUMNS delimiters ("列数过多"): count them
        counts = sum(pc.count_substring(col, delimiter).to_numpy() for col in cols.arrays)
        check(counts.max() + len(cols) - 1 < MAX_COLUMNS)
    if first is None:
        first = pa.nulls(len(numbers), pa.string())
        for col in cols.arrays:
            first = pc.coalesce(first, pc.if_else(pc.invert(pc.match_substring_regex(col, _BLANK)), col, None))
        first = pc.unique(first.drop_null()).to_pylist()
    header_first = header.columns[0].text if header.columns else None
    for text in first:
        text = clean(text)
        check(not _FOOTNOTE.match(text) and text != header_first)
    if empty is None:
        return numbers
    keep = filled > 0
    if not keep.all():
        cols.keep(keep)
    return numbers[keep]
