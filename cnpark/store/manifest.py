"""The store's files on disk: the manifest (one JSON line per entry), where each entry's files are, which uploads make
up the state after an entry, and how every file is written (atomically). Read by the store, compaction and backup.

    manifest.jsonl             one JSON object per entry (upload, rollback, review or notice), append-only
    snapshots/S00001.parquet   the canonical rows of upload S00001 (+ snapshot_id, seq columns)
    originals/S00001.csv       the bytes exactly as uploaded
    compacted/…                derived, a cache (compaction.py); never backed up
    .lock                      writers take an exclusive flock on it
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cnpark import settings

MANIFEST = "manifest.jsonl"
SNAPSHOTS, ORIGINALS, COMPACTED = "snapshots", "originals", "compacted"
ORIGINAL_SUFFIXES = {".csv", ".txt", ".xlsx", ".tsv", ".xls", ".xlsm", ".xlsb", ".ods"}
# Every name an entry's files can have, relative to the store (what a backup may hold besides its checksums).
ENTRY_FILE = re.compile(r"^(snapshots/S\d{5,}\.parquet|originals/S\d{5,}\.[a-z]{2,5})$")


class StoreError(Exception):
    """A request the store refuses (unknown snapshot id …); the message is for the user, in Chinese."""


@dataclass(frozen=True)
class Entry:
    id: str                # S00001 … for a version of the data; N00001 … for a notice (its 期号)
    seq: int               # the data versions' order (the S number); 0 for a notice
    kind: str              # upload | rollback | review (the 督查室's decision on a unit's submission) | notice
    dataset: str           # '' for a rollback
    uploaded_at: str       # ISO 8601 with the county's UTC offset
    user: str
    file: str              # original file name as uploaded (display only; never used as a path)
    rows: int
    sha256: str
    sample: bool = False   # loaded by `demo`: shown as 示例数据 wherever it appears
    target: str = ""       # rollback: the entry whose state is restored; review: the submission decided on;
                           # notice: the data version its first issue was made from
    original: str = ""     # upload: name of the saved original under originals/
    unit: str = ""         # review: the unit whose month is decided on
    month: str = ""        # review: that month; notice: the month it reports on
    decision: str = ""     # review: approved | returned
    reason: str = ""       # review: why it is returned (the unit sees it)
    number: int = 0        # notice: its 期号 (第N期)
    plan: str = ""         # notice: the plan's code (one store holds every plan)

    def public(self) -> dict:
        """The fields of the `snapshots --format json` contract (plus kind/target/sample): a data version's
        (a notice is none, and is never listed)."""
        d = asdict(self)
        for name in ("original", "seq", "number", "plan"):
            d.pop(name)
        return d

    def line(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False) + "\n"

    @property
    def files(self) -> list[str]:
        """Its files, relative to the store (none for a rollback)."""
        return [f"{SNAPSHOTS}/{self.id}.parquet", f"{ORIGINALS}/{self.original}"] if self.kind == "upload" else []

    @property
    def fingerprint(self) -> str:
        """Names a file derived at this exact manifest line (ids alone repeat across stores)."""
        return hashlib.sha256(json.dumps(asdict(self), ensure_ascii=False).encode()).hexdigest()[:12]


_FIELDS = {f.name for f in fields(Entry)}


def complete(data: bytes) -> bytes:
    """The whole lines of a manifest: a writer may be appending, or may have died mid-line."""
    return data[: data.rfind(b"\n") + 1]


def parse(data: bytes) -> list[Entry]:
    """The entries of a manifest's whole lines, oldest first (fields this version does not know are left out).
    Raises ValueError or TypeError for a line that is not an entry."""
    return [Entry(**{k: v for k, v in json.loads(line).items() if k in _FIELDS})
            for line in complete(data).decode("utf-8").split("\n") if line.strip()]


NOTICE = "notice"      # a 督查通报's 期号 (docs/RULES.md "督查通报"): a record of the 督查室's, not a version of the data


def of_data(entries: list[Entry]) -> list[Entry]:
    """The entries that are versions of the data (uploads, rollbacks, reviews): every entry but the notices."""
    return [e for e in entries if e.kind != NOTICE]


def next_number(notices: list[Entry]) -> int:
    """The 期号 a month not issued before takes: the highest issued + 1 (one series, by issue order)."""
    return max((e.number for e in notices), default=0) + 1


def state(entries: list[Entry], at: str | None) -> list[Entry]:
    """The uploads in the state right after entry `at` (default: the last), by seq: walk back from it, taking
    each upload and jumping to X at a rollback to X (always earlier, so the walk ends); a review changes no data,
    and a notice is no version of it (not an `at`)."""
    entries = of_data(entries)
    position = {e.id: i for i, e in enumerate(entries)}
    if at is not None and at not in position:
        raise StoreError(f"没有编号为 {at} 的快照")
    i = position[at] if at is not None else len(entries) - 1
    out = []
    while i >= 0:
        e = entries[i]
        if e.kind == "upload":
            out.append(e)
            i -= 1
        elif e.kind == "rollback":
            i = position[e.target]
        else:
            i -= 1
    return out[::-1]


def original_name(entry_id: str, filename: str) -> tuple[str, str]:
    """(the name shown, the name saved under originals/) of an uploaded file: the user's name is display only."""
    shown = Path(str(filename).replace("\\", "/")).name[:200]
    suffix = Path(shown).suffix.lower()
    return shown, f"{entry_id}{suffix if suffix in ORIGINAL_SUFFIXES else '.bin'}"


def now() -> str:
    tz = timezone(timedelta(hours=settings.number("utc_offset_hours")))
    return datetime.now(tz).isoformat(timespec="microseconds")


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, write) -> None:
    """Write via a temporary file in the same directory, fsync, then rename into place."""
    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    write(tmp)
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


def snapshot_table(rows, schema: pa.Schema, sid: str, seq: int) -> pa.Table:
    """An upload's canonical rows (a pandas frame) as its snapshot's table: typed by the store's schema, but text
    kept as pandas holds it, large_string, uncopied — casting it to `string` copied ~7 MB at 200,000 rows beside the
    frame (issue 24). Parquet stores both alike, and `parquet` writes no Arrow schema: the file reads back `string`."""
    fields = [pa.field(f.name, pa.large_string() if f.type == pa.string() else f.type) for f in schema][:-2]
    names = [f.name for f in fields]
    table = pa.Table.from_pandas(rows if list(rows.columns) == names else rows[names], preserve_index=False,
                                 schema=pa.schema(fields))
    table = table.append_column("snapshot_id", pa.repeat(pa.scalar(sid, pa.string()), len(table)))
    return table.append_column("seq", pa.repeat(pa.scalar(seq, pa.int64()), len(table)))


def parquet(table: pa.Table) -> Callable[[Path], None]:
    """How write_atomic writes a snapshot or compacted file. Every column is dictionary-encoded but source_row: a
    row number never repeats, and Arrow's writer tried it until the dictionary page was full, holding ~20 MB more at
    200,000 rows for a larger file (docs/PERFORMANCE.md, issue 24). No Arrow schema in the file: each column reads
    back as its Parquet type says (text as `string`, also where the table held large_string)."""
    dictionary = [c for c in table.column_names if c != "source_row"]
    return lambda path: pq.write_table(table, path, use_dictionary=dictionary, store_schema=False)
