"""Run as a child process by workbooks.py: read a workbook's first sheet with data with python-calamine.

    python -I sheet_reader.py MAX_RECORDS MAX_COLUMNS  < workbook bytes  > JSON

calamine is Rust: on a damaged or crafted file it may panic (which Python can catch) or try to allocate hundreds of
GB and abort the whole process (which it cannot): fuzzing .xls files found both. So it never runs inside the
server: this child has its memory capped, and whatever becomes of it, the parent only reads JSON from it.
Output: {"status": "ok", "sheet", "first" (first column used), "rows": [[row index, [cell, …]], …] (non-blank rows),
"truncated"} or {"status": "password" | "error" | "empty"}. Cells are text, numbers or booleans; dates are text.
Standard library and python_calamine only (it runs isolated, without cnpark on its path).
"""

import datetime
import io
import json
import resource
import sys

MEMORY_LIMIT = 4 * 1024**3      # address space: a 50 MB upload's sheet needs far less


def cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == datetime.time(0) else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)       # a time of day, a duration


def first_sheet(book, sheet_type, max_records: int, max_columns: int) -> dict:
    for meta in book.sheets_metadata:
        if meta.typ != sheet_type:
            continue
        sheet = book.get_sheet_by_name(meta.name)
        first = (sheet.start or (0, 0))[1]
        rows, truncated = [], False
        for index, values in enumerate(sheet.iter_rows()):
            cells = [cell(v) for v in values[:max_columns + 1]]
            if not "".join(c for c in cells if isinstance(c, str)).strip() and \
                    not any(not isinstance(c, str) for c in cells):
                continue
            if len(rows) >= max_records:
                truncated = True
                break
            rows.append([index, cells])
        if rows:
            return {"status": "ok", "sheet": meta.name, "first": first, "rows": rows, "truncated": truncated}
    return {"status": "empty"}


def main() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    max_records, max_columns = int(sys.argv[1]), int(sys.argv[2])
    data = sys.stdin.buffer.read()
    import python_calamine

    try:
        with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
            out = first_sheet(book, python_calamine.SheetTypeEnum.WorkSheet, max_records, max_columns)
    except python_calamine.PasswordError:
        out = {"status": "password"}
    except BaseException:       # calamine's errors and its panics: the file cannot be read
        out = {"status": "error"}
    sys.stdout.write(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
