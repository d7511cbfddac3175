"""What an upload would change, before it is stored: figure by figure, and target by target. Pure pandas.

A figure is flagged when it is new, or moves by more than a set share (settings: change_flag_share),
and a target when its status would change (达标 → 未达标 …).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from cnpark.plan.catalog import Catalog
from cnpark.rules.display import format_figure, status_word
from cnpark.rules.status import compute_status, latest_month
from cnpark.rules.supervision import compare
from cnpark.store.datasets import KEYS, get, label


@dataclass(frozen=True)
class Preview:
    """An upload's effect: one row per figure it sets, and the targets whose status it would change."""
    figures: pd.DataFrame       # Chinese columns, ready to show: …key…, 项目, 当前值, 新值, 差额, 变化, 提示
    flips: pd.DataFrame         # 目标, 期限, 现状态, 上传后
    new: int                    # figures that did not exist
    changed: int                # figures that exist with another value
    flagged: int                # figures moving by more than the share

    @property
    def unchanged(self) -> int:
        return len(self.figures) - self.new - self.changed


def rows_frame(rows: pd.DataFrame, dataset: str, catalog: Catalog) -> pd.DataFrame:
    """Parsed rows with Chinese headers and the catalog's names, as the upload's preview shows them."""
    frame = rows.drop(columns=["cumulative"], errors="ignore")
    if dataset == "indicators":
        names = catalog.by_code
        frame = frame.assign(indicator=[names[c].name for c in frame["indicator"]],
                             area=frame["area"].replace("", "全园区"))
    return frame.rename(columns=label)


def apply_upload(current: pd.DataFrame, rows: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """The dataset as it would stand after the upload: its rows replace the current ones with the same key."""
    if len(current) == 0:
        return rows.copy()
    keep = list(rows.columns)
    merged = pd.concat([current[keep], rows], ignore_index=True)
    return merged.drop_duplicates(list(KEYS[dataset]), keep="last").reset_index(drop=True)


def changes_nothing(current: pd.DataFrame, rows: pd.DataFrame, dataset: str) -> bool:
    """True when storing `rows` would change nothing: each row equals the current latest-wins row for its key in
    every column but the source row number (the same figures from another file, or the same file again)."""
    keys = list(KEYS[dataset])
    values = [c for c in rows.columns if c not in keys and c != "source_row"]
    if len(rows) == 0 or len(current) < len(rows):
        return False
    merged = rows[keys + values].merge(current[keys + values], on=keys, how="left", suffixes=("", " now"),
                                       indicator=True)
    if len(merged) != len(rows) or (merged["_merge"] != "both").any():
        return False
    for column in values:
        new, now = merged[column], merged[f"{column} now"]
        if not ((new == now).fillna(False).astype(bool) | (new.isna() & now.isna())).all():
            return False
    return True


def figure_changes(catalog: Catalog, dataset: str, current: pd.DataFrame, rows: pd.DataFrame,
                   share: float) -> pd.DataFrame:
    """Current value → new value for every figure of the upload, with the difference and a flag."""
    keys = list(KEYS[dataset])
    figures = get(dataset).figures     # the rest of a row is its key or description
    before = current.set_index(keys) if len(current) else None
    out = []
    for record in rows.to_dict("records"):
        key = tuple(record[k] for k in keys)
        old_row = before.loc[key] if before is not None and key in before.index else None
        for figure in figures:
            new = record[figure]
            if new is None or new != new:       # a blank cell in a ledger sets nothing
                continue
            old = None if old_row is None else old_row[figure]
            old = None if old is None or old != old else old
            if isinstance(new, str):            # a word (a task's 完成状态): old → new, no arithmetic
                out.append([*_key(catalog, dataset, record), label(figure), old or "—", new, "—", "—",
                            "新增" if old is None else ("" if old == new else "修改")])
            else:
                out.append(_figure_row(catalog, dataset, record, figure, None if old is None else float(old),
                                       float(new), share))
    columns = [*_key_labels(dataset), "项目", "当前值", "新值", "差额", "变化", "提示"]
    return pd.DataFrame(out, columns=columns)


def _key_labels(dataset: str) -> list[str]:
    return [label(k) for k in KEYS[dataset]]


def _key(catalog: Catalog, dataset: str, record: dict) -> list:
    if dataset == "indicators":
        target = catalog.by_code.get(record["indicator"])
        return [target.name if target else record["indicator"], record["period"], record["area"] or "全园区"]
    return [record[k] for k in KEYS[dataset]]


def _figure_row(catalog, dataset, record, figure, old, new, share) -> list:
    key = _key(catalog, dataset, record)
    if dataset == "indicators":
        item = f"数值（{record['unit']}）" if record["unit"] else "数值"
    else:
        item = label(figure)
    if old is None:
        return [*key, item, "—", format_figure(new), "—", "—", "新增"]
    diff = new - old
    moved = abs(diff) / abs(old) if old else (0.0 if diff == 0 else float("inf"))
    change = "—" if old == 0 else f"{diff / old:+.1%}"
    flag = f"变化超过{share:.0%}" if moved > share else ("" if diff == 0 else "修改")
    return [*key, item, format_figure(old), format_figure(new), format_figure(diff), change, flag]


def status_flips(catalog: Catalog, before: Mapping[str, pd.DataFrame], after: Mapping[str, pd.DataFrame]
                 ) -> pd.DataFrame:
    """Targets whose status differs before and after (the status rule's datasets, by name), as of the latest month
    either state has data for."""
    month = max(filter(None, [latest_month(before), latest_month(after)]), default=None)
    columns = ["目标", "期限", "现状态", "上传后"]
    if month is None:
        return pd.DataFrame(columns=columns)
    changed = compare(compute_status(catalog, before, month), compute_status(catalog, after, month))
    rows = [[c.after.name, c.after.deadline, status_word(c.before), status_word(c.after)]
            for c in changed if c.status_changed]
    return pd.DataFrame(rows, columns=columns)
