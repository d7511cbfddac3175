"""Text from an upload or a link shown on a page, made inert."""

from __future__ import annotations

_MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()<>#+-.!|~$:"})


def plain(text: object) -> str:
    """Text from an upload (a sheet or file name …) made inert inside Markdown: shown as typed, never as a link,
    image, heading or HTML."""
    return str(text).translate(_MARKDOWN_SPECIALS)
