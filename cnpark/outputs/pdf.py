"""Pages drawn as SVG (text, boxes, tables, vl-convert charts) and turned into PDF or PNG by vl-convert.

Why this way: svg2pdf inside vl-convert keeps text as text (the brief can be searched and tested) and embeds a
subset of Noto Sans CJK; the gauges are drawn by the same engine, from the same specs, as the pages. Nothing
beyond the pinned stack: Pillow (a Streamlit dependency) measures text for wrapping, drawing.py turns the pages into
one-page PDFs (in this process and one beside it) and merge_pdfs below joins them.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from xml.sax.saxutils import escape

import vl_convert as vlc

from cnpark.outputs.drawing import SLOT, Child, filled, pdfs, place, svg_size

A4 = (595.28, 841.89)        # points; svg2pdf maps one SVG unit to one point
SLIDE = (1280.0, 720.0)      # 16:9, for PNG slides
FAMILY = "Noto Sans CJK SC"  # exactly one family: vl-convert draws no text at all when a named family is missing
FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts"))
SC_FACE = 2                  # Simplified Chinese face in Debian's NotoSansCJK-*.ttc


class FontMissing(RuntimeError):
    pass


@functools.cache
def font_file(bold: bool) -> Path:
    name = f"NotoSansCJK-{'Bold' if bold else 'Regular'}.ttc"
    for folder in FONT_DIRS:
        found = next(iter(sorted(folder.rglob(name))), None) if folder.exists() else None
        if found:
            return found
    raise FontMissing("缺少中文字体 Noto Sans CJK：请安装 fonts-noto-cjk（scripts/start.sh 与 scripts/test.sh 会安装）")


@functools.cache
def _face(size: float, bold: bool):
    from PIL import ImageFont
    return ImageFont.truetype(str(font_file(bold)), max(1, int(size * 10)), index=SC_FACE)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of text set in Noto Sans CJK SC (the font the PDF embeds)."""
    return _face(size, bold).getlength(text) / 10


# Line breaking: Chinese may break between any two characters, but never inside a token — a month (2025-12), a number
# with its unit (9,000 万元, 60.4 个百分点, 2022年, 第12条), a Latin word or code — and never before a closing mark or after
# an opening one (“(四)” stays whole, no line starts with “）” or “，”).
_UNITS = "万元/人|万元/亩|个百分点|万美元|万元|亿元|万吨|吨|户|个|元|年|月|日|条|项|页"
_TOKEN = re.compile(rf"(?:[≥≤] )?第?[\x21-\x7e]*\d[\x21-\x7e]*(?: ?(?:{_UNITS}))?|[\x21-\x7e]+|\s+|.", re.S)
_OPENING = tuple("（(［[｛{〔【《〈「『“‘")
_CLOSING = tuple("）)］]｝}〕】》〉」』”’，。、；：！？,.;:!?%…")


def _atoms(text: str) -> list[str]:
    """The unbreakable pieces of a line, in order: tokens with their opening marks before and closing marks after."""
    out: list[str] = []
    for token in _TOKEN.findall(text):
        if out and not out[-1].isspace() and (token.startswith(_CLOSING) or out[-1].endswith(_OPENING)):
            out[-1] += token
        else:
            out.append(token)
    return out


def wrap(text: str, size: float, room: float, bold: bool = False) -> list[str]:
    """Lines that fit `room` points, broken between Chinese characters or at spaces, never inside a token (above); a
    token wider than a whole line is split at its space (number | unit), and only failing that between characters."""
    lines = [""]

    def put(piece: str, split: bool = True) -> None:
        if piece.isspace() and not lines[-1].strip():
            return                                    # no line starts with a space
        if lines[-1] and text_width(lines[-1] + piece, size, bold) > room:
            if piece.isspace():
                return                                # a break at a space drops the space
            lines.append("")
        if not lines[-1] and split and text_width(piece, size, bold) > room:
            parts = re.split(r"(?<= )(?=\S)", piece)
            for part in (parts if len(parts) > 1 else piece):
                put(part, split=len(parts) > 1)
            return
        lines[-1] += piece

    for atom in _atoms(text):
        put(atom)
    return [line.rstrip() for line in lines]


def grouped_rows(frame, by: str) -> tuple[list[str], list[list[str] | str]]:
    """A frame's rows for Canvas.table under a heading row for each value of column `by`, in the frame's order
    ("县产业园区管委会（11 项）", then its rows without that column): the columns and the rows."""
    columns = [c for c in frame.columns if c != by]
    rows: list[list[str] | str] = []
    for value in dict.fromkeys(frame[by]):
        these = frame[frame[by] == value]
        rows += [f"{value}（{len(these)} 项）", *these[columns].astype(str).values.tolist()]
    return columns, rows


class Canvas:
    """Pages of a fixed size filled from the top; `y` is the next free line on the current page."""

    def __init__(self, size: tuple[float, float] = A4, margin: float = 40, footer: str = "", footer_size: float = 8):
        font_file(False)
        self.width, self.height = size
        self.margin, self.footer, self.footer_size = margin, footer, footer_size
        self.on_page = None                    # called on each new page, e.g. to draw a slide's heading again
        self.pages: list[list[str]] = []
        self.charts: list[list[dict]] = []     # each page's charts still to draw (drawing.py)
        self.page()

    @property
    def room(self) -> float:
        return self.width - 2 * self.margin

    def page(self) -> None:
        self.parts: list[str] = []
        self.pages.append(self.parts)
        self.charts.append([])
        self.y = self.margin
        if self.on_page:
            self.on_page()
        self.top = self.y                      # where this page's own content starts

    def need(self, height: float) -> None:
        """Start a new page unless `height` more points fit on this one."""
        if self.y + height > self.height - self.margin - 14 and self.y > self.top:
            self.page()

    def text(self, x: float, y: float, text: str, size: float = 9, bold: bool = False, anchor: str = "start",
             fill: str = "#000") -> None:
        weight = ' font-weight="bold"' if bold else ""
        self.parts.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
                          f'fill="{fill}"{weight}>{escape(text)}</text>')

    def paragraph(self, text: str, size: float = 9, bold: bool = False, indent: float = 0, fill: str = "#000",
                  gap: float = 1.4) -> None:
        for line in wrap(text, size, self.room - indent, bold):
            self.need(size * gap)
            self.text(self.margin + indent, self.y + size, line, size, bold, fill=fill)
            self.y += size * gap

    def rect(self, x: float, y: float, w: float, h: float, fill: str = "none", stroke: str = "none") -> None:
        self.parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{fill}" '
                          f'stroke="{stroke}" stroke-width="0.6"/>')

    def chart(self, x: float, y: float, svg: str, scale: float = 1.0) -> float:
        """Place a vl-convert SVG at (x, y), scaled; returns the height it takes."""
        self.parts.append(place(svg, x, y, scale))
        return svg_size(svg)[1] * scale

    def chart_box(self, x: float, y: float, width: float, height: float, spec: dict) -> None:
        """Keep a box for a chart drawn later from its Vega-Lite spec, when the page is (drawing.fit: inside the box,
        centred across, at the top): the layout does not wait for the drawing."""
        self.parts.append(SLOT.format(len(self.charts[-1])))
        self.charts[-1].append({"spec": spec, "box": [x, y, width, height]})

    def table(self, head: list[str], rows: list[list[str] | str], widths: list[float], size: float = 8.5,
              pad: float = 3.0) -> None:
        """A table whose cells wrap; a row never splits across pages and the heading repeats on each page. A row given
        as a str is a group heading across the whole table (a unit over its items): kept with the row after it, and
        repeated (续) above its remaining rows on a new page."""
        lead = size * 1.35
        scale = self.room / sum(widths)
        widths = [w * scale for w in widths]

        def layout(cells: list[str] | str, bold: bool) -> tuple[list[list[str]], list[float], float]:
            cells, across = ([cells], [self.room]) if isinstance(cells, str) else (cells, widths)
            lines = [wrap(c, size, w - 2 * pad, bold) for c, w in zip(cells, across)]
            return lines, across, max(map(len, lines)) * lead + 2 * pad

        heading = layout(head, True)
        laid = [layout(row, isinstance(row, str)) for row in rows]
        group: list = []

        def draw(cell_lines: tuple, bold: bool, fill: str | None, keep: float = 0.0) -> None:
            lines, across, h = cell_lines
            page_before = len(self.pages)
            self.need(h + keep)
            if len(self.pages) > page_before and cell_lines is not heading:
                draw(heading, True, "#D9D9D9")
                if group and cell_lines is not group[0]:
                    draw(layout(f"{group[1]}（续）", True), True, "#E8EEF4")
            if fill:
                self.rect(self.margin, self.y, self.room, h, fill=fill)
            x = self.margin
            for cell, w in zip(lines, across):
                for i, line in enumerate(cell):
                    self.text(x + pad, self.y + pad + (i + 0.8) * lead, line, size, bold)
                x += w
            self.parts.append(f'<path d="M{self.margin} {self.y + h:.1f}h{self.room:.1f}" stroke="#888" '
                              'stroke-width="0.4"/>')
            self.y += h

        draw(heading, True, "#D9D9D9", keep=laid[0][2] if laid else 0.0)
        stripe = 0
        for k, (row, cell_lines) in enumerate(zip(rows, laid)):
            if isinstance(row, str):
                group[:] = [cell_lines, row]
                draw(cell_lines, True, "#E8EEF4", keep=laid[k + 1][2] if k + 1 < len(laid) else 0.0)
                stripe = 0
                continue
            draw(cell_lines, False, "#F2F2F2" if stripe % 2 else None)
            stripe += 1

    def svgs(self) -> list[str]:
        """Each page as one SVG document (with the footer and page number when there is a footer)."""
        out = []
        for i, parts in enumerate(self.pages, 1):
            footer = ""
            if self.footer:
                label = f"{self.footer} · 第 {i} / {len(self.pages)} 页"
                footer = (f'<text x="{self.width / 2:.1f}" y="{self.height - self.margin + 8:.1f}" '
                          f'font-size="{self.footer_size}" '
                          f'text-anchor="middle" fill="#444">{escape(label)}</text>')
            out.append(f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{self.height}" '
                       f'font-family="{FAMILY}"><rect width="100%" height="100%" fill="#FFF"/>'
                       f'{"".join(parts)}{footer}</svg>')
        return out

    def pdf(self, child: Child | None = None) -> bytes:
        """The pages as one PDF, drawn here and in a child process (drawing.pdfs; `child`: one already started)."""
        return merge_pdfs(pdfs(self.laid_out(), child))

    def pngs(self, scale: float = 1.0) -> list[bytes]:
        return [vlc.svg_to_png(filled(page), scale=scale) for page in self.laid_out()]

    def laid_out(self) -> list[dict]:
        """The pages as drawing.py takes them: each SVG with the charts still to draw in it."""
        return [{"svg": svg, "charts": charts} for svg, charts in zip(self.svgs(), self.charts)]


# ------------------------------------------------------------------------------------------------ merging

_REF = re.compile(rb"(\d+) 0 R")


def _objects(pdf: bytes) -> dict[int, bytes]:
    """Object number → body, found through the classic xref table that svg2pdf writes (a stream's bytes are
    taken by its /Length, whatever they contain)."""
    xref = int(pdf[pdf.rindex(b"startxref") + 9:].split()[0])
    lines = pdf[xref:pdf.index(b"trailer", xref)].split(b"\n")
    first, count = map(int, lines[1].split())
    out = {}
    for i, line in enumerate(lines[2:2 + count]):
        offset, _, kind = line.split()[:3]
        if kind != b"n":
            continue
        start = pdf.index(b"obj", int(offset)) + 3
        stream = pdf.find(b"stream", start)
        end = pdf.index(b"endobj", start)
        if 0 <= stream < end:
            length = int(re.search(rb"/Length (\d+)", pdf[start:stream]).group(1))
            data = stream + 6 + (2 if pdf[stream + 6:stream + 8] == b"\r\n" else 1)
            end = pdf.index(b"endobj", data + length)
        out[first + i] = pdf[start:end]
    return out


def merge_pdfs(pdfs: list[bytes]) -> bytes:
    """One PDF with the pages of the given one-page PDFs, in order (objects renumbered, one page tree).

    Written for svg2pdf's output: a classic xref table, no object streams, no incremental updates.
    tests/test_brief.py reads the result with pypdf, so a change in that output is caught.
    """
    bodies, kids, base = [], [], 3                      # 1: Catalog, 2: Pages
    for pdf in pdfs:
        objects = _objects(pdf)
        tree = {n for n, b in objects.items() if re.search(rb"/Type /(Catalog|Pages)\b", b.split(b"stream", 1)[0])}
        numbers = {n: base + i for i, n in enumerate(sorted(set(objects) - tree))}
        def renumber(m: re.Match, numbers: dict[int, int] = numbers) -> bytes:
            return b"%d 0 R" % numbers.get(int(m.group(1)), 2)                 # the old page tree → the new one

        for n, new in numbers.items():
            head, sep, rest = objects[n].partition(b"stream")
            head = _REF.sub(renumber, head)
            if re.search(rb"/Type /Page\b", head):
                kids.append(new)
            bodies.append((new, head + sep + rest))
        base += len(numbers)
    bodies += [(1, b"<< /Type /Catalog /Pages 2 0 R >>"),
               (2, b"<< /Type /Pages /Count %d /Kids [%s] >>" % (len(kids), b" ".join(b"%d 0 R" % k for k in kids)))]
    out, offsets = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), {}
    for n, body in sorted(bodies):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + body.strip(b"\n") + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % base + b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, base))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (base, xref)
    return bytes(out)
