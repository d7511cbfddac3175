"""The snapshot store: every accepted upload is one immutable Parquet file plus a manifest line.

The only module that imports duckdb. Layout of a store directory:

    manifest.jsonl         one JSON object per entry (upload or rollback), append-only
    snapshots/S00001.parquet   the canonical rows of upload S00001 (+ snapshot_id, seq columns)
    originals/S00001.csv   the bytes exactly as uploaded
    .lock                  writers take an exclusive flock on it
    compacted/indicators@S04951-3f2a9c0d1e7b.parquet   derived: the latest-wins rows of a dataset in the state
                           right after entry S04951 (the suffix fingerprints that manifest line)

Writes are atomic: the Parquet file is written under a temporary name, fsynced and renamed, and only
then is the manifest line appended (and fsynced). A reader never sees an entry whose file is missing;
a crash leaves at most an orphan temporary file (removed by the next writer) or a partial last
manifest line (ignored by readers, cut off by the next writer). Writers are serialised by the lock,
so two at once lose nothing.

The state after an entry is a set of uploads: an upload adds itself to the state before it; a
rollback to X takes the state right after X. For each key the upload with the highest seq wins.
Finding a state walks back from the entry (jumping to X at a rollback to X): linear in the entries.

Compaction (docs/PERFORMANCE.md, "Performance at scale"): a read opens one Parquet file per upload of the dataset in its state, and
DuckDB's cost grows with the number of files (~1.5 ms each; 5,000 uploads took seconds). So when an upload
leaves more than COMPACT_AFTER files of its dataset outside the newest usable compacted file, the writer,
still under the lock and after the manifest line is written, also writes the latest-wins rows of the new
state into compacted/ (temporary file, fsync, rename). Rows keep their snapshot_id and seq, so latest-wins
over "compacted file + later uploads" is the same as over all the uploads. A read uses the newest compacted
file whose uploads are all in the state it reads (for any earlier entry, or after a rollback, that is an
older one or none) plus the files of the uploads not in it: history stays readable, each read opens at
most ~COMPACT_AFTER + 1 files. As a compacted file has one row per key, its rows not restated by a later
upload stream through an anti-join and only the later uploads go through the latest-wins window. Snapshot
files are never rewritten or deleted; compacted files are a cache that nothing else refers to: deleting
compacted/ only makes reads slower, a compaction that fails (disk full) does not fail the upload that is
already in the manifest, a crash while compacting leaves a temporary file the next writer removes, and
backups leave them out.
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

COMPACT_AFTER = 50     # uploads of a dataset a read may open beside one compacted file
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
# The same over a compacted file ($base: already one row per key) and the uploads after it ($loose): the compacted
# rows not restated since stream through an anti-join, only the later uploads go through the window (a
# 1,000,000-row ledger: ~0.3 s and ~270 MB to Arrow instead of ~1 s and ~500 MB). IS NOT DISTINCT FROM: NULL
# keys match as in PARTITION BY; written per column, as a row comparison is not planned as a hash anti-join.
READ_INDICATORS_OVER_COMPACTED = """
WITH loose AS (
  SELECT * FROM read_parquet($loose, union_by_name = true)
  QUALIFY row_number() OVER (PARTITION BY indicator, period, area ORDER BY seq DESC) = 1)
SELECT * FROM read_parquet($base, union_by_name = true) AS c
WHERE NOT EXISTS (SELECT 1 FROM loose
                  WHERE loose.indicator IS NOT DISTINCT FROM c.indicator AND loose.period IS NOT DISTINCT FROM c.period
                    AND loose.area IS NOT DISTINCT FROM c.area)
UNION ALL BY NAME SELECT * FROM loose
"""
READ_DEBT_OVER_COMPACTED = """
WITH loose AS (
  SELECT * FROM read_parquet($loose, union_by_name = true)
  QUALIFY row_number() OVER (PARTITION BY debt_id, period ORDER BY seq DESC) = 1)
SELECT * FROM read_parquet($base, union_by_name = true) AS c
WHERE NOT EXISTS (SELECT 1 FROM loose WHERE loose.debt_id IS NOT DISTINCT FROM c.debt_id
                                         AND loose.period IS NOT DISTINCT FROM c.period)
UNION ALL BY NAME SELECT * FROM loose
"""
READ_ENTERPRISES_OVER_COMPACTED = """
WITH loose AS (
  SELECT * FROM read_parquet($loose, union_by_name = true)
  QUALIFY row_number() OVER (PARTITION BY name, period ORDER BY seq DESC) = 1)
SELECT * FROM read_parquet($base, union_by_name = true) AS c
WHERE NOT EXISTS (SELECT 1 FROM loose WHERE loose.name IS NOT DISTINCT FROM c.name
                                         AND loose.period IS NOT DISTINCT FROM c.period)
UNION ALL BY NAME SELECT * FROM loose
"""
# Unordered (a compaction writes them as they come: sorting a million rows of every column doubled the peak);
# a read sorts them by the key, as READ_LATEST does.
READ_LATEST_OVER_COMPACTED = {"indicators": READ_INDICATORS_OVER_COMPACTED, "debt": READ_DEBT_OVER_COMPACTED,
                              "enterprises": READ_ENTERPRISES_OVER_COMPACTED}
ORDER_LATEST = {"indicators": "\nORDER BY indicator, area, period", "debt": "\nORDER BY debt_id, period",
                "enterprises": "\nORDER BY name, period"}
# What the status rule reads (cnpark.status.compute_status): park-wide indicator rows (area '' or missing) and
# four columns of the ledger. Filtering on a key column commutes with latest-wins; at 30 parks and a
# 1,000,000-row ledger this keeps a reading to ~40 MB of pandas instead of ~240 MB (docs/PERFORMANCE.md).
READ_PARK_INDICATORS = """
SELECT * FROM read_parquet($files, union_by_name = true)
WHERE coalesce(area, '') = ''
QUALIFY row_number() OVER (PARTITION BY indicator, period, area ORDER BY seq DESC) = 1
ORDER BY indicator, area, period
"""
READ_DEBT_FOR_STATUS = """
SELECT debt_id, period, resolved, overdue FROM read_parquet($files, union_by_name = true)
QUALIFY row_number() OVER (PARTITION BY debt_id, period ORDER BY seq DESC) = 1
ORDER BY debt_id, period
"""
# The status's ledger over a compacted file, as READ_DEBT_OVER_COMPACTED (0.17 s and ~100 MB instead of 0.5 s and
# ~170 MB; no order: the status does not need one).
READ_DEBT_FOR_STATUS_OVER_COMPACTED = """
WITH loose AS (
  SELECT debt_id, period, resolved, overdue FROM read_parquet($loose, union_by_name = true)
  QUALIFY row_number() OVER (PARTITION BY debt_id, period ORDER BY seq DESC) = 1)
SELECT debt_id, period, resolved, overdue FROM read_parquet($base, union_by_name = true) AS c
WHERE NOT EXISTS (SELECT 1 FROM loose WHERE loose.debt_id IS NOT DISTINCT FROM c.debt_id
                                         AND loose.period IS NOT DISTINCT FROM c.period)
UNION ALL SELECT * FROM loose
"""
# Every period of a key survives latest-wins (the period is part of every key), so no window is needed.
READ_PERIODS = "SELECT DISTINCT period FROM read_parquet($files, union_by_name = true) ORDER BY period DESC"
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
        self._parsed: tuple[tuple, list[Entry]] = ((), [])
        self._repair_if_idle()

    # ------------------------------------------------------------------ manifest

    def entries(self) -> list[Entry]:
        """Every manifest entry, oldest first; a partial last line (crash mid-append) is ignored."""
        try:
            with open(self.manifest, "rb") as f:
                st = os.fstat(f.fileno())
                key = (st.st_ino, st.st_size, st.st_mtime_ns)
                if self._parsed[0] == key:    # unchanged since the last parse (5,000 lines take ~60 ms)
                    return list(self._parsed[1])
                text = f.read().decode("utf-8")
        except FileNotFoundError:
            return []
        lines = text.split("\n")[:-1]  # the piece after the last newline is incomplete
        entries = [Entry(**json.loads(line)) for line in lines if line.strip()]
        self._parsed = (key, entries)
        return list(entries)

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
        return _state(self.entries(), at)

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
        for sub in ("snapshots", "originals", "compacted"):
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
            entry = self._append(make)
            try:
                self._compact_if_due(dataset)
            except (OSError, duckdb.Error):
                pass    # the upload is stored; a compacted file is only a cache (the next upload tries again)
            return entry

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
        return self._read_latest(dataset, *self._files(dataset, at))

    def _read_latest(self, dataset: str, base: list[str], loose: list[str], arrow: bool = False):
        if base and loose:
            sql, params = READ_LATEST_OVER_COMPACTED[dataset], {"base": base, "loose": loose}
            sql += "" if arrow else ORDER_LATEST[dataset]
        elif base or loose:
            sql, params = READ_LATEST[dataset], {"files": base + loose}
        else:
            return empty_frame(dataset)
        if arrow:
            with self._con.cursor() as cur:
                return cur.sql(sql, params=params).to_arrow_table()
        return self._query(sql, params)

    def read_for_status(self, at: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(park-wide indicator rows, the ledger's debt_id/period/resolved/overdue) after entry `at`: what
        compute_status reads, without the by-area rows and ledger columns it does not. Ledger rows in no
        particular order."""
        indicators = sum(self._files("indicators", at), [])
        base, loose = self._files("debt", at)
        if base and loose:
            debt = self._query(READ_DEBT_FOR_STATUS_OVER_COMPACTED, {"base": base, "loose": loose})
        elif base or loose:
            debt = self._query(READ_DEBT_FOR_STATUS, {"files": base + loose})
        else:
            debt = empty_frame("debt")[["debt_id", "period", "resolved", "overdue"]]
        return (self._query(READ_PARK_INDICATORS, {"files": indicators}) if indicators else empty_frame("indicators"),
                debt)

    def periods(self, at: str | None = None, datasets: tuple[str, ...] = ("indicators", "debt")) -> list[str]:
        """Every period that has data in those datasets after entry `at`, latest first."""
        files = [f for d in datasets for f in sum(self._files(d, at), [])]
        return self._query(READ_PERIODS, {"files": files})["period"].dropna().tolist() if files else []

    def _files(self, dataset: str, at: str | None = None) -> tuple[list[str], list[str]]:
        """The files that hold a dataset's state after entry `at`: the newest compacted file made only of
        uploads in that state (none or one), and the snapshot files of the state's other uploads of the dataset."""
        entries = self.entries()
        uploads = [e for e in _state(entries, at) if e.dataset == dataset]
        ids = {e.id for e in uploads}
        covered: set[str] = set()
        base: list[str] = []
        by_id = {e.id: (i, e) for i, e in enumerate(entries)}
        found = []
        for path in (self.root / "compacted").glob(f"{dataset}@*.parquet"):
            entry_id, _, tag = path.stem.partition("@")[2].partition("-")
            if entry_id in by_id and tag == _fingerprint(by_id[entry_id][1]):
                found.append((by_id[entry_id][0], entry_id, path))   # others are not from this manifest: unused
        for _, entry_id, path in sorted(found, reverse=True):
            members = {e.id for e in _state(entries, entry_id) if e.dataset == dataset}
            if members <= ids:
                covered, base = members, [str(path)]
                break
        return base, [str(self.root / "snapshots" / f"{e.id}.parquet") for e in uploads if e.id not in covered]

    def _compact_if_due(self, dataset: str) -> None:
        """Under the lock, after an upload: fold the dataset's current state into one compacted file when a read
        would otherwise open more than COMPACT_AFTER snapshot files."""
        base, loose = self._files(dataset)
        if len(loose) <= COMPACT_AFTER:
            return
        table = self._read_latest(dataset, base, loose, arrow=True)
        last = self.entries()[-1]
        folder = self.root / "compacted"
        folder.mkdir(exist_ok=True)
        _write_atomic(folder / f"{dataset}@{last.id}-{_fingerprint(last)}.parquet",
                      lambda p: pq.write_table(table, p))
        _fsync_dir(folder)

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


def _state(entries: list[Entry], at: str | None) -> list[Entry]:
    """The uploads in the state right after entry `at` (default: the last), by seq: walk back from it, taking
    each upload and jumping to X at a rollback to X (always earlier, so the walk ends)."""
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
        else:
            i = position[e.target]
    return out[::-1]


def _fingerprint(entry: Entry) -> str:
    """Names a compacted file after the exact manifest line it was made at (ids alone repeat across stores)."""
    return hashlib.sha256(json.dumps(asdict(entry), ensure_ascii=False).encode()).hexdigest()[:12]


def empty_frame(dataset: str) -> pd.DataFrame:
    """A frame with the dataset's stored columns and no rows."""
    schema = pa.schema([(c, _ARROW[t]) for c, t in COLUMNS[dataset].items()]
                       + [("snapshot_id", pa.string()), ("seq", pa.int64())])
    return schema.empty_table().to_pandas()
