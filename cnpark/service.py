"""The operations that pages, the CLI and tests share: accept a file, read the status, load the demo.

One path for every caller, so a file accepted on the upload page and by `python -m cnpark ingest`
goes through exactly the same parser and store.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cnpark.catalog import Catalog
from cnpark.ingest import ParseResult, parse_upload
from cnpark.status import TargetStatus, compute_status, latest_month
from cnpark.store import Entry, Store

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"
SAMPLE_USER = "示例数据"
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Report:
    """A status reading: as of which month, from which state of the store, and whether it is sample data."""
    as_of: str
    snapshot: str | None      # the manifest entry the data is read as of (None: empty store)
    sample: bool
    statuses: list[TargetStatus]


def ingest_bytes(store: Store, catalog: Catalog, data: bytes, filename: str, dataset: str | None = None,
                 user: str = "", dry_run: bool = False, sample: bool = False) -> tuple[ParseResult, Entry | None]:
    """Parse an upload and, when it has no problems and this is not a dry run, store it as a snapshot."""
    result = parse_upload(data, filename, catalog, dataset)
    if not result.ok or dry_run:
        return result, None
    return result, store.add_snapshot(result.dataset, result.rows, data, filename, user=user, sample=sample)


def read_report(store: Store, catalog: Catalog, as_of: str | None = None, at: str | None = None) -> Report:
    """The status of every target as of a month (default: the latest month with data), read as of entry `at`."""
    if as_of is not None and not MONTH.match(as_of):
        raise ValueError(f"截至月份应写成 YYYY-MM（如 2025-06），收到：{as_of}")
    indicators, debt = store.read("indicators", at), store.read("debt", at)
    month = as_of or latest_month(indicators, debt) or date.today().strftime("%Y-%m")
    entries = store.entries()
    snapshot = at or (entries[-1].id if entries else None)
    return Report(as_of=month, snapshot=snapshot, sample=store.is_sample(at),
                  statuses=compute_status(catalog, indicators, debt, month))


def load_demo(store: Store, catalog: Catalog, sample_dir: Path = SAMPLE_DIR) -> list[tuple[str, ParseResult, Entry | None]]:
    """Ingest every sample file through the ordinary path; files already in the store are skipped."""
    known = {e.sha256 for e in store.entries()}
    out = []
    for path in sorted(p for p in sample_dir.iterdir() if p.suffix.lower() in {".csv", ".txt", ".xlsx"}):
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() in known:
            out.append((path.name, None, None))
            continue
        result, entry = ingest_bytes(store, catalog, data, path.name, user=SAMPLE_USER, sample=True)
        out.append((path.name, result, entry))
    return out


def data_months(store: Store, at: str | None = None) -> list[str]:
    """Months that have any data, latest first: the choices of the as-of selector."""
    months = set(store.read("indicators", at)["period"]) | set(store.read("debt", at)["period"])
    return sorted(months, reverse=True)
