"""The 终期评估 report as LibreOffice lays it out (headless, to PDF, on a machine with only fonts-noto-cjk and no font
configuration of ours): A4 pages numbered "— N —" from 1 to the page count, the title on page 1, the goal table on
landscape pages with its header repeated, no figure, period or status word broken across lines, and the faces
pdffonts reports: a serif CJK face for the title and the body, a sans one for the 黑体 headings, no DejaVu.
Page 1 and the goal table's first page are saved as PNGs for review (tests/artifacts/)."""

import html
import os
import re
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path

import docx
import pytest
from PIL import Image, ImageStat
from pypdf import PdfReader

from cnpark.outputs import evaluation as report
from cnpark.service.readings import Readings
from cnpark.store.snapshots import Store

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
MAX_PAGES = 40
GOAL_HEADER = "序号目标期限计划目标完成值完成情况是否完成条款责任单位"
# The columns whose cells must never break inside a piece (a figure with its unit, a period, a status word), by header;
# the rates table's "截至2025年12月" too. Names, clauses, units and reasons may wrap.
VALUE_COLUMNS = {"序号", "期限", "计划目标", "完成值", "完成情况", "是否完成", "完成时间", "基期", "基期值", "最新期",
                 "最新值", "变化", "判断", "状态", "截至2025年12月", "上年同期", "门槛", "阶段", "自何时起", "债务编号",
                 "到期日", "期末余额（万元）"}


def tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if not found:
        message = f"{name} is not installed: apt-get install {package}"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    return found


def convert(source: Path, to: str, out: Path, home: Path) -> float:
    started = time.monotonic()
    soffice = tool("soffice", "libreoffice-writer-nogui libreoffice-draw-nogui")
    done = subprocess.run([soffice, "--headless", "--norestore", "--convert-to", to, "--outdir", str(out), str(source)],
                          env={**os.environ, "HOME": str(home)}, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    return time.monotonic() - started


def poppler(name: str, *args: str) -> str:
    done = subprocess.run([tool(name, "poppler-utils"), *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def flat(text: str) -> str:
    return re.sub(r"\s", "", text)


def pdf_lines(pdf: Path, gap: float = 4.0) -> list[str]:
    """The text of each line of the PDF, cut where words lie more than `gap` pt apart: pdftotext runs a table row's
    cells together on one line; in a cell, words are a space (≤ 2.8 pt at 10.5 pt) or a Latin/Chinese turn apart."""
    out = []
    for line in re.findall(r"<line [^>]*>(.*?)</line>", poppler("pdftotext", "-bbox-layout", str(pdf), "-"), re.S):
        piece, end = "", None
        for x0, x1, word in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>', line):
            if end is not None and float(x0) - end > gap:
                out.append(piece)
                piece = ""
            piece, end = piece + flat(html.unescape(word)), float(x1)
        out.append(piece)
    return out


@pytest.fixture(scope="module")
def rendered(demo_store, catalog, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report-render")
    home = tmp / "home"            # a fresh LibreOffice profile, and no fontconfig file of ours: the document alone
    home.mkdir()
    ev = report.gather(Readings(Store(demo_store), catalog, "2025-12"))
    source = tmp / report.file_name(ev)
    source.write_bytes(report.docx_bytes(ev))
    seconds = convert(source, "pdf", tmp, home)     # a first run also creates LibreOffice's profile
    pdf = tmp / (source.stem + ".pdf")
    reader = PdfReader(pdf, strict=True)
    texts = [re.sub(r"\s+", "", page.extract_text()) for page in reader.pages]
    return {"ev": ev, "source": source, "pdf": pdf, "home": home, "tmp": tmp, "reader": reader, "texts": texts,
            "seconds": seconds}


def test_every_page_is_a4_and_numbered_to_the_last(rendered):
    pages = rendered["reader"].pages
    assert 5 <= len(pages) <= MAX_PAGES
    for page in pages:
        size = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert abs(size[0] - 595.3) <= 1 and abs(size[1] - 841.9) <= 1
    for n, text in enumerate(rendered["texts"], 1):
        assert text.endswith(f"—{n}—"), (n, text[-20:])          # the footer closes each page
    assert rendered["texts"][-1].endswith(f"—{len(pages)}—")


def test_page_one_has_the_title_and_its_page_number(rendered):
    first = rendered["reader"].pages[0].extract_text()
    title = report.title(rendered["ev"])
    assert title.replace(" ", "") in re.sub(r"\s+", "", first)
    assert re.search(r"—\s*1\s*—\s*$", first)
    assert "示例数据：本报告使用演示用示例数据（虚构），并非官方统计。" in rendered["texts"][0]
    assert "昌宁产业园区振兴三年行动计划工作领导小组：" in rendered["texts"][0]


def test_the_goal_table_is_on_landscape_pages_and_repeats_its_header(rendered):
    pages = [i for i, text in enumerate(rendered["texts"]) if GOAL_HEADER in text]
    assert len(pages) >= 2 and pages == list(range(pages[0], pages[-1] + 1))     # consecutive: one table running on
    for i, page in enumerate(rendered["reader"].pages):
        landscape = float(page.mediabox.width) > float(page.mediabox.height)
        assert landscape == (i in pages), i                     # turned for the table, and back after it
    rows = "".join(rendered["texts"][pages[0]:pages[-1] + 1])
    for name in ("营业收入", "多晶硅产能", "绿美园区建成", "实际利用外资"):            # first, middle and last rows, whole
        assert name in rows


def test_no_figure_period_or_status_word_is_broken_across_lines(rendered):
    """Every line of every value cell (and of every header) is one line of the PDF, as many times as the tables
    have it: '2023年9月' laid out as '2023年9' over '月' would be missing."""
    wanted = Counter()
    for table in docx.Document(rendered["source"]).tables:
        header = [flat(c.text) for c in table.rows[0].cells]
        for i, row in enumerate(table.rows):
            for name, cell in zip(header, row.cells):
                if i == 0 or name in VALUE_COLUMNS:
                    wanted.update(flat(line) for line in cell.text.split("\n") if flat(line))
    found = Counter(pdf_lines(rendered["pdf"]))
    assert sum(wanted.values()) > 300                      # the check covers the tables, not a handful of cells
    assert wanted - found == Counter()
    assert found["2023年9月"] >= 2 and found["1,302,000万元"] >= 1 and found["超额60.4个百分点"] >= 1


def test_the_faces_resolve_to_the_installed_serif_and_sans_cjk(rendered):
    fonts = poppler("pdffonts", str(rendered["pdf"])).splitlines()[2:]
    names = [line.split()[0].split("+")[-1] for line in fonts]
    assert any(n.startswith("NotoSerifCJK") for n in names), names
    assert any(n.startswith("NotoSansCJK") for n in names), names
    assert not [n for n in names if "DejaVu" in n or "Liberation" in n], names
    faces: dict[str, set[str]] = {}

    def seen(text, cm, tm, font, size):
        if text.strip() and font:
            faces.setdefault(re.sub(r"\s", "", text), set()).add(str(font.get("/BaseFont")).split("+")[-1])

    for page in rendered["reader"].pages[:3]:
        page.extract_text(visitor_text=seen)

    def face(start: str) -> set[str]:
        return {f for text, fs in faces.items() if text.startswith(start) for f in fs}

    assert face("云南昌宁产业园区振兴三年行动计划") and all("Serif" in f for f in face("云南昌宁产业园区振兴三年行动计划"))
    assert face("一、基本情况") and all("Sans" in f for f in face("一、基本情况"))          # 黑体
    assert face("本报告数据截至") and all("Serif" in f for f in face("本报告数据截至"))      # 仿宋
    caption = faces.get("目标完成情况", set())                                                 # 表1's caption, 黑体
    assert caption and all("Sans" in f for f in caption)


def test_pages_as_pictures_for_review(rendered):
    out = rendered["tmp"] / "png"
    convert(rendered["source"], "png", out, rendered["home"])
    png = out / (rendered["source"].stem + ".png")
    image = Image.open(png)
    assert abs(image.width / image.height - 21.0 / 29.7) < 0.01
    assert ImageStat.Stat(image.convert("L")).stddev[0] > 10          # not blank
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(png, ARTIFACTS / "report-page1.png")
    table = next(i for i, text in enumerate(rendered["texts"], 1) if GOAL_HEADER in text)
    poppler("pdftoppm", "-png", "-r", "80", "-f", str(table), "-l", str(table), "-singlefile", str(rendered["pdf"]),
            str(ARTIFACTS / "report-table1"))
    landscape = Image.open(ARTIFACTS / "report-table1.png")
    assert abs(landscape.width / landscape.height - 29.7 / 21.0) < 0.01
