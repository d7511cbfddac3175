"""Every benchmark of docs/PERFORMANCE.md in one command, and the figures written into that file.

    bash bench/suite.sh [name ...]          (the names below; none: all of them, in this order)
    .venv/bin/python bench/suite.py --list

Each benchmark prints its own Markdown table (medians and spreads of ≥ 5 runs, ratios against its baseline measured in
the same command). This runs them one after another and writes each one's output, verbatim, into the section "Latest
figures" at the top of docs/PERFORMANCE.md, between the markers <!-- suite:NAME --> and <!-- /suite:NAME -->, under
a line with the date, the machine's CPU count and its load average before and after that benchmark (the figures are
wall-clock times: a busy machine shows in them). A subset re-measures only those and leaves the others' figures as
they were, each with its own date. A benchmark that fails is written as failed, with the end of its error output, and
the command exits 1 once the rest have run.

BEFORE=<checkout> (e.g. `git worktree add /tmp/before <commit>`): bench_readmodel.py compares this tree with it;
without it, this tree with itself, which shows the noise of its ratios.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "PERFORMANCE.md"
BEGIN, END = "<!-- suite:begin -->", "<!-- suite:end -->"
BLOCK = re.compile(r"<!-- suite:(\w+) -->.*?<!-- /suite:\1 -->", flags=re.S)

# name → the benchmark's command line (after bench/); the order in which they run and appear
STEPS = {
    "upload": "bench_upload.py --runs 5 --warmup 2",
    "overview": "bench_overview.py --runs 5 --warmup 2",
    "ingest": "bench_ingest.py --runs 5 --rows 200000 1000000",
    "brief": "bench_brief.py --runs 5",
    "workbooks": "bench_workbooks.py --runs 5",
    "phone": "bench_phone.py --runs 5 --warmup 2",
    "fill": "bench_fill.py --runs 5 --warmup 2",
    "pages": "bench_pages.py --runs 5 --warmup 2",
    "warm": "bench_warm.py --runs 5",
    "script": "bench_script.py --runs 5",
    "core": "bench_core.py --runs 5",
    "scale": "bench_scale.py --runs 5",
    "readmodel": "bench_readmodel.py --before {before} --after . --runs 5",
    "viewers": "load_viewers.py --viewers 1 10 30 --runs 3 --client ws",
}
HEADING = """## Latest figures — written by `bash bench/suite.sh`

Each block below is one benchmark's own output, as `bench/suite.py` ran it; the line above it says when, on how many
CPUs and under what load. The sections after this one are the history: what each issue measured, before and after
its change, and why. Re-measure one with `bash bench/suite.sh NAME`; the names:
{names}.
"""


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def block(name: str, command: str, output: str, started: datetime, loads: tuple[str, str], seconds: float,
          failed: int = 0) -> str:
    when = started.strftime("%Y-%m-%d %H:%M UTC")
    state = f"**failed (exit {failed})**" if failed else f"{seconds:.0f} s"
    return (f"<!-- suite:{name} -->\n### {name} — `bench/{command}`\n\n"
            f"{when} · {os.cpu_count()} CPUs · load {loads[0]} before → {loads[1]} after · {state}\n\n"
            f"{output.strip()}\n<!-- /suite:{name} -->")


def write(name: str, text: str, doc: Path = DOC) -> None:
    """Put one benchmark's block into the doc's generated section (made at the top when missing), replacing the
    block of the same name; the blocks stay in STEPS' order."""
    content = doc.read_text(encoding="utf-8")
    if BEGIN not in content:
        first = content.index("\n## ")
        content = f"{content[:first]}\n{BEGIN}\n{END}\n{content[first:]}"
    head, rest = content.split(BEGIN, 1)
    section, tail = rest.split(END, 1)
    blocks = {m.group(1): m.group(0) for m in BLOCK.finditer(section)}
    blocks[name] = text
    ordered = [blocks[n] for n in STEPS if n in blocks] + [b for n, b in blocks.items() if n not in STEPS]
    body = HEADING.format(names=", ".join(STEPS)) + "\n" + "\n\n".join(ordered)
    doc.write_text(f"{head}{BEGIN}\n{body}\n{END}{tail}", encoding="utf-8")


def run(name: str) -> int:
    command = STEPS[name].format(before=os.environ.get("BEFORE", "."))
    print(f"\n## bench/{command}\n", flush=True)
    started, before = datetime.now(UTC), load()
    t0 = time.monotonic()
    done = subprocess.run([sys.executable, *f"bench/{command}".split()], cwd=ROOT, capture_output=True,
                          text=True)
    seconds = time.monotonic() - t0
    print(done.stdout, flush=True)
    output = done.stdout
    if done.returncode:
        print(done.stderr[-3000:], file=sys.stderr, flush=True)
        output += "\n```\n" + "\n".join(done.stderr.strip().splitlines()[-15:]) + "\n```"
    write(name, block(name, command, output, started, (before, load()), seconds, done.returncode))
    return done.returncode


def main(argv: list[str]) -> int:
    if argv == ["--list"]:
        print("\n".join(f"{n}: bench/{c}" for n, c in STEPS.items()))
        return 0
    unknown = [n for n in argv if n not in STEPS]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; one of: {', '.join(STEPS)}", file=sys.stderr)
        return 2
    names = argv or list(STEPS)
    print(f"# cnpark benchmarks — {datetime.now(UTC):%Y-%m-%dT%H:%MZ}, {os.cpu_count()} CPUs, load {load()}")
    failed = [n for n in names if run(n)]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
