"""The plan's targets and its industry chains, read from a catalog file (data/plan/*.toml). Pure: no I/O beyond
reading that file."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from cnpark.units import UNITS, normalize_name

DEFAULT_CATALOG = Path(__file__).resolve().parent.parent / "data" / "plan" / "changning-2023-2025.toml"
KINDS = ("numeric", "milestone", "direction", "debt", "supporting")
RULES = ("ge", "le", "double_base", "growth", "improve", "done", "debt")
MEASURES = ("stock", "flow", "rate", "yearly_sum")
FORECASTS = ("linear", "pipeline", "none")


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
    missing = [k for k in ("code", "name", "kind", "unit", "group", "clause") if k not in raw]
    if missing:
        raise CatalogError(f"目标 {raw.get('code', '?')} 缺少字段: {', '.join(missing)}")
    goals = tuple(Goal(str(g["deadline"]), float(g["value"])) for g in raw.get("targets", []))
    target = Target(
        code=raw["code"], name=raw["name"], kind=raw["kind"], unit=raw["unit"], group=raw["group"],
        clause=raw["clause"], text=raw.get("text", ""), rule=raw.get("rule", ""),
        measure=raw.get("measure", "stock"), goals=goals, aliases=tuple(raw.get("aliases", ())),
        departments=tuple(raw.get("departments", ())), baseline=raw.get("baseline", plan_start),
        path=raw.get("path", "linear"), min=raw.get("min"), max=raw.get("max"),
        integer=bool(raw.get("integer", False)), plan_indicator=raw.get("plan_indicator"),
        decimals=raw.get("decimals"), forecast=raw.get("forecast", "linear"), link=raw.get("link", ""),
        chain=raw.get("chain", ""),
    )
    if target.kind not in KINDS:
        raise CatalogError(f"目标 {target.code}: kind 应为 {KINDS} 之一")
    if target.is_tracked and (target.rule not in RULES or not goals):
        raise CatalogError(f"目标 {target.code}: 需要 rule（{RULES} 之一）和 targets")
    if target.measure not in MEASURES:
        raise CatalogError(f"目标 {target.code}: measure 应为 {MEASURES} 之一")
    if target.forecast not in FORECASTS:
        raise CatalogError(f"目标 {target.code}: forecast 应为 {FORECASTS} 之一")
    if target.forecast == "pipeline" and not target.link:
        raise CatalogError(f"目标 {target.code}: forecast = pipeline 需要 link（企业名录中的产业链环节）")
    if target.decimals is not None and not (isinstance(target.decimals, int) and 0 <= target.decimals <= 4):
        raise CatalogError(f"目标 {target.code}: decimals 应为 0–4 的整数")
    if target.unit and target.unit not in UNITS:
        raise CatalogError(f"目标 {target.code}: 未知单位 {target.unit}")
    return target


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Read a catalog file (default: the Changning 2023–2025 plan)."""
    path = Path(path or DEFAULT_CATALOG)
    with path.open("rb") as f:
        raw = tomllib.load(f)
    plan = raw.get("plan", {})
    start = plan.get("start", "")
    targets = tuple(_target(t, start) for t in raw.get("targets", []))
    codes = [t.code for t in targets]
    if len(set(codes)) != len(codes):
        raise CatalogError("目标代码重复")
    groups = tuple(plan.get("groups", ())) or tuple(dict.fromkeys(t.group for t in targets))
    chains = tuple(Chain(c["name"], c.get("title", c["name"]), tuple(c["links"]), bool(c.get("arrows", True)))
                   for c in raw.get("chains", []))
    links = {link for c in chains for link in c.links}
    for t in targets:
        if t.link and chains and t.link not in links:
            raise CatalogError(f"目标 {t.code}: link {t.link} 不是任何产业链的环节")
        if t.chain and t.chain not in {c.name for c in chains}:
            raise CatalogError(f"目标 {t.code}: chain {t.chain} 不是 [[chains]] 中的产业链")
    tasks = tuple(_task(raw_task, set(codes)) for raw_task in raw.get("tasks", []))
    if [t.number for t in tasks] != list(range(1, len(tasks) + 1)):
        raise CatalogError("[[tasks]] 应按条款顺序编号 1、2、3 …")
    rates = {k: float(v) for k, v in raw.get("project_rates", {}).items()}
    if not set(rates) <= {"landing", "start", "funding", "investment"}:
        raise CatalogError("[project_rates] 只可设 landing、start、funding、investment（0–1 的小数）")
    return Catalog(code=plan.get("code", path.stem), name=plan.get("name", path.stem), park=plan.get("park", ""),
                   start=start, end=plan.get("end", ""), lagging_tolerance=float(plan.get("lagging_tolerance", 0.10)),
                   groups=groups, targets=targets, source=plan.get("source", ""), path=path, chains=chains, tasks=tasks,
                   project_rates=rates)


def _task(raw: dict, codes: set[str]) -> Task:
    missing = [k for k in ("number", "title", "section", "units") if not raw.get(k)]
    if missing:
        raise CatalogError(f"任务 {raw.get('number', '?')} 缺少字段: {', '.join(missing)}")
    task = Task(int(raw["number"]), raw["title"], raw["section"], raw.get("summary", ""), tuple(raw["units"]),
                tuple(raw.get("targets", ())))
    unknown = [c for c in task.targets if c not in codes]
    if unknown:
        raise CatalogError(f"任务 {task.number}: targets 中的 {'、'.join(unknown)} 不是本清单的目标代码")
    return task


def goal_text(target: Target, goal: Goal) -> str:
    """The goal in words, as the target list shows it: '≥ 250,000 吨', '2 × 2021年', '同比增长 ≥ 20%'."""
    value = f"{goal.value:,.0f}" if goal.value >= 1000 else f"{goal.value:g}"
    amount = f"{value}%" if target.unit == "%" else f"{value} {target.unit}"     # as the pages write it: 75%, 250,000 吨
    return {
        "ge": f"≥ {amount}", "le": f"≤ {amount}",
        "double_base": f"≥ {value} × {target.baseline[:4]}年", "growth": f"同比增长 ≥ {value}%",
        "improve": "较基期提升", "done": "完成", "debt": "累计化解 ≥ 累计计划",
    }[target.rule].strip()
