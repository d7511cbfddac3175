"""Pages into PDF in two processes (cnpark/outputs/drawing.py): a chart fits its box as worked out by hand; whichever
side draws which page, and when the child cannot run at all, the PDF has the same pages in the same order."""

import io

import pytest
from pypdf import PdfReader

from cnpark.outputs import drawing
from cnpark.outputs.pdf import A4, Canvas

CHART = '<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="240" height="271" viewBox="0 0 240 271"><g/></svg>'
SPEC = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "width": 100, "height": 60, "title": "甲乙图",
        "data": {"values": [{"v": 1}]}, "mark": "bar", "encoding": {"x": {"field": "v", "type": "quantitative"}}}


def test_a_chart_fits_its_box_centred_across_at_the_top():
    # a box as wide as half the chart and tall enough: scale 0.5, 120 × 135.5, flush with the box's left edge
    assert drawing.fit(CHART, [10, 20, 120, 200]) == (
        '<svg xmlns="http://www.w3.org/2000/svg" class="marks" x="10.0" y="20.0" width="120.0" height="135.5" '
        'viewBox="0 0 240 271"><g/></svg>')
    # a box too short for that: the height decides (100 / 271), 88.6 wide, centred: 10 + (120 − 88.56) / 2 = 25.7
    assert ' x="25.7" y="20.0" width="88.6" height="100.0" ' in drawing.fit(CHART, [10, 20, 120, 100])


def pages() -> Canvas:
    """Four pages: text, a chart under a heading, text, text."""
    doc = Canvas(A4, footer="页脚")
    for n in range(4):
        if n:
            doc.page()
        doc.paragraph(f"第{n + 1}页的文字", 12)
        if n == 1:
            doc.chart_box(doc.margin, doc.y, 200, 150, SPEC)
    return doc


def texts(pdf: bytes) -> list[str]:
    return [p.extract_text().replace("\n", "") for p in PdfReader(io.BytesIO(pdf), strict=True).pages]


def footer(n: int) -> str:
    return f"页脚 · 第 {n} / 4 页"


@pytest.mark.parametrize("child", [None, "charts", "text"])
def test_the_pages_come_back_in_order_whoever_draws_them(child):
    doc = pages()
    drawn = texts(doc.pdf(drawing.Child(charts=child == "charts") if child else None))
    assert [drawn[0], drawn[2], drawn[3]] == [f"第{n}页的文字{footer(n)}" for n in (1, 3, 4)]
    assert drawn[1].startswith("第2页的文字") and drawn[1].endswith(footer(2))
    assert "甲乙图" in drawn[1]                                                        # the chart's title: drawn


def test_a_child_that_cannot_run_leaves_its_pages_to_this_process(monkeypatch):
    monkeypatch.setattr(drawing.sys, "executable", "/nonexistent/python")
    child = drawing.Child(charts=False)
    assert child.process is None
    assert texts(pages().pdf(child)) == texts(pages().pdf())


def test_a_child_that_fails_leaves_its_pages_to_this_process(monkeypatch):
    """A child that starts but writes nothing (here: Python told to run no file) is not taken at its word."""
    monkeypatch.setattr(drawing, "__file__", "/nonexistent/drawing.py")
    child = drawing.Child(charts=True)
    assert child.process is not None
    assert texts(pages().pdf(child)) == texts(pages().pdf())
    assert child.process.returncode != 0


def test_the_child_runs_isolated_from_cnpark():
    """It is run as a file with -I: nothing of cnpark is importable there, so it imports only vl_convert."""
    text = open(drawing.__file__, encoding="utf-8").read()
    assert "import cnpark" not in text and "from cnpark" not in text
