"""The one upload path that pages, the CLI and tests share: check a file, store it, load the demo.

One path for every caller: a file is checked by check_upload (parsed, and on the page previewed) and what that
check found is stored by commit_upload — on the upload page, by `python -m cnpark ingest` and by `demo` (ingest_bytes:
the two in one) alike, through exactly the same parser and store. A check whose rows all equal the current data
(Upload.same) is stored by nobody: the page and the CLI say SAME_AS_CURRENT.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from cnpark import settings
from cnpark.parse import ParseResult, parse_upload
from cnpark.plan.catalog import Catalog
from cnpark.rules import reviews
from cnpark.rules.changes import Preview, apply_upload, changes_nothing, figure_changes, status_flips
from cnpark.rules.scope import out_of_scope, row_units
from cnpark.store.datasets import status_inputs
from cnpark.store.snapshots import Entry, Store

SAMPLE_DIR = settings.ROOT / "data" / "sample"
SAMPLE_USER = "示例数据"
SAME_AS_CURRENT = "与当前数据相同，无需入库"


@dataclass(frozen=True, eq=False)
class Upload:
    """A checked upload: the file as sent, what the parser found in it and, when asked, what storing it would change.
    commit_upload stores exactly these rows with exactly these bytes. same: every row equals the current data
    (SAME_AS_CURRENT: the page offers no 确认入库, the CLI stores nothing)."""
    data: bytes
    filename: str
    result: ParseResult
    preview: Preview | None = None
    same: bool = False

    @property
    def ok(self) -> bool:
        return self.result.ok

    @property
    def can_commit(self) -> bool:
        """No problem, and something to store."""
        return self.result.ok and not self.same


def check_upload(store: Store, catalog: Catalog, data: bytes, filename: str, dataset: str | None = None,
                 preview: bool = True, names: Catalog | None = None, unit: str | None = None) -> Upload:
    """Parse an upload and (preview=True, the page's way) compare it with the store's current data under the plan.
    names: the catalog the file is read with, when it knows more than the plan (plans.Plans.names: every loaded
    plan's targets). unit: a responsible unit reports it, and may report only rows that name it (rules/scope.py):
    one row out of its scope refuses the whole file, each such row named."""
    result = parse_upload(data, filename, names or catalog, dataset)
    if result.ok and unit is not None:
        ledger = store.read("projects") if result.dataset == "projects" else None
        if wrong := out_of_scope(catalog, result.dataset, result.rows, unit, ledger):
            result = replace(result, rows=result.rows.iloc[0:0], problems=wrong)
    if not result.ok:
        return Upload(bytes(data), filename, result)
    current = store.read(result.dataset)
    same = changes_nothing(current, result.rows, result.dataset) and not _answers_a_return(catalog, store, result,
                                                                                          current)
    preview = preview_upload(store, catalog, result, names, current) if preview and not same else None
    return Upload(bytes(data), filename, result, preview, same)


def _answers_a_return(catalog: Catalog, store: Store, result, current: pd.DataFrame) -> bool:
    """Whether the rows resubmit a unit's month the 督查室 returned: sent again as they were, they are the unit's
    answer (it stands by them) and go back to review, rather than "changing nothing" (docs/RULES.md "审核")."""
    if result.dataset not in reviews.REVIEWED:
        return False
    sent_back = reviews.returned(catalog, result.dataset, current, store.entries())
    if not sent_back:
        return False
    mine = zip(row_units(catalog, result.dataset, result.rows), result.rows["period"])
    return any(k in sent_back for k in mine)


def commit_upload(store: Store, upload: Upload, user: str, sample: bool = False) -> Entry:
    """Store a checked upload as a snapshot (refused when the check found problems or nothing to change)."""
    if not upload.can_commit:
        raise ValueError("a rejected upload, or one that changes nothing, cannot be stored")
    return store.add_snapshot(upload.result.dataset, upload.result.rows, upload.data, upload.filename, user=user,
                              sample=sample)


def ingest_bytes(store: Store, catalog: Catalog, data: bytes, filename: str, dataset: str | None = None,
                 user: str = "", dry_run: bool = False, sample: bool = False) -> tuple[ParseResult, Entry | None]:
    """check_upload then, when it has no problems, changes something and this is not a dry run, commit_upload (the
    demo, tests); `catalog` is the one the file is read with."""
    upload = check_upload(store, catalog, data, filename, dataset, preview=False)
    if not upload.can_commit or dry_run:
        return upload.result, None
    return upload.result, commit_upload(store, upload, user, sample)


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


def preview_upload(store: Store, catalog: Catalog, result: ParseResult, names: Catalog | None = None,
                   existing: pd.DataFrame | None = None) -> Preview:
    """What accepting a parsed upload would change in the current data: figures (named as `names` knows them) and
    the plan's target statuses. existing: the dataset's current rows, when the caller has read them."""
    share = settings.number("change_flag_share")
    if existing is None:
        existing = store.read(result.dataset)
    current = {name: existing if name == result.dataset else store.read(name) for name in status_inputs()}
    rows = result.rows
    figures = figure_changes(names or catalog, result.dataset, existing, rows, share)
    after = dict(current)
    if result.dataset in after:         # a dataset that feeds the status rule (its declaration says so)
        after[result.dataset] = apply_upload(existing, rows, result.dataset)
    flips = status_flips(catalog, current, after)
    hints = figures["提示"]
    return Preview(figures=figures, flips=flips, new=int((hints == "新增").sum()),
                   changed=int(hints.isin(["修改"]).sum() + hints.str.startswith("变化超过").sum()),
                   flagged=int(hints.str.startswith("变化超过").sum()))

