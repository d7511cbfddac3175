"""Compaction: a read opens one Parquet file per upload of the dataset in its state, and DuckDB's cost grows with the
number of files (docs/PERFORMANCE.md, "Performance at scale" has the figures). So when an
upload leaves more than COMPACT_AFTER files of its dataset outside the newest usable compacted file, the writer,
still under the lock and after the manifest line is written, also writes the latest-wins rows of the new state into

    compacted/indicators@S04951-3f2a9c0d1e7b.parquet   the latest-wins rows of a dataset in the state right after
                                                        entry S04951 (the suffix fingerprints that manifest line)

(temporary file, fsync, rename). Rows keep their snapshot_id and seq, so latest-wins over "compacted file + later
uploads" is the same as over all the uploads. A read uses the newest compacted file whose uploads are all in the
state it reads (for any earlier entry, or after a rollback, that is an older one or none) plus the files of the
uploads not in it: history stays readable, each read opens at most ~COMPACT_AFTER + 1 files.

Snapshot files are never rewritten or deleted; compacted files are a cache that nothing else refers to: deleting
compacted/ only makes reads slower, a compaction that fails (disk full) does not fail the upload that is already in
the manifest, a crash while compacting leaves a temporary file the next writer removes, and backups leave them out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import pyarrow as pa

from cnpark.store.manifest import COMPACTED, Entry, fsync_dir, parquet, state, write_atomic

COMPACT_AFTER = 50     # uploads of a dataset a read may open beside one compacted file


class Reads(Protocol):
    """What a compaction needs of the store (store.Store): its folder, its entries, a dataset's files, their rows."""
    root: Path

    def entries(self) -> list[Entry]: ...

    def files(self, dataset: str, at: str | None = None) -> tuple[list[str], list[str]]: ...

    def read_arrow(self, dataset: str, base: list[str], loose: list[str]) -> pa.Table: ...


def newest_usable(root: Path, entries: list[Entry], dataset: str, ids: set[str]) -> tuple[set[str], list[str]]:
    """(the uploads it holds, [its path]) of the newest compacted file of `dataset` made only of uploads in `ids`;
    (set(), []) when there is none. Files whose name does not match a line of this manifest are not used."""
    by_id = {e.id: (i, e) for i, e in enumerate(entries)}
    found = []
    for path in (root / COMPACTED).glob(f"{dataset}@*.parquet"):
        entry_id, _, tag = path.stem.partition("@")[2].partition("-")
        if entry_id in by_id and tag == by_id[entry_id][1].fingerprint:
            found.append((by_id[entry_id][0], entry_id, path))
    for _, entry_id, path in sorted(found, reverse=True):
        members = {e.id for e in state(entries, entry_id) if e.dataset == dataset}
        if members <= ids:
            return members, [str(path)]
    return set(), []


def compact_if_due(store: Reads, dataset: str) -> None:
    """Under the lock, after an upload: fold the dataset's current state into one compacted file when a read would
    otherwise open more than COMPACT_AFTER snapshot files."""
    base, loose = store.files(dataset)
    if len(loose) <= COMPACT_AFTER:
        return
    # Unordered: sorting a million rows of every column doubled the peak; a read sorts.
    table = store.read_arrow(dataset, base, loose)
    last = store.entries()[-1]
    folder = store.root / COMPACTED
    folder.mkdir(exist_ok=True)
    write_atomic(folder / f"{dataset}@{last.id}-{last.fingerprint}.parquet", parquet(table))
    fsync_dir(folder)
