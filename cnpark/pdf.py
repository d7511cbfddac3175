"""Pages drawn as SVG (text, boxes, tables, vl-convert charts) and turned into PDF or PNG by vl-convert.

Why this way: svg2pdf inside vl-convert keeps text as text (the brief can be searched and tested) and embeds a
subset of Noto Sans CJK; the gauges are drawn by the same engine, from the same specs, as the pages. Nothing
beyond the pinned stack: Pillow (a Streamlit dependency) measures text for wrapping, and the one-page PDFs that
svg_to_pdf writes are joined by merge_pdfs below.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from xml.sax.saxutils import escape

import vl_convert as vlc

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


def wrap(text: str, size: float, room: float, bold: bool = False) -> list[str]:
    """Lines that fit `room` points; Chinese may break between any two characters."""
    lines = [""]
    for ch in text:
        if lines[-1] and text_width(lines[-1] + ch, size, bold) > room:
            lines.append("")
        lines[-1] += ch
    return lines


def svg_size(svg: str) -> tuple[float, float]:
    head = svg[: svg.index(">")]
    return tuple(float(re.search(rf' {a}="([\d.]+)', head).group(1)) for a in ("width", "height"))


class Canvas:
    """Pages of a fixed size filled from the top; `y` is the next free line on the current page."""

    def __init__(self, size: tuple[float, float] = A4, margin: float = 40, footer: str = ""):
        font_file(False)
        self.width, self.height = size
        self.margin, self.footer = margin, footer
        self.pages: list[list[str]] = []
        self.page()

    @property
    def room(self) -> float:
        return self.width - 2 * self.margin

    def page(self) -> None:
        self.parts: list[str] = []
        self.pages.append(self.parts)
        self.y = self.margin

    def need(self, height: float) -> None:
        """Start a new page unless `height` more points fit on this one."""
        if self.y + height > self.height - self.margin - 14 and self.parts:
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
        w, h = svg_size(svg)
        head, rest = svg.split(">", 1)
        head = re.sub(r' (width|height|viewBox)="[^"]*"', "", head)   # vl-convert's own; the drawing keeps its units
        self.parts.append(f'{head} x="{x:.1f}" y="{y:.1f}" width="{w * scale:.1f}" height="{h * scale:.1f}" '
                          f'viewBox="0 0 {w:g} {h:g}">{rest}')
        return h * scale

    def table(self, head: list[str], rows: list[list[str]], widths: list[float], size: float = 8.5,
              pad: float = 3.0) -> None:
        """A table whose cells wrap; a row never splits across pages and the heading repeats on each page."""
        lead = size * 1.35
        scale = self.room / sum(widths)
        widths = [w * scale for w in widths]

        def draw(cells: list[str], bold: bool = False, fill: str | None = None) -> None:
            lines = [wrap(c, size, w - 2 * pad, bold) for c, w in zip(cells, widths)]
            h = max(map(len, lines)) * lead + 2 * pad
            page_before = len(self.pages)
            self.need(h)
            if len(self.pages) > page_before and not bold:
                draw(head, bold=True, fill="#D9D9D9")
            if fill:
                self.rect(self.margin, self.y, self.room, h, fill=fill)
            x = self.margin
            for cell, w in zip(lines, widths):
                for i, line in enumerate(cell):
                    self.text(x + pad, self.y + pad + (i + 0.8) * lead, line, size, bold)
                x += w
            self.parts.append(f'<path d="M{self.margin} {self.y + h:.1f}h{self.room:.1f}" stroke="#888" '
                              'stroke-width="0.4"/>')
            self.y += h

        draw(head, bold=True, fill="#D9D9D9")
        for k, cells in enumerate(rows):
            draw(cells, fill="#F2F2F2" if k % 2 else None)

    def svgs(self) -> list[str]:
        """Each page as one SVG document (with the footer and page number when there is a footer)."""
        out = []
        for i, parts in enumerate(self.pages, 1):
            footer = ""
            if self.footer:
                label = f"{self.footer} · 第 {i} / {len(self.pages)} 页"
                footer = (f'<text x="{self.width / 2:.1f}" y="{self.height - self.margin + 8:.1f}" font-size="8" '
                          f'text-anchor="middle" fill="#444">{escape(label)}</text>')
            out.append(f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{self.height}" '
                       f'font-family="{FAMILY}"><rect width="100%" height="100%" fill="#FFF"/>'
                       f'{"".join(parts)}{footer}</svg>')
        return out

    def pdf(self) -> bytes:
        return merge_pdfs([vlc.svg_to_pdf(svg) for svg in self.svgs()])

    def pngs(self, scale: float = 1.0) -> list[bytes]:
        return [vlc.svg_to_png(svg, scale=scale) for svg in self.svgs()]


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
