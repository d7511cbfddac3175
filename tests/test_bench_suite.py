"""bench/suite.py writes each benchmark's output into docs/PERFORMANCE.md's "Latest figures": one block per benchmark,
replaced when it is measured again, in the suite's order, with the date, CPU count and load beside it; the rest of
the document untouched."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import suite  # noqa: E402

DOC = "# Performance\n\nIntro.\n\n## Issue 23\n\nold figures\n"
WHEN = datetime(2026, 12, 5, 6, 30, tzinfo=UTC)


def block(name: str, output: str, failed: int = 0) -> str:
    return suite.block(name, suite.STEPS[name], output, WHEN, ("0.50", "1.75"), 61.4, failed)


def test_blocks_are_written_replaced_and_ordered(tmp_path):
    doc = tmp_path / "PERFORMANCE.md"
    doc.write_text(DOC, encoding="utf-8")
    suite.write("brief", block("brief", "| brief | 1 |"), doc)
    suite.write("upload", block("upload", "| upload | 1 |"), doc)
    suite.write("brief", block("brief", "| brief | 2 |", failed=1), doc)
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Performance\n\nIntro.\n\n<!-- suite:begin -->\n## Latest figures")
    assert text.endswith("<!-- suite:end -->\n\n## Issue 23\n\nold figures\n")       # the history below, as it was
    assert text.count("<!-- suite:brief -->") == 1 and "| brief | 1 |" not in text and "| brief | 2 |" in text
    assert text.index("<!-- suite:upload -->") < text.index("<!-- suite:brief -->")   # STEPS' order: upload first
    cpus = os.cpu_count()
    assert f"2026-12-05 06:30 UTC · {cpus} CPUs · load 0.50 before → 1.75 after · 61 s\n\n| upload | 1 |" in text
    assert f"· {cpus} CPUs · load 0.50 before → 1.75 after · **failed (exit 1)**\n\n| brief | 2 |" in text
    assert "### brief — `bench/bench_brief.py --runs 5`" in text


def test_every_step_is_a_benchmark_of_the_repository():
    for name, command in suite.STEPS.items():
        assert (ROOT / "bench" / command.split()[0]).is_file(), name
