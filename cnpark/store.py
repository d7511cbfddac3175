"""The snapshot store: every accepted upload is one immutable Parquet file plus a manifest line.

The only module that imports duckdb. Layout of a store directory:

    manifest.jsonl         one JSON object per entry (upload or rollback), append-only
    snapshots/S00001.parquet   the canonical rows of upload S00001 (+ snapshot_id, seq columns)
    originals/S00001.csv   the bytes exactly as uploaded
    .lock                  writers take an exclusive flock on it

Writes are atomic: the Parquet file is written under a temporary name, fsynced and renamed, and only
then is the manifest line appended (and fsynced). A reader never sees an entry whose file is missing;
a crash leaves at most an orphan temporary file (removed by the next writer) or a partial last
manifest line (ignored by readers, cut off by the next writer). Writers are serialised by the lock,
so two at once lose nothing.

The state after an entry is a set of uploads: an upload adds itself to the state before it; a
rollback to X takes the state right after X. For each key the upload with the highest seq wins.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from cnpark import settings
from cnpark.schema import COLUMNS, DATASETS

_ARROW = {"str": pa.string(), "float": pa.float64(), "int": pa.int64(), "bool": pa.bool_()}
ORIGINAL_SUFFIXES = {".csv", ".txt", ".xlsx", ".tsv"}


class StoreError(Exception):
    """A request the store refuses (unknown snapshot id …); the message is for the user, in Chinese."""


@dataclass(frozen=True)
class Entry:
    id: str
    seq: int
    kind: str              # upload | rollback
    dataset: str           # '' for a rollback
    uploaded_at: str       # ISO 8601 with the county's UTC offset
    user: str
    file: str              # original file name as uploaded (display only; never used as a path)
    rows: int
    sha256: str
    sample: bool = False   # loaded by `demo`: shown as 示例数据 wherever it appears
    target: str = ""       # rollback: the entry whose state is restored
    original: str = ""     # upload: name of the saved original under originals/

    def public(self) -> dict:
        """The fields of the `snapshots --format json` contract (plus kind/target/sample)."""
        d = asdict(self)
        d.pop("original")
        d.pop("seq")
        return d


# Latest upload wins per key, among the files of the chosen state. One named query per dataset.
READ_INDICATORS = """
SELECT * FROM read_parquet($files, union_by_name = true)
QUALIFY row_number() OVER (PARTITION BY indicator, period, area ORDER BY seq DESC) = 1
ORDER BY indicator, area, period
"""
READ_DEBT = """
SELECT * FROM read_parquet($files, union_by_name = true)
QUALIFY row_number() OVER (PARTITION BY debt_id, period ORDER BY seq DESC) = 1
ORDER BY debt_id, period
"""
READ_ENTERPRISES = """
SELECT * FROM read_parquet($files, union_by_name = true)
QUALIFY row_number() OVER (PARTITION BY name, period ORDER BY seq DESC) = 1
ORDER BY name, period
"""
READ_LATEST = {"indicators": READ_INDICATORS, "debt": READ_DEBT, "enterprises": READ_ENTERPRISES}
READ_SNAPSHOT = "SELECT * FROM read_parquet($file) ORDER BY source_row"


def _connect(root: Path) -> duckdb.DuckDBPyConnection:
    """A connection that can read only inside the store and can never be reconfigured."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False,
                                 "threads": 2})
    con.execute("SET allowed_directories = $dirs", {"dirs": [str(root) + os.sep]})
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def _now() -> str:
    tz = timezone(timedelta(hours=settings.number("utc_offset_hours")))
    return datetime.now(tz).isoformat(timespec="microseconds")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(path: Path, write) -> None:
    """Write via a temporary file in the same directory, fsync, then rename into place."""
    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    write(tmp)
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


class Store:
    """One store directory. Cheap to create; holds one locked-down DuckDB connection."""

    def __init__(self, root: str | Path | None = None):
        self.root = Path(root or settings.path("data_dir")).resolve()
        for sub in ("snapshots", "originals"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self.manifest = self.root / "manifest.jsonl"
        self._con = _connect(self.root)
        self._repair_if_idle()

    # ------------------------------------------------------------------ manifest

    def entries(self) -> list[Entry]:
        """Every manifest entry, oldest first; a partial last line (crash mid-append) is ignored."""
        try:
            text = self.manifest.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        lines = text.split("\n")[:-1]  # the piece after the last newline is incomplete
        return [Entry(**json.loads(line)) for line in lines if line.strip()]

    def version(self) -> tuple[int, int]:
        """Changes whenever an entry is added: the cache key for every read."""
        try:
            st = self.manifest.stat()
        except FileNotFoundError:
            return (0, 0)
        return (st.st_size, st.st_mtime_ns)

    def entry(self, entry_id: str) -> Entry:
        for e in self.entries():
            if e.id == entry_id:
                return e
        raise StoreError(f"没有编号为 {entry_id} 的快照")

    def active_uploads(self, at: str | None = None) -> list[Entry]:
        """The uploads that make up the state right after entry `at` (default: the latest), by seq."""
        entries = self.entries()
        by_id = {e.id: e for e in entries}
        states: dict[str, frozenset[str]] = {}
        current: frozenset[str] = frozenset()
        for e in entries:
            current = current | {e.id} if e.kind == "upload" else states[e.target]
            states[e.id] = current
            if e.id == at:
                break
        else:
            if at is not None:
                raise StoreError(f"没有编号为 {at} 的快照")
        return sorted((by_id[i] for i in current), key=lambda e: e.seq)

    def is_sample(self, at: str | None = None) -> bool:
        """True when any data in that state came from the bundled sample (示例数据)."""
        return any(e.sample for e in self.active_uploads(at))

    @contextlib.contextmanager
    def _locked(self):
        with open(self.root / ".lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                self._repair()
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _repair_if_idle(self) -> None:
        """On start: clean up after a writer that died, unless a live writer holds the lock right now."""
        with open(self.root / ".lock", "a+") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return
            try:
                self._repair()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _repair(self) -> None:
        """Under the lock: cut a partial last manifest line and remove temporary files of dead writers."""
        if self.manifest.exists():
            data = self.manifest.read_bytes()
            if data and not data.endswith(b"\n"):
                with open(self.manifest, "rb+") as f:
                    f.truncate(data.rfind(b"\n") + 1)
                    os.fsync(f.fileno())
        for sub in ("snapshots", "originals"):
            for tmp in (self.root / sub).glob(".tmp-*"):
                tmp.unlink(missing_ok=True)

    def _append(self, make_entry) -> Entry:
        entries = self.entries()
        seq = max((e.seq for e in entries), default=0) + 1
        entry = make_entry(seq, entries)
        line = json.dumps(asdict(entry), ensure_ascii=False) + "\n"
        with open(self.manifest, "a", encoding="utf-8") as f:
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
        _fsync_dir(self.root)
        return entry

    # ------------------------------------------------------------------ writes

    def add_snapshot(self, dataset: str, rows: pd.DataFrame, original: bytes, filename: str,
                     user: str = "", sample: bool = False) -> Entry:
        """Store accepted canonical rows and the original bytes as a new snapshot."""
        if dataset not in DATASETS:
            raise ValueError(f"unknown dataset {dataset!r}")
        columns = COLUMNS[dataset]
        display_name = Path(str(filename).replace("\\", "/")).name[:200]
        suffix = Path(display_name).suffix.lower()
        suffix = suffix if suffix in ORIGINAL_SUFFIXES else ".bin"

        with self._locked():
            def make(seq: int, _entries) -> Entry:
                sid = f"S{seq:05d}"
                table = pa.Table.from_pandas(rows[list(columns)], preserve_index=False,
                                             schema=pa.schema([(c, _ARROW[t]) for c, t in columns.items()]))
                table = table.append_column("snapshot_id", pa.array([sid] * len(table), pa.string()))
                table = table.append_column("seq", pa.array([seq] * len(table), pa.int64()))
                _write_atomic(self.root / "snapshots" / f"{sid}.parquet", lambda p: pq.write_table(table, p))
                _write_atomic(self.root / "originals" / f"{sid}{suffix}", lambda p: p.write_bytes(original))
                _fsync_dir(self.root / "snapshots")
                return Entry(id=sid, seq=seq, kind="upload", dataset=dataset, uploaded_at=_now(),
                             user=user, file=display_name, rows=len(rows),
                             sha256=hashlib.sha256(original).hexdigest(), sample=sample,
                             original=f"{sid}{suffix}")
            return self._append(make)

    def rollback(self, entry_id: str, user: str = "") -> Entry:
        """Make the state right after `entry_id` current again, as a new entry; nothing is deleted."""
        with self._locked():
            def make(seq: int, entries: list[Entry]) -> Entry:
                if entry_id not in {e.id for e in entries}:
                    raise StoreError(f"没有编号为 {entry_id} 的快照")
                return Entry(id=f"S{seq:05d}", seq=seq, kind="rollback", dataset="", uploaded_at=_now(),
                             user=user, file="", rows=0, sha256="", target=entry_id)
            return self._append(make)

    # ------------------------------------------------------------------ reads

    def _query(self, sql: str, params: dict) -> pd.DataFrame:
        with self._con.cursor() as cur:
            return cur.sql(sql, params=params).to_arrow_table().to_pandas()

    def read(self, dataset: str, at: str | None = None) -> pd.DataFrame:
        """The rows of a dataset as they stand after entry `at` (default: now); latest upload wins per key."""
        files = [str(self.root / "snapshots" / f"{e.id}.parquet")
                 for e in self.active_uploads(at) if e.dataset == dataset]
        if not files:
            return empty_frame(dataset)
        return self._query(READ_LATEST[dataset], {"files": files})

    def read_snapshot(self, entry_id: str) -> pd.DataFrame:
        """The rows of one upload exactly as it was accepted."""
        e = self.entry(entry_id)
        if e.kind != "upload":
            raise StoreError(f"{entry_id} 是一次回滚，没有自己的数据行")
        return self._query(READ_SNAPSHOT, {"file": str(self.root / "snapshots" / f"{e.id}.parquet")})

    def read_original(self, entry_id: str) -> bytes:
        """The file exactly as it was uploaded."""
        e = self.entry(entry_id)
        if not e.original:
            raise StoreError(f"{entry_id} 没有原始文件")
        return (self.root / "originals" / e.original).read_bytes()


def empty_frame(dataset: str) -> pd.DataFrame:
    """A frame with the dataset's stored columns and no rows."""
    schema = pa.schema([(c, _ARROW[t]) for c, t in COLUMNS[dataset].items()]
                       + [("snapshot_id", pa.string()), ("seq", pa.int64())])
    return schema.empty_table().to_pandas()
