"""Office files for the tests, made from the CSVs in tests/files: .xls and .ods written by LibreOffice itself
(soffice --convert-to), and .xlsb — which LibreOffice reads but cannot write — by a minimal BIFF12 writer here,
transcribing the cells (values and percent formats) of the .xlsx LibreOffice made from the same CSV.
tests/test_office_files.py has LibreOffice read each .xlsb back, so the writer is checked by a real office suite."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import openpyxl

SOFFICE = shutil.which("soffice")
CSV_IMPORT = "CSV:44,34,76,1"        # comma, double quote, UTF-8, from line 1: how a person opens our CSVs


def soffice_convert(source: Path | list[Path], to: str, out_dir: Path, profile: Path,
                    import_filter: str | None = CSV_IMPORT) -> Path | list[Path]:
    """Convert with LibreOffice (its own profile directory, so parallel runs do not share one); the new file(s).
    Several sources go in one run: LibreOffice starts once."""
    sources = source if isinstance(source, list) else [source]
    command = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless"]
    if import_filter:
        command.append(f"--infilter={import_filter}")
    command += ["--convert-to", to, "--outdir", str(out_dir), *map(str, sources)]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    made = [out_dir / f"{s.stem}.{to.split(':')[0]}" for s in sources]
    missing = [m.name for m in made if not m.exists()]
    assert not missing, f"LibreOffice made no {missing}"
    return made if isinstance(source, list) else made[0]


# ---------------------------------------------------------------------------------------- a minimal .xlsb writer

def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _record(kind: int, body: bytes = b"") -> bytes:
    return _varint(kind) + _varint(len(body)) + body


def _wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def xlsb_bytes(rows: list[list], percent: set[tuple[int, int]] = frozenset(), sheet: str = "Sheet1") -> bytes:
    """An .xlsb workbook of one sheet: numbers (style 1 = "0.0%" where (row, col) is in `percent`) and strings."""
    workbook = (_record(131) + _record(143) + _record(156, struct.pack("<II", 0, 1) + _wide("rId1") + _wide(sheet))
                + _record(144) + _record(132))
    xf = struct.pack("<HHHHHBBHBB", 0xFFFF, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    xf_percent = struct.pack("<HHHHHBBHBB", 0, 164, 0, 0, 0, 0, 0, 0, 0, 0)
    styles = (_record(278) + _record(615, struct.pack("<I", 1)) + _record(44, struct.pack("<H", 164) + _wide("0.0%"))
              + _record(616) + _record(617, struct.pack("<I", 2)) + _record(47, xf) + _record(47, xf_percent)
              + _record(618) + _record(279))
    width = max((len(row) for row in rows), default=1)
    dimension = struct.pack("<IIII", 0, max(len(rows) - 1, 0), 0, max(width - 1, 0))   # BrtWsDim: readers want it
    cells = bytearray(_record(129) + _record(148, dimension) + _record(145))
    for r, row in enumerate(rows):
        cells += _record(0, struct.pack("<IIHHBI", r, 0, 300, 0, 0, 0))
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            style = 1 if (r, c) in percent else 0
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cells += _record(5, struct.pack("<IId", c, style, float(value)))
            else:
                cells += _record(6, struct.pack("<II", c, style) + _wide(str(value)))
    cells += _record(146) + _record(130)
    binary = "application/vnd.ms-excel."
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.'
        'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
        'openxmlformats-package.relationships+xml"/><Default Extension="bin" ContentType="'
        f'{binary}sheet.binary.macroEnabled.main"/><Override PartName="/xl/worksheets/sheet1.bin" ContentType="'
        f'{binary}worksheet"/><Override PartName="/xl/styles.bin" ContentType="{binary}styles"/></Types>',
        "_rels/.rels": _rels([("rId1", "officeDocument", "xl/workbook.bin")]),
        "xl/_rels/workbook.bin.rels": _rels([("rId1", "worksheet", "worksheets/sheet1.bin"),
                                             ("rId2", "styles", "styles.bin")]),
        "xl/workbook.bin": workbook, "xl/styles.bin": styles, "xl/worksheets/sheet1.bin": bytes(cells),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _rels(items: list[tuple[str, str, str]]) -> str:
    kinds = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    body = "".join(f'<Relationship Id="{i}" Type="{kinds}{k}" Target="{t}"/>' for i, k, t in items)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats'
            f'.org/package/2006/relationships">{body}</Relationships>')


def xlsb_from_xlsx(xlsx: Path) -> bytes:
    """The first sheet of an .xlsx (values, and which numbers are formatted as %) transcribed into an .xlsb."""
    book = openpyxl.load_workbook(xlsx, data_only=True)
    sheet = book.worksheets[0]
    rows, percent = [], set()
    for r, cells in enumerate(sheet.iter_rows()):
        rows.append([c.value for c in cells])
        percent |= {(r, c) for c, cell in enumerate(cells) if "%" in (cell.number_format or "")}
    return xlsb_bytes(rows, percent, sheet.title)


def make_fuzz_seeds() -> None:
    """tests/files/fuzz_seed.{xls,ods,xlsb}: number_forms.csv as LibreOffice writes it (.xlsb: transcribed), the
    seeds tests/test_ingest_fuzz.py mutates. `python tests/office_files.py` writes them again."""
    import tempfile

    files = Path(__file__).parent / "files"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "fuzz_seed.csv").write_bytes((files / "number_forms.csv").read_bytes())
        for to in ("xls", "ods", "xlsx"):
            made = soffice_convert(tmp / "fuzz_seed.csv", to, tmp, tmp / "profile")
            if to == "xlsx":
                (files / "fuzz_seed.xlsb").write_bytes(xlsb_from_xlsx(made))
            else:
                (files / made.name).write_bytes(made.read_bytes())


if __name__ == "__main__":
    make_fuzz_seeds()
