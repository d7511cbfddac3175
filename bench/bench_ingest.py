"""Ingest at scale: cnpark's checked parse of a long CSV against DuckDB's own CSV → Parquet (the engine's floor)
and against pandas read_csv + to_parquet, in one process, runs interleaved.

    .venv/bin/python bench/bench_ingest.py [--runs 5] [--rows 1000000] [--distinct] [--profile out.prof]

The file is bench_core.make_csv's: long layout, GBK with a title row, thousands separators, 万吨/亿元 units,
CRLF — an upload as Excel on Chinese Windows writes it. Each run times, from the file on disk:
  cnpark  read the bytes, parse_upload (decode, header, every cell parsed, units converted, ranges and
          duplicates checked), Store.add_snapshot into a temp store (Parquet + original, fsync, manifest);
  duckdb  COPY (SELECT * FROM read_csv(...)) TO 'x.parquet': no checks. DuckDB cannot read GBK without the
          `encodings` extension (not installed here, and the connection may not download it), so it gets the
          same rows as UTF-8: the floor's best case;
  pandas  read_csv(encoding='gb18030', skiprows=1, dtype=str) + to_parquet: no checks either.
Medians and min–max of --runs; ratios of medians. Peak memory of one cnpark ingest is measured in a fresh
child process (ru_maxrss), so that generating the file does not count. Markdown to stdout.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _limits(rows: int, size: int) -> None:
    """Raise the project's upload limits for this process only (defaults: 200,000 rows, 50 MB)."""
    os.environ["CNPARK_MAX_ROWS"] = str(max(rows, 200_000))
    os.environ["CNPARK_MAX_UPLOAD_MB"] = str(max(50, size // 1048576 + 1))


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _vm(field: str) -> float:
    """A /proc/self/status figure (VmRSS, VmHWM) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def distinct_values(data: bytes) -> bytes:
    """make_csv's file with every money and mass figure made distinct (make_csv repeats 997 values; real figures
    rarely repeat, so this variant shows the cost of parsing each one instead of finding it in a cache)."""
    lines = data.decode("gb18030").split("\r\n")
    for i in range(2, len(lines)):
        cells = lines[i].split(",", 3)
        if len(cells) == 4 and cells[3].endswith(("万元", "亿元", "万吨")):
            value, unit = cells[3].rsplit(",", 1)
            lines[i] = ",".join(cells[:3]) + f',"{(i * 7.31) % 9_999_999 + 1:,.2f}",{unit}'
    return "\r\n".join(lines).encode("gb18030")


def cnpark_ingest(path: Path, catalog, store_dir: Path) -> int:
    from cnpark.parse import parse_upload
    from cnpark.store.snapshots import Store

    data = path.read_bytes()
    result = parse_upload(data, path.name, catalog)
    assert result.ok, result.problems[:3]
    Store(store_dir).add_snapshot("indicators", result.rows, data, path.name)
    return len(result.rows)


COPY_FLOOR = "COPY (SELECT * FROM read_csv($src, skip=1, header=true)) TO $out (FORMAT parquet)"


def duckdb_floor(path_utf8: Path, out: Path) -> None:
    import duckdb

    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False,
                                 "threads": 2})
    try:
        con.execute(COPY_FLOOR, {"src": str(path_utf8), "out": str(out)})
    finally:
        con.close()


def pandas_way(path: Path, out: Path) -> None:
    import pandas as pd

    pd.read_csv(path, encoding="gb18030", skiprows=1, dtype=str).to_parquet(out, index=False)


def memory_child(path: str) -> None:
    """Run in a fresh process: one cnpark ingest of `path`; print baseline and peak RSS in MB."""
    from cnpark.plan.catalog import load_catalog

    catalog = load_catalog()
    _limits(10**9, Path(path).stat().st_size)
    with tempfile.TemporaryDirectory() as tmp:
        import cnpark.parse  # noqa: F401  (imports before the baseline)
        import cnpark.store.snapshots  # noqa: F401
        base = _vm("VmRSS")
        cnpark_ingest(Path(path), catalog, Path(tmp) / "store")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{base:.0f} {peak:.0f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--distinct", action="store_true", help="make every money and mass figure distinct")
    ap.add_argument("--only-cnpark", action="store_true", help="time cnpark alone (while developing)")
    ap.add_argument("--profile", help="write a cProfile of one cnpark ingest to this file and stop")
    ap.add_argument("--memory-child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return

    from bench_core import make_csv

    from cnpark.plan.catalog import load_catalog

    catalog = load_catalog()
    load_before = _load()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = make_csv(args.rows)
        if args.distinct:
            data = distinct_values(data)
        path, path_utf8 = tmp / "bench.csv", tmp / "bench-utf8.csv"
        path.write_bytes(data)
        path_utf8.write_bytes(data.decode("gb18030").encode("utf-8"))
        _limits(args.rows, len(data))
        del data
        n = cnpark_ingest(path, catalog, tmp / "warm")  # also checks every row is accepted
        assert n == args.rows, n
        if args.profile:
            import cProfile

            cProfile.runctx("cnpark_ingest(path, catalog, tmp / 'prof')", globals(), locals(), args.profile)
            print(f"profile written to {args.profile}")
            return

        ways = {"cnpark": lambda k: cnpark_ingest(path, catalog, tmp / f"store-{k}")}
        if not args.only_cnpark:
            ways["duckdb"] = lambda k: duckdb_floor(path_utf8, tmp / f"duckdb-{k}.parquet")
            ways["pandas"] = lambda k: pandas_way(path, tmp / f"pandas-{k}.parquet")
            duckdb_floor(path_utf8, tmp / "warm-duckdb.parquet")  # warm-up: imports, page cache
            pandas_way(path, tmp / "warm-pandas.parquet")
        times: dict[str, list[float]] = {w: [] for w in ways}
        for k in range(args.runs):
            for way, fn in ways.items():  # interleaved: a burst of load on the shared machine hits all three
                t0 = time.perf_counter()
                fn(k)
                times[way].append(time.perf_counter() - t0)
        mem = subprocess.run([sys.executable, __file__, "--memory-child", str(path)], capture_output=True,
                             text=True, check=True).stdout.split()
        size = path.stat().st_size
    load_after = _load()

    med = {w: statistics.median(t) for w, t in times.items()}
    kind = "distinct money/mass figures" if args.distinct else "bench_core.make_csv"
    print(f"{args.rows:,}-row long CSV ({kind}, {size / 1048576:.1f} MB GBK); median of {args.runs} runs, interleaved; "
          f"load average before {load_before}, after {load_after}\n")
    print("| way | median | spread (min–max) | per row | cnpark / this |")
    print("|---|---|---|---|---|")
    labels = {"cnpark": "cnpark: read bytes + parse_upload + Store.add_snapshot",
              "duckdb": "DuckDB floor: COPY (read_csv of the UTF-8 copy) TO Parquet",
              "pandas": "pandas: read_csv(dtype=str) + to_parquet"}
    for way, t in times.items():
        print(f"| {labels[way]} | {med[way]:.2f} s | {min(t):.2f}–{max(t):.2f} s | "
              f"{med[way] / args.rows * 1e6:.2f} µs | {med['cnpark'] / med[way]:.1f}× |")
    print(f"\ncnpark ingest peak RSS: {mem[1]} MB (fresh process; {mem[0]} MB after imports, before reading the file)")


if __name__ == "__main__":
    main()
