"""What a catalog file may say, and every problem with one (`python -m cnpark check-plan FILE`). Pure.

`problems(raw)` reads the parsed TOML and lists each problem in Chinese — all of them, not the first —
so an administrator fixes a new plan in one pass; catalog.load_catalog refuses a file that has any. The words
(kinds, rules, measures …) are defined here, once: the catalog's dataclasses and the status rule use these.
"""

from __future__ import annotations

import re

from cnpark.plan.units import UNITS, normalize_name

KINDS = ("numeric", "milestone", "direction", "debt", "supporting")
RULES = ("ge", "le", "double_base", "growth", "improve", "done", "debt")
MEASURES = ("stock", "flow", "rate", "yearly_sum")
FORECASTS = ("linear", "pipeline", "none")
PROJECT_RATES = ("landing", "start", "funding", "investment")

PLAN_FIELDS = {"code", "name", "park", "start", "end", "lagging_tolerance", "groups", "source", "publisher",
               "published", "number", "title", "previous", "recipient"}
TARGET_FIELDS = {"code", "name", "kind", "unit", "group", "clause", "text", "rule", "measure", "targets", "aliases",
                 "departments", "baseline", "path", "min", "max", "integer", "plan_indicator", "decimals", "forecast", "source",
                 "reporter", "monthly", "link", "chain"}
TASK_FIELDS = {"number", "title", "section", "summary", "units", "targets"}
CHAIN_FIELDS = {"name", "title", "links", "arrows"}
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_DAY = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


def _one_of(words: tuple[str, ...]) -> str:
    return "、".join(words)


def _unknown(where: str, raw: dict, known: set[str]) -> list[str]:
    return [f"{where}：未知字段 {k}（可用字段：{_one_of(tuple(sorted(known)))}）" for k in raw if k not in known]


def _plan(plan: dict) -> list[str]:
    out = _unknown("[plan]", plan, PLAN_FIELDS)
    out += [f"[plan]：缺少 {k}" for k in ("code", "name", "start", "end") if not plan.get(k)]
    for k in ("start", "end"):
        if plan.get(k) and not _MONTH.match(str(plan[k])):
            out.append(f"[plan]：{k} 应写成 YYYY-MM，收到 {plan[k]}")
    if _MONTH.match(str(plan.get("start", ""))) and _MONTH.match(str(plan.get("end", ""))) and plan["start"] >= plan["end"]:
        out.append(f"[plan]：计划起点 {plan['start']} 应早于期末 {plan['end']}")
    tol = plan.get("lagging_tolerance", 0.1)
    if not isinstance(tol, (int, float)) or not 0 <= tol < 1:
        out.append(f"[plan]：lagging_tolerance 应为 0 到 1 之间的小数，收到 {tol}")
    if plan.get("published") and not _DAY.match(str(plan["published"])):
        out.append(f"[plan]：published 应写成 YYYY-MM-DD，收到 {plan['published']}")
    return out


def _goals(who: str, t: dict, start: str, end: str) -> list[str]:
    out = []
    goals = t.get("targets", [])
    if not isinstance(goals, list):
        return [f"{who}：targets 应为 [{{ deadline = \"YYYY-MM\", value = 数值 }}, …]"]
    for g in goals:
        deadline, value = str(g.get("deadline", "")) if isinstance(g, dict) else "", g.get("value") if isinstance(g, dict) else None
        if not _MONTH.match(deadline):
            out.append(f"{who}：期限应写成 YYYY-MM，收到 {deadline or '（空）'}")
        elif _MONTH.match(start) and deadline <= start:
            out.append(f"{who}：期限 {deadline} 早于或等于计划起点 {start}")
        elif _MONTH.match(end) and deadline > end:
            out.append(f"{who}：期限 {deadline} 晚于计划期末 {end}")
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            out.append(f"{who}：期限 {deadline or '?'} 的目标值应为数值，收到 {value}")
    return out


def _target(t: dict, plan: dict, groups: set[str], links: set[str], chains: set[str], codes: set[str]) -> list[str]:
    who = f"目标 {t.get('code') or t.get('name') or '?'}"
    out = _unknown(who, t, TARGET_FIELDS)
    out += [f"{who}：缺少 {k}" for k in ("code", "name", "kind", "unit", "group", "clause") if k not in t]
    kind, rule = t.get("kind", ""), t.get("rule", "")
    if "kind" in t and kind not in KINDS:
        out.append(f"{who}：kind 应为 {_one_of(KINDS)} 之一，收到 {kind}")
    if kind != "supporting":
        if rule not in RULES:
            out.append(f"{who}：未知规则 {rule or '（空）'}，rule 应为 {_one_of(RULES)} 之一")
        if not t.get("targets"):
            out.append(f"{who}：没有 targets（期限与目标值）")
    out += _goals(who, t, str(plan.get("start", "")), str(plan.get("end", "")))
    for key, words in (("measure", MEASURES), ("forecast", FORECASTS)):
        if key in t and t[key] not in words:
            out.append(f"{who}：{key} 应为 {_one_of(words)} 之一，收到 {t[key]}")
    if t.get("unit") and t["unit"] not in UNITS:
        out.append(f"{who}：单位 {t['unit']} 解析器不认识（可用：{_one_of(tuple(UNITS))}）")
    if groups and t.get("group") and t["group"] not in groups:
        out.append(f"{who}：分组 {t['group']} 不在 [plan] groups 中")
    if t.get("baseline") and not _MONTH.match(str(t["baseline"])):
        out.append(f"{who}：baseline 应写成 YYYY-MM（如上一期规划的 2025-12），收到 {t['baseline']}")
    if isinstance(t.get("min"), (int, float)) and isinstance(t.get("max"), (int, float)) and t["min"] > t["max"]:
        out.append(f"{who}：min {t['min']} 大于 max {t['max']}")
    decimals = t.get("decimals")
    if decimals is not None and not (isinstance(decimals, int) and 0 <= decimals <= 4):
        out.append(f"{who}：decimals 应为 0–4 的整数")
    if t.get("forecast") == "pipeline" and not t.get("link"):
        out.append(f"{who}：forecast = pipeline 需要 link（企业名录中的产业链环节）")
    if t.get("link") and links and t["link"] not in links:
        out.append(f"{who}：link {t['link']} 不是任何产业链的环节")
    if t.get("chain") and t["chain"] not in chains:
        out.append(f"{who}：chain {t['chain']} 不是 [[chains]] 中的产业链")
    if t.get("reporter") and t.get("departments") and t["reporter"] not in t["departments"]:
        out.append(f"{who}：数据来源单位 {t['reporter']} 不在它的责任单位（departments）中")
    if rule == "debt" and t.get("plan_indicator") not in codes:
        out.append(f"{who}：debt 规则需要 plan_indicator（本清单中计划化解债务的目标代码）")
    return out


def _names(targets: list[dict]) -> list[str]:
    """A code twice, or a name / alias / code that two targets share (an upload could not tell them apart)."""
    out, owner = [], {}
    seen_codes = set()
    for t in targets:
        code = t.get("code")
        if code in seen_codes:
            out.append(f"目标代码 {code} 重复")
        seen_codes.add(code)
        for n in dict.fromkeys((t.get("name", ""), code or "", *t.get("aliases", ()))):
            key = normalize_name(str(n))
            if key and owner.setdefault(key, code) != code:
                out.append(f"名称或别名 {n} 同时属于目标 {owner[key]} 和 {code}")
    return out


def _tasks(tasks: list[dict], codes: set[str]) -> list[str]:
    out = []
    for i, raw in enumerate(tasks, start=1):
        who = f"任务 {raw.get('number', '?')}"
        out += _unknown(who, raw, TASK_FIELDS)
        out += [f"{who}：缺少 {k}" for k in ("number", "title", "section", "units") if not raw.get(k)]
        if raw.get("number") not in (None, i):
            out.append(f"{who}：[[tasks]] 应按条款顺序编号，这里应为 {i}")
        unknown = [c for c in raw.get("targets", ()) if c not in codes]
        if unknown:
            out.append(f"{who}：targets 中的 {'、'.join(unknown)} 不是本清单的目标代码")
    return out


def problems(raw: dict) -> list[str]:
    """Every problem of a parsed catalog file, in the file's order; [] when it can be used."""
    plan = raw.get("plan", {})
    out = _plan(plan)
    chains = raw.get("chains", [])
    for c in chains:
        out += _unknown(f"产业链 {c.get('name', '?')}", c, CHAIN_FIELDS)
        out += [f"产业链 {c.get('name', '?')}：缺少 {k}" for k in ("name", "links") if not c.get(k)]
    links = {link for c in chains for link in c.get("links", ())}
    targets = raw.get("targets", [])
    if not targets:
        out.append("清单中没有任何 [[targets]]")
    codes = {t.get("code") for t in targets}
    groups = set(plan.get("groups", ()))
    for t in targets:
        out += _target(t, plan, groups, links, {c.get("name") for c in chains}, codes)
    out += _names(targets)
    out += _tasks(raw.get("tasks", []), codes)
    for k, v in raw.get("project_rates", {}).items():
        if k not in PROJECT_RATES or not isinstance(v, (int, float)) or not 0 <= v <= 1:
            out.append(f"[project_rates]：{k} = {v} 无效（只可设 {_one_of(PROJECT_RATES)}，取 0–1 的小数）")
    return out
