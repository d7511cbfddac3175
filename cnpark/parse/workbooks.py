"""Stage 1 for binary files: which office file this is, by its bytes, and its first sheet with data as a Grid.

  OLE2 (D0 CF 11 E0 …)   an Excel 97–2003 workbook (.xls, WPS's default) → python-calamine; a Word or PowerPoint
                         file, an encrypted workbook, a WPS .et calamine cannot read → one sentence saying what to do
  zip (PK 03 04)         .xlsx/.xlsm (xl/workbook.xml) → openpyxl, which also sees percent formats (calamine does
                         not: docs/PERFORMANCE.md "issue 20"); .xlsb (xl/workbook.bin) and .ods → python-calamine;
                         .docx/.pptx/.odt → a sentence
  PNG, JPEG, GIF, PDF …  a sentence; everything else is text for decode.py
The file name is not trusted for the format; it only names a WPS .et that cannot be read as a workbook.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from datetime import date, datetime, time
from pathlib import Path

from cnpark.parse.decode import MAX_COLUMNS, Grid, Problem, _keep, format_number, shorten
from cnpark.parse.percent import ole_streams, read_percent

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# A workbook is a zip: a few MB can unpack to GBs ("zip bomb"), and openpyxl holds all shared strings in memory.
# The sizes the zip declares bound what zipfile will unpack, so checking them first is enough.
MAX_XLSX_UNPACKED = 200 * 1024 * 1024
MAX_XLSX_SHARED_STRINGS = 50 * 1024 * 1024

SAVE_AS = "另存为 Excel 工作簿（.xlsx）或 CSV 后再上传"
ET = "这是 WPS 表格（.et）文件，请在 WPS 中“另存为”Excel 工作簿（.xlsx）或 CSV 后再上传"
ENCRYPTED = "文件设有打开密码，无法读取，请在 Excel 或 WPS 中取消密码后" + SAVE_AS
DAMAGED_XLS = "无法读取这个 Excel 97-2003（.xls）文件：文件已损坏，或是其他软件的专有格式，请在 Excel 或 WPS 中" + SAVE_AS
DAMAGED = "Excel 文件已损坏或无法读取，请另存为 .xlsx 或 CSV 后再上传"
NOT_A_TABLE = "，不是表格，请把表格复制到 Excel 或 WPS 表格中，" + SAVE_AS
OTHER_OFFICE = {"WordDocument": "这是 Word 文档" + NOT_A_TABLE, "PowerPoint Document": "这是 PowerPoint 演示文稿" + NOT_A_TABLE}
PICTURES = ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"),
            (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"))
PICTURE = "这是图片（{}），无法从中读取数字，请上传原始的 Excel 工作簿（.xlsx、.xls）、.ods 或 CSV 文件"
PDF = "这是 PDF 文件，无法从中读取表格，请上传原始的 Excel 工作簿（.xlsx、.xls）、.ods 或 CSV 文件"
ZIPPED_DOCUMENTS = {"word/": "这是 Word 文档" + NOT_A_TABLE, "ppt/": "这是 PowerPoint 演示文稿" + NOT_A_TABLE}
OPEN_DOCUMENT = "application/vnd.oasis.opendocument."
READER = Path(__file__).with_name("sheet_reader.py")
READ_TIMEOUT = 120          # seconds: far beyond a 50 MB workbook (a 20,000-row .xls reads in about 0.5 s)
SOURCES = {"xls": "Excel 97-2003 工作簿（.xls，工作表“{}”）", "ods": "开放文档表格（.ods，工作表“{}”）",
           "xlsb": "Excel 二进制工作簿（.xlsb，工作表“{}”）", "xlsx": "Excel 工作簿（工作表“{}”）"}


def refused(reason: str) -> Grid:
    return Grid(problems=[Problem(None, "", "", reason)])


def read_binary(data: bytes, filename: str, max_records: int) -> Grid | None:
    """A Grid for an office file, a picture or a PDF (its problem when it cannot be read); None for text."""
    is_et = filename.lower().endswith(".et")
    if data.startswith(OLE_MAGIC):
        return _read_ole(data, is_et, max_records)
    if data.startswith(ZIP_MAGIC):
        return _read_zip(data, max_records)
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return refused(PICTURE.format("WEBP"))
    for magic, name in PICTURES:
        if data.startswith(magic):
            return refused(PICTURE.format(name))
    if data.lstrip()[:5] == b"%PDF-":
        return refused(PDF)
    if is_et and b"\x00" in data[:4096]:       # binary, named .et, neither OLE2 nor zip: still WPS's own format
        return refused(ET)
    return None


def _read_ole(data: bytes, is_et: bool, max_records: int) -> Grid:
    try:
        streams = set(ole_streams(data))
    except Exception:   # a damaged compound file: calamine cannot read it either
        return refused(ET if is_et else DAMAGED_XLS)
    if {"EncryptionInfo", "EncryptedPackage"} & streams:          # a password-protected .xlsx is an OLE2 file
        return refused(ENCRYPTED)
    for stream, reason in OTHER_OFFICE.items():
        if stream in streams:
            return refused(reason)
    if not {"Workbook", "Book"} & streams:
        return refused(ET if is_et else DAMAGED_XLS)
    return _read_calamine(data, "xls", max_records) or refused(ET if is_et else DAMAGED_XLS)


def _read_zip(data: bytes, max_records: int) -> Grid:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            mimetype = archive.read("mimetype")[:80].decode("ascii", "replace") if "mimetype" in names else ""
    except Exception:   # not a readable zip at all
        return refused(DAMAGED)
    if (sum(i.file_size for i in infos) > MAX_XLSX_UNPACKED or
            sum(i.file_size for i in infos if i.filename.lower().startswith("xl/sharedstrings"))
            > MAX_XLSX_SHARED_STRINGS):
        return refused(f"Excel 文件解压后过大（超过 {MAX_XLSX_UNPACKED // 1048576} MB），请删去无关的工作表或另存为 CSV 后再上传")
    if "xl/workbook.xml" in names:
        return _read_xlsx(data, max_records)
    if "xl/workbook.bin" in names:
        return _read_calamine(data, "xlsb", max_records) or refused(DAMAGED)
    if mimetype.startswith(OPEN_DOCUMENT + "spreadsheet"):
        return _read_calamine(data, "ods", max_records) or refused("开放文档表格（.ods）文件已损坏或无法读取，请" + SAVE_AS)
    if mimetype.startswith(OPEN_DOCUMENT):
        return refused("这是开放文档格式的文字或演示文件" + NOT_A_TABLE)
    for folder, reason in ZIPPED_DOCUMENTS.items():
        if any(n.startswith(folder) for n in names):
            return refused(reason)
    return refused("不是 Excel 工作簿（.xlsx），请另存为 .xlsx 或 CSV 后再上传")


def _read_calamine(data: bytes, kind: str, max_records: int) -> Grid | None:
    """The first sheet with data of an .xls, .ods or .xlsb, read by python-calamine in a child process
    (sheet_reader.py: a damaged file can make calamine abort the process it runs in); None when it cannot be read."""
    try:
        done = subprocess.run([sys.executable, "-I", str(READER), str(max_records), str(MAX_COLUMNS)], input=data,
                              capture_output=True, timeout=READ_TIMEOUT)
        found = json.loads(done.stdout) if done.returncode == 0 else {"status": "error"}
    except (subprocess.TimeoutExpired, ValueError, OSError):
        return None
    if found.get("status") == "password":
        return refused(ENCRYPTED)
    if found.get("status") == "empty":
        return refused("文件为空")
    if found.get("status") != "ok":
        return None
    percent = read_percent(kind, data).get(found["sheet"], set())
    grid = Grid(source=SOURCES[kind].format(shorten(found["sheet"])), truncated=found["truncated"])
    first = found["first"]          # calamine's rows start at row 1, its columns at the first one used
    lead = [""] * first
    marked: dict[int, list[int]] = {}
    for row, col in percent:
        marked.setdefault(row, []).append(col - first)
    for index, values in found["rows"]:
        texts = lead + [_value_text(v) for v in values]
        for col in marked.get(index, ()):
            value = values[col] if 0 <= col < len(values) else None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                texts[first + col] = f"{format_number(value * 100)}%"
        while texts and not texts[-1]:
            texts.pop()
        if len(texts) > MAX_COLUMNS:
            grid.problems.append(Problem(None, "", "", f"列数过多（超过 {MAX_COLUMNS} 列），不是可识别的表格"))
            break
        _keep(grid, index + 1, texts)
    return grid


def _read_xlsx(data: bytes, max_records: int) -> Grid:
    import openpyxl  # only workbooks pay for the import

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for damaged archives; all mean the same to the user
        return refused(DAMAGED)
    try:
        for sheet in book.worksheets:
            grid = Grid(source=SOURCES["xlsx"].format(shorten(sheet.title)))
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # the stored dimension can be wrong; read to the real end
            for number, cells in enumerate(sheet.iter_rows(min_row=1), 1):
                # Only rows with content count: one formatted cell at row 1 048 576 is not a big table.
                if len(grid.rows) >= max_records:
                    grid.truncated = True
                    break
                texts = [_cell_text(c) for c in cells[:MAX_COLUMNS + 1]]
                while texts and not texts[-1]:
                    texts.pop()
                if len(texts) > MAX_COLUMNS:
                    grid.problems.append(Problem(None, "", "", f"列数过多（超过 {MAX_COLUMNS} 列），不是可识别的表格"))
                    break
                _keep(grid, number, texts)
            if grid.rows or grid.problems:
                return grid
    except Exception:
        return refused(DAMAGED)
    finally:
        book.close()
    return refused("文件为空")


def _cell_text(cell) -> str:
    """An openpyxl cell as the person sees it: 0.752 formatted as % → '75.2%', dates as YYYY-MM-DD."""
    value = getattr(cell, "value", None)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (getattr(cell, "number_format", "")
                                                                                   or ""):
        return f"{format_number(value * 100)}%"
    return _value_text(value)


def _value_text(value) -> str:
    """A cell's value as text: numbers as typed (2025.0 → '2025'), dates as YYYY-MM-DD, booleans TRUE/FALSE."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.time() == time(0) else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (int, float)):
        return format_number(value)
    return str(value)
