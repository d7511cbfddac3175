"""Backing up a store to one .tar.gz and restoring it into an empty store, checked file by file.

A backup needs no pause: snapshot and original files never change once written and the manifest only
grows, so the complete manifest lines read first, plus the files they name, are a consistent state even
while analysts upload. A restore reads nothing it has not checked: only the store's own file names are
accepted, every original must match its sha256 and every snapshot its row count, and the manifest is
put in place last, so an interrupted restore leaves an empty store, never a half.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq

from cnpark.store.manifest import ENTRY_FILE, MANIFEST, ORIGINALS, SNAPSHOTS, Entry, StoreError, complete, parse
from cnpark.store.snapshots import Store

SUMS = "SHA256SUMS"


def default_name() -> str:
    return f"cnpark-backup-{datetime.now():%Y%m%d-%H%M%S}.tar.gz"


def backup(store: Store, out: Path) -> list[Entry]:
    """Write every entry of the store, with its files, to `out` (a .tar.gz, written atomically)."""
    manifest = complete(store.manifest.read_bytes() if store.manifest.exists() else b"")   # a writer may append
    entries = parse(manifest)
    out = Path(out)
    tmp = out.with_name(f".tmp-{os.getpid()}-{out.name}")
    try:
        with tarfile.open(tmp, "w:gz") as tar:
            _add(tar, MANIFEST, manifest)
            sums = []
            for e in entries:
                for name in e.files:
                    data = (store.root / name).read_bytes()
                    sums.append(f"{hashlib.sha256(data).hexdigest()}  {name}\n")
                    _add(tar, name, data)
            _add(tar, SUMS, "".join(sums).encode())
        os.chmod(tmp, 0o600)                            # it holds every uploaded file: readable by its owner only
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return entries


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(datetime.now().timestamp()), 0o644
    tar.addfile(info, io.BytesIO(data))


def restore(archive: Path, store: Store) -> list[Entry]:
    """Put a backup into an empty store; raises StoreError (in Chinese) and changes nothing when anything is off."""
    if store.entries() or any(any((store.root / sub).iterdir()) for sub in (SNAPSHOTS, ORIGINALS)):
        raise StoreError(f"目标数据仓库 {store.root} 不是空的；恢复只能写入空目录，以免覆盖现有数据")
    for stale in store.root.glob(".tmp-restore-*"):      # left by a restore that was killed
        shutil.rmtree(stale, ignore_errors=True)
    with store._locked(), tempfile.TemporaryDirectory(dir=store.root, prefix=".tmp-restore-") as tmp:
        work = Path(tmp)
        entries = _unpack(Path(archive), work)
        for e in entries:
            for name in e.files:
                os.replace(work / name, store.root / name)
        with open(work / MANIFEST, "rb") as f:
            os.fsync(f.fileno())
        os.replace(work / MANIFEST, store.manifest)   # last: until now the store was still empty
    return entries


def _unpack(archive: Path, work: Path) -> list[Entry]:
    try:
        tar = tarfile.open(archive, "r:gz")
    except (OSError, tarfile.TarError, EOFError) as e:
        raise StoreError(f"无法读取备份文件 {archive.name}：{e}") from e
    with tar:
        try:
            members = tar.getmembers()
            for m in members:
                if not (m.isfile() and (m.name in (MANIFEST, SUMS) or ENTRY_FILE.match(m.name))):
                    raise StoreError(f"备份文件中有不应出现的内容：{m.name}（只接受本系统生成的备份）")
            tar.extractall(work, members=members, filter="data")
        except (OSError, tarfile.TarError, EOFError) as e:
            raise StoreError(f"无法读取备份文件 {archive.name}：文件已损坏（{e}）") from e
    if not (work / MANIFEST).exists() or not (work / SUMS).exists():
        raise StoreError(f"备份文件中没有 {MANIFEST} 或 {SUMS}，不是本系统生成的完整备份")
    sums = dict(reversed(line.split("  ", 1)) for line in (work / SUMS).read_text().splitlines() if line)
    try:
        entries = parse((work / MANIFEST).read_bytes())
    except (ValueError, TypeError) as e:
        raise StoreError(f"备份中的 manifest.jsonl 无法读取：{e}") from e
    for e in entries:
        if e.kind != "upload":
            continue
        if not all(ENTRY_FILE.match(name) for name in e.files):
            raise StoreError(f"备份中快照 {e.id} 的文件名不是本系统的格式：{'、'.join(e.files)}")
        snapshot, original = (work / name for name in e.files)
        if not original.exists() or not snapshot.exists():
            raise StoreError(f"备份不完整：缺少快照 {e.id} 的文件")
        if hashlib.sha256(original.read_bytes()).hexdigest() != e.sha256:
            raise StoreError(f"备份中快照 {e.id} 的原始文件与记录的 sha256 不符")
        if hashlib.sha256(snapshot.read_bytes()).hexdigest() != sums.get(e.files[0]):
            raise StoreError(f"备份中快照 {e.id} 的数据文件已损坏（与 SHA256SUMS 不符）")
        try:
            rows = pq.read_table(snapshot).num_rows
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise StoreError(f"备份中快照 {e.id} 的数据文件已损坏：{exc}") from exc
        if rows != e.rows:
            raise StoreError(f"备份中快照 {e.id} 的行数为 {rows}，记录为 {e.rows}")
    return entries
