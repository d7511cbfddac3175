"""The 数据上传 page through AppTest: sign-in, check, preview, commit, rejection, rollback."""

from pathlib import Path

import pytest

from cnpark.auth import hash_password
from cnpark.store.datasets import DATASET_NAMES
from cnpark.store.snapshots import Store
from tests.conftest import app_test, drawn_specs

ROOT = Path(__file__).resolve().parent.parent
FILES = ROOT / "tests" / "files"
PASSWORD = "测试口令-2025"
pytestmark = pytest.mark.usefixtures("fresh_caches")


@pytest.fixture(scope="module")
def password_hash():
    return hash_password(PASSWORD, iterations=1000)


def upload_page(monkeypatch, store_dir, accounts=None):
    return app_test(monkeypatch, store_dir, "pages/upload.py",
                    secrets=None if accounts is None else {"accounts": accounts})


def signed_in(monkeypatch, store_dir, password_hash):
    at = upload_page(monkeypatch, store_dir, {"zhangsan": {"name": "张三", "password_hash": password_hash}})
    at.text_input[0].input("zhangsan")
    at.text_input[1].input(PASSWORD)
    at = at.get("form_submit_button")[0].click().run()
    assert not at.exception and at.file_uploader, [e.value for e in at.error]
    return at


def test_without_accounts_nothing_can_be_uploaded(monkeypatch, tmp_path):
    at = upload_page(monkeypatch, tmp_path)
    assert not at.exception
    assert any("尚未配置分析人员账号" in w.value for w in at.warning)
    assert len(at.file_uploader) == 0
    assert len(at.download_button) == 10          # the templates are for everyone: 5 datasets × CSV and Excel


def test_wrong_password_is_refused_and_slows_down(monkeypatch, tmp_path, password_hash):
    at = upload_page(monkeypatch, tmp_path, {"zhangsan": {"name": "张三", "password_hash": password_hash}})
    for _ in range(4):
        at.text_input[0].input("zhangsan")
        at.text_input[1].input("不是这个")
        at.get("form_submit_button")[0].click()
        at = at.run()
        assert len(at.file_uploader) == 0
    # three failures are free (0, 0, 0 s); after the third the next attempt must wait (backoff 1 s)
    assert any("请" in e.value and "秒后再试" in e.value for e in at.error)


def test_good_file_preview_commit_and_the_gauge_shows_it(monkeypatch, tmp_path, password_hash):
    at = signed_in(monkeypatch, tmp_path, password_hash)
    at.file_uploader[0].upload("first.csv", (FILES / "cli_capacity_first_upload.csv").read_bytes(), "text/csv")
    at = at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["可导入记录"] == "2" and metrics["问题"] == "0"
    assert any("多晶硅产能：万吨 → 吨（×10000）" in i.value for i in at.info)      # 10 万吨 in the file
    figures, flips = (d.value for d in at.dataframe)     # the parsed rows are drawn when their box is opened
    assert figures["新值"].tolist() == ["50,000", "100,000"] and set(figures["提示"]) == {"新增"}
    # as of 2024-06 the capacity was unknown; after: (100000 − 50000)/(250000 − 50000) = 0.25 < 18/36 − 0.1
    assert flips.values.tolist() == [["多晶硅产能", "2025-12", "无数据", "严重滞后"]]
    confirm = next(b for b in at.button if b.label == "确认入库")
    assert not confirm.disabled
    at = confirm.click().run()
    assert any("已入库：快照 S00001" in s.value for s in at.success)
    entries = Store(tmp_path).entries()
    assert [(e.id, e.user, e.file, e.rows) for e in entries] == [("S00001", "张三", "first.csv", 2)]

    overview = app_test(monkeypatch, tmp_path, as_of="2024-06")
    texts = [s["description"] for s in drawn_specs(overview)]
    assert any(t.startswith("多晶硅产能：40.0%") and "100,000 吨" in t for t in texts)   # 100,000 / 250,000


def test_bad_file_lists_every_problem_and_stores_nothing(monkeypatch, tmp_path, password_hash):
    at = signed_in(monkeypatch, tmp_path, password_hash)
    at.file_uploader[0].upload("bad.csv", (FILES / "cli_bad_rows.csv").read_bytes(), "text/csv")
    at = at.run()
    assert not at.exception
    problems = at.dataframe[0].value
    assert problems["行"].tolist() == ["3", "4", "5"]
    assert problems["原因"].tolist()[1] == "不是数字"
    assert next(b for b in at.button if b.label == "确认入库").disabled
    assert any(d.label.startswith("下载问题清单") for d in at.download_button)
    assert Store(tmp_path).entries() == []


def test_gbk_file_with_a_title_row(monkeypatch, tmp_path, password_hash):
    at = signed_in(monkeypatch, tmp_path, password_hash)
    at.file_uploader[0].upload("gbk.csv", (FILES / "gbk_excel_crlf.csv").read_bytes(), "text/csv")
    at = at.run()
    assert not at.exception and any("GB18030" in c.value for c in at.caption)
    assert not next(b for b in at.button if b.label == "确认入库").disabled


def test_rollback_needs_confirmation(monkeypatch, tmp_path, password_hash, catalog):
    from cnpark.service.uploads import ingest_bytes
    store = Store(tmp_path)
    ingest_bytes(store, catalog, (FILES / "cli_capacity_first_upload.csv").read_bytes(), "a.csv")
    ingest_bytes(store, catalog, (FILES / "cli_capacity_correction.csv").read_bytes(), "b.csv")
    at = signed_in(monkeypatch, tmp_path, password_hash)
    at.selectbox(key="history_entry").select("S00001")
    at = at.run()
    rollback = next(b for b in at.button if b.label == "回滚")
    assert rollback.disabled                                   # not before the confirmation
    at.checkbox(key="rollback_confirm").check()
    at = at.run()
    at = next(b for b in at.button if b.label == "回滚").click().run()
    assert not at.exception
    entries = Store(tmp_path).entries()
    assert (entries[-1].kind, entries[-1].target, entries[-1].user) == ("rollback", "S00001", "张三")
    assert Store(tmp_path).read("indicators").query("period == '2024-06'")["value"].tolist() == [100_000.0]


def test_a_confirmation_is_for_one_snapshot_only(monkeypatch, tmp_path, password_hash, catalog):
    from cnpark.service.uploads import ingest_bytes
    store = Store(tmp_path)
    ingest_bytes(store, catalog, (FILES / "cli_capacity_first_upload.csv").read_bytes(), "a.csv")
    ingest_bytes(store, catalog, (FILES / "cli_capacity_correction.csv").read_bytes(), "b.csv")
    ingest_bytes(store, catalog, (FILES / "cli_capacity_first_upload.csv").read_bytes(), "c.csv")
    at = signed_in(monkeypatch, tmp_path, password_hash)
    at.selectbox(key="history_entry").select("S00002")     # S00003, the current state, cannot be rolled back to
    at = at.run()
    at.checkbox(key="rollback_confirm").check()
    at = at.run()
    at.selectbox(key="history_entry").select("S00001")
    at = at.run()
    assert not at.checkbox(key="rollback_confirm").value
    assert next(b for b in at.button if b.label == "回滚").disabled


def test_upload_page_on_an_empty_store_has_no_empty_store_hint(monkeypatch, tmp_path):
    at = upload_page(monkeypatch, tmp_path)
    assert not any("数据仓库为空" in i.value for i in at.info)


def test_a_figure_only_another_plan_knows_is_accepted_on_this_plans_page(monkeypatch, tmp_path, password_hash):
    """The page shows the ended Changning plan; the file brings the fictional park's figures (tests/files/plans/):
    read with every loaded plan's names, previewed under their own names, stored, and no Changning goal moves."""
    plans = FILES / "plans"
    monkeypatch.setenv("CNPARK_PLANS", str(plans))
    at = app_test(monkeypatch, tmp_path, "pages/upload.py", plan="changning-2023-2025",
                  secrets={"accounts": {"zhangsan": {"name": "张三", "password_hash": password_hash}}})
    at.text_input[0].input("zhangsan")
    at.text_input[1].input(PASSWORD)
    at = at.get("form_submit_button")[0].click().run()
    at.file_uploader[0].upload("qs.csv", (plans / "fixture-qingshan-indicators.csv").read_bytes(), "text/csv")
    at = at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["可导入记录"] == "9" and metrics["问题"] == "0"        # nine rows in the file, none refused
    assert len(at.dataframe) == 1                    # the figures (the rows when asked); no table of status changes
    figures = at.dataframe[0].value
    assert set(figures["指标"]) == {"青山园区税收收入", "青山园区土地利用率", "青山园区污水处理厂建成投运"}
    assert not any("目标的状态将改变" in w.value for w in at.warning)
    at = next(b for b in at.button if b.label == "确认入库").click().run()
    assert any("已入库：快照 S00001" in s.value for s in at.success)


UNIT = "县自然资源局"
TASKS = "任务,责任单位,期间,完成状态,进展情况,存在问题,下步打算\n"


def unit_signed_in(monkeypatch, store_dir, password_hash, entry=None):
    at = upload_page(monkeypatch, store_dir, {"zrzy": entry or {"role": "unit", "unit": UNIT, "password_hash": password_hash}})
    at.text_input[0].input("zrzy")
    at.text_input[1].input(PASSWORD)
    return at.get("form_submit_button")[0].click().run()


def test_a_units_account_reports_only_its_own_rows(monkeypatch, tmp_path, password_hash):
    at = unit_signed_in(monkeypatch, tmp_path, password_hash)
    assert not at.exception and at.file_uploader
    assert any(f"责任单位 {UNIT}" in c.value for c in at.caption)
    # it picks among its own reports only: no debt ledger, no enterprise list
    datasets = next(s for s in at.selectbox if s.label == "数据集")
    assert datasets.options == ["按列名自动识别", *(DATASET_NAMES[d] for d in ("indicators", "tasks", "projects"))]
    # a file with another unit's row: refused whole, the row and the unit named, nothing to confirm
    at.file_uploader[0].upload("mine.csv", (TASKS + f"第5条,{UNIT},2025-06,推进中,,,\n"
                                            "第5条,县发展改革局,2025-06,已完成,,,\n").encode(), "text/csv")
    at = at.run()
    assert {m.label: m.value for m in at.metric}["问题"] == "1"
    problems = at.dataframe[0].value
    assert problems.values.tolist()[0][:2] == ["3", "责任单位"] and "不是县自然资源局的行" in problems.values.tolist()[0][-1]
    assert not any(b.label == "确认入库" and not b.disabled for b in at.button)
    assert Store(tmp_path).entries() == []
    # its own row: stored, with the unit as the author; no rollback for a unit's account
    at.file_uploader[0].upload("own.csv", (TASKS + f"第5条,{UNIT},2025-06,推进中,报批中,,\n").encode(), "text/csv")
    at = at.run()
    at = next(b for b in at.button if b.label == "确认入库").click().run()
    assert [(e.user, e.dataset, e.rows) for e in Store(tmp_path).entries()] == [(UNIT, "tasks", 1)]
    assert not any(b.label == "回滚" for b in at.button)


def test_a_unit_account_without_its_unit_signs_no_one_in(monkeypatch, tmp_path, password_hash):
    at = unit_signed_in(monkeypatch, tmp_path, password_hash, {"role": "unit", "password_hash": password_hash})
    assert len(at.file_uploader) == 0 and any("账号或密码不正确" in e.value for e in at.error)
