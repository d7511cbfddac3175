"""A leader's phone: whether this run draws for a phone, and a table as a list of cards there (the same cells, the
same words, the same colours as the desktop's table, one card a row).

A phone is told by its browser's User-Agent ("Mobi" in it, as every phone browser and the chat apps' browsers send;
a tablet's does not, and gets the desktop's page): the server draws the page once, for the device that asked, so a
phone neither downloads nor lays out what only a desktop shows. Width alone (the pages' media query, ui/style.py)
still stacks what a narrow window cannot hold side by side.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from html import escape

import pandas as pd
import streamlit as st

from cnpark.outputs.charts import text_em
from cnpark.ui.text import cell_value

PHONE_MARKS = ("Mobi", "iPhone", "HarmonyOS")      # "Mobile", "Mobile Safari", "Mobile/15E148" …
TITLE_EM = 16       # a chart title's line on a phone: 16 characters of 15 px over a plot and its axis


def is_phone(headers: Mapping[str, str]) -> bool:
    """Whether a request's headers are a phone's: its User-Agent says so, or its client hint does (Sec-CH-UA-Mobile:
    ?1, which Chromium browsers send over HTTPS)."""
    agent = headers.get("User-Agent") or ""
    return any(mark in agent for mark in PHONE_MARKS) or headers.get("Sec-CH-UA-Mobile") == "?1"


def on_phone() -> bool:
    """Whether this run's viewer is on a phone (the websocket's request headers; none in a test without a browser)."""
    try:
        return is_phone(st.context.headers)
    except Exception:      # no request behind this run (AppTest, a bare script)
        return False


def title_lines(text: str, em: float = TITLE_EM) -> str | list[str]:
    """A chart's title in lines that fit a phone's chart: a new line before a bracketed note, else after a comma or
    wherever a line would pass em characters (a digit or Latin letter counts about half)."""
    brackets = re.split(r"(?=（)", text)
    out: list[str] = []
    for block in brackets:
        line = ""
        for piece in re.split(r"(?<=[，、])", block):
            if line and text_em(line + piece) > em:
                out.append(line)
                line = ""
            for c in piece:
                if line and text_em(line + c) > em:
                    out.append(line)
                    line = ""
                line += c
        if line:
            out.append(line)
    return out if len(out) > 1 else text


def cell_text(value: object) -> str:
    """A cell as the desktop's table shows it (text.cell_value), escaped for HTML."""
    return escape(cell_value(value))


def cards(frame: pd.DataFrame, style: Callable[[str, int], str] = lambda column, i: "") -> None:
    """The table as cards (cards_html)."""
    if len(frame.columns):
        st.html(cards_html(frame, style))


def cards_html(frame: pd.DataFrame, style: Callable[[str, int], str] = lambda column, i: "") -> str:
    """The table as cards: a row's first cell is its card's heading and its other cells follow as 列名 值, in the
    style the desktop's table gives that cell (style(column, row number) → CSS, e.g. a state word's colour). Rows
    that share their first cell with the row before go into the same card (a unit's list under the unit once).
    An empty cell is left out."""
    first, *rest = frame.columns
    out: list[str] = []
    heading = None
    for i, row in enumerate(frame.itertuples(index=False)):
        cells = dict(zip(frame.columns, row))
        fields = "".join(f'<span class="cn-card-field"><span class="cn-card-key">{escape(str(c))}</span>'
                         f'<span style="{style(str(c), i)}">{text}</span></span>'
                         for c in rest if (text := cell_text(cells[c])))
        title = cell_text(cells[first])
        if title != heading or not out:
            if out:
                out.append("</div>")
            out.append(f'<div class="cn-card"><div class="cn-card-title" style="{style(str(first), i)}">'
                       f"{title or '—'}</div>")
            heading = title
        out.append(f'<div class="cn-card-row">{fields}</div>')
    out.append("</div>")
    return f'<div class="cn-cards">{"".join(out)}</div>'
