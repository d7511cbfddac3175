#!/usr/bin/env bash
# The long run of the ingest fuzz tests: the CI tests with SCALE times as many examples each (default 100),
# then, when atheris is installed in the venv, coverage-guided fuzzing for FUZZ_SECONDS (default 600).
# Usage: bash scripts/fuzz.sh [SCALE]      Figures: docs/RELIABILITY.md
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
SCALE=${1:-100}
CNPARK_FUZZ_SCALE=$SCALE "$PY" -m pytest tests/test_ingest_fuzz.py -q -p no:cacheprovider \
    --hypothesis-show-statistics --hypothesis-seed="${FUZZ_SEED:-$RANDOM}"
if "$PY" -c "import atheris" 2>/dev/null; then
    corpus=$(mktemp -d)
    "$PY" scripts/fuzz_atheris.py -max_total_time="${FUZZ_SECONDS:-600}" -rss_limit_mb=4096 \
        -print_final_stats=1 "$corpus" tests/files
else
    echo "atheris not installed: skipped the coverage-guided part (pip install atheris==3.0.0)"
fi
