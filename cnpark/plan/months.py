"""Months as every part of cnpark writes them: 'YYYY-MM' text, and arithmetic on them."""

from __future__ import annotations

import re
from collections.abc import Iterable

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")     # an as-of month as users type it (2025-06)


def default_month(months: Iterable[str | None], end: str | None = None) -> str | None:
    """The default as-of month, everywhere (pages, CLI, brief, upload preview): the latest month with data — not after
    the plan's end when there is data up to it (an ended plan opens on its final reckoning, whatever came since);
    None when there is none."""
    months = [m for m in months if m]
    within = [m for m in months if end is None or m <= end]
    return max(within or months, default=None)


_LOOSE_MONTH = re.compile(r"^\s*(\d{4})\s*(?:[-/.年]\s*)?(\d{1,2})\s*月?\s*$")


def normalize_month(text: str | None) -> str | None:
    """A month as people type it in a link ('2024-6', '2024/06', '202406', '2024年6月') → '2024-06'; None when it is
    no month ('2099-13', 'abc')."""
    found = _LOOSE_MONTH.match(text or "")
    if not found or not 1 <= int(found.group(2)) <= 12:
        return None
    return f"{found.group(1)}-{int(found.group(2)):02d}"


def month_index(month: str) -> int:
    """'2025-06' → months since year 0, so periods subtract: month_index(b) - month_index(a)."""
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_of(index: int) -> str:
    """Inverse of month_index."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"
