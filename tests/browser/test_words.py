"""What a user reads in the browser is Chinese: no English word painted on any page — not from the charts' or tables'
toolbars ("Show data", "Download as PNG", "Fullscreen", "Download as CSV"), not from a chart's tooltip keyed by our
field names ("headline: 108.5%"), not from Streamlit's own skip link. Read from what chromium paints, hovering the
charts and tables as a user would."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import PROJECTOR, painted_text, visit

PAGES = ["", "cluster", "polysilicon", "agri", "debt", "tasks", "projects", "supervision", "targets", "upload",
         "?mode=meeting", "supervision?mode=meeting&screen=1"]
# Names of file kinds and the unit of a file size are what offices call them
ALLOWED = {"PDF", "ZIP", "Excel", "Word", "WPS", "PNG", "CSV", "XLSX", "XLS", "ODS", "XLSB", "TXT", "TSV", "MB"}
NOT_WORDS = re.compile(r"https?://\S+|\S+\.toml|\b(?:XM|ZW)-?\d+|\bS\d{5}\b")   # links, file names, ids as typed


def latin(text: str) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z]{2,}", NOT_WORDS.sub(" ", text)) if w not in ALLOWED}


def test_latin_finds_the_words_a_user_would_see():
    assert latin("Show data 下载 Download as PNG") == {"Show", "data", "Download", "as"}
    assert latin("简报 PDF · 原文 https://www.cn/x.htm · XM03 · XM-101 · S00008 · changning-2023-2025.toml") == set()


@pytest.mark.parametrize("path", PAGES)
def test_no_english_word_is_painted_even_on_hover(open_page, path):
    page, _ = open_page(path)
    seen = latin(painted_text(page))
    for chart in page.locator('[data-testid="stVegaLiteChart"]').filter(visible=True).all()[:8]:
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        for fx, fy in ((0.5, 0.3), (0.5, 0.45), (0.5, 0.62), (0.25, 0.5), (0.75, 0.5)):
            page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
            page.wait_for_timeout(120)
            seen |= latin(painted_text(page))
        assert not page.locator('[data-testid="stElementToolbar"]').filter(visible=True).count()
    for table in page.locator('[data-testid="stTable"], [data-testid="stDataFrame"]').filter(visible=True).all()[:4]:
        table.hover()
        page.wait_for_timeout(150)
        seen |= latin(painted_text(page))
        assert not page.locator('[data-testid="stElementToolbar"]').filter(visible=True).count()
    assert not seen, (path, sorted(seen))


def test_a_unit_s_text_is_shown_as_typed(open_page, demo_dir, tmp_path):
    """A unit's 进展情况 reaches the task detail's table (st.table, which renders Markdown): an image, a link or bold
    in it is shown as the characters typed — no element made, nothing fetched."""
    import shutil
    import subprocess
    import sys

    from tests.browser.conftest import ROOT, start_server
    store = tmp_path / "store"
    shutil.copytree(demo_dir, store)
    typed = "![x](http://127.0.0.1:9/x.png) [点我](javascript:alert(1)) **粗体**"
    report = tmp_path / "进展.csv"
    report.write_text("任务,责任单位,期间,完成状态,进展情况\n"
                      f'1,县委组织部,2025-12,推进中,"{typed}"\n', encoding="utf-8-sig")
    done = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(store), "ingest", str(report)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    server = start_server(store, tmp_path / "streamlit.log")
    try:
        page, _ = open_page(None, **PROJECTOR)
        fetched = []
        page.on("request", lambda r: fetched.append(r.url) if "127.0.0.1:9" in r.url else None)
        visit(page, server.url + "tasks?task=1")
        tables = page.get_by_test_id("stMain").get_by_test_id("stTable")
        cell = tables.locator("td").filter(has_text="粗体").first
        assert cell.inner_text() == typed
        assert tables.locator("img, a[href^='javascript'], strong").count() == 0 and fetched == []
    finally:
        server.stop()
