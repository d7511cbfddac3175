"""The plan's targets and its industry chains, read from a catalog file (data/plan/*.toml). Pure: no I/O beyond
reading that file."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from cnpark import settings
from cnpark.plan.plan_check import problems
from cnpark.plan.units import normalize_name

DEFAULT_CATALOG = settings.ROOT / "data" / "plan" / "changning-2023-2025.toml"


class CatalogError(ValueError):
    """The catalog file itself is wrong (a programmer/administrator error, not user input)."""


@dataclass(frozen=True)
class Goal:
    deadline: str   # "YYYY-MM"
    value: float    # the threshold (for double_base: the factor; for growth: % per year)


@dataclass(frozen=True)
class Target:
    code: str
    name: str
    kind: str
    unit: str
    group: str
    clause: str
    text: str = ""
    rule: str = ""
    measure: str = "stock"
    goals: tuple[Goal, ...] = ()
    aliases: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    baseline: str | None = None
    path: str = "linear"
    min: float | None = None
    max: float | None = None
    integer: bool = False
    plan_indicator: str | None = None
    decimals: int | None = None          # None: the unit's default (display.UNIT_DECIMALS)
    forecast: str = "linear"             # how the focus pages look ahead (FORECASTS)
    link: str = ""                       # the enterprise list's chain link whose capacities make up this stock
    chain: str = ""                      # the chain whose links break this figure down (片区 column = a link)
    source: str = "indicators"           # the dataset its figures come from (one that feeds the status rule)
    reporter: str = ""                   # 数据来源单位: the unit that reports its figures (rules/scope.py)
    monthly: bool = False                # reported every month (1-2月 together), not only at the year's end

    @property
    def is_tracked(self) -> bool:
        """True for targets that get a status (everything but supporting indicators)."""
        return self.kind != "supporting"


@dataclass(frozen=True)
class Chain:
    """An industry chain of the plan, link by link (the enterprise list's 产业链环节 is one of the links)."""
    name: str
    title: str
    links: tuple[str, ...]
    arrows: bool = True        # links that follow one another (drawn with arrows), not side by side


@dataclass(frozen=True)
class Task:
    """A numbered task of the plan's 三、主要任务 (重点工作): its clause, section, units, and the targets it carries."""
    number: int
    title: str
    section: str
    summary: str = ""
    units: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()       # codes of the targets whose dated commitments this task carries

    @property
    def label(self) -> str:
        return f"第{self.number}条 {self.title}"


_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_TASK_REF = re.compile(r"^第?(\d+|[一二三四五六七八九十]+)条?[.、．:：)）]?(.*)$")      # on normalised text


def _chinese_number(text: str) -> int | None:
    """一 … 九十九 as an int (十 = 10, 十二 = 12, 二十一 = 21); None for anything else."""
    if text.isdigit():
        return int(text)
    tens, _, ones = text.rpartition("十")
    if "十" not in text:
        return _CN_DIGITS.get(text) if len(text) == 1 else None
    return (_CN_DIGITS.get(tens, -100) if tens else 1) * 10 + (_CN_DIGITS.get(ones, -100) if ones else 0)


@dataclass(frozen=True)
class Catalog:
    code: str
    name: str
    park: str
    start: str
    end: str
    lagging_tolerance: float
    groups: tuple[str, ...]
    targets: tuple[Target, ...]
    source: str = ""
    path: Path | None = field(default=None, compare=False)
    chains: tuple[Chain, ...] = ()
    tasks: tuple[Task, ...] = ()
    project_rates: dict[str, float] = field(default_factory=dict)   # thresholds of the projects' rates, where set
    publisher: str = ""                # 发布机构, as the plan's page gives it
    published: str = ""                # 发布日期 YYYY-MM-DD
    number: str = ""                   # 文号, where known
    title: str = ""                    # the pages' heading (default: the park's name and 目标监测)
    previous: str = ""                 # the code of the plan this one follows, where there is one
    recipient: str = ""                # 主送: whom the plan's reports go to (its leadership group), where set
    siblings: tuple[Catalog, ...] = field(default=(), compare=False, repr=False)   # the other loaded plans (uploads)

    @property
    def heading(self) -> str:
        return self.title or f"{self.park or self.name} · 目标监测"

    def plan_for(self, month: str) -> Catalog:
        """The plan a report of this month belongs to: this one, unless the month lies outside it and within another
        loaded plan (a task report of 2026 goes to the successor's tasks while the ended plan is on the page)."""
        if self.start < month <= self.end:
            return self
        return next((c for c in self.siblings if c.start < month <= c.end), self)

    def task(self, ref: str) -> Task | None:
        """A task as an office writes it: 8, 第8条, 第八条, 8.开展精准化招商 (number and title must agree), or the title
        alone; None when it names no task of the plan."""
        text = normalize_name(ref)
        by_number = {t.number: t for t in self.tasks}
        m = _TASK_REF.match(text)
        if m:
            found = by_number.get(_chinese_number(m.group(1)) or -1)
            if found is None or (m.group(2) and normalize_name(m.group(2)) != normalize_name(found.title)):
                return None
            return found
        return next((t for t in self.tasks if normalize_name(t.title) == text), None)

    def task_unit(self, task: Task, name: str) -> str | None:
        """One of the task's units as typed (normalised like names; 县 may be left out), or None."""
        key = normalize_name(name)
        return next((u for u in task.units if normalize_name(u) in (key, "县" + key)), None)

    def chain(self, name: str) -> Chain:
        return next(c for c in self.chains if c.name == name)

    @cached_property
    def chain_links(self) -> tuple[str, ...]:
        """Every link of every chain, in the catalog's order."""
        return tuple(link for c in self.chains for link in c.links)

    @cached_property
    def _links(self) -> dict[str, str]:
        return {normalize_name(link): link for link in self.chain_links}

    def chain_link(self, name: str) -> str | None:
        """A chain link as typed (spaces, width, 繁体 folded), or None when no chain of the plan has it."""
        return self._links.get(normalize_name(name))

    def __getitem__(self, code: str) -> Target:
        return self.by_code[code]

    @cached_property
    def by_code(self) -> dict[str, Target]:
        return {t.code: t for t in self.targets}

    @cached_property
    def _names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for t in self.targets:
            for n in (t.name, t.code, *t.aliases):
                names.setdefault(normalize_name(n), t.code)
        return names

    def lookup(self, name: str) -> str | None:
        """The code of an indicator as an analyst typed it (name, alias or code), or None."""
        return self._names.get(normalize_name(name))

    def closest_name(self, name: str) -> str | None:
        """The catalog name most like an unknown one, for 'did you mean' messages."""
        key = normalize_name(name)
        match = difflib.get_close_matches(key, list(self._names), n=1, cutoff=0.5)
        if not match:
            # Names are short Chinese strings: fall back to the longest shared run of characters.
            scored = [(difflib.SequenceMatcher(None, key, k).find_longest_match().size, k) for k in self._names]
            size, best = max(scored, default=(0, ""))
            match = [best] if size >= 2 else []
        return self.by_code[self._names[match[0]]].name if match else None


def _target(raw: dict, plan_start: str) -> Target:
    return Target(
        code=raw["code"], name=raw["name"], kind=raw["kind"], unit=raw["unit"], group=raw["group"],
        clause=raw["clause"], text=raw.get("text", ""), rule=raw.get("rule", ""),
        measure=raw.get("measure", "stock"), goals=tuple(Goal(str(g["deadline"]), float(g["value"]))
                                                         for g in raw.get("targets", [])),
        aliases=tuple(raw.get("aliases", ())), departments=tuple(raw.get("departments", ())),
        baseline=raw.get("baseline", plan_start), path=raw.get("path", "linear"), min=raw.get("min"),
        max=raw.get("max"), integer=bool(raw.get("integer", False)), plan_indicator=raw.get("plan_indicator"),
        decimals=raw.get("decimals"), forecast=raw.get("forecast", "linear"), link=raw.get("link", ""),
        chain=raw.get("chain", ""),
        source=raw.get("source") or ("debt" if raw.get("rule") == "debt" else "indicators"),
        reporter=raw.get("reporter", ""), monthly=bool(raw.get("monthly", False)),
    )


def read_raw(path: str | Path) -> dict:
    """A catalog file's TOML (CatalogError naming the line when it is not TOML)."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except OSError as e:
        raise CatalogError(f"无法读取目标清单 {path}：{e.strerror}") from e
    except tomllib.TOMLDecodeError as e:
        raise CatalogError(f"目标清单 {path.name} 不是有效的 TOML：{e}") from e


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Read a catalog file (default: the Changning 2023–2025 plan); CatalogError listing every problem
    (plan_check.problems) when it has any."""
    path = Path(path or DEFAULT_CATALOG)
    raw = read_raw(path)
    found = problems(raw)
    if found:
        raise CatalogError(f"目标清单 {path.name} 有 {len(found)} 个问题：\n" + "\n".join(found))
    plan = raw["plan"]
    start = plan["start"]
    targets = tuple(_target(t, start) for t in raw["targets"])
    groups = tuple(plan.get("groups", ())) or tuple(dict.fromkeys(t.group for t in targets))
    chains = tuple(Chain(c["name"], c.get("title", c["name"]), tuple(c["links"]), bool(c.get("arrows", True)))
                   for c in raw.get("chains", []))
    tasks = tuple(Task(int(t["number"]), t["title"], t["section"], t.get("summary", ""), tuple(t["units"]),
                       tuple(t.get("targets", ()))) for t in raw.get("tasks", []))
    return Catalog(code=plan["code"], name=plan["name"], park=plan.get("park", ""), start=start, end=plan["end"],
                   lagging_tolerance=float(plan.get("lagging_tolerance", 0.10)), groups=groups, targets=targets,
                   source=plan.get("source", ""), path=path, chains=chains, tasks=tasks,
                   project_rates={k: float(v) for k, v in raw.get("project_rates", {}).items()},
                   publisher=plan.get("publisher", ""), published=str(plan.get("published", "")),
                   number=plan.get("number", ""), title=plan.get("title", ""), previous=plan.get("previous", ""),
                   recipient=plan.get("recipient", ""))


def goal_text(target: Target, goal: Goal) -> str:
    """The goal in words, as the target list shows it: '≥ 250,000 吨', '2 × 2021年', '同比增长 ≥ 20%'."""
    value = f"{goal.value:,.0f}" if goal.value >= 1000 else f"{goal.value:g}"
    amount = f"{value}%" if target.unit == "%" else f"{value} {target.unit}"     # as the pages write it: 75%, 250,000 吨
    return {
        "ge": f"≥ {amount}", "le": f"≤ {amount}",
        "double_base": f"≥ {value} × {target.baseline[:4]}年", "growth": f"同比增长 ≥ {value}%",
        "improve": "较基期提升", "done": "完成", "debt": "累计化解 ≥ 累计计划",
    }[target.rule].strip()
