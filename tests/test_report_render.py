"""The 终期评估 report as LibreOffice lays it out (headless, to PDF): A4 pages numbered "— N —" from 1 to the page count,
the title on page 1, the goal table's header repeated on every page it runs over. Page 1 is saved as a PNG for review
(tests/artifacts/report-page1.png)."""

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from pypdf import PdfReader

from cnpark import report
from cnpark.docx_doc import FALLBACKS
from cnpark.store import Store

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
MAX_PAGES = 40
# LibreOffice does not read the font table's w:altName: it gets the same fallbacks as a fontconfig alias.
FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
{}
</fontconfig>
"""


def soffice() -> str:
    found = shutil.which("soffice")
    if not found:
        message = "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui libreoffice-draw-nogui"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    return found


def convert(source: Path, to: str, out: Path, home: Path) -> float:
    started = time.monotonic()
    done = subprocess.run([soffice(), "--headless", "--norestore", "--convert-to", to, "--outdir", str(out), str(source)],
                          env={**os.environ, "HOME": str(home)}, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    return time.monotonic() - started


@pytest.fixture(scope="module")
def rendered(demo_store, catalog, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report-render")
    home = tmp / "home"
    (home / ".config" / "fontconfig").mkdir(parents=True)
    aliases = "\n".join(f'  <alias binding="same"><family>{face}</family><prefer><family>{alt}</family></prefer></alias>'
                        for face, alt in FALLBACKS.items())
    (home / ".config" / "fontconfig" / "fonts.conf").write_text(FONTCONFIG.format(aliases), encoding="utf-8")
    ev = report.gather(Store(demo_store), catalog, "2025-12")
    source = tmp / report.file_name(ev)
    source.write_bytes(report.docx_bytes(ev))
    seconds = convert(source, "pdf", tmp, home)     # a first run also creates LibreOffice's profile
    reader = PdfReader(tmp / (source.stem + ".pdf"), strict=True)
    texts = [re.sub(r"\s+", "", page.extract_text()) for page in reader.pages]
    return {"ev": ev, "source": source, "home": home, "tmp": tmp, "reader": reader, "texts": texts, "seconds": seconds}


def test_every_page_is_a4_and_numbered_to_the_last(rendered):
    pages = rendered["reader"].pages
    assert 5 <= len(pages) <= MAX_PAGES
    for page in pages:
        assert abs(float(page.mediabox.width) - 595.3) <= 1 and abs(float(page.mediabox.height) - 841.9) <= 1
    for n, text in enumerate(rendered["texts"], 1):
        assert text.endswith(f"—{n}—"), (n, text[-20:])          # the footer closes each page
    assert rendered["texts"][-1].endswith(f"—{len(pages)}—")


def test_page_one_has_the_title_and_its_page_number(rendered):
    first = rendered["reader"].pages[0].extract_text()
    title = report.title(rendered["ev"])
    assert title.replace(" ", "") in re.sub(r"\s+", "", first)
    assert re.search(r"—\s*1\s*—\s*$", first)
    assert "示例数据：本报告使用演示用示例数据（虚构），并非官方统计。" in rendered["texts"][0]


def test_the_goal_table_repeats_its_header_on_each_page(rendered):
    header = "序号目标期限计划目标完成值完成情况是否完成条款责任单位"
    pages = [i for i, text in enumerate(rendered["texts"]) if header in text]
    assert len(pages) >= 2 and pages == list(range(pages[0], pages[-1] + 1))     # consecutive: one table running on
    rows = "".join(rendered["texts"][pages[0]:pages[-1] + 1])
    for name in ("营业收入", "多晶硅产能", "绿美园区建成", "实际利用外资"):            # first, middle and last rows, whole
        assert name in rows


def test_page_one_as_a_picture_for_review(rendered):
    out = rendered["tmp"] / "png"
    convert(rendered["source"], "png", out, rendered["home"])
    png = out / (rendered["source"].stem + ".png")
    image = Image.open(png)
    assert abs(image.width / image.height - 21.0 / 29.7) < 0.01
    assert ImageStat.Stat(image.convert("L")).stddev[0] > 10          # not blank
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(png, ARTIFACTS / "report-page1.png")

