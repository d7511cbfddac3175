#!/usr/bin/env bash
# Every benchmark of docs/PERFORMANCE.md, one after another, each one's table written into that file's "Latest figures"
# with the date, CPU count and load beside it (bench/suite.py says how). `bash bench/suite.sh` runs all (about an hour
# on 2 CPUs, plus ~5 minutes the first time bench/synth.py builds the S/M/L stores in /tmp/cnpark-synth);
# `bash bench/suite.sh ingest brief` only those. Run it on a quiet machine: the figures are wall-clock times.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python bench/suite.py "$@"
