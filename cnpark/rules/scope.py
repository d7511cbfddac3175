"""What a responsible unit may report (四(四): each unit reports its own month): only rows that name it.

- 工作进展 (tasks): rows whose 责任单位 is the unit, of tasks the plan gives the unit;
- 重点项目台账 (projects): rows whose 责任单位 is the unit, of projects not already another unit's in the ledger;
- 指标数据 (indicators): rows of targets whose 数据来源单位 in the catalog (`reporter`) is the unit;
- every other dataset (the debt ledger, the enterprise list) is uploaded by the analysts.
One problem per row out of scope, naming the row (its line in the file) and the unit; the service refuses the whole
file when there is any (docs/RULES.md "报送范围"). Pure: the plan, the parsed rows and the current ledger in.
"""

from __future__ import annotations

import pandas as pd

from cnpark.parse.decode import Problem
from cnpark.plan.catalog import Catalog
from cnpark.rules.tasks import units_of
from cnpark.store.datasets import DATASET_NAMES, get, label

UNIT_DATASETS = ("tasks", "projects", "indicators")


def reporting_units(catalog: Catalog) -> list[str]:
    """Every unit that reports to the plan: the tasks' units and the targets' reporters, in the plan's order."""
    return list(dict.fromkeys([*units_of(catalog), *(t.reporter for t in catalog.targets if t.reporter)]))


def reporters(catalog: Catalog) -> dict[str, str]:
    """Each target's 数据来源单位 (the targets a unit reports), by code."""
    return {t.code: t.reporter for t in catalog.targets if t.reporter}


def row_units(catalog: Catalog, dataset: str, rows: pd.DataFrame) -> pd.Series:
    """The unit that reports each row: its 责任单位 (工作进展, 重点项目台账), or its target's 数据来源单位 (指标数据;
    '' for a target with none)."""
    if dataset == "indicators":
        return rows["indicator"].map(reporters(catalog)).fillna("").astype(str)
    return rows["unit"].fillna("").astype(str)


def project_owners(ledger: pd.DataFrame) -> dict[str, str]:
    """Each project's responsible unit in the ledger as it stands (its latest row)."""
    if not len(ledger):
        return {}
    latest = ledger.sort_values("period").groupby("project_id").tail(1)
    return {str(p): str(u) for p, u in zip(latest["project_id"], latest["unit"]) if isinstance(u, str) and u}


def out_of_scope(catalog: Catalog, dataset: str, rows: pd.DataFrame, unit: str,
                 ledger: pd.DataFrame | None = None) -> list[Problem]:
    """Every row of `rows` (a parsed upload of `dataset`) that `unit` may not report; ledger: the projects as stored."""
    if dataset not in UNIT_DATASETS:
        return [Problem(None, "", "", f"{DATASET_NAMES[dataset]}由分析人员上传，责任单位账号不能报送")]
    out = []
    if dataset == "tasks":
        units = {t.number: t.units for t in catalog.tasks}
        for r in rows.itertuples(index=False):
            if r.unit != unit:
                out.append(Problem(int(r.source_row), "责任单位", r.unit, f"不是{unit}的行：只能报送本单位的工作进展"))
            elif unit not in units.get(int(r.task), ()):
                out.append(Problem(int(r.source_row), label("task"), f"第{int(r.task)}条",
                                   f"计划没有把这条任务交给{unit}"))
    elif dataset == "projects":
        owners = project_owners(ledger if ledger is not None else pd.DataFrame())
        for r in rows.itertuples(index=False):
            owner = owners.get(str(r.project_id))
            if r.unit != unit:
                out.append(Problem(int(r.source_row), "责任单位", r.unit or "", f"不是{unit}的行：只能报送本单位的项目"))
            elif owner and owner != unit:
                out.append(Problem(int(r.source_row), label("project_id"), str(r.project_id),
                                   f"该项目在台账中属于{owner}，{unit}不能报送"))
    else:
        by_code = reporters(catalog)
        for r in rows.itertuples(index=False):
            if by_code.get(r.indicator) != unit:
                name = catalog.by_code[r.indicator].name if r.indicator in catalog.by_code else r.indicator
                out.append(Problem(int(r.source_row), label("indicator"), name,
                                   f"{unit}不是这项指标的数据来源单位"))
    return out


def cell_text(value) -> str:
    """A cell as a form shows it and a file carries it: '' for a missing one, a whole number without '.0', text
    trimmed."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def owes_figure(target, month: str) -> bool:
    """Whether the target's figure is due for the month from its 数据来源单位: every December; February to November
    too for a target reported monthly (1-2月 together)."""
    return bool(target.reporter) and (month.endswith("-12") or (target.monthly and not month.endswith("-01")))


def project_drafts(ledger: pd.DataFrame, unit: str, month: str) -> pd.DataFrame:
    """A unit's 填报 rows of the 重点项目台账 for `month`, in the template's columns: each project whose latest row up
    to the month is the unit's, prefilled from this month's row, else from its latest (本年累计完成投资 left empty
    when that row is of an earlier year); 上次报送 says the month the row comes from."""
    header = list(get("projects").template_header)
    rows = ledger[ledger["period"] <= month] if len(ledger) else ledger
    if not len(rows):
        return pd.DataFrame(columns=[*header, "上次报送"])
    latest = rows.sort_values(["period", "seq"]).groupby("project_id").tail(1)
    latest = latest[latest["unit"] == unit].sort_values("project_id")
    names = [f.name for f in get("projects").fields if f.headers]       # the template's columns, in order
    out = []
    for r in latest.to_dict("records"):
        cells = {h: cell_text(r.get(n)) for h, n in zip(header, names)}
        cells["期间"] = month
        if r["period"][:4] != month[:4]:
            cells[header[names.index("year_done")]] = ""
        out.append({**cells, "上次报送": r["period"]})
    return pd.DataFrame(out, columns=[*header, "上次报送"])


def figure_drafts(catalog: Catalog, figures: pd.DataFrame, unit: str, month: str) -> pd.DataFrame:
    """A reporter's 填报 rows of 指标数据 for `month`: each target it is the 数据来源单位 of (park-wide), with this
    month's value when reported, the latest earlier one beside it (上次数值, 上次期间)."""
    columns = ["指标", "期间", "数值", "单位", "片区", "备注", "上次数值", "上次期间", "本月应报"]
    park = figures[(figures["area"].fillna("") == "") & (figures["period"] <= month)] if len(figures) else figures
    owed = {t.code for t in catalog.targets if t.reporter == unit and owes_figure(t, month)}
    out = []
    for t in catalog.targets:
        if t.reporter != unit or t.kind == "debt":
            continue
        mine = park[park["indicator"] == t.code].sort_values("period") if len(park) else park
        now = mine[mine["period"] == month] if len(mine) else mine
        before = mine[mine["period"] < month] if len(mine) else mine
        value = _figure(t, now.iloc[-1]) if len(now) else ""
        last = before.iloc[-1] if len(before) else None
        out.append([t.name, month, value, t.unit, "", cell_text(now.iloc[-1]["note"]) if len(now) else "",
                    _figure(t, last) if last is not None else "", last["period"] if last is not None else "",
                    "是" if t.code in owed else "否"])
    return pd.DataFrame(out, columns=columns)


def _figure(target, row) -> str:
    """A stored figure as typed again: a milestone's 1/0 as 完成/未完成."""
    if target.kind == "milestone" and not pd.isna(row["value"]):
        return "完成" if row["value"] >= 1 else "未完成"
    return cell_text(row["value"])
