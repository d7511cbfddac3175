"""Coverage-guided fuzzing of the one ingest entry point with atheris (libFuzzer for Python).

    python -m venv /tmp/fuzz && /tmp/fuzz/bin/pip install -r requirements.txt atheris==3.0.0
    /tmp/fuzz/bin/python scripts/fuzz_atheris.py -max_total_time=600 -rss_limit_mb=4096 /tmp/corpus tests/files

A crash is an uncaught exception or a result that breaks the invariants of tests/test_ingest_fuzz.py::check
(for example a "程序内部错误" problem, which means parse_upload's last-resort handler caught a bug).
libFuzzer prints the number of inputs tried ("#N ... exec/s") and writes any crashing input to crash-*.
"""

import sys
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

with atheris.instrument_imports(include=["cnpark"]):
    from cnpark.parse import parse_upload
    from cnpark.plan.catalog import load_catalog

from test_ingest_fuzz import check  # noqa: E402  the same invariants as the CI fuzz tests

CATALOG = load_catalog()


def one_input(data: bytes) -> None:
    check(parse_upload(data, "fuzz.csv", CATALOG), CATALOG)


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
