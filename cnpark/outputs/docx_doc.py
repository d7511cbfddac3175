"""A Word document (.docx) in the conventions of a Chinese government document (GB/T 9704 公文格式): A4, its margins,
its faces and sizes, headings numbered in the text, tables that repeat their header row, a "— N —" page number, a wide
table on pages turned to landscape (its head towards the binding edge) and back to portrait after it.

Faces: each role has its government face and a stand-in from the fonts this project installs (Debian fonts-noto-cjk):

| 用途 | 字号 | 字体 | 替代字体 |
|---|---|---|---|
| 标题 | 2号 (22 pt) | 方正小标宋简体 | Noto Serif CJK SC |
| 正文、三级标题 (1.，加粗) | 3号 (16 pt) | 仿宋_GB2312 | Noto Serif CJK SC |
| 一级标题 (一、) | 3号 | 黑体 | Noto Sans CJK SC |
| 二级标题 (（一）) | 3号 | 楷体_GB2312 | Noto Serif CJK SC |
| 表格 | 5号 (10.5 pt; 表头黑体) | 仿宋_GB2312 | Noto Serif CJK SC |
| 页码 | 4号 (14 pt) | 宋体 | Noto Serif CJK SC |

A run names its face as "stand-in;government face" (font_name). LibreOffice reads that as a list and takes the first
family it has (it ignores the font table's w:altName, w:family and w:panose1, and fontconfig sets an unknown name such
as 仿宋_GB2312 in a sans face); Word and WPS find no font of that name and take the font table's w:altName, the
government face, where it is installed.

Body: first-line indent 2 characters, fixed line spacing 28 pt (22 lines a page). Margins: top 3.7 cm, bottom 3.5 cm,
left 2.8 cm, right 2.6 cm (text 15.6 × 22.5 cm). A table's columns are as wide as their longest unbreakable piece
(text_em): a figure with its unit, a period, a status word never breaks across lines; long texts wrap.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from cnpark.outputs.docx_layout import PAD_EM, column_ems, lines

SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
TITLE_FACE, BODY_FACE, H1_FACE, H2_FACE, PAGE_FACE = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
FALLBACKS = {TITLE_FACE: SERIF, BODY_FACE: SERIF, H1_FACE: SANS, H2_FACE: SERIF, PAGE_FACE: SERIF}
PAGE = (21.0, 29.7)
MARGINS = {"top": 3.7, "bottom": 3.5, "left": 2.8, "right": 2.6}
# Turned with its head to the binding edge: the portrait left margin on top, its top margin on the right.
LANDSCAPE_MARGINS = {"top": 2.8, "bottom": 2.6, "left": 3.5, "right": 3.7}
TEXT_WIDTH_CM = {False: 21.0 - 2.8 - 2.6, True: 29.7 - 3.5 - 3.7}      # portrait 15.6 cm, landscape 22.5 cm
BODY, TABLE, SMALL, LINE, NONE = Pt(16), Pt(10.5), Pt(9), Pt(28), Pt(0)     # 3号, 5号, 小五
MASTHEAD, COLOPHON = Pt(36), Pt(14)        # 发文机关标志 小初; 版记 4号
RED = "FF0000"                              # the 版头's name and rule (GB/T 9704: 红色)
PAGE_NUMBER_GAP = 1.2     # cm from the text's lower edge to the footer's: the page number 7 mm under the text
# A cell beginning with one of these is a formula to Excel (and to WPS when a table is pasted there): written as its
# full-width twin, or as the true minus sign.
FORMULA_START = {"=": "＝", "+": "＋", "-": "−", "@": "＠"}


def safe_cell(text: str) -> str:
    """A cell's text that no spreadsheet takes for a formula (leading blanks and tabs dropped first)."""
    text = str(text).strip()
    return FORMULA_START[text[0]] + text[1:] if text[:1] in FORMULA_START else text


def font_name(face: str) -> str:
    """The name a run gives its face: 'Noto Serif CJK SC;仿宋_GB2312' (module docstring: who reads which part)."""
    return f"{FALLBACKS[face]};{face}"


def _faces(rpr, face: str) -> None:
    """Every script's font = font_name(face) (the theme's fonts removed, or they would win)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme") or attr.endswith("theme"):
            del fonts.attrib[attr]
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), font_name(face))


def _style(doc, name: str, face: str, size: Pt, *, bold: bool = False, base: str | None = "Normal",
           align=None, indent: bool = False, line: Pt | None = LINE, before: Pt = NONE, after: Pt = NONE):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base and style.name != base:
        style.base_style = styles[base]
    rpr = style.element.get_or_add_rPr()
    _faces(rpr, face)
    for tag in ("w:color", "w:i", "w:iCs"):
        for el in rpr.findall(qn(tag)):
            rpr.remove(el)
    style.font.size, style.font.bold = size, bold
    pf = style.paragraph_format
    pf.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.space_before, pf.space_after = before, after
    if line is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing, pf.line_spacing_rule = line, WD_LINE_SPACING.EXACTLY
    pf.first_line_indent = Pt(size.pt * 2) if indent else Pt(0)
    ind = style.element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), "200" if indent else "0")
    return style


def _font_table(doc) -> None:
    """Name each face in word/fontTable.xml with the government face as its alternate name (w:altName), GB2312."""
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE)
    root = parse_xml(part.blob)
    for face, alt in FALLBACKS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), font_name(face))
        for tag, value in (("w:altName", face), ("w:charset", "86"),
                           ("w:family", "modern" if alt == SANS else "roman"), ("w:pitch", "variable")):
            el = OxmlElement(tag)
            el.set(qn("w:val"), value)
            font.append(el)
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)   # noqa: SLF001 (a plain Part)


def _field(paragraph, code: str, shown: str) -> None:
    """A field (PAGE …) as Word writes one: begin, the code, separate, the last result, end."""
    def run(*children):
        r = paragraph.add_run()
        for child in children:
            r._r.append(child)   # noqa: SLF001
        return r

    def char(kind):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    run(char("begin"))
    run(instr)
    run(char("separate"))
    paragraph.add_run(shown)
    run(char("end"))


class Document:
    """A 公文-style document being written, top to bottom."""

    def __init__(self, title: str, polish: Callable[[str], str] = str):
        """polish: the last step of every text written (the report's: evaluation_text.official)."""
        doc = self.doc = new_document()
        self.tables, self.polish, self.wide = 0, polish, False
        thumb = [k for k, r in doc.part.package.rels.items() if r.reltype == RT.THUMBNAIL]
        for key in thumb:                                       # the template's picture of an empty page
            doc.part.package.rels.pop(key)
        props = doc.core_properties
        props.title, props.author, props.last_modified_by, props.comments = title, "", "", ""
        props.language, props.subject, props.keywords = "zh-CN", "", ""
        defaults = doc.styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _faces(rpr, BODY_FACE)
        lang = rpr.find(qn("w:lang"))
        lang.set(qn("w:eastAsia"), "zh-CN")          # Latin text (digits) stays en-US: a number is not broken
        for ppr in (defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")), doc.styles["Normal"].element.get_or_add_pPr()):
            for tag in ("w:autoSpaceDN", "w:autoSpaceDE"):    # 2025年12月, not 2025 年 12 月, as a 公文 writes it
                el = OxmlElement(tag)
                el.set(qn("w:val"), "0")
                ppr.insert(0, el)
        theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
        if theme_lang is not None:
            theme_lang.set(qn("w:eastAsia"), "zh-CN")
        _style(doc, "Normal", BODY_FACE, BODY, base=None, indent=True)
        _style(doc, "Heading 1", H1_FACE, BODY, indent=True).paragraph_format.keep_with_next = True
        _style(doc, "Heading 2", H2_FACE, BODY, indent=True).paragraph_format.keep_with_next = True
        _style(doc, "Heading 3", BODY_FACE, BODY, bold=True, indent=True).paragraph_format.keep_with_next = True
        center = WD_ALIGN_PARAGRAPH.CENTER
        _style(doc, "公文标题", TITLE_FACE, Pt(22), align=center, line=Pt(36), after=LINE)
        _style(doc, "醒目提示", BODY_FACE, Pt(14), bold=True, align=center, line=None, after=Pt(12))
        _style(doc, "表题", H1_FACE, Pt(12), align=center, line=None, before=Pt(6), after=Pt(4)) \
            .paragraph_format.keep_with_next = True
        _style(doc, "表格文字", BODY_FACE, TABLE, align=WD_ALIGN_PARAGRAPH.LEFT, line=_table_line(TABLE))
        _style(doc, "表头", H1_FACE, TABLE, align=center, line=_table_line(TABLE))
        _style(doc, "页码", PAGE_FACE, Pt(14), align=center, line=None)
        _style(doc, "落款", BODY_FACE, BODY, align=WD_ALIGN_PARAGRAPH.RIGHT, before=Pt(56))      # two blank lines above
        _style(doc, "主送", BODY_FACE, BODY, align=WD_ALIGN_PARAGRAPH.LEFT)     # flush left, under the title
        _font_table(doc)

        section = doc.sections[0]
        section.start_type = WD_SECTION.NEW_PAGE
        _page(section, wide=False)
        footer = section.footer.paragraphs[0]
        footer.style = doc.styles["页码"]
        footer.add_run("— ")
        _field(footer, "PAGE", "1")
        footer.add_run(" —")

    # ------------------------------------------------------------------------------------------- paragraphs

    def _add(self, text: str, style: str, wide: bool = False):
        """A paragraph of polished text, in a section of the orientation asked for (a new one where it changes)."""
        if wide != self.wide:
            self.wide = wide
            _page(self.doc.add_section(WD_SECTION.NEW_PAGE), wide)
        return self.doc.add_paragraph(self.polish(text) if text else "", style=style)

    def title(self, lines: list[str]) -> None:
        """The title, its lines broken where given."""
        p = self._add("", "公文标题")
        for i, line in enumerate(lines):
            run = p.add_run(self.polish(line))
            if i < len(lines) - 1:
                run.add_break(WD_BREAK.LINE)

    def notice(self, text: str) -> None:
        self._add(text, "醒目提示")

    def heading(self, text: str, level: int) -> None:
        """一、 / （一） / 1. — numbered in the text; the Heading style puts it in the navigation pane."""
        self._add(text, f"Heading {level}")

    def paragraph(self, text: str, style: str = "Normal", keep: bool = False) -> None:
        """keep: on the page of what follows (a table's lead-in)."""
        self._add(text, style).paragraph_format.keep_with_next = keep or None

    def placeholder(self, text: str, style: str = "Normal") -> None:
        """A place for the office to write: 【请填写：…】 highlighted yellow."""
        self._run(self._add("", style), text, blank=True)

    def _run(self, paragraph, text: str, blank: bool = False):
        """A run of polished text; blank: a place for the office to fill, highlighted as placeholder() marks one."""
        run = paragraph.add_run(self.polish(text))
        if blank:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        return run

    def masthead(self, name: str, issue: str, office: str, date: str, serial: str = "",
                 blanks: frozenset[str] = frozenset()) -> None:
        """The 版头 of a document issued in numbered issues (a 督查通报, a 简报): `serial` (份号) flush left, the
        issuing body's name large and red (发文机关标志), its issue (第N期) under it, then the office flush left and
        the date flush right over a red rule the width of the text. A text in `blanks` is a place to fill."""
        center, left = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT
        if serial:
            _style(self.doc, "份号", H1_FACE, BODY, align=left)
            self._run(self._add("", "份号"), serial, serial in blanks)
        _style(self.doc, "发文机关标志", TITLE_FACE, MASTHEAD, align=center, line=None, before=Pt(12), after=Pt(12))
        self._run(self._add("", "发文机关标志"), name, name in blanks).font.color.rgb = RGBColor.from_string(RED)
        _style(self.doc, "期号", BODY_FACE, BODY, align=center)
        self._run(self._add("", "期号"), issue, issue in blanks)
        line = _style(self.doc, "版头", BODY_FACE, BODY, align=left, after=Pt(18))
        line.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM[False]), WD_TAB_ALIGNMENT.RIGHT)
        p = self._add("", "版头")
        self._run(p, office, office in blanks)
        p.add_run("\t")
        self._run(p, date, date in blanks)
        _border(p, "bottom", RED, 12)

    def colophon(self, lines: list[str], blanks: frozenset[str] = frozenset()) -> None:
        """The 版记 at the end: its lines (报：…, 发：…) between rules, in 4号; a line in `blanks` is a place to fill."""
        _style(self.doc, "版记", BODY_FACE, COLOPHON, align=WD_ALIGN_PARAGRAPH.LEFT, line=None, before=Pt(4),
               after=Pt(4))
        for i, text in enumerate(lines):
            p = self._add("", "版记")
            p.paragraph_format.left_indent = p.paragraph_format.right_indent = Pt(COLOPHON.pt)
            self._run(p, text, text in blanks)
            if i == 0:
                _border(p, "top", "000000", 8)
            _border(p, "bottom", "000000", 8 if i == len(lines) - 1 else 4)

    def table(self, caption: str, header: list[str], rows: list[list[str]], weights: list[float],
              center: set[int] = frozenset(), keep: bool = False, nowrap: set[int] = frozenset(),
              wide: bool | None = None, size: Pt = TABLE) -> None:
        """A bordered table under its numbered caption; the header row repeats on each page, no row splits across
        pages; columns in `center` are centred; keep: the whole table on one page (for a few short rows).
        Widths (docx_layout.column_ems): a `nowrap` column as wide as its widest piece, its cells in lines of whole
        pieces; the others share the rest by `weights`. wide: on landscape pages (None: there only when the
        least widths do not fit the portrait page); size: of its text (5号, or 小五 9 pt for a dense table)."""
        assert len(weights) == len(header) and all(len(r) == len(header) for r in rows), caption
        header = [self.polish(h) for h in header]
        rows = [[safe_cell(self.polish(str(v))) for v in r] for r in rows]
        em_cm = size.pt / 72 * 2.54
        ems = None if wide else column_ems(header, rows, weights, nowrap, TEXT_WIDTH_CM[False] / em_cm)
        wide = wide or ems is None
        ems = ems or column_ems(header, rows, weights, nowrap, TEXT_WIDTH_CM[True] / em_cm)
        if ems is None:          # not even on a landscape page: by weight, and its figures may break
            ems = [w / sum(weights) * TEXT_WIDTH_CM[True] / em_cm for w in weights]
        self.tables += 1
        self._add(f"表{self.tables} {caption}", "表题", wide)
        table = self.doc.add_table(rows=0, cols=len(header))
        table.alignment, table.autofit = WD_TABLE_ALIGNMENT.CENTER, False
        tblpr = table._tbl.tblPr    # noqa: SLF001
        tblpr.append(parse_xml(
            '<w:tblBorders xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
            + '</w:tblBorders>'))
        tblpr.append(parse_xml(
            '<w:tblCellMar xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            '<w:left w:w="45" w:type="dxa"/><w:right w:w="45" w:type="dxa"/></w:tblCellMar>'))
        widths = [Cm(e * em_cm) for e in ems]
        width = tblpr.find(qn("w:tblW"))
        width.set(qn("w:w"), str(sum(w.twips for w in widths)))
        width.set(qn("w:type"), "dxa")
        for column, w in zip(table.columns, widths):
            column.width = w
        for i, values in enumerate([header, *rows]):
            row = table.add_row()
            trpr = row._tr.get_or_add_trPr()    # noqa: SLF001
            trpr.append(OxmlElement("w:cantSplit"))
            if i == 0:
                trpr.append(OxmlElement("w:tblHeader"))
            for j, (cell, value) in enumerate(zip(row.cells, values)):
                cell.width = widths[j]
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                p = cell.paragraphs[0]
                p.style = self.doc.styles["表头" if i == 0 else "表格文字"]
                if i and j in center:
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                if keep and i < len(rows):          # a short table stays on one page
                    p.paragraph_format.keep_with_next = True
                laid = i == 0 or j in nowrap
                run = p.add_run("\n".join(lines(value, ems[j] - PAD_EM)) if laid else value)
                if size != TABLE:
                    run.font.size, p.paragraph_format.line_spacing = size, _table_line(size)

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


_AFTER_BORDERS = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                  "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                  "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                  "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
                  "w:rPr", "w:sectPr", "w:pPrChange")


def _border(paragraph, side: str, colour: str, eighths: int) -> None:
    """A rule on one side of a paragraph (its width is the text's): `eighths` of a point thick."""
    ppr = paragraph._p.get_or_add_pPr()    # noqa: SLF001
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:         # where the schema puts it: after the paragraph's style, before its spacing
        borders = ppr.insert_element_before(OxmlElement("w:pBdr"), *_AFTER_BORDERS)
    el = OxmlElement(f"w:{side}")
    for key, value in (("val", "single"), ("sz", str(eighths)), ("space", "1"), ("color", colour)):
        el.set(qn(f"w:{key}"), value)
    borders.append(el)


def _table_line(size: Pt) -> Pt:
    """A table's lines, fixed at 1.3 times its size (Noto CJK's own spacing is near 1.5: a dense table would run on)."""
    return Pt(round(size.pt * 1.3 * 2) / 2)


def _page(section, wide: bool) -> None:
    """A4 in portrait, or turned to landscape with the margins turned along (LANDSCAPE_MARGINS)."""
    width, height = PAGE
    section.orientation = WD_ORIENT.LANDSCAPE if wide else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Cm(height), Cm(width)) if wide else (Cm(width), Cm(height))
    margins = LANDSCAPE_MARGINS if wide else MARGINS
    for side, value in margins.items():
        setattr(section, f"{side}_margin", Cm(value))
    section.header_distance, section.footer_distance = Cm(1.5), Cm(margins["bottom"] - PAGE_NUMBER_GAP)
