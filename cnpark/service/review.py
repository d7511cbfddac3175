"""The 督查室's decisions (四(四)): approve a unit's month, or return it with a reason (rules/reviews.py says what
each state counts as). Each decision is an entry of the store's manifest, naming the very upload it was made on:
a unit that resubmits meanwhile has a new upload, which this decision does not touch.
"""

from __future__ import annotations

from collections.abc import Collection

from cnpark.plan.catalog import Catalog
from cnpark.service.readings import Readings
from cnpark.store.manifest import Entry, StoreError
from cnpark.store.snapshots import Store


def decide(store: Store, catalog: Catalog, unit: str, month: str, approve: bool, reason: str = "", user: str = "",
           dataset: str | None = None, seen: Collection[str] | None = None) -> list[Entry]:
    """Approve (approve=True) or return with `reason` every report of `unit` for `month` that awaits review (of
    `dataset` only, when given); the entries recorded. A month with nothing awaiting review is refused. seen: the
    uploads the reviewer opened (the 审核 page's); when one awaiting review is not among them (the unit resubmitted
    after it was opened), nothing is recorded: a decision is for what was looked at (docs/RULES.md "审核")."""
    if not approve and not reason.strip():
        raise StoreError("退回须写明理由")
    waiting = [s for s in Readings(store, catalog, month).review_states
               if s.unit == unit and s.state == "submitted" and dataset in (None, s.dataset)]
    if not waiting:
        raise StoreError(f"{unit} {month} 没有待审核的报送")
    if seen is not None and (unseen := [s.entry for s in waiting if s.entry not in seen]):
        raise StoreError(f"{unit} {month} 在打开后又重新报送了（{'、'.join(unseen)}），请查看新的报送后再审核")
    return [store.review(s.entry, unit, s.dataset, month, "approved" if approve else "returned", reason, user)
            for s in waiting]
