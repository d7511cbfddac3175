"""Backup and restore: a backup restored into an empty directory gives the same status; a damaged or hostile
archive is refused and leaves the target empty; a backup taken while analysts upload is consistent."""

import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from cnpark.store.backup import backup, restore
from cnpark.store.snapshots import Store, StoreError

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, ok: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "cnpark", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert (done.returncode == 0) == ok, done.stdout + done.stderr
    return done


def status(store: Path, as_of: str) -> dict:
    return json.loads(cli("--data-dir", str(store), "status", "--as-of", as_of, "--format", "json").stdout)


def is_empty(store: Path) -> bool:
    return not (store / "manifest.jsonl").exists() and not [p for p in store.rglob("*") if p.is_file()
                                                             and p.name != ".lock"]


def test_restore_into_an_empty_directory_gives_the_same_status(demo_store, tmp_path):
    archive, target = tmp_path / "备份.tar.gz", tmp_path / "restored"
    # the eight files of data/sample/, one entry each
    assert "8 条记录" in cli("--data-dir", str(demo_store), "backup", "--out", str(archive)).stdout
    assert "已恢复：8 条记录" in cli("--data-dir", str(target), "restore", str(archive)).stdout
    for month in ("2023-12", "2024-06", "2025-12"):
        assert status(target, month) == status(demo_store, month)
    snapshots = ["--format", "json"]
    assert (cli("--data-dir", str(target), "snapshots", *snapshots).stdout
            == cli("--data-dir", str(demo_store), "snapshots", *snapshots).stdout)
    for e in Store(demo_store).entries():
        assert (target / "originals" / e.original).read_bytes() == (demo_store / "originals" / e.original).read_bytes()
    assert not list(target.glob(".tmp-*"))


def test_restore_refuses_a_store_that_has_data(demo_store, tmp_path):
    archive, target = tmp_path / "b.tar.gz", tmp_path / "t"
    backup(Store(demo_store), archive)
    cli("--data-dir", str(target), "ingest", str(ROOT / "tests" / "files" / "cli_capacity_first_upload.csv"))
    before = (target / "manifest.jsonl").read_bytes()
    assert "不是空的" in cli("--data-dir", str(target), "restore", str(archive), ok=False).stderr
    assert (target / "manifest.jsonl").read_bytes() == before


def _rewrite(archive: Path, out: Path, change) -> None:
    """Copy a backup, letting change(name, data) alter or drop (None) each member, or add members."""
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for m in src.getmembers():
            data = change(m.name, src.extractfile(m).read())
            if data is not None:
                info = tarfile.TarInfo(m.name)
                info.size = len(data)
                dst.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize("case, message", [
    ("original_changed", "sha256 不符"),
    ("snapshot_missing", "备份不完整"),
    ("snapshot_damaged", "数据文件已损坏"),
    ("sums_missing", "不是本系统生成的完整备份"),
    ("manifest_garbage", "manifest.jsonl 无法读取"),
    ("not_an_archive", "无法读取备份文件"),
])
def test_a_damaged_backup_is_refused_and_writes_nothing(demo_store, tmp_path, case, message):
    good, bad, target = tmp_path / "good.tar.gz", tmp_path / "bad.tar.gz", tmp_path / "target"
    backup(Store(demo_store), good)
    if case == "not_an_archive":
        bad.write_bytes(good.read_bytes()[:200])
    else:
        def change(name: str, data: bytes):
            if case == "original_changed" and name.startswith("originals/S00002"):
                return data.replace(b"2023", b"2033", 1)
            if case == "snapshot_missing" and name == "snapshots/S00003.parquet":
                return None
            if case == "snapshot_damaged" and name == "snapshots/S00003.parquet":
                return data[:100] + b"\0" * 50 + data[150:]
            if case == "sums_missing" and name == "SHA256SUMS":
                return None
            if case == "manifest_garbage" and name == "manifest.jsonl":
                return data + b'{"id": "S9", "oops"\n'
            return data
        _rewrite(good, bad, change)
    store = Store(target)
    with pytest.raises(StoreError, match=message):
        restore(bad, store)
    assert is_empty(target) and store.entries() == []
    assert not list(target.glob(".tmp-*"))


@pytest.mark.parametrize("name", ["../escaped.txt", "/tmp/absolute.txt", "snapshots/../../x.parquet",
                                  "originals/S00001.csv/../../y", "notes.txt"])
def test_an_archive_with_foreign_paths_is_refused(demo_store, tmp_path, name):
    good, bad, target = tmp_path / "good.tar.gz", tmp_path / "bad.tar.gz", tmp_path / "deep" / "target"
    backup(Store(demo_store), good)
    with tarfile.open(good) as src, tarfile.open(bad, "w:gz") as dst:
        for m in src.getmembers():
            dst.addfile(m, src.extractfile(m))
        info = tarfile.TarInfo(name)
        info.size = 4
        dst.addfile(info, io.BytesIO(b"evil"))
    with pytest.raises(StoreError, match="不应出现的内容"):
        restore(bad, Store(target))
    assert is_empty(target)
    assert not list(tmp_path.rglob("escaped.txt")) and not Path("/tmp/absolute.txt").exists()


def test_a_symlink_in_the_archive_is_refused(demo_store, tmp_path):
    bad, target = tmp_path / "bad.tar.gz", tmp_path / "target"
    with tarfile.open(bad, "w:gz") as dst:
        info = tarfile.TarInfo("manifest.jsonl")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        dst.addfile(info)
    with pytest.raises(StoreError, match="不应出现的内容"):
        restore(bad, Store(target))
    assert is_empty(target)


WRITER = """
import sys
from cnpark.plan.catalog import load_catalog
from cnpark.service.uploads import ingest_bytes
from cnpark.store.snapshots import Store
catalog = load_catalog()
for i in range(40):
    ingest_bytes(Store(sys.argv[1]), catalog, f"指标,期间,数值,单位\\n多晶硅产能,2024-06,{i},吨\\n".encode(), f"{i}.csv")
"""


def test_backups_taken_during_uploads_restore_cleanly(tmp_path):
    source = tmp_path / "source"
    Store(source)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(source)], cwd=ROOT)
    counts = []
    try:
        while writer.poll() is None:
            n = len(counts)
            entries = backup(Store(source), tmp_path / f"b{n}.tar.gz")
            restored = restore(tmp_path / f"b{n}.tar.gz", Store(tmp_path / f"r{n}"))
            assert [e.id for e in restored] == [e.id for e in entries]
            # the restored state is exactly the one the backup saw: its last upload's value wins
            values = Store(tmp_path / f"r{n}").read("indicators")["value"].tolist()
            assert values == ([float(len(entries) - 1)] if entries else [])
            counts.append(len(entries))
    finally:
        assert writer.wait(timeout=120) == 0
    assert len(counts) >= 2 and counts == sorted(counts)
