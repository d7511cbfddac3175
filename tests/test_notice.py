"""督查通报 (cnpark/outputs/notice.py; docs/RULES.md "督查通报"): a month's notice reopened with python-docx, worked out
by hand on a small plan and store built here — four units, one on time, one late, one not reported, one returned
with its reason; a task behind since April; a project stalled since its planned start passed. Its 期号 is the store's:
one series by issue order, a month issued before keeps its number, two processes asking at once never share one, and
a notice entry is no version of the data (every listing, reading, rollback and backup treats it so). The CLI and the
督办 page's download too. Real Parquet files and DuckDB in a temp directory."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX

from cnpark.auth import hash_password
from cnpark.outputs import notice
from cnpark.outputs.exports import history_frame
from cnpark.plan.catalog import load_catalog
from cnpark.service.readings import Readings
from cnpark.service.review import decide
from cnpark.service.uploads import check_upload, commit_upload
from cnpark.store.backup import backup, restore
from cnpark.store.manifest import parse
from cnpark.store.snapshots import Store, StoreError

ROOT = Path(__file__).resolve().parent.parent
NBSP = "\u00a0"
CODE = "notice-test-2025"
PLAN = f"""
[plan]
code = "{CODE}"
name = "某园区振兴行动计划(2025年)"
park = "某园区"
start = "2024-12"
end = "2025-12"
lagging_tolerance = 0.1
groups = ["要素保障"]

[[targets]]
code = "notice_test_output"
name = "通报测试产值"
kind = "numeric"
unit = "万元"
rule = "ge"
measure = "stock"
targets = [{{ deadline = "2025-12", value = 100 }}]
min = 0
clause = "第1条"
departments = ["县甲局"]
group = "要素保障"

[[tasks]]
number = 1
title = "建设标准厂房"
section = "(一)基础设施工程"
units = ["县甲局", "县乙局"]

[[tasks]]
number = 2
title = "完善园区路网"
section = "(一)基础设施工程"
units = ["县丙局"]

[[tasks]]
number = 3
title = "开展精准招商"
section = "(二)招商引资工程"
units = ["县丁局", "县甲局"]
"""
TASKS = "任务,责任单位,期间,完成状态,进展情况,存在问题,下步打算,报送日期\n"
LEDGER = ("项目编号,项目名称,责任单位,阶段,协议投资,累计到位资金,签约日期,计划开工日期,实际开工日期,期间\n"
          "XM01,测试厂房项目,县甲局,签约,1000,500,2024-06,2024-10,,2025-04\n"
          "XM02,测试仓储项目,县乙局,在建,800,600,2024-08,2024-12,2025-01,2025-04\n")
RETURNED = "进展情况过于简略"


@pytest.fixture
def plan_file(tmp_path) -> Path:
    path = tmp_path / "plan" / "notice-test.toml"
    path.parent.mkdir()
    path.write_text(PLAN, encoding="utf-8")
    return path


@pytest.fixture
def plan(plan_file):
    return load_catalog(plan_file)


def send(store, plan, unit: str | None, text: str, header: str = TASKS, name: str = "report.csv"):
    upload = check_upload(store, plan, (header + text).encode(), name, unit=unit)
    assert upload.ok, [str(p) for p in upload.result.problems]
    return commit_upload(store, upload, unit or "分析员")


def build(root: Path, plan) -> Store:
    """April: 县甲局 on tasks 1 and 3, 县乙局 behind on task 1. May (due 2025-06-05): 县甲局 on time (approved), 县乙局
    late (2025-06-09) and still behind, 县丁局 returned, 县丙局 nothing. The ledger's latest month is April."""
    store = Store(root)
    send(store, plan, "县甲局", "第1条,县甲局,2025-04,推进中,完成场地平整,,,2025-05-03\n"
                              "第3条,县甲局,2025-04,推进中,走访企业3家,,,2025-05-03\n")
    send(store, plan, "县乙局", "第1条,县乙局,2025-04,滞后,厂房设计未完成,用地指标未落实,,2025-05-04\n")
    send(store, plan, None, LEDGER, header="", name="ledger.csv")
    send(store, plan, "县甲局", "第1条,县甲局,2025-05,推进中,主体结构施工,,,2025-06-03\n"
                              "第3条,县甲局,2025-05,推进中,签约意向1个,,,2025-06-03\n")
    send(store, plan, "县乙局", "第1条,县乙局,2025-05,滞后,设计已过半,用地指标未落实,,2025-06-09\n")
    send(store, plan, "县丁局", "第3条,县丁局,2025-05,推进中,已推进,,,2025-06-02\n")
    decide(store, plan, "县甲局", "2025-05", approve=True, user="督查室")
    decide(store, plan, "县丁局", "2025-05", approve=False, reason=RETURNED, user="督查室")
    return store


def reopened(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def texts(d) -> list[str]:
    return [p.text.replace(NBSP, " ") for p in d.paragraphs if p.text.strip()]


def rows(table) -> list[list[str]]:
    """A table's cells as read (a cell laid out in lines read without its line breaks)."""
    return [[c.text.replace("\n", "").replace(NBSP, " ") for c in r.cells] for r in table.rows]


def made(store, plan, month: str, user: str = "督查室") -> tuple[notice.Notice, bool, list[str], docx.document.Document]:
    n, new = notice.issue(Readings(store, plan, month), user)
    d = reopened(notice.docx_bytes(n))
    return n, new, texts(d), d


# ------------------------------------------------------------------------------------------------ the numbers

def test_numbers_follow_the_issues_and_a_month_issued_before_keeps_its_number(tmp_path, plan):
    store = build(tmp_path, plan)
    last = store.entries()[-1].id
    may, new, lines, _ = made(store, plan, "2025-05")
    assert (may.number, new, lines[2]) == (1, True, "第1期")
    june, new, lines, _ = made(store, plan, "2025-06")
    assert (june.number, new, lines[2]) == (2, True, "第2期")
    again, new, lines, _ = made(store, plan, "2025-05", user="另一位")
    assert (again.number, new, lines[2]) == (1, False, "第1期")
    # one line per number: the reissue wrote nothing, and the record is of the first issue (who, from which data)
    assert [(e.id, e.kind, e.month, e.number, e.plan, e.user, e.target) for e in store.notices()] == [
        ("N00001", "notice", "2025-05", 1, CODE, "督查室", last), ("N00002", "notice", "2025-06", 2, CODE, "督查室", last)]
    assert again.issued == may.issued == store.notices()[0].uploaded_at[:10]
    # another plan in the same store: its own 2025-05 is another notice, numbered on in the one series
    assert store.notice_number("another-plan", "2025-05", last)[0].number == 3
    with pytest.raises(StoreError, match="没有编号为 S09999 的数据版本"):
        store.notice_number(CODE, "2025-07", "S09999")
    assert len(store.notices()) == 3


def test_an_empty_store_has_nothing_to_notify(tmp_path, plan):
    with pytest.raises(StoreError, match="数据仓库为空"):
        notice.issue(Readings(Store(tmp_path), plan, "2025-05"))
    assert Store(tmp_path).notices() == []


# ------------------------------------------------------------------------------------------------ the document

def test_the_notice_of_a_month_worked_by_hand(tmp_path, plan):
    store = build(tmp_path, plan)
    data_version = store.entries()[-1]            # the return of 县丁局's report, the last version of the data
    n, _, lines, d = made(store, plan, "2025-05")
    issued = store.notices()[0].uploaded_at[:10]
    day = f"{issued[:4]}年{int(issued[5:7])}月{int(issued[8:10])}日"
    # 版头: 份号 and the office are the office's to fill; the name in red; the date of issue flush right
    assert lines[:3] == ["【份号】", "督查通报", "第1期"]
    assert lines[3] == f"【发文单位】\t{day}"
    serial, name, _, head = d.paragraphs[:4]
    assert serial.runs[0].font.highlight_color == WD_COLOR_INDEX.YELLOW
    assert str(name.runs[0].font.color.rgb) == "FF0000"
    assert head.runs[0].font.highlight_color == WD_COLOR_INDEX.YELLOW and head.runs[-1].font.highlight_color is None
    assert 'w:color="FF0000"' in head._p.xml and "<w:bottom" in head._p.xml       # the red rule under the 版头
    assert lines[4].split("\n") == ["关于《某园区振兴行动计划", "（2025年）》", "2025年5月推进情况的通报"]  # no break in a bracket
    body = lines[lines.index("一、报送情况"):]
    # 一、: 6 reports due — 4 units' 工作进展, and the ledger of the 2 units with a project (县甲局, 县乙局), which sent
    # no May rows. 县甲局 and 县乙局 have reports in two groups, so theirs are named with the dataset.
    assert body[:6] == [
        "一、报送情况",
        "2025年5月各责任单位应报送6份（工作进展4份、重点项目台账2份），报送截止日为2025年6月5日。其中按时报送1份、"
        "逾期报送1份、未报送3份、退回1份；已报送的1份尚待审核。退回的报送在重新报送前按未报送计。",
        "（一）按时报送1份：县甲局（工作进展）。",
        "（二）逾期报送1份：县乙局（工作进展，2025年6月9日报送，逾期4天）。",      # 6月9日 − 6月5日
        "（三）未报送3份：县丙局、县甲局（重点项目台账）、县乙局（重点项目台账）。",
        f"（四）退回1份：县丁局（工作进展，退回理由：{RETURNED}）。",
    ]
    # 二、: task 1 — 县乙局 reported 滞后 in April and in May (the first month with data), so since April; it is
    # followed up with 县乙局 (县甲局 reports 推进中)
    assert body[6] == "二、滞后任务" and body[7].startswith("截至2025年5月，《行动计划》3条任务中滞后1条（")
    assert rows(d.tables[0]) == [["序号", "任务", "责任单位", "自何时起", "原因"],
                                 ["1", "第1条 建设标准厂房", "县乙局（滞后）", "2025年4月", "县乙局：用地指标未落实"]]
    # 三、: the ledger's latest month is April; XM01 was to start in October 2024 and has not: stalled from November
    assert body[9:11] == ["三、停滞项目", "据2025年4月重点项目台账（2025年5月台账尚未报送），停滞项目1个："]
    assert rows(d.tables[1]) == [["序号", "项目", "责任单位", "阶段", "停滞原因", "自何时起"],
                                 ["1", "XM01 测试厂房项目", "县甲局", "签约", "计划2024年10月开工，至今未开工", "2024年11月"]]
    # 四、: the office's words, marked; then the data version and the 版记
    assert body[12:] == ["四、下步要求", "【督查室意见：……】",
                         f"（数据版本：{data_version.id}，{data_version.uploaded_at[:4]}年"
                         f"{int(data_version.uploaded_at[5:7])}月{int(data_version.uploaded_at[8:10])}日上传）",
                         "报：【请填写：报送的领导和单位】", "发：各责任单位"]
    opinion = next(p for p in d.paragraphs if p.text == "【督查室意见：……】")
    assert opinion.runs[0].font.highlight_color == WD_COLOR_INDEX.YELLOW
    assert "示例数据" not in "".join(lines) and notice.file_name(n) == "督查通报第1期_2025-05.docx"
    assert d.core_properties.title == "督查通报 第1期"


def test_sample_data_is_marked(demo_store, catalog, tmp_path):
    import shutil
    shutil.copytree(demo_store, tmp_path / "store")         # the demo store is shared: a notice is a write
    n, _, lines, _ = made(Store(tmp_path / "store"), catalog, "2025-06")
    assert n.sample and "示例数据：本通报使用演示用示例数据（虚构），并非官方统计。" in lines
    assert "三、停滞项目" in lines and "四、下步要求" in lines


# ------------------------------------------------------------------------------------------------ no data version

def test_a_notice_entry_is_no_version_of_the_data(tmp_path, plan):
    store = build(tmp_path, plan)
    before = Readings(store, plan, "2025-05")
    before.build("snapshot", "entry", "review_states", "tasks")     # read before any notice
    data = store.entries()
    made(store, plan, "2025-05")
    made(store, plan, "2025-06")
    after = Readings(store, plan, "2025-05")
    # every reading of the data, its listing (the upload page's history, the 数据版本 selector), the CLI's snapshots
    assert store.entries() == data and after.entries == data and after.log == data
    assert (after.snapshot, after.entry) == (before.snapshot, before.entry) == (data[-1].id, data[-1])
    assert not [i for i in history_frame(after.entries)["编号"] if i.startswith("N")]
    listed = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(tmp_path), "snapshots", "--format",
                             "json"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert [e["id"] for e in json.loads(listed.stdout)] == [e.id for e in data]
    # no rollback to it, no reading as of it; the latest data version is still the current state
    with pytest.raises(StoreError, match="N00001"):
        store.rollback("N00001")
    with pytest.raises(StoreError, match="N00001"):
        store.read("tasks", "N00001")
    assert store.is_current(data[-1].id) and store.active_uploads() == [e for e in data if e.kind == "upload"]
    # the review states and the tasks read as before
    assert after.review_states == before.review_states and after.tasks == before.tasks
    # the next version of the data is numbered on from the last data version, not from the notices
    entry = send(store, plan, "县丙局", "第2条,县丙局,2025-05,推进中,测绘完成,,,2025-06-20\n")
    assert entry.id == f"S{data[-1].seq + 1:05d}" and entry.seq == data[-1].seq + 1


def test_a_backup_keeps_the_numbers_and_an_old_manifest_parses(tmp_path, plan):
    store = build(tmp_path / "a", plan)
    made(store, plan, "2025-05")
    backup(store, tmp_path / "b.tar.gz")
    again = Store(tmp_path / "restored")
    restore(tmp_path / "b.tar.gz", again)
    assert again.notices() == store.notices() and again.entries() == store.entries()
    n, new, _, _ = made(again, plan, "2025-06")
    assert (n.number, new) == (2, True)                       # the series goes on after a restore
    # a manifest line written before notices (no number, no plan) parses as before
    old = ('{"id": "S00001", "seq": 1, "kind": "review", "dataset": "tasks", "uploaded_at": "2025-06-01T09:00:00+08:00", '
           '"user": "督查室", "file": "", "rows": 0, "sha256": "", "target": "S00000", "unit": "县甲局", '
           '"month": "2025-05", "decision": "approved"}\n')
    [e] = parse(old.encode())
    assert (e.kind, e.number, e.plan) == ("review", 0, "")
    assert "number" not in e.public() and "plan" not in e.public()


# ------------------------------------------------------------------------------------------------ two at once

ASK = """
import sys, time
from pathlib import Path
from cnpark.store.snapshots import Store
store = Store(sys.argv[1])
go = Path(sys.argv[1]) / "go"
while not go.exists():          # both start asking at the same moment
    time.sleep(0.001)
for month in sys.argv[3:]:
    entry, new = store.notice_number("p", month, sys.argv[2])
    assert new
"""


def test_two_processes_asking_at_once_get_distinct_numbers(tmp_path):
    import time

    import pandas as pd
    store = Store(tmp_path)
    first = store.add_snapshot("indicators", pd.DataFrame({
        "indicator": ["x"], "period": ["2025-01"], "area": [""], "value": [1.0], "unit": ["万元"], "cumulative": [True],
        "note": [""], "source_row": [2]}), b"x", "x.csv")
    # two offices (separate interpreters), 24 new months each, asked in the same moments
    months = {tag: [f"{year}-{m:02d}" for year in (f"20{tag}", f"21{tag}") for m in range(1, 13)] for tag in (30, 31)}
    procs = [subprocess.Popen([sys.executable, "-c", ASK, str(tmp_path), first.id, *ms], cwd=ROOT)
             for ms in months.values()]
    time.sleep(2)       # both interpreters up and waiting
    (tmp_path / "go").touch()
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    issued = Store(tmp_path).notices()
    assert sorted(e.number for e in issued) == list(range(1, 49))                   # 48 months, 48 numbers, none twice
    assert sorted(e.month for e in issued) == sorted(months[30] + months[31])
    for ms in months.values():        # each process's months numbered in the order it asked
        mine = [e.number for e in issued if e.month in ms]
        assert mine == sorted(mine)


# ------------------------------------------------------------------------------------------------ command line

def cli(store: Path, plan_file: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CNPARK_PLANS": str(plan_file)}
    return subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(store), "--plan", CODE, *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env=env)


def test_the_command_line(tmp_path, plan, plan_file):
    empty = cli(tmp_path / "empty", plan_file, "notice", "--month", "2025-05", "--out", str(tmp_path / "x.docx"))
    assert empty.returncode == 1 and "错误：数据仓库为空" in empty.stderr and not (tmp_path / "x.docx").exists()
    store = build(tmp_path / "store", plan)
    last = store.entries()[-1].id
    out = tmp_path / "五月.docx"
    done = cli(tmp_path / "store", plan_file, "notice", "--month", "2025-05", "--out", str(out), "--user", "督查室张三")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"已生成：督查通报 第1期 · 2025-05 · 数据版本 {last} → {out}"
    assert texts(reopened(out.read_bytes()))[2] == "第1期" and store.notices()[0].user == "督查室张三"
    june = cli(tmp_path / "store", plan_file, "notice", "--month", "2025-06", "--out", str(tmp_path / "六月.docx"))
    assert "督查通报 第2期 · 2025-06" in june.stdout
    again = cli(tmp_path / "store", plan_file, "notice", "--month", "2025-05", "--out", str(out))
    issued = store.notices()[0].uploaded_at[:10]
    assert f"督查通报 第1期（2025-05 已于 {issued} 编号，期号不变）" in again.stdout
    nowhere = cli(tmp_path / "store", plan_file, "notice", "--month", "2025-07", "--out", str(tmp_path / "无此目录" / "x.docx"))
    assert nowhere.returncode == 1 and "未编期号" in nowhere.stderr and len(store.notices()) == 2


# ------------------------------------------------------------------------------------------------ the 督办 page

PASSWORD = "督查口令-2025"


@pytest.mark.usefixtures("fresh_caches")
def test_the_supervision_page_offers_the_notice_to_the_office_only(monkeypatch, tmp_path, catalog):
    from cnpark.ui import briefs
    from tests.conftest import app_test, signed_in_page

    store = Store(tmp_path)
    send(store, catalog, "县自然资源局", "第5条,县自然资源局,2025-06,滞后,等待省厅批复,用地报批未完成,,2025-07-03\n")
    digest = hash_password(PASSWORD, iterations=1000)
    accounts = {"dcs": {"name": "督查室王五", "role": "reviewer", "password_hash": digest},
                "fx": {"name": "分析员李四", "password_hash": digest}}

    def button(at):
        return next(b for b in at.get("download_button") if b.proto.label.startswith("督查通报（Word）"))
    viewer = app_test(monkeypatch, tmp_path, "pages/supervision.py", secrets={"accounts": accounts})
    assert not viewer.exception and button(viewer).proto.disabled           # a viewer takes no number
    analyst = signed_in_page(monkeypatch, tmp_path, "pages/upload.py", accounts, "fx", PASSWORD)
    analyst.switch_page("pages/supervision.py").run()
    assert button(analyst).proto.disabled
    office = signed_in_page(monkeypatch, tmp_path, "pages/review.py", accounts, "dcs", PASSWORD)
    office.switch_page("pages/supervision.py").run()
    assert not office.exception and not button(office).proto.disabled
    assert any("2025-06 尚未编号：下载即编为第 1 期。" in c.value for c in office.caption)
    assert store.notices() == []                                          # drawing the button issues nothing
    # the click: Streamlit calls the button's callable — the file made then, its number taken then, by the office
    data = briefs._notice_file(Readings(store, catalog, "2025-06"), "督查室王五")
    assert texts(reopened(data))[2] == "第1期"
    assert [(e.month, e.number, e.user) for e in store.notices()] == [("2025-06", 1, "督查室王五")]
    office.run()
    assert any("2025-06 已编为第 1 期" in c.value and "再次下载期号不变" in c.value for c in office.caption)
