"""An upload that changes nothing is not stored, and a rollback to the state already current is not recorded
(issue 20): the service, the store, the command line and the 数据上传 page say so in one sentence."""

from pathlib import Path

import pytest
from test_cli import cnpark, snapshots
from test_upload_page import PASSWORD, signed_in

from cnpark.auth import hash_password
from cnpark.service.uploads import SAME_AS_CURRENT, check_upload, commit_upload, ingest_bytes
from cnpark.store.snapshots import Store, StoreError

FILES = Path(__file__).parent / "files"
FIRST = FILES / "cli_capacity_first_upload.csv"        # 多晶硅产能 2022-12: 50000 吨, 2024-06: 10 万吨
CORRECTION = FILES / "cli_capacity_correction.csv"     # 多晶硅产能 2024-06: 150000 吨
pytestmark = pytest.mark.usefixtures("fresh_caches")


@pytest.fixture(scope="module")
def password_hash():
    return hash_password(PASSWORD, iterations=1000)


def tree(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_an_upload_equal_to_the_current_data_changes_nothing_and_is_not_stored(tmp_path, catalog):
    store = Store(tmp_path)
    ingest_bytes(store, catalog, FIRST.read_bytes(), "a.csv")
    before = tree(tmp_path)
    upload = check_upload(store, catalog, FIRST.read_bytes(), "again.csv")
    assert upload.ok and upload.same and not upload.can_commit and upload.preview is None
    with pytest.raises(ValueError):
        commit_upload(store, upload, "张三")
    assert ingest_bytes(store, catalog, FIRST.read_bytes(), "again.csv")[1] is None
    # the same figures written differently (吨 for 万吨, another order, a title line) are the same data too
    same = "多晶硅产能 2024年\n指标,期间,数值,单位\n多晶硅产能,2024-06,100000,吨\n多晶硅产能,2022-12,5,万吨\n"
    assert check_upload(store, catalog, same.encode(), "b.csv").same
    assert tree(tmp_path) == before


def test_one_new_or_different_figure_is_a_change(tmp_path, catalog):
    store = Store(tmp_path)
    ingest_bytes(store, catalog, FIRST.read_bytes(), "a.csv")
    assert not check_upload(store, catalog, CORRECTION.read_bytes(), "b.csv").same        # 10 万吨 → 150000 吨
    more = "指标,期间,数值,单位\n多晶硅产能,2022-12,50000,吨\n多晶硅产能,2024-07,100000,吨\n"
    assert not check_upload(store, catalog, more.encode(), "c.csv").same                  # 2024-07 is new
    assert not check_upload(Store(tmp_path / "empty"), catalog, FIRST.read_bytes(), "a.csv").same


def test_a_ledger_with_blank_cells_uploaded_twice(tmp_path, catalog):
    # debt_ledger.csv has blank 备注 and a "—" (missing) 本期新增: blanks equal blanks
    store = Store(tmp_path)
    assert ingest_bytes(store, catalog, (FILES / "debt_ledger.csv").read_bytes(), "d.csv")[1] is not None
    assert check_upload(store, catalog, (FILES / "debt_ledger.csv").read_bytes(), "d.csv").same


def test_the_command_line_says_so_and_stores_nothing(tmp_path):
    assert cnpark(tmp_path, "ingest", FIRST)[0] == 0
    code, out, err = cnpark(tmp_path, "ingest", FIRST)
    assert (code, err) == (0, "")
    assert out.strip() == f"{SAME_AS_CURRENT}：cli_capacity_first_upload.csv 的 2 行与当前数据完全相同，未写入任何内容"
    assert [e["id"] for e in snapshots(tmp_path)] == ["S00001"]


def test_a_rollback_to_the_current_state_is_refused(tmp_path, catalog):
    store = Store(tmp_path)
    a = ingest_bytes(store, catalog, FIRST.read_bytes(), "a.csv")[1]
    b = ingest_bytes(store, catalog, CORRECTION.read_bytes(), "b.csv")[1]
    assert store.is_current(b.id) and not store.is_current(a.id)
    with pytest.raises(StoreError, match=f"^当前数据已经是 {b.id} 入库后的状态，回滚不会改变任何数据，未作记录$"):
        store.rollback(b.id)
    r = store.rollback(a.id)
    assert store.is_current(a.id) and store.is_current(r.id) and not store.is_current(b.id)
    before = tree(tmp_path)
    for again in (a.id, r.id):         # the restored snapshot, and the rollback entry itself
        with pytest.raises(StoreError):
            store.rollback(again)
    assert tree(tmp_path) == before


def test_the_command_line_refuses_a_rollback_to_the_current_state(tmp_path):
    cnpark(tmp_path, "ingest", FIRST)
    cnpark(tmp_path, "ingest", CORRECTION)
    code, out, err = cnpark(tmp_path, "rollback", "S00002")
    assert (code, out) == (1, "")
    assert err.strip() == "错误：当前数据已经是 S00002 入库后的状态，回滚不会改变任何数据，未作记录"
    assert [e["id"] for e in snapshots(tmp_path)] == ["S00001", "S00002"]


def test_the_page_offers_no_commit_for_an_identical_upload(monkeypatch, tmp_path, password_hash, catalog):
    ingest_bytes(Store(tmp_path), catalog, FIRST.read_bytes(), "a.csv")
    at = signed_in(monkeypatch, tmp_path, password_hash)
    at.file_uploader[0].upload("again.csv", FIRST.read_bytes(), "text/csv")
    at = at.run()
    assert not at.exception and not at.error
    assert [i.value for i in at.info if SAME_AS_CURRENT in i.value] == [
        "与当前数据相同，无需入库：文件中的 2 行与当前数据完全相同。"]
    assert "确认入库" not in [b.label for b in at.button]
    assert [e.id for e in Store(tmp_path).entries()] == ["S00001"]


def test_the_page_refuses_a_rollback_to_the_current_state(monkeypatch, tmp_path, password_hash, catalog):
    store = Store(tmp_path)
    ingest_bytes(store, catalog, FIRST.read_bytes(), "a.csv")
    ingest_bytes(store, catalog, CORRECTION.read_bytes(), "b.csv")
    at = signed_in(monkeypatch, tmp_path, password_hash)              # the latest snapshot is chosen first
    assert at.selectbox(key="history_entry").value == "S00002"
    assert "当前数据已经是 S00002 入库后的状态，回滚不会改变任何数据，未作记录。请选择其他快照。" in [i.value for i in at.info]
    assert at.checkbox(key="rollback_confirm").disabled
    assert next(b for b in at.button if b.label == "回滚").disabled
    at.selectbox(key="history_entry").select("S00001")
    at = at.run()
    assert not any("回滚不会改变任何数据" in i.value for i in at.info)
    assert not at.checkbox(key="rollback_confirm").disabled
    assert len(Store(tmp_path).entries()) == 2
