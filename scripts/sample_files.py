"""Writing a sample file as Excel writes a CSV: every line one width, in the encoding asked for. Shared by
scripts/make_sample.py and the generators it runs (make_sample_tasks.py, make_sample_projects.py)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "sample"


def write_csv(name: str, rows: list[list[str]], encoding: str, newline: str = "\r\n") -> tuple[Path, int]:
    """Write rows (title lines, header, data, footnotes) as Excel does: every line padded to the same width."""
    width = max(len(r) for r in rows)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=newline)
    for row in rows:
        writer.writerow(list(row) + [""] * (width - len(row)))
    text = buf.getvalue()
    if encoding == "gbk":
        text.encode("gbk")  # GBK-safe: raises if a character is not in GBK (Excel on Chinese Windows)
        data = text.encode("gb18030")
    elif encoding == "utf-8-sig":
        data = text.encode("utf-8-sig")
    else:
        data = text.encode("utf-8")
    path = OUT / name
    path.write_bytes(data)
    return path, len(rows)
