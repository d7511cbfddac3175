"""A Word document (.docx) in the conventions of a Chinese government document (GB/T 9704 公文格式): A4, its margins,
its faces and sizes, headings numbered in the text, tables that repeat their header row, a "— N —" page number.

Faces (each role's face is the government font; the document's font table names the fallback that Word and WPS use
where that font is not installed — the fonts this project installs, Debian fonts-noto-cjk):

| 用途 | 字号 | 字体 | 备用字体 (w:altName) |
|---|---|---|---|
| 标题 | 2号 (22 pt) | 方正小标宋简体 | Noto Serif CJK SC |
| 正文、三级标题 (1.，加粗) | 3号 (16 pt) | 仿宋_GB2312 | Noto Serif CJK SC |
| 一级标题 (一、) | 3号 | 黑体 | Noto Sans CJK SC |
| 二级标题 (（一）) | 3号 | 楷体_GB2312 | Noto Serif CJK SC |
| 表格 | 5号 (10.5 pt; 表头黑体) | 仿宋_GB2312 | Noto Serif CJK SC |
| 页码 | 4号 (14 pt) | 宋体 | Noto Serif CJK SC |

Body: first-line indent 2 characters, fixed line spacing 28 pt (22 lines a page). Margins: top 3.7 cm, bottom 3.5 cm,
left 2.8 cm, right 2.6 cm (text width 15.6 cm). LibreOffice does not read w:altName: it needs the same table as
fontconfig aliases (tests/test_report_render.py writes them), or it sets every face in one sans-serif.
"""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from lxml import etree

SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
TITLE_FACE, BODY_FACE, H1_FACE, H2_FACE, PAGE_FACE = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
FALLBACKS = {TITLE_FACE: SERIF, BODY_FACE: SERIF, H1_FACE: SANS, H2_FACE: SERIF, PAGE_FACE: SERIF}
PAGE = (Cm(21.0), Cm(29.7))
MARGINS = {"top": Cm(3.7), "bottom": Cm(3.5), "left": Cm(2.8), "right": Cm(2.6)}
TEXT_WIDTH_CM = 21.0 - 2.8 - 2.6
BODY, TABLE, LINE, NONE = Pt(16), Pt(10.5), Pt(28), Pt(0)
# A cell beginning with one of these is a formula to Excel (and to WPS when a table is pasted there): written as its
# full-width twin, or as the true minus sign.
FORMULA_START = {"=": "＝", "+": "＋", "-": "−", "@": "＠"}


def safe_cell(text: str) -> str:
    """A cell's text that no spreadsheet takes for a formula (leading blanks and tabs dropped first)."""
    text = str(text).strip()
    return FORMULA_START[text[0]] + text[1:] if text[:1] in FORMULA_START else text


def _faces(rpr, face: str) -> None:
    """Every script's font = face (the theme's fonts removed, or they would win)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme") or attr.endswith("theme"):
            del fonts.attrib[attr]
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), face)


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
    """Name each government face in word/fontTable.xml with its fallback (w:altName), GB2312 charset."""
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE)
    root = parse_xml(part.blob)
    for face, alt in FALLBACKS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), face)
        for tag, value in (("w:altName", alt), ("w:charset", "86"),
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

    def __init__(self, title: str):
        doc = self.doc = new_document()
        self.tables = 0
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
        _style(doc, "表格文字", BODY_FACE, TABLE, align=WD_ALIGN_PARAGRAPH.LEFT, line=None)
        _style(doc, "表头", H1_FACE, TABLE, align=center, line=None)
        _style(doc, "页码", PAGE_FACE, Pt(14), align=center, line=None)
        _style(doc, "落款", BODY_FACE, BODY, align=WD_ALIGN_PARAGRAPH.RIGHT, before=Pt(56))      # two blank lines above
        _font_table(doc)

        section = doc.sections[0]
        section.start_type = WD_SECTION.NEW_PAGE
        section.page_width, section.page_height = PAGE
        for side, value in MARGINS.items():
            setattr(section, f"{side}_margin", value)
        section.header_distance, section.footer_distance = Cm(1.5), Cm(2.3)
        footer = section.footer.paragraphs[0]
        footer.style = doc.styles["页码"]
        footer.add_run("— ")
        _field(footer, "PAGE", "1")
        footer.add_run(" —")

    # ------------------------------------------------------------------------------------------- paragraphs

    def title(self, lines: list[str]) -> None:
        """The title, its lines broken where given."""
        p = self.doc.add_paragraph(style="公文标题")
        for i, line in enumerate(lines):
            run = p.add_run(line)
            if i < len(lines) - 1:
                run.add_break(WD_BREAK.LINE)

    def notice(self, text: str) -> None:
        self.doc.add_paragraph(text, style="醒目提示")

    def heading(self, text: str, level: int) -> None:
        """一、 / （一） / 1. — numbered in the text; the Heading style puts it in the navigation pane."""
        self.doc.add_paragraph(text, style=f"Heading {level}")

    def paragraph(self, text: str, style: str = "Normal", keep: bool = False) -> None:
        """keep: on the page of what follows (a table's lead-in)."""
        self.doc.add_paragraph(text, style=style).paragraph_format.keep_with_next = keep or None

    def placeholder(self, text: str, style: str = "Normal") -> None:
        """A place for the office to write: 【请填写：…】 highlighted yellow."""
        run = self.doc.add_paragraph(style=style).add_run(text)
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    def table(self, caption: str, header: list[str], rows: list[list[str]], widths: list[float],
              center: set[int] = frozenset(), keep: bool = False) -> None:
        """A bordered table (widths in cm, filling the text width) under its numbered caption; the header row repeats on each
        page, no row splits across pages; columns in `center` are centred; keep: the whole table on one page (for
        a few short rows)."""
        assert abs(sum(widths) - TEXT_WIDTH_CM) < 0.05 and all(len(r) == len(header) for r in rows), caption
        self.tables += 1
        self.doc.add_paragraph(f"表{self.tables} {caption}", style="表题")
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
        width = tblpr.find(qn("w:tblW"))
        width.set(qn("w:w"), str(round(sum(widths) / 2.54 * 1440)))
        width.set(qn("w:type"), "dxa")
        for column, w in zip(table.columns, widths):
            column.width = Cm(w)
        for i, values in enumerate([header, *rows]):
            row = table.add_row()
            trpr = row._tr.get_or_add_trPr()    # noqa: SLF001
            trpr.append(OxmlElement("w:cantSplit"))
            if i == 0:
                trpr.append(OxmlElement("w:tblHeader"))
            for j, (cell, value) in enumerate(zip(row.cells, values)):
                cell.width = Cm(widths[j])
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                p = cell.paragraphs[0]
                p.style = self.doc.styles["表头" if i == 0 else "表格文字"]
                if i and j in center:
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                if keep and i < len(rows):          # a short table stays on one page
                    p.paragraph_format.keep_with_next = True
                p.add_run(safe_cell(value))

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

