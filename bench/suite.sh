#!/usr/bin/env bash
# Every benchmark of docs/PERFORMANCE.md, one after another; each prints its Markdown table (medians and spreads of
# 5 runs, ratios against its baseline). About 38 minutes on 2 CPUs, plus ~5 the first time bench/synth.py builds
# the S/M/L stores (kept in /tmp/cnpark-synth). Run it on a quiet machine: the figures are wall-clock times.
# BEFORE=<checkout> (e.g. `git worktree add /tmp/before <commit>`): bench_readmodel.py compares this tree with it
# (~4 more minutes); without it, this tree with itself, which shows the noise of its ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
echo "# cnpark benchmarks — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
for step in "bench_scale.py --runs 5" "bench_script.py --runs 5" "bench_overview.py --runs 5 --warmup 2" "bench_pages.py --runs 5 --warmup 2" "bench_fill.py --runs 5 --warmup 2" \
            "bench_phone.py --runs 5 --warmup 2" \
            "bench_warm.py --runs 5" \
            "bench_readmodel.py --before ${BEFORE:-.} --after . --runs 5" \
            "bench_ingest.py --runs 5" "bench_workbooks.py --runs 5" "bench_core.py --runs 5" "bench_brief.py --runs 5" \
            "load_viewers.py --viewers 1 10 30 --runs 3 --client ws"; do
  echo; echo "## bench/$step"; echo
  $py bench/$step
done
