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

from cnpark import settings
from cnpark.catalog import Catalog
from cnpark.changes import Preview, apply_upload, figure_changes, status_flips
from cnpark.ingest import ParseResult, parse_upload
from cnpark.status import TargetStatus, compute_status
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
    indicators, debt = store.read_for_status(at)
    month = as_of or next(iter(store.periods(at)), None) or date.today().strftime("%Y-%m")
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


def month_history(store: Store, catalog: Catalog, as_of: str, at: str | None = None
                  ) -> list[tuple[str, list[TargetStatus]]]:
    """The status of every goal as of each month with data up to as_of, read from one state of the store:
    how long a goal has been behind (督办清单's "滞后起始")."""
    indicators, debt = store.read_for_status(at)
    months = {m for m in store.periods(at) if m <= as_of} | {as_of}
    return [(m, compute_status(catalog, indicators, debt, m)) for m in sorted(months)]


def data_months(store: Store, at: str | None = None) -> list[str]:
    """Months that have any data, latest first: the choices of the as-of selector."""
    return store.periods(at)


def preview_upload(store: Store, catalog: Catalog, result: ParseResult) -> Preview:
    """What accepting a parsed upload would change in the current data: figures and target statuses."""
    share = settings.number("change_flag_share")
    current = {name: store.read(name) for name in ("indicators", "debt")}
    rows = result.rows
    existing = current.get(result.dataset) if result.dataset in current else store.read(result.dataset)
    figures = figure_changes(catalog, result.dataset, existing, rows, share)
    after = dict(current)
    if result.dataset in after:
        after[result.dataset] = apply_upload(existing, rows, result.dataset)
    flips = status_flips(catalog, (current["indicators"], current["debt"]), (after["indicators"], after["debt"]))
    hints = figures["提示"]
    return Preview(figures=figures, flips=flips, new=int((hints == "新增").sum()),
                   changed=int(hints.isin(["修改"]).sum() + hints.str.startswith("变化超过").sum()),
                   flagged=int(hints.str.startswith("变化超过").sum()))


def commit_upload(store: Store, result: ParseResult, data: bytes, filename: str, user: str) -> Entry:
    """Store an upload that was parsed and previewed (the caller checked result.ok)."""
    if not result.ok:
        raise ValueError("a rejected upload cannot be stored")
    return store.add_snapshot(result.dataset, result.rows, data, filename, user=user)
