"""Stage 1 of the parser, decoding: bytes of an uploaded file → a grid of cell texts, numbered as the spreadsheet shows its rows.

Handles what offices really send: UTF-8 (with or without BOM), GBK/GB18030, UTF-16 "Unicode 文本",
lines in mixed encodings, any of five delimiters, quoted cells with Alt+Enter newlines; workbooks (.xlsx, .xls,
.ods, .xlsb) and the files that are not tables (pictures, Word, WPS .et) are told apart in workbooks.py.
Anything else becomes a Problem; nothing here raises on bad bytes.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field

from cnpark.plan.units import clean_text

MAX_COLUMNS = 1000        # wider than any report a park sends; protects memory from one-line noise
MAX_CELL_CHARS = 32767    # Excel's own limit for a cell
VALUE_CHARS = 40          # how much of a bad cell a message quotes

DELIMITERS = (",", "\t", ";", "，", "|")
_DELIMITER_NAMES = {",": "逗号", "\t": "制表符", ";": "分号", "，": "全角逗号", "|": "竖线"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")

# Deep quoting can put a whole file in one field; the size guard is the upload limit, not csv's 128 KB.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an upload, located as the person sees it in the spreadsheet."""
    row: int | None      # spreadsheet row number (1-based; header = its own row); None = the whole file
    column: str          # the column header as written in the file ('' if none)
    value: str           # the offending cell text, shortened
    reason: str          # in Chinese

    def __str__(self) -> str:
        if self.row is None:
            return f"文件: {self.reason}"
        where = f"第{self.row}行 {self.column}" if self.column else f"第{self.row}行"
        return f"{where}: {self.value or '（空）'} — {self.reason}"


def shorten(text: object) -> str:
    """A cell as a message quotes it: cleaned, at most VALUE_CHARS characters."""
    text = clean_text(str(text)[: VALUE_CHARS * 4])
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 1] + "…"


@dataclass
class Grid:
    """The non-blank rows of the first sheet with data: (spreadsheet row number, raw cell texts).

    Cells are kept as tuples: a tuple of strings is untracked by the garbage collector once it has seen it, so the
    million rows of a big upload are not walked by every later collection (lists were: ~40 % of a 1M-row parse).
    """
    rows: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)
    source: str = ""          # how the file was read, e.g. "CSV（GB18030，逗号分隔）"
    truncated: bool = False   # reading stopped at the record limit
    problems: list[Problem] = field(default_factory=list)


def read_grid(data: bytes, max_records: int, filename: str = "") -> Grid:
    """Read any upload into a Grid; failures come back as grid.problems, never as exceptions.
    The bytes decide the format (workbooks.py: OLE2, zip, pictures); the file name only names a WPS .et."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        return Grid(problems=[Problem(None, "", "", "文件为空")])
    from cnpark.parse import workbooks  # only binary files pay for the readers' imports

    grid = workbooks.read_binary(data, filename, max_records)
    if grid is not None:
        return grid
    text, encoding, problem = decode_text(data)
    if problem:
        return Grid(problems=[problem])
    return _read_csv(text, encoding, max_records)


# ---------------------------------------------------------------------------------------- text files

def decode_text(data: bytes) -> tuple[str, str, Problem | None]:
    """Bytes → text, trying BOMs, UTF-8, then line by line UTF-8/GB18030 (files pasted from two sources)."""
    not_text = Problem(None, "", "", "不是表格文件（含有二进制内容），请上传 CSV、TXT（Unicode 文本）或 .xlsx 文件")
    undecodable = Problem(None, "", "", "不是表格文件：无法识别文字编码（支持 UTF-8、GBK/GB18030、UTF-16），"
                                        "请另存为 CSV 或 .xlsx 后再上传")
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text, encoding = data.decode("utf-16"), "UTF-16"
        elif b"\x00" in data:
            codec = _utf16_without_bom(data)
            if codec is None:
                return "", "", not_text
            text, encoding = data.decode(codec), codec.upper()
        else:
            body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
            try:
                text, encoding = body.decode("utf-8"), "UTF-8"
            except UnicodeDecodeError:
                text, encoding = _decode_lines(body)
    except UnicodeDecodeError:
        return "", "", undecodable
    sample = text[:100_000]
    if "\x00" in text or len(_CONTROL.findall(sample)) > max(8, len(sample) // 200):
        return "", "", not_text
    return text, encoding, None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs sit on one side of the byte pairs, as plain CJK/ASCII UTF-16 does."""
    sample = data[:4096]
    half = max(1, len(sample) // 2)
    even, odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _decode_lines(data: bytes) -> tuple[str, str]:
    """Decode line by line: GB18030 normally, UTF-8 for lines that are valid UTF-8 (two sheets pasted together).

    A line of GBK Chinese is practically never valid UTF-8, and b'\\n' never occurs inside a GB18030
    character, so splitting on it is safe.
    """
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError:
        pass
    parts = []
    for line in data.split(b"\n"):
        try:
            parts.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            parts.append(line.decode("gb18030"))  # raises when neither fits: the caller reports it
    return "\n".join(parts), "GB18030/UTF-8 混合"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the most of the first lines into the same number of cells."""
    lines = [line for line in text[:200_000].splitlines()[:60] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        counts = [line.count(delimiter) for line in lines]
        nonzero = [c for c in counts if c]
        if not nonzero:
            continue
        mode = max(set(nonzero), key=lambda c: (nonzero.count(c), c))
        score = (nonzero.count(mode), mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(text: str, encoding: str, max_records: int, delimiter: str | None = None) -> Grid:
    """The grid of a decoded text; `delimiter` when sniffed already (columnar.py reads a file's head with the
    delimiter of the whole file)."""
    delimiter = delimiter or sniff_delimiter(text)
    grid = Grid(source=f"CSV/TXT（{encoding}，{_DELIMITER_NAMES[delimiter]}分隔）")
    state = {"wide": False}

    def lines():
        # Checked per physical line, before csv splits it: 50 MB of commas must not become 50 M cells.
        for line in io.StringIO(text, newline=""):
            if len(line) > MAX_COLUMNS and line.count(delimiter) >= MAX_COLUMNS:
                state["wide"] = True
                return
            yield line

    reader = csv.reader(lines(), delimiter=delimiter, quotechar='"', doublequote=True, strict=False)
    keep = grid.rows.append
    try:
        for number, cells in enumerate(reader, 1):
            if number > max_records:
                grid.truncated = True
                break
            if len(cells) > MAX_COLUMNS:
                state["wide"] = True
                break
            joined = "".join(cells)
            if len(joined) <= MAX_CELL_CHARS and joined.strip():  # _keep's common case, inline: a million rows
                keep((number, tuple(cells)))
            else:
                _keep(grid, number, cells)
    except csv.Error as exc:  # not expected with strict=False; kept so odd input still gets a message
        grid.problems.append(Problem(None, "", "", f"无法按表格读取（{exc}）"))
    if state["wide"]:
        grid.problems.append(Problem(None, "", "", f"列数过多（超过 {MAX_COLUMNS} 列），不是可识别的表格"))
    elif not grid.rows and not grid.problems:
        grid.problems.append(Problem(None, "", "", "文件为空"))  # only blank lines and commas
    return grid


def _keep(grid: Grid, number: int, cells: list[str]) -> None:
    """Add a row unless blank; over-long cells become problems (and are dropped to spare memory)."""
    joined = "".join(cells)   # one C-level pass: blank when every cell is whitespace, short when all cells are
    if not joined.strip():
        return
    if len(joined) <= MAX_CELL_CHARS or max(map(len, cells)) <= MAX_CELL_CHARS:
        grid.rows.append((number, tuple(cells)))
        return
    for i, cell in enumerate(cells):
        if len(cell) > MAX_CELL_CHARS:
            if len(grid.problems) < 20:
                grid.problems.append(Problem(number, "", shorten(cell),
                                             f"单元格内容过长（超过 {MAX_CELL_CHARS} 个字符）"))
            cells[i] = ""
    grid.rows.append((number, tuple(cells)))


def format_number(value: float) -> str:
    """A float as typed: 2025.0 → '2025', 1234.5600000000001 → '1234.56' (Excel keeps 15 digits)."""
    if isinstance(value, int):
        return str(value)
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    text = f"{value:.15g}"
    if "e" in text:
        text = f"{value:.15f}".rstrip("0").rstrip(".") if abs(value) < 1e15 else text
    return text
