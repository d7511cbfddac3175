"""Laid-out pages into one-page PDFs with vl-convert, in this process and in one child process beside it.

A page (as pdf.Canvas lays it out) is an SVG whose charts are still to be drawn: {"svg": "<svg …>…<!--chart 0-->…",
"charts": [{"spec": a Vega-Lite spec, "box": [x, y, width, height]}, …]}. draw() turns each spec into SVG, fits it
in its box and turns the page into PDF.

Why a child: vl-convert holds Python's GIL in every call, and svg2pdf reopens and maps the 20 MB CJK font four times
for each glyph it sets (the kernel's mapping and unmapping is most of a text page's time: docs/PERFORMANCE.md,
issue 24), so a second process is the only way to use the second CPU. The pages with charts are drawn on the side
whose chart engine is ready — this process in the server, where it is warm; a child the command line starts before
it reads the store — and the pages of text on the other side. If the child cannot run, this process draws its pages.

Run as that child:  python -I drawing.py [charts]  < the pages as a JSON list  > for each page its length in bytes,
a newline and the PDF ("charts": start vl-convert's chart engine while the parent is still reading the store).
Standard library and vl_convert only (it runs isolated, without cnpark on its path).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import threading

import vl_convert as vlc

SLOT = "<!--chart {}-->"      # where a page's n-th chart goes
TIMEOUT = 120                 # seconds the child may take before its pages are drawn here instead


def svg_size(svg: str) -> tuple[float, float]:
    head = svg[: svg.index(">")]
    return tuple(float(re.search(rf' {a}="([\d.]+)', head).group(1)) for a in ("width", "height"))


def place(svg: str, x: float, y: float, scale: float = 1.0) -> str:
    """A vl-convert SVG as an element of a page at (x, y), scaled (the drawing keeps its own units)."""
    w, h = svg_size(svg)
    head, rest = svg.split(">", 1)
    head = re.sub(r' (width|height|viewBox)="[^"]*"', "", head)   # vl-convert's own
    return (f'{head} x="{x:.1f}" y="{y:.1f}" width="{w * scale:.1f}" height="{h * scale:.1f}" '
            f'viewBox="0 0 {w:g} {h:g}">{rest}')


def fit(svg: str, box: list[float]) -> str:
    """A chart's SVG fitted inside its box [x, y, width, height]: centred across, at the top."""
    x, y, width, height = box
    w, h = svg_size(svg)
    scale = min(width / w, height / h)
    return place(svg, x + (width - w * scale) / 2, y, scale)


def filled(page: dict) -> str:
    """The page's SVG with its charts drawn from their specs into their boxes."""
    svg = page["svg"]
    for n, chart in enumerate(page["charts"]):
        svg = svg.replace(SLOT.format(n), fit(vlc.vegalite_to_svg(chart["spec"]), chart["box"]), 1)
    return svg


def draw(page: dict) -> bytes:
    """One page as a one-page PDF."""
    return vlc.svg_to_pdf(filled(page))


class Child:
    """A process beside this one that draws pages; `charts`: it draws the pages with charts (and starts vl-convert's
    chart engine at once, before it has any), else the pages without."""

    def __init__(self, charts: bool = False):
        self.charts, self.out, self.process = charts, tempfile.TemporaryFile(), None
        try:
            self.process = subprocess.Popen([sys.executable, "-I", __file__, *(["charts"] if charts else [])],
                                            stdin=subprocess.PIPE, stdout=self.out, stderr=subprocess.DEVNULL)
        except OSError:
            pass

    def send(self, pages: list[dict]) -> None:
        """Give the child its pages (written by a thread: the child may still be starting its chart engine)."""
        data = json.dumps(pages, ensure_ascii=False).encode()

        def write() -> None:
            try:
                self.process.stdin.write(data)
                self.process.stdin.close()
            except OSError:
                pass                                    # a child that died: pdfs() says so
        threading.Thread(target=write, daemon=True).start()

    def pdfs(self, count: int) -> list[bytes] | None:
        """The child's `count` PDFs, in order, once it is done; None when it failed or took too long."""
        try:
            self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.close()
            return None
        self.out.seek(0)
        data, found = self.out.read(), []
        while data and self.process.returncode == 0:
            length, _, data = data.partition(b"\n")
            found.append(data[:int(length)])
            data = data[int(length):]
        self.out.close()
        return found if len(found) == count and all(found) else None

    def close(self) -> None:
        """End a child whose pages are no longer wanted."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.out.close()


def pdfs(pages: list[dict], child: Child | None = None) -> list[bytes]:
    """Each page as a one-page PDF, in order: the pages with charts on the side whose chart engine is ready (here,
    unless `child` is a Child(charts=True) already started), the other pages on the other side."""
    with_charts = [bool(p["charts"]) for p in pages]
    if child is None and 0 < sum(with_charts) < len(pages):
        child = Child(charts=False)
    theirs = [i for i, c in enumerate(with_charts) if child and c == child.charts]
    if child and (not theirs or child.process is None):
        child.close()
        theirs = []
    if theirs:
        child.send([pages[i] for i in theirs])
    out = {i: draw(p) for i, p in enumerate(pages) if i not in theirs}
    if theirs:
        found = child.pdfs(len(theirs)) or [draw(pages[i]) for i in theirs]
        out.update(zip(theirs, found))
    return [out[i] for i in range(len(pages))]


def main() -> None:
    if "charts" in sys.argv[1:]:
        vlc.vegalite_to_svg({"mark": "point"})   # the chart engine's start (~0.7 s), while the parent reads the store
    for page in json.load(sys.stdin.buffer):
        data = draw(page)
        sys.stdout.buffer.write(b"%d\n" % len(data) + data)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
