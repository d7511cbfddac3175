"""Where a table's text may break and how wide its columns are (pure): the layout rule of cnpark/outputs/docx_doc.py's tables.

A text is made of pieces that never break: a figure with its unit and sign (bound by no-break spaces), a period
(2023年9月), a status word. A piece ends at an ordinary space, after 、，；：。 or before （. Widths are in ems of the
table's size, reckoned high (a Chinese character or full-width sign 1 em, % 1 em, a digit or Latin letter 0.6, a space
0.3, a turn between the two 0.25) so that a line that fits here fits in each face the document names (Noto CJK, 仿宋_GB2312: digits ≤ 0.56 em).

A column whose cells must not break (`nowrap`: periods, figures, 完成情况, status words) is at least as wide as its
widest piece, and its cells are laid out here, in lines of whole pieces; the other columns (names, clauses, units)
are at least as wide as their header's widest piece and take what is left, by weight, and wrap between characters.
"""

from __future__ import annotations

from unicodedata import east_asian_width

BREAK_AFTER, BREAK_BEFORE = "、，；：。", "（"
PAD_EM = 0.8            # the cell's margins (2 × 45 twips), its borders, and some room to spare


def _wide(c: str) -> bool:
    return east_asian_width(c) in "WFA"


def text_em(text: str) -> float:
    """The width of a line of text, in ems, reckoned high (with the quarter em LibreOffice sets between Chinese and
    Latin letters or digits, whatever the document asks: 2023年9月 is 5 ems and three of those)."""
    turns = sum(_wide(a) != _wide(b) for a, b in zip(text, text[1:]) if not {a, b} & {" ", "\u00a0"})
    return 0.25 * turns + sum(1.0 if _wide(c) or c == "%" else 0.3 if c in " \u00a0" else 0.6 for c in text)


def pieces(text: str) -> list[tuple[str, str]]:
    """The text cut where a line may end: (piece, the space after it or '')."""
    out: list[tuple[str, str]] = []
    piece = ""
    for c in text:
        if c == " ":
            if piece:
                out.append((piece, " "))
            piece = ""
            continue
        if c in BREAK_BEFORE and piece:
            out.append((piece, ""))
            piece = ""
        piece += c
        if c in BREAK_AFTER:
            out.append((piece, ""))
            piece = ""
    return out + ([(piece, "")] if piece else [])


def widest(text: str) -> float:
    return max((text_em(p) for line in text.split("\n") for p, _ in pieces(line)), default=0.0)


def lines(text: str, width: float) -> list[str]:
    """The text in lines of at most `width` ems, broken only between pieces (a wider piece stays whole)."""
    out = []
    for paragraph in text.split("\n"):
        line = ""
        for piece, gap in pieces(paragraph):
            if line.strip() and text_em(line.rstrip() + piece) > width:
                out.append(line.rstrip())
                line = ""
            line += piece + gap
        out.append(line.rstrip())
    return out


def column_ems(header: list[str], rows: list[list[str]], weights: list[float], nowrap: set[int],
               width: float) -> list[float] | None:
    """Column widths in ems filling `width`: each column at least its header's widest piece, a nowrap column at least
    its cells' widest piece; the rest shared by weight. None when those least widths do not fit."""
    least = [PAD_EM + max([widest(h), *(widest(r[j]) for r in rows)] if j in nowrap else [widest(h), 2.0])
             for j, h in enumerate(header)]
    spare = width - sum(least)
    if spare < 0:
        return None
    total = sum(weights) or 1.0
    return [w + spare * weight / total for w, weight in zip(least, weights)]
