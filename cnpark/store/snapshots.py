"""The snapshot store: every accepted upload is one immutable Parquet file plus a manifest line.

The only module that runs DuckDB queries. Its files on disk: manifest.py. Writes are atomic: the Parquet file is
written under a temporary name, fsynced and renamed, and only then is the manifest line appended (and fsynced). A
reader never sees an entry whose file is missing; a crash leaves at most an orphan temporary file (removed by the next
writer) or a partial last manifest line (ignored by readers, cut off by the next writer). Writers are serialised by
the lock, so two at once lose nothing.

The state after an entry is a set of uploads: an upload adds itself to the state before it; a rollback to X takes
the state right after X. For each key of the dataset (datasets.py) the upload with the highest seq wins. Finding a
state walks back from the entry (jumping to X at a rollback to X): linear in the entries. Reads of a long history
go through a compacted file (compaction.py).

Every query is written from the dataset's declaration (queries.py): identifiers quoted, values bound as parameters.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from cnpark import settings
from cnpark.store import compaction
from cnpark.store.datasets import Dataset, get, month_sources, status_inputs
from cnpark.store.manifest import (
    COMPACTED,
    MANIFEST,
    NOTICE,
    ORIGINALS,
    SNAPSHOTS,
    Entry,
    StoreError,
    fsync_dir,
    next_number,
    now,
    of_data,
    original_name,
    parquet,
    parse,
    snapshot_table,
    state,
    write_atomic,
)
from cnpark.store.queries import FIRST, QUERIES, READ_PERIODS, READ_SNAPSHOT

if TYPE_CHECKING:
    import duckdb

__all__ = ["ALREADY_CURRENT", "Entry", "Store", "StoreError", "empty_frame"]

_ARROW = {"str": pa.string(), "float": pa.float64(), "int": pa.int64(), "bool": pa.bool_()}
ALREADY_CURRENT = "当前数据已经是 {} 入库后的状态，回滚不会改变任何数据，未作记录"


def _duckdb():
    """DuckDB, imported by the first read: an upload writes with pyarrow alone, so a process that only ingests is
    spared its import (~13 MB) and its database instance (~27 MB) (docs/PERFORMANCE.md, issue 24)."""
    import duckdb

    return duckdb


def _connect(root: Path) -> duckdb.DuckDBPyConnection:
    """A connection that can read only inside the store and can never be reconfigured."""
    con = _duckdb().connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False,
                                    "threads": 2})
    con.execute("SET allowed_directories = $dirs", {"dirs": [str(root) + os.sep]})
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


class Store:
    """One store directory. Cheap to create; holds one locked-down DuckDB connection, made by the first read."""

    def __init__(self, root: str | Path | None = None):
        self.root = Path(root or settings.path("data_dir")).resolve()
        for sub in (SNAPSHOTS, ORIGINALS):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self.manifest = self.root / MANIFEST
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._connecting = threading.Lock()
        self._parsed: tuple[tuple, list[Entry]] = ((), [])
        self._repair_if_idle()

    @property
    def _con(self) -> duckdb.DuckDBPyConnection:
        """The connection, made once (under a lock: the web app shares one Store between sessions' threads)."""
        with self._connecting:
            if self._connection is None:
                self._connection = _connect(self.root)
            return self._connection

    # ------------------------------------------------------------------ manifest

    def entries(self) -> list[Entry]:
        """Every manifest entry that is a version of the data (upload, rollback, review), oldest first: what every
        reading, listing, rollback and compaction works on. The 督查通报's numbers are notices()."""
        return of_data(self._lines())

    def notices(self) -> list[Entry]:
        """The 督查通报 issued (their 期号), oldest first (docs/RULES.md "督查通报")."""
        return [e for e in self._lines() if e.kind == NOTICE]

    def _lines(self) -> list[Entry]:
        """Every manifest entry, oldest first; a partial last line (crash mid-append) is ignored."""
        try:
            with open(self.manifest, "rb") as f:
                st = os.fstat(f.fileno())
                key = (st.st_ino, st.st_size, st.st_mtime_ns)
                if self._parsed[0] == key:    # unchanged since the last parse: no need to parse again
                    return list(self._parsed[1])
                data = f.read()
        except FileNotFoundError:
            return []
        entries = parse(data)       # whole lines: the piece after the last newline is incomplete
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
        return state(self.entries(), at)

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
        for sub in (SNAPSHOTS, ORIGINALS, COMPACTED):
            for tmp in (self.root / sub).glob(".tmp-*"):
                tmp.unlink(missing_ok=True)

    def _append(self, make_entry) -> Entry:
        entries = self.entries()
        seq = max((e.seq for e in entries), default=0) + 1
        entry = make_entry(seq, entries)
        with open(self.manifest, "a", encoding="utf-8") as f:
            f.write(entry.line())
            f.flush()
            os.fsync(f.fileno())
        fsync_dir(self.root)
        return entry

    # ------------------------------------------------------------------ writes

    def add_snapshot(self, dataset: str, rows: pd.DataFrame, original: bytes, filename: str,
                     user: str = "", sample: bool = False) -> Entry:
        """Store accepted canonical rows and the original bytes as a new snapshot."""
        schema = _schema(get(dataset))
        with self._locked():
            def make(seq: int, _entries) -> Entry:
                sid = f"S{seq:05d}"
                shown, saved = original_name(sid, filename)
                table = snapshot_table(rows, schema, sid, seq)
                write_atomic(self.root / SNAPSHOTS / f"{sid}.parquet", parquet(table))
                write_atomic(self.root / ORIGINALS / saved, lambda p: p.write_bytes(original))
                fsync_dir(self.root / SNAPSHOTS)
                return Entry(id=sid, seq=seq, kind="upload", dataset=dataset, uploaded_at=now(), user=user,
                             file=shown, rows=len(rows), sha256=hashlib.sha256(original).hexdigest(), sample=sample,
                             original=saved)
            entry = self._append(make)
            try:
                compaction.compact_if_due(self, dataset)
            except (OSError, _duckdb().Error):   # evaluated only when something was raised
                pass    # the upload is stored; a compacted file is only a cache (the next upload tries again)
            return entry

    def is_current(self, entry_id: str, entries: list[Entry] | None = None) -> bool:
        """True when the state right after `entry_id` is the current state (the latest entry, or one a rollback has
        already restored): a rollback to it would change nothing."""
        entries = self.entries() if entries is None else entries
        return {e.id for e in state(entries, entry_id)} == {e.id for e in state(entries, None)}

    def rollback(self, entry_id: str, user: str = "") -> Entry:
        """Make the state right after `entry_id` current again, as a new entry; nothing is deleted. Refused (nothing
        recorded) when that state is already the current one."""
        with self._locked():
            def make(seq: int, entries: list[Entry]) -> Entry:
                if entry_id not in {e.id for e in entries}:
                    raise StoreError(f"没有编号为 {entry_id} 的快照")
                if self.is_current(entry_id, entries):
                    raise StoreError(ALREADY_CURRENT.format(entry_id))
                return Entry(id=f"S{seq:05d}", seq=seq, kind="rollback", dataset="", uploaded_at=now(),
                             user=user, file="", rows=0, sha256="", target=entry_id)
            return self._append(make)

    def review(self, target: str, unit: str, dataset: str, month: str, decision: str, reason: str = "",
               user: str = "") -> Entry:
        """Record the 督查室's decision on submission `target` (an upload) for a unit's month: approved, or returned
        with its reason. Appended like every entry: no one can edit or remove it."""
        if decision not in ("approved", "returned") or (decision == "returned") != bool(reason.strip()):
            raise StoreError("审核结果应为通过，或退回并写明理由")
        with self._locked():
            def make(seq: int, entries: list[Entry]) -> Entry:
                if target not in {e.id for e in entries if e.kind == "upload"}:
                    raise StoreError(f"没有编号为 {target} 的报送")
                return Entry(id=f"S{seq:05d}", seq=seq, kind="review", dataset=dataset, uploaded_at=now(), user=user,
                             file="", rows=0, sha256="", target=target, unit=unit, month=month, decision=decision,
                             reason=reason.strip())
            return self._append(make)

    def notice_number(self, plan: str, month: str, made_from: str, user: str = "") -> tuple[Entry, bool]:
        """The 期号 of the plan's 督查通报 for `month` (docs/RULES.md "督查通报"), and whether it was issued now: a month
        issued before keeps its number and nothing is written; a new month takes the highest number issued so far
        + 1, recorded (with who, when and `made_from`, the data version the document is made from) as a notice
        entry, under the lock, so two offices asking at once never get one number."""
        with self._locked():
            notices = self.notices()
            issued = next((e for e in notices if e.plan == plan and e.month == month), None)
            if issued is not None:
                return issued, False
            if made_from not in {e.id for e in self.entries()}:
                raise StoreError(f"没有编号为 {made_from} 的数据版本")
            number = next_number(notices)

            def make(_seq: int, _entries) -> Entry:
                return Entry(id=f"N{number:05d}", seq=0, kind=NOTICE, dataset="", uploaded_at=now(), user=user,
                             file="", rows=0, sha256="", target=made_from, month=month, number=number, plan=plan)
            return self._append(make), True

    # ------------------------------------------------------------------ reads

    def _query(self, sql: str, params: dict) -> pd.DataFrame:
        with self._con.cursor() as cur:
            return cur.sql(sql, params=params).to_arrow_table().to_pandas()

    def read(self, dataset: str, at: str | None = None, columns: tuple[str, ...] | None = None,
             equal: dict[str, str] | None = None, ordered: bool = True) -> pd.DataFrame:
        """The rows of a dataset as they stand after entry `at` (default: now); latest upload wins per key.
        columns: only these (they must include the key); equal: only rows whose column has that value ('' also
        matches a missing one); ordered=False: in no particular order (spares sorting a compacted ledger)."""
        base, loose = self.files(dataset, at)
        equal = equal or {}
        if not base and not loose:
            frame = empty_frame(dataset)
            return frame if columns is None else frame[list(columns)]
        params = {f"eq{i}": v for i, v in enumerate(equal.values())}
        if base and loose:
            shape, params = (dataset, columns, tuple(equal), True, ordered), {"base": base, "loose": loose, **params}
        else:
            shape, params = (dataset, columns, tuple(equal), False, True), {"files": base + loose, **params}
        return self._query(QUERIES[shape], params)

    def read_arrow(self, dataset: str, base: list[str], loose: list[str]) -> pa.Table:
        """Latest-wins rows of these files as Arrow, unordered (what a compaction writes)."""
        shape = (dataset, None, (), bool(base and loose), False)
        params = {"base": base, "loose": loose} if base and loose else {"files": base + loose}
        with self._con.cursor() as cur:
            return cur.sql(QUERIES[shape], params=params).to_arrow_table()

    def read_for_status(self, at: str | None = None) -> dict[str, pd.DataFrame]:
        """What the status rule reads after entry `at`: each dataset declared to feed it, read as declared
        (datasets.StatusRead: the indicators' park-wide rows, four columns of the ledger)."""
        out = {}
        for name in status_inputs():
            how = get(name).status
            out[name] = self.read(name, at, columns=how.columns, equal=dict(how.equal) or None, ordered=how.ordered)
        return out

    def first_uploads(self, dataset: str, at: str | None = None) -> pd.DataFrame:
        """Each key of a dataset with the upload that first brought it (its keys and `uploaded_at`), in the state after
        entry `at`. Reads every upload's own file (a compacted file keeps only the latest rows)."""
        uploads = [e for e in state(self.entries(), at) if e.dataset == dataset]
        if not uploads:
            return pd.DataFrame(columns=[*get(dataset).keys, "uploaded_at"])
        frame = self._query(FIRST[dataset], {"files": [str(self.root / SNAPSHOTS / f"{e.id}.parquet") for e in uploads]})
        when = {e.seq: e.uploaded_at for e in uploads}
        return frame.assign(uploaded_at=[when[s] for s in frame["seq"]]).drop(columns="seq")

    def periods(self, at: str | None = None, datasets: tuple[str, ...] | None = None) -> list[str]:
        """Every period that has data in those datasets after entry `at`, latest first (by default the months a
        reading can be as of: the datasets declared `months`)."""
        datasets = month_sources() if datasets is None else datasets
        files = [f for d in datasets for f in sum(self.files(d, at), [])]
        return self._query(READ_PERIODS, {"files": files})["period"].dropna().tolist() if files else []

    def files(self, dataset: str, at: str | None = None) -> tuple[list[str], list[str]]:
        """The files that hold a dataset's state after entry `at`: the newest compacted file made only of
        uploads in that state (none or one), and the snapshot files of the state's other uploads of the dataset."""
        entries = self.entries()
        uploads = [e for e in state(entries, at) if e.dataset == dataset]
        covered, base = compaction.newest_usable(self.root, entries, dataset, {e.id for e in uploads})
        return base, [str(self.root / SNAPSHOTS / f"{e.id}.parquet") for e in uploads if e.id not in covered]

    def read_snapshot(self, entry_id: str) -> pd.DataFrame:
        """The rows of one upload exactly as it was accepted."""
        e = self.entry(entry_id)
        if e.kind != "upload":
            raise StoreError(f"{entry_id} 是一次回滚，没有自己的数据行")
        return self._query(READ_SNAPSHOT, {"file": str(self.root / SNAPSHOTS / f"{e.id}.parquet")})

    def read_original(self, entry_id: str) -> bytes:
        """The file exactly as it was uploaded."""
        e = self.entry(entry_id)
        if not e.original:
            raise StoreError(f"{entry_id} 没有原始文件")
        return (self.root / ORIGINALS / e.original).read_bytes()


def _schema(ds: Dataset) -> pa.Schema:
    """The stored columns of a dataset, then snapshot_id and seq."""
    return pa.schema([(c, _ARROW[t]) for c, t in ds.columns.items()] + [("snapshot_id", pa.string()),
                                                                        ("seq", pa.int64())])


def empty_frame(dataset: str) -> pd.DataFrame:
    """A frame with the dataset's stored columns and no rows."""
    return _schema(get(dataset)).empty_table().to_pandas()
