"""The plans of an installation: every catalog file under data/plan/ and every file (or folder of files) the `plans`
setting names. Adding a plan is dropping a file there; nothing in the code names a plan.

The store's data is shared: an indicator is one series whichever plan reads it (营业收入 2021–2028 is one line), so a
code means the same thing, in the same unit, in every plan. A page, the CLI and the reports read one chosen plan:
`?plan=CODE` / `--plan CODE`, by default the plan in force today, else the latest that has ended. An upload is read
with the names every loaded plan knows (`Plans.names`), the chosen plan's first.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from functools import cached_property
from pathlib import Path

from cnpark import settings
from cnpark.plan.catalog import Catalog, CatalogError, load_catalog, read_raw
from cnpark.plan.plan_check import problems

PLAN_DIR = settings.ROOT / "data" / "plan"


def this_month() -> str:
    """Today's month where the park is (the `utc_offset_hours` setting): which plan is in force."""
    offset = timezone(timedelta(hours=settings.number("utc_offset_hours")))
    return datetime.now(offset).strftime("%Y-%m")


def state_word(c: Catalog, today: str) -> str:
    """执行中 / 已到期 / 未开始: where a plan stands this month (the plan runs from the month after its start)."""
    return "执行中" if c.start < today <= c.end else ("已到期" if c.end < today else "未开始")


def plan_paths(extra: str | None = None) -> list[Path]:
    """data/plan/*.toml, then each file or folder the `plans` setting lists (separated by os.pathsep)."""
    extra = settings.get("plans") if extra is None else extra
    found = sorted(PLAN_DIR.glob("*.toml"))
    for item in filter(None, extra.split(os.pathsep)):
        p = Path(item) if Path(item).is_absolute() else settings.ROOT / item
        found += sorted(p.glob("*.toml")) if p.is_dir() else [p]
    return list(dict.fromkeys(p.resolve() for p in found))


@dataclass(frozen=True)
class Plans:
    catalogs: tuple[Catalog, ...]       # by start month, then code
    broken: tuple[str, ...] = ()        # the files that could not be loaded, each with its problems (not loaded)

    @cached_property
    def by_code(self) -> dict[str, Catalog]:
        return {c.code: c for c in self.catalogs}

    def get(self, code: str) -> Catalog:
        """A plan by its code; CatalogError naming the plans there are."""
        if code not in self.by_code:
            raise CatalogError(f"没有代码为 {code} 的规划（已载入：{'、'.join(self.by_code)}）")
        return self.by_code[code]

    def default(self, today: str | None = None) -> Catalog:
        """The plan in force this month (the latest started, when several are), else the latest that has ended, else
        the first to come."""
        today = today or this_month()
        running = [c for c in self.catalogs if state_word(c, today) == "执行中"]
        ended = [c for c in self.catalogs if state_word(c, today) == "已到期"]
        if running:
            return max(running, key=lambda c: c.start)
        return max(ended, key=lambda c: c.end) if ended else self.catalogs[0]

    def pick(self, code: str | None, today: str | None = None) -> Catalog:
        """The plan a link or command asks for; the default when it asks for none (or for one not loaded)."""
        return self.by_code.get(code or "") or self.default(today)

    def names(self, chosen: Catalog) -> Catalog:
        """The chosen plan, knowing also every other loaded plan's targets and chain links: the catalog an upload is
        read with (a figure of the successor plan may come in while the page shows the ended one). The chosen plan's
        names come first. Task numbers belong to one plan each: a task report is read against the plan in force in its
        month (Catalog.plan_for), the chosen one when none is."""
        targets, chains = list(chosen.targets), list(chosen.chains)
        others = tuple(c for c in self.catalogs if c is not chosen)
        for c in others:
            targets += [t for t in c.targets if t.code not in {x.code for x in targets}]
            chains += [ch for ch in c.chains if ch.name not in {x.name for x in chains}]
        if not others:
            return chosen
        return replace(chosen, targets=tuple(targets), chains=tuple(chains), siblings=others)


def load_plans(extra: str | None = None) -> Plans:
    """Every plan of the installation. A file with problems is left out and said in `broken` (one bad file dropped
    into data/plan/ must not take the other plans down); CatalogError when no plan at all can be loaded."""
    catalogs: dict[str, Catalog] = {}
    broken = []
    for path in plan_paths(extra):
        try:
            c = load_catalog(path)
        except CatalogError as e:
            broken.append(str(e))
            continue
        if c.code in catalogs:
            broken.append(f"目标清单 {path.name}：规划代码 {c.code} 已被 {catalogs[c.code].path.name} 使用，未载入")
            continue
        catalogs[c.code] = c
    if not catalogs:
        raise CatalogError("没有可用的目标清单（data/plan/ 下的 *.toml）" + ("：\n" + "\n".join(broken) if broken else ""))
    return Plans(tuple(sorted(catalogs.values(), key=lambda c: (c.start, c.code))), tuple(broken))


def stamp(extra: str | None = None) -> tuple[tuple[str, int], ...]:
    """The plan files and their modification times: a new, changed or removed file changes it (the pages reload)."""
    return tuple((str(p), p.stat().st_mtime_ns if p.exists() else 0) for p in plan_paths(extra))


def check_plan(path: Path, others: list[Catalog]) -> list[str]:
    """Every problem of a catalog file (plan_check.problems), and what it would contradict among the other loaded
    plans: a plan code in use, a target code with another unit (one series, one unit), a name that another plan gives
    to another target."""
    raw = read_raw(path)
    found = problems(raw)
    plan = raw.get("plan", {})
    others = [c for c in others if c.path is None or c.path.resolve() != path.resolve()]
    for c in others:
        if plan.get("code") == c.code:
            found.append(f"规划代码 {c.code} 已被 {c.path.name if c.path else c.name} 使用")
    for t in raw.get("targets", []):
        code = t.get("code")
        for c in others:
            same = c.by_code.get(code)
            if same is not None and t.get("unit") and same.unit != t.get("unit"):
                found.append(f"目标 {code}：单位 {t['unit']} 与《{c.name}》中同一指标的单位 {same.unit} 不同"
                             "（同一代码是同一条数据序列）")
            for n in (t.get("name", ""), *t.get("aliases", ())):
                other = c.lookup(str(n)) if n else None
                if other is not None and other != code:
                    found.append(f"目标 {code}：名称或别名 {n} 在《{c.name}》中指目标 {other}，上传时无法区分")
    previous = plan.get("previous")
    if previous and previous not in {c.code for c in others}:
        found.append(f"[plan]：previous = {previous} 不是已载入的规划")
    return found

