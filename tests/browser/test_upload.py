"""The 数据上传 page in a real browser: sign in, check a file, see its preview, store it and find it on the overview;
a rejected file; rollback; the page without signing in.

Every test starts its own server on its own temp store (empty, or loaded through the real CLI) with an analyst account
from a temp secrets file passed as `--secrets.files`: no .streamlit/secrets.toml is created in the repo, and a
developer's own one is not read.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cnpark.auth import hash_password
from tests.browser.conftest import ROOT, screenshot, start_server, view_labels, wait_rendered

FILES = ROOT / "tests" / "files"
FIRST, CORRECTION, BAD = "cli_capacity_first_upload.csv", "cli_capacity_correction.csv", "cli_bad_rows.csv"
LOGIN, NAME, PASSWORD = "zhangsan", "张三", "测试口令-2025"
AS_OF = "2024-06"

# a page's dataframe (glide-data-grid) draws on a canvas; its accessible <table> holds the cells it shows
TABLE_JS = """df => { const t = df.querySelector('table');
  return t ? [...t.rows].map(r => [...r.cells].map(c => c.textContent.trim())) : null; }"""


# ------------------------------------------------------------------------------------------------ fixtures

@pytest.fixture(scope="module")
def secrets_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("secrets") / "secrets.toml"
    path.write_text(f'[accounts.{LOGIN}]\nname = "{NAME}"\n'
                    f'password_hash = "{hash_password(PASSWORD, iterations=1000)}"\n', encoding="utf-8")
    return path


def cli(store: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(store), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def snapshots(store: Path) -> list[dict]:
    return json.loads(cli(store, "snapshots", "--format", "json"))


@pytest.fixture
def upload_server(browser, secrets_file, tmp_path):
    """start(*files) -> (server, store): a new server on a new store, each file first ingested through the CLI
    (as 李四, so entries made by the page's analyst stand out)."""
    started = []

    def start(*files: str):
        store = tmp_path / "store"
        store.mkdir()
        for name in files:
            cli(store, "ingest", str(FILES / name), "--user", "李四")
        started.append(start_server(store, tmp_path / "streamlit.log", "--secrets.files", str(secrets_file)))
        return started[-1], store
    yield start
    for s in started:
        s.stop()


# ------------------------------------------------------------------------------------------------ helpers

def main(page):
    return page.get_by_test_id("stMain")


def open_upload_page(open_page, server):
    """(page, console errors): the 数据上传 page of server in a fresh context."""
    page, errors = open_page("upload", server=server)
    expect(main(page).get_by_role("heading", name="数据上传")).to_be_visible()
    return page, errors


def sign_in(page, password: str = PASSWORD) -> None:
    form = page.get_by_test_id("stForm")
    form.get_by_label("账号").fill(LOGIN)
    form.get_by_label("密码").fill(password)
    form.get_by_role("button", name="登录").click()


def upload(page, name: str) -> None:
    """Choose a file and wait for its check (the counts appear; the run that draws them has finished)."""
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(FILES / name)
    expect(page.get_by_test_id("stFileChip")).to_have_count(1)
    expect(page.get_by_test_id("stMetric").filter(has_text="读取数据行")).to_be_visible(timeout=30_000)
    wait_rendered(page)


def metrics(page) -> dict[str, str]:
    cards = main(page).get_by_test_id("stMetric")
    return dict(zip(cards.get_by_test_id("stMetricLabel").all_inner_texts(),
                    cards.get_by_test_id("stMetricValue").all_inner_texts()))


def table_with(page, header: str) -> list[dict[str, str]]:
    """The rows of the one dataframe on the page that has a column named header, as {column: cell} (waits for the
    grid to fill its accessible table, which it does after painting)."""
    handle = page.wait_for_function(f"""header => {{
        const tables = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"]')]
            .map({TABLE_JS}).filter(t => t && t.length > 1 && t[0].includes(header));
        return tables.length ? tables : null; }}""", arg=header, timeout=10_000)
    tables = handle.json_value()
    assert len(tables) == 1, f"{len(tables)} tables with a column {header!r}"
    head, *rows = tables[0]
    return [dict(zip(head, row)) for row in rows]


def commit_button(page):
    return main(page).get_by_role("button", name="确认入库")


def gauge_words(open_page, server, title: str) -> list[str]:
    """The words of the overview's gauge for a goal at AS_OF, as a new visitor (a new browser context) sees them."""
    page, _ = open_page(f"?as_of={AS_OF}", server=server)
    try:
        labels = view_labels(page)
        found = [label.split("：", 1)[1].split("，") for label in labels if label.startswith(f"{title}：")]
        assert len(found) == 1, labels
        return found[0]
    finally:
        page.context.close()


# ------------------------------------------------------------------------------------------------ 1. upload

def test_sign_in_check_commit_and_the_overview_shows_it(upload_server, open_page):
    server, store = upload_server()
    page, errors = open_upload_page(open_page, server)
    sign_in(page)
    expect(main(page)).to_contain_text(f"当前分析人员：{NAME}")
    upload(page, FIRST)

    assert metrics(page) == {"读取数据行": "2", "可导入记录": "2", "问题": "0", "跳过的空值": "0"}
    expect(main(page).get_by_test_id("stAlert").filter(has_text="单位换算")).to_contain_text("万吨 → 吨")
    figures = table_with(page, "新值")
    assert [(f["期间"], f["当前值"], f["新值"], f["提示"]) for f in figures] == [
        ("2022-12", "—", "50,000", "新增"), ("2024-06", "—", "100,000", "新增")]
    flips = table_with(page, "上传后")
    assert flips == [{"目标": "多晶硅产能", "期限": "2025-12", "现状态": "无数据", "上传后": "严重滞后"}]
    expect(commit_button(page)).to_be_enabled()
    assert screenshot(page, "upload-preview").stat().st_size > 0
    assert snapshots(store) == []                       # checking stores nothing
    # the parsed rows are a detail, drawn when asked (issue 24): the figures and flips above are the only grids
    assert main(page).get_by_test_id("stDataFrame").count() == 2
    main(page).get_by_text("解析后的数据").click()
    parsed = table_with(page, "备注")
    assert [(r["指标"], r["期间"], r["数值"]) for r in parsed] == [("多晶硅产能", "2022-12", "50000"),
                                                               ("多晶硅产能", "2024-06", "100000")], parsed   # 10 万吨
    expect(commit_button(page)).to_be_enabled()          # opening it kept the check

    commit_button(page).click()
    expect(main(page).get_by_test_id("stAlert").filter(has_text="已入库")).to_contain_text("已入库：快照 S00001，2 行")
    wait_rendered(page)
    expect(commit_button(page)).to_have_count(0)         # the uploader was emptied for the next file
    assert [(e["id"], e["kind"], e["user"], e["file"], e["rows"]) for e in snapshots(store)] == [
        ("S00001", "upload", NAME, FIRST, 2)]
    assert [(h["编号"], h["用户"], h["文件"]) for h in table_with(page, "文件校验码")] == [("S00001", NAME, FIRST)]
    assert errors == []

    words = gauge_words(open_page, server, "多晶硅产能")
    assert (words[0], words[2]) == ("40.0%", "100,000 吨"), words      # 100,000 / 250,000


# ------------------------------------------------------------------------------------------------ 2. rejected

def test_a_bad_file_lists_its_problems_and_cannot_be_stored(upload_server, open_page):
    server, store = upload_server(FIRST)
    before = snapshots(store)
    page, _ = open_upload_page(open_page, server)
    sign_in(page)
    upload(page, BAD)

    assert metrics(page)["问题"] == "3"
    expect(main(page).get_by_test_id("stAlert").filter(has_text="未入库")).to_contain_text("文件有 3 个问题")
    problems = table_with(page, "原因")
    assert [(p["行"], p["列"], p["值"], p["原因"]) for p in problems] == [
        ("3", "指标", "多晶硅产量", "未知指标，是否为“多晶硅产能”？"),
        ("4", "数值", "abc", "不是数字"),
        ("5", "期间", "2024-13", "月份不在 1–12 之间")]
    expect(main(page).get_by_role("button", name=re.compile("^下载问题清单"))).to_be_visible()
    expect(commit_button(page)).to_be_disabled()
    commit_button(page).click(force=True)               # even a click on it does nothing
    page.wait_for_timeout(300)
    wait_rendered(page)
    expect(main(page).get_by_test_id("stAlert").filter(has_text="已入库")).to_have_count(0)
    assert snapshots(store) == before


# ------------------------------------------------------------------------------------------------ 3. rollback

def test_rollback_to_the_first_upload(upload_server, open_page):
    server, store = upload_server(FIRST)
    page, _ = open_upload_page(open_page, server)
    sign_in(page)
    upload(page, CORRECTION)
    expect(main(page)).to_contain_text("新增 0 个数值，修改 1 个（其中变化超过 30% 的 1 个），不变 0 个")
    figures = table_with(page, "新值")
    assert [(f["期间"], f["当前值"], f["新值"], f["提示"]) for f in figures] == [
        ("2024-06", "100,000", "150,000", "变化超过30%")], figures
    commit_button(page).click()
    expect(main(page).get_by_test_id("stAlert").filter(has_text="已入库")).to_contain_text("快照 S00002")
    wait_rendered(page)
    assert [(e["id"], e["user"]) for e in snapshots(store)] == [("S00001", "李四"), ("S00002", NAME)]

    main(page).get_by_role("combobox", name="选择快照").click()
    assert page.get_by_role("option").all_inner_texts() == ["S00002", "S00001"]       # newest first
    page.get_by_role("option", name="S00001", exact=True).click()
    expect(main(page)).to_contain_text("S00001 的数据行（2 行）")
    wait_rendered(page)
    rollback = main(page).get_by_role("button", name="回滚", exact=True)
    expect(rollback).to_be_disabled()
    main(page).get_by_test_id("stCheckbox").filter(has_text="恢复为 S00001 入库后的状态").click()
    expect(rollback).to_be_enabled()
    rollback.click()
    expect(main(page).get_by_test_id("stAlert").filter(has_text="已回滚")).to_contain_text(
        "当前数据恢复为 S00001 入库后的状态（记录为 S00003）")
    wait_rendered(page)

    last = snapshots(store)[-1]
    assert (last["id"], last["kind"], last["target"], last["user"]) == ("S00003", "rollback", "S00001", NAME)
    assert gauge_words(open_page, server, "多晶硅产能")[2] == "100,000 吨"


# ------------------------------------------------------------------------------------------------ 4. signed out

def test_nothing_to_upload_without_signing_in(upload_server, open_page):
    server, _ = upload_server(FIRST)
    page, _ = open_upload_page(open_page, server)
    expect(page.get_by_test_id("stForm")).to_contain_text("分析人员、责任单位与督查室登录")
    expect(main(page).get_by_test_id("stExpander")).to_contain_text("填报模板")          # viewing needs no sign-in
    assert page.get_by_test_id("stFileUploader").count() == 0
    assert main(page).get_by_role("heading", name="上传记录").count() == 0
    assert main(page).get_by_role("button", name="回滚").count() == 0

    sign_in(page, password="不是这个")
    expect(main(page).get_by_test_id("stAlert")).to_contain_text("账号或密码不正确")
    wait_rendered(page)
    assert page.get_by_test_id("stFileUploader").count() == 0
    expect(page.get_by_test_id("stForm")).to_be_visible()


# ------------------------------------------------------------------------------------------------ confirmation

def test_a_confirmation_is_for_one_snapshot_only(upload_server, open_page):
    server, _ = upload_server(FIRST, CORRECTION, FIRST)
    page, _ = open_upload_page(open_page, server)
    sign_in(page)
    expect(main(page).get_by_role("combobox", name="选择快照")).to_have_value("S00003")
    # S00003 is the current state: nothing to roll back to, said before anyone clicks
    expect(main(page).get_by_test_id("stAlert").filter(has_text="回滚不会改变任何数据")).to_contain_text(
        "当前数据已经是 S00003 入库后的状态")
    expect(main(page).get_by_role("button", name="回滚", exact=True)).to_be_disabled()
    screenshot(page, "upload-rollback-current")
    main(page).get_by_role("combobox", name="选择快照").click()
    page.get_by_role("option", name="S00002", exact=True).click()
    expect(main(page).get_by_test_id("stCheckbox")).to_contain_text("恢复为 S00002")
    wait_rendered(page)
    main(page).get_by_test_id("stCheckbox").filter(has_text="恢复为 S00002").click()
    rollback = main(page).get_by_role("button", name="回滚", exact=True)
    expect(rollback).to_be_enabled()
    main(page).get_by_role("combobox", name="选择快照").click()
    page.get_by_role("option", name="S00001", exact=True).click()
    expect(main(page).get_by_test_id("stCheckbox")).to_contain_text("恢复为 S00001")
    wait_rendered(page)
    expect(main(page).get_by_role("checkbox")).not_to_be_checked(timeout=2_000)
    expect(rollback).to_be_disabled(timeout=1_000)


# ------------------------------------------------------------------------------------------------ 5. hostile text

HOSTILE_FILE = "<img src=x onerror=window.__pwned=1>.csv"   # (a browser sends a " in a file name as %22)
HOSTILE_ROWS = ("指标,期间,数值,单位,片区,备注\n"
                '多晶硅产能,2024-06,100000,吨,<img src=x onerror="window.__pwned=2">,'
                "**粗体** [点我](javascript:window.__pwned=3) <script>window.__pwned=4</script>\n")
HOSTILE_BAD = "指标,期间,数值\n<b onmouseover=window.__pwned=5>营业收入</b>,2024-06,1\n"


def test_names_notes_and_file_names_are_shown_as_text(upload_server, open_page, tmp_path):
    """Whatever an upload carries (HTML, Markdown links, script) reaches the page as plain text: nothing runs,
    no element or link is made from it, and the literal text is what the tables show."""
    server, store = upload_server()
    page, errors = open_upload_page(open_page, server)
    sign_in(page)
    expect(main(page)).to_contain_text(f"当前分析人员：{NAME}")

    bad = tmp_path / "**坏** [x](javascript:1).csv"
    bad.write_text(HOSTILE_BAD, encoding="utf-8")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(bad)
    expect(page.get_by_test_id("stMetric").filter(has_text="问题")).to_be_visible(timeout=30_000)
    wait_rendered(page)
    problems = table_with(page, "原因")
    assert problems[0]["值"] == "<b onmouseover=window.__pwned=5>营业收入</b>"
    page.get_by_test_id("stFileChip").get_by_role("button").click()          # remove the file from the uploader
    wait_rendered(page)

    hostile = tmp_path / HOSTILE_FILE
    hostile.write_text(HOSTILE_ROWS, encoding="utf-8")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(hostile)
    expect(page.get_by_test_id("stMetric").filter(has_text="读取数据行")).to_be_visible(timeout=30_000)
    wait_rendered(page)
    main(page).get_by_text("解析后的数据").click()                              # the parsed rows' expander
    rows = table_with(page, "备注")
    assert rows[0]["片区"] == '<img src=x onerror="window.__pwned=2">'
    assert rows[0]["备注"].startswith("**粗体** [点我](javascript:")
    commit_button(page).click()
    expect(main(page).get_by_test_id("stAlert").filter(has_text="已入库")).to_be_visible()
    wait_rendered(page)
    assert [h["文件"] for h in table_with(page, "文件校验码")] == [HOSTILE_FILE]
    assert [e["file"] for e in snapshots(store)] == [HOSTILE_FILE]           # stored under its id, name kept as data

    for url in ("upload", "polysilicon?as_of=2024-06", "targets?as_of=2024-06"):
        page.goto(server.url + url)
        wait_rendered(page)
        assert page.evaluate("window.__pwned") is None, url
        assert page.locator('img[src="x"], b[onmouseover], script:text("__pwned")').count() == 0, url
        assert page.locator('a[href^="javascript"]').count() == 0, url
        assert page.get_by_test_id("stException").count() == 0, url
    assert errors == []


# ------------------------------------------------------------------------------------------------ 6. words

# What the uploader may show in Latin letters: the names of the file types it suggests (sizes are in 兆字节).
ALLOWED_LATIN = {"CSV", "TXT", "TSV", "XLSX", "XLS", "XLSB", "ODS"}
SIZE = re.compile(r"\d\s*(B|KB|MB|GB|bytes?)\b", re.IGNORECASE)
VISIBLE_TEXT_JS = """root => {
  const out = [];
  const walk = node => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        const el = child.parentElement, box = el.getBoundingClientRect(), style = getComputedStyle(el);
        if (box.width > 1 && box.height > 1 && style.visibility !== 'hidden' && style.display !== 'none'
            && !el.closest('[data-testid="stIconMaterial"]') && !el.closest('[data-testid="stFileChipName"]'))
          out.push(child.textContent);
      } else if (child.nodeType === Node.ELEMENT_NODE && getComputedStyle(child).display !== 'none') walk(child);
    }
    for (const pseudo of ['::before', '::after']) {
      const content = node.nodeType === Node.ELEMENT_NODE ? getComputedStyle(node, pseudo).content : 'none';
      if (content && content !== 'none' && content !== 'normal') out.push(content.replace(/^"|"$/g, ''));
    }
  };
  walk(root);
  return out;
}"""


def latin_words(texts: list[str]) -> set[str]:
    """Latin words painted (a size such as "338.0B" counts as one), beyond the file types' names."""
    return ({w for t in texts for w in re.findall(r"[A-Za-z]{2,}", t)} - ALLOWED_LATIN) | \
        {m.group(0) for t in texts for m in SIZE.finditer(t)}


def test_the_uploader_speaks_chinese_and_an_analyst_can_sign_out(upload_server, open_page):
    server, _ = upload_server()
    page, _ = open_upload_page(open_page, server)
    sign_in(page)
    uploader = page.get_by_test_id("stFileUploader")
    expect(uploader).to_be_visible()
    shown = uploader.evaluate(VISIBLE_TEXT_JS)
    assert latin_words(shown) == set(), shown                          # no "Upload", no "per file"
    assert "选择文件" in shown and any("单个文件不超过 50 兆字节" in t for t in shown), shown
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(FILES / FIRST)
    expect(page.get_by_test_id("stFileChip")).to_have_count(1)
    wait_rendered(page)
    assert latin_words(uploader.evaluate(VISIBLE_TEXT_JS)) == set()    # the chosen file's chip: no "338.0B"
    screenshot(page, "upload-chinese", whole=False)

    main(page).get_by_role("button", name="退出登录").click()
    expect(page.get_by_test_id("stForm").get_by_role("button", name="登录")).to_be_visible()
    expect(page.get_by_test_id("stFileUploader")).to_have_count(0)


def test_a_picture_named_csv_is_told_in_one_sentence(upload_server, open_page, tmp_path):
    from PIL import Image
    picture = tmp_path / "照片.csv"
    Image.new("RGB", (40, 30), (200, 30, 30)).save(picture, format="PNG")
    server, store = upload_server()
    page, _ = open_upload_page(open_page, server)
    sign_in(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(picture)
    error = main(page).get_by_test_id("stAlert").filter(has_text="文件未入库")
    expect(error).to_contain_text("文件未入库：这是图片（PNG），无法从中读取数字，请上传原始的 Excel 工作簿（.xlsx、.xls）、.ods 或 "
                                  "CSV 文件。")
    wait_rendered(page)
    expect(main(page).get_by_test_id("stDataFrame").filter(has_text="原因")).to_have_count(0)   # no table of one row
    expect(main(page)).not_to_contain_text("数据集：未识别")
    expect(commit_button(page)).to_be_disabled()
    screenshot(page, "upload-not-a-table", whole=False)
    assert snapshots(store) == []


# ------------------------------------------------------------------------------------------------ 7. office files

def test_an_xls_a_picture_and_an_identical_file_through_the_real_chooser(upload_server, open_page, tmp_path):
    """Issue 20: the chooser takes any file (a type list made the browser refuse with a bare red "!" and English);
    an .xls LibreOffice wrote is checked like its CSV, a picture gets one sentence, a file equal to the current data
    offers no 确认入库, and the uploader paints no size in B/KB/MB nor any other English."""
    from PIL import Image

    from tests.office_files import soffice_convert
    (tmp_path / "产能.csv").write_bytes((FILES / CORRECTION).read_bytes())
    xls = soffice_convert(tmp_path / "产能.csv", "xls", tmp_path / "xls", tmp_path / "profile")
    picture = tmp_path / "报表截图.png"
    Image.new("RGB", (40, 30), (30, 30, 200)).save(picture, format="PNG")
    server, store = upload_server(FIRST)
    page, errors = open_upload_page(open_page, server)
    sign_in(page)
    uploader = page.get_by_test_id("stFileUploader")
    assert uploader.get_by_test_id("stFileUploaderDropzoneInput").get_attribute("accept") in (None, "")

    uploader.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(xls)
    expect(page.get_by_test_id("stMetric").filter(has_text="读取数据行")).to_be_visible(timeout=30_000)
    wait_rendered(page)
    assert metrics(page) == {"读取数据行": "1", "可导入记录": "1", "问题": "0", "跳过的空值": "0"}
    expect(main(page)).to_contain_text("Excel 97-2003 工作簿（.xls，工作表“产能”） · 数据集：指标数据")
    figures = table_with(page, "新值")
    assert [(f["期间"], f["当前值"], f["新值"]) for f in figures] == [("2024-06", "100,000", "150,000")]
    expect(commit_button(page)).to_be_enabled()
    assert uploader.get_by_test_id("stFileChipIconError").count() == 0
    assert latin_words(uploader.evaluate(VISIBLE_TEXT_JS)) == set()
    screenshot(page, "upload-xls")

    page.get_by_test_id("stFileChip").get_by_role("button").click()
    wait_rendered(page)
    uploader.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(picture)
    error = main(page).get_by_test_id("stAlert").filter(has_text="文件未入库")
    expect(error).to_contain_text("文件未入库：这是图片（PNG），无法从中读取数字")
    wait_rendered(page)
    assert uploader.get_by_test_id("stFileChipIconError").count() == 0       # no red "!" of the browser's own
    assert uploader.locator('[role="alert"]').count() == 0
    assert latin_words(uploader.evaluate(VISIBLE_TEXT_JS)) == set()
    expect(commit_button(page)).to_be_disabled()
    screenshot(page, "upload-picture", whole=False)

    page.get_by_test_id("stFileChip").get_by_role("button").click()
    wait_rendered(page)
    upload(page, FIRST)                                                       # the data already stored
    expect(main(page).get_by_test_id("stAlert").filter(has_text="无需入库")).to_contain_text(
        "与当前数据相同，无需入库：文件中的 2 行与当前数据完全相同。")
    expect(commit_button(page)).to_have_count(0)
    screenshot(page, "upload-identical", whole=False)
    assert [e["id"] for e in snapshots(store)] == ["S00001"]
    assert errors == []
