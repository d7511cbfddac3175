"""Text from an upload or a link shown on a page, made inert."""

from __future__ import annotations

import math

import pandas as pd

_MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()<>#+-.!|~$:"})


def plain(text: object) -> str:
    """Text from an upload (a sheet or file name …) made inert inside Markdown: shown as typed, never as a link,
    image, heading or HTML."""
    return str(text).translate(_MARKDOWN_SPECIALS)


def cell_value(value: object) -> str:
    """A cell as st.table shows a DataFrame's: numbers to four decimals with separators, nothing for a missing
    value (the phone's cards write their cells so too)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.4f}"
    return str(value)


def _cell(value: object) -> str:
    """A cell as st.table shows it, text made inert."""
    return plain(value) if isinstance(value, str) else cell_value(value)


def inert(table):
    """A table (DataFrame or Styler) whose text cells are shown as typed: st.table renders Markdown in its cells, so a
    project name or a unit's progress text could otherwise become a link, or an image the viewer's browser fetches.
    Only what is displayed changes; the table's values stay as they are."""
    styler = table if hasattr(table, "data") and hasattr(table, "format") else table.style
    return styler.format(_cell)
