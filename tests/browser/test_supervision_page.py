"""督办清单 in a real browser: the list by unit, the comparison bound to ?since=, and the brief downloaded by a click
(the file is made on the server when the button is pressed)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import ROOT, screenshot, wait_rendered

AS_OF, SINCE = "2024-06", "2023-12"


def behind(demo_dir) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(demo_dir), "status", "--as-of", AS_OF,
                           "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    return [t for t in json.loads(done.stdout)["targets"] if t["status"] in ("lagging", "off_track", "missed")]


def test_supervision_page_lists_compares_and_downloads_the_brief(demo_dir, open_page, tmp_path):
    page, errors = open_page(f"supervision?as_of={AS_OF}&since={SINCE}")
    main = page.get_by_test_id("stMain")
    assert page.get_by_test_id("stException").count() == 0
    cards = main.get_by_test_id("stMetric")
    counts = dict(zip(cards.get_by_test_id("stMetricLabel").all_inner_texts(),
                      cards.get_by_test_id("stMetricValue").all_inner_texts()))
    expected = behind(demo_dir)
    assert counts["督办事项"] == str(len(expected))
    assert counts["未达标"] == str(sum(t["status"] == "missed" for t in expected))
    expect(main.get_by_text("县产业园区管委会", exact=False).first).to_be_visible()
    expect(main.get_by_role("combobox", name="与哪个月份相比（上次调度会）")).to_have_value(SINCE)
    screenshot(page, "supervision")

    with page.expect_download(timeout=60_000) as info:
        main.get_by_role("button", name=re.compile("^简报 PDF")).click()
    download = info.value
    assert download.suggested_filename == f"调度会简报-截至{AS_OF}.pdf"
    path = tmp_path / "brief.pdf"
    download.save_as(path)
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(path).pages))
    assert f"截至{AS_OF}" in text and f"与{SINCE}相比的变化" in text and "示例数据" in text
    assert all(t["name"] in text for t in expected)
    wait_rendered(page)
    assert page.get_by_test_id("stException").count() == 0
    assert errors == []


def test_the_final_evaluation_is_downloaded_from_the_supervision_page(demo_dir, open_page, tmp_path):
    """The clerk's way to the 终期评估 draft: one click on the 督办 page, a Word file with every goal's figures."""
    from docx import Document

    page, errors = open_page("supervision?as_of=2025-12")
    main = page.get_by_test_id("stMain")
    with page.expect_download(timeout=60_000) as info:
        main.get_by_role("button", name="终期评估报告（Word）（示例数据）").click()
    download = info.value
    assert download.suggested_filename == "终期评估报告-截至2025-12.docx"
    path = tmp_path / "report.docx"
    download.save_as(path)
    doc = Document(path)
    assert doc.paragraphs[0].text.replace("\n", "") == "云南昌宁产业园区振兴三年行动计划（2023—2025年）终期评估报告"
    done = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(demo_dir), "status", "--as-of", "2025-12",
                           "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert all(t["name"] in cells for t in json.loads(done.stdout)["targets"])
    assert page.get_by_test_id("stException").count() == 0
    assert errors == []
