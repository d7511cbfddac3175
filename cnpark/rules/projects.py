"""重点项目 (第8条: 洽谈签约—落地建设—投产达产—升规纳统): the pipeline, its four rates and the stalled projects, defined once
for the page, the 督办 list, the brief and the CLI (docs/RULES.md "重点项目怎么算"). Pure: the ledger in, readings out.

For an as-of month A each project counts as its latest row with 期间 ≤ A (a project not restated since keeps its state),
and every month it counts (durations, planned starts due, the year of the annual plan, a year earlier) counts to the
ledger's month L, its latest 期间 ≤ A: a ledger whose last rows are of 2025-06 read as of 2025-12 says so
("台账数据截至 2025-06") and speaks of 2025-06, never of months it does not know.
A project is *signed* from 签约 on, *started* from 在建 (开工) on.
  * 落地率 = started projects / signed projects.
  * 开工率 = started projects / signed projects whose 计划开工日期 is in or before A.
  * 资金到位率 = Σ 累计到位资金 / Σ 协议投资, over signed projects that give both.
  * 年度投资完成率 = Σ 本年累计完成投资 / Σ 年度计划投资, over the projects whose row is of A's year and gives a plan.
Each rate is shown with its numerator and denominator (projects, or 万元).
The plan sets no thresholds: each rate is read against the same month a year earlier (L − 12) and, where the catalog
sets one ([project_rates] in the plan file), against it.
A project is *stalled* (in red, with the reason in words) when
  * it is signed, not started, and its planned start month is before A;
  * it has been in one stage (not 达产 or 纳统) for more than `stalled_months` (settings), counted from the date that
    opened the stage, else the first month of its unbroken run of rows in that stage;
  * it was signed a year or more before A and its funds are below `stalled_funding_share` of the agreed investment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from cnpark.plan.catalog import Catalog
from cnpark.plan.months import month_index, month_of
from cnpark.rules.display import share as share_text  # a rate reads as every share does (76.2%)
from cnpark.rules.project_check import WORD, mismatches, owners
from cnpark.rules.series import latest_rows
from cnpark.store.datasets import PROJECT_STAGES

RATES = {"landing": "落地率", "start": "开工率", "funding": "资金到位率", "investment": "年度投资完成率"}
RATE_UNITS = {"landing": "个", "start": "个", "funding": "万元", "investment": "万元"}
PART_WORDS = {"landing": ("已开工", "已签约"), "start": ("已开工", "计划开工已到的已签约"),
              "funding": ("到位资金", "协议投资"), "investment": ("本年完成", "年度计划")}
RATE_RULES = {"landing": "已开工 ÷ 已签约（个）", "start": "已开工 ÷ 计划开工已到的已签约（个）",
              "funding": "累计到位资金 ÷ 协议投资（万元）", "investment": "本年累计完成投资 ÷ 年度计划投资（万元）"}
FINAL = ("达产", "纳统")
_OPENED_BY = {"签约": "signed", "在建": "started", "投产": "producing"}


def _rank(stage: str) -> int:
    return PROJECT_STAGES.index(stage) if stage in PROJECT_STAGES else -1


def _month(text: str) -> str:
    return text[:7] if text else ""


def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None


def rate_parts(now: pd.DataFrame, as_of: str) -> dict[str, tuple[float, float]]:
    """Each rate's numerator and denominator at as_of: projects (落地率, 开工率) or 万元 (the money rates)."""
    if len(now) == 0:
        return dict.fromkeys(RATES, (0, 0))
    rank = now["stage"].map(_rank)
    signed, started = now[rank >= 1], now[rank >= 2]
    planned = signed["planned_start"].fillna("").str[:7]
    due = signed[(planned != "") & (planned <= as_of)]
    money = signed[signed["agreed"].notna() & signed["funded"].notna()]
    year = now[(now["period"].str[:4] == as_of[:4]) & now["annual_plan"].notna() & (now["annual_plan"] > 0)]
    return {"landing": (len(started), len(signed)),
            "start": (int((due["stage"].map(_rank) >= 2).sum()), len(due)),
            "funding": (float(money["funded"].sum()), float(money["agreed"].sum())),
            "investment": (float(year["year_done"].fillna(0).sum()), float(year["annual_plan"].sum()))}


def rates(now: pd.DataFrame, as_of: str) -> dict[str, float | None]:
    """The four rates of the projects' latest rows at as_of (fractions; None where nothing is counted)."""
    return {key: _ratio(*part) for key, part in rate_parts(now, as_of).items()}


def ledger_month(ledger: pd.DataFrame, as_of: str) -> str:
    """The month a reading as of as_of speaks of: the ledger's latest 期间 ≤ as_of (as_of when it has none)."""
    months = ledger.loc[ledger["period"] <= as_of, "period"] if len(ledger) else ()
    return str(max(months)) if len(months) else as_of


def latest(ledger: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Each project's latest row with 期间 ≤ as_of."""
    return latest_rows(ledger, "project_id", as_of)


@dataclass(frozen=True)
class Stalled:
    project_id: str
    name: str
    unit: str
    stage: str
    reason: str
    since: str          # the month it became stalled


def _stage_began(history: pd.DataFrame, row) -> str:
    """When the project's current stage began: the date that opened it, else the first month of its run of rows."""
    opened = _month(getattr(row, _OPENED_BY.get(row.stage, "signed"), "") or "") if row.stage in _OPENED_BY else ""
    if opened:
        return opened
    began = row.period
    for period, stage in zip(reversed(history["period"].tolist()), reversed(history["stage"].tolist())):
        if stage != row.stage:
            break
        began = period
    return began


def stalled(ledger: pd.DataFrame, as_of: str, months: int, share: float) -> list[Stalled]:
    """The stalled projects at as_of, with the first reason that holds (in the order of the docstring)."""
    out = []
    upto = ledger[ledger["period"] <= as_of] if len(ledger) else ledger
    for row in latest(ledger, as_of).itertuples(index=False):
        rank, reasons = _rank(row.stage), []
        planned = _month(row.planned_start or "")
        if rank == 1 and planned and planned < as_of:
            reasons.append((f"计划 {planned} 开工，至今未开工", month_of(month_index(planned) + 1)))
        if row.stage not in FINAL:
            history = upto[upto["project_id"] == row.project_id].sort_values("period")
            began = _stage_began(history, row)
            if month_index(as_of) - month_index(began) > months:
                reasons.append((f"处于{row.stage}阶段已 {month_index(as_of) - month_index(began)} 个月（自 {began}）",
                                month_of(month_index(began) + months + 1)))
        signed = _month(row.signed or "")
        agreed, funded = row.agreed, row.funded
        if rank >= 1 and signed and month_index(as_of) - month_index(signed) >= 12 and agreed == agreed and agreed > 0:
            got = 0.0 if funded is None or (isinstance(funded, float) and math.isnan(funded)) else float(funded)
            if got < share * agreed:
                reasons.append((f"签约满一年（{signed}），到位资金 {got:,.0f} 万元，仅为协议投资的 {share_text(got / agreed)}",
                                month_of(month_index(signed) + 12)))
        if reasons:
            out.append(Stalled(row.project_id, row.name, row.unit, row.stage, "；".join(r for r, _ in reasons),
                               min(s for _, s in reasons)))
    return sorted(out, key=lambda s: (s.unit, s.project_id))


def stages(now: pd.DataFrame) -> pd.DataFrame:
    """The funnel: each stage with its projects and their total investment (万元), in the pipeline's order."""
    rows = []
    for stage in PROJECT_STAGES:
        these = now[now["stage"] == stage] if len(now) else now
        rows.append({"stage": stage, "projects": len(these),
                     "investment": float(these["total"].fillna(0).sum()) if len(these) else 0.0})
    return pd.DataFrame(rows, columns=["stage", "projects", "investment"])


def chain_of(catalog: Catalog, link: str) -> str:
    return next((c.name for c in catalog.chains if link in c.links), "")


def narrow(ledger: pd.DataFrame, catalog: Catalog, chain: str = "", area: str = "", unit: str = "") -> pd.DataFrame:
    """The ledger's rows of one chain, area and responsible unit (each only when given)."""
    keep = pd.Series(True, index=ledger.index)
    for value, column in ((chain, ledger["chain_link"].map(lambda link: chain_of(catalog, link))),
                          (area, ledger["area"]), (unit, ledger["unit"])):
        if value:
            keep &= column == value
    return ledger[keep]


def rates_by(now: pd.DataFrame, as_of: str, catalog: Catalog, by: str) -> pd.DataFrame:
    """The four rates for each chain (by='chain'), area or unit: by, then each rate as rate_text writes it."""
    if len(now) == 0:
        return pd.DataFrame(columns=[by, *RATES])
    keys = now["chain_link"].map(lambda link: chain_of(catalog, link)) if by == "chain" else now[by]
    rows = []
    for key, group in now.groupby(keys.fillna(""), sort=True):
        parts = rate_parts(group, as_of)
        rows.append({by: key or "（未填）", **{k: rate_text(k, _ratio(*parts[k]), parts[k]) for k in RATES}})
    return pd.DataFrame(rows, columns=[by, *RATES])


@dataclass(frozen=True)
class Pipeline:
    """The project ledger read as of a month: the funnel, the four rates now and a year earlier (with their numerators
    and denominators), the stalled; `month` is the ledger's latest month up to as_of, the one every figure is of."""
    as_of: str
    now: pd.DataFrame
    rates: dict[str, float | None]
    year_before: dict[str, float | None]
    stages: pd.DataFrame
    stalled: list[Stalled]
    parts: dict[str, tuple[float, float]]
    parts_before: dict[str, tuple[float, float]]
    month: str

    @property
    def stale(self) -> str:
        """'台账数据截至 2025-06 …' when the ledger's latest rows are older than the as-of month, else ''."""
        if self.month >= self.as_of or not len(self.now):
            return ""
        return (f"台账数据截至 {self.month}：{self.as_of} 尚无台账，各比率、阶段、停滞与月数均按 {self.month} 的台账计算"
                f"（上年同期为 {month_of(month_index(self.month) - 12)}）。")


def pipeline(ledger: pd.DataFrame, as_of: str, months: int, share: float) -> Pipeline:
    month = ledger_month(ledger, as_of)
    now, before = latest(ledger, month), month_of(month_index(month) - 12)
    parts, parts_before = rate_parts(now, month), rate_parts(latest(ledger, before), before)
    return Pipeline(as_of, now, {k: _ratio(*v) for k, v in parts.items()},
                    {k: _ratio(*v) for k, v in parts_before.items()}, stages(now), stalled(ledger, month, months, share),
                    parts, parts_before, month)


# ------------------------------------------------------------------------------------ tables

def rate_text(key: str, value: float | None, part: tuple[float, float]) -> str:
    """A rate with what it divides: '76.2%（16 / 21 个）', '87.4%（1,120,360 / 1,281,600 万元）'; '—' when nothing counts."""
    if value is None:
        return "—"
    return f"{value:.1%}（{part[0]:,.0f} / {part[1]:,.0f} {RATE_UNITS[key]}）"


def part_text(key: str, part: tuple[float, float]) -> str:
    """What a rate divides, in words: '已开工 16 ÷ 已签约 21 个', '到位资金 1,120,360 ÷ 协议投资 1,281,600 万元'."""
    top, bottom = PART_WORDS[key]
    return f"{top} {part[0]:,.0f} ÷ {bottom} {part[1]:,.0f} {RATE_UNITS[key]}"


def rates_frame(p: Pipeline, thresholds: dict[str, float]) -> pd.DataFrame:
    """比率 · 算法 · 截至本月 · 上年同期 (each with its numerator and denominator) · 变化 · 门槛 (the catalog's, where
    set)."""
    rows = []
    for key, name in RATES.items():
        now, before = p.rates[key], p.year_before[key]
        change = "—" if now is None or before is None else f"{(now - before) * 100:+.1f} 个百分点"
        rows.append({"比率": name, "算法": RATE_RULES[key], p.month: rate_text(key, now, p.parts[key]),
                     "上年同期": rate_text(key, before, p.parts_before[key]), "变化": change,
                     "门槛": share_text(thresholds[key]) if key in thresholds else "未设"})
    return pd.DataFrame(rows)


def project_frame(p: Pipeline, ledger: pd.DataFrame, catalog: Catalog, enterprises: pd.DataFrame) -> pd.DataFrame:
    """Every project at the month, stalled first: 编号 · 项目 · 环节 · 责任单位 · 阶段 · 本阶段月数 · 签约 · 计划开工 ·
    实际开工 · 投产 · 协议投资 · 到位资金 · 关联 (the target its link feeds, its owner in the enterprise list, 数据不一致
    where the two disagree) · 状态 (停滞 / 正常) · 停滞原因; `_key` colours the 状态 cell, `_mismatch` the 关联 cell."""
    stalled = {s.project_id: s for s in p.stalled}
    feeds = {t.link: t.name for t in catalog.targets if t.link}
    firms = owners(enterprises, p.month)
    wrong = {m.project_id: m for m in mismatches(p.now, enterprises, p.month)}
    upto = ledger[ledger["period"] <= p.month] if len(ledger) else ledger
    rows = []
    for r in p.now.itertuples(index=False):
        s, m = stalled.get(r.project_id), wrong.get(r.project_id)
        began = _stage_began(upto[upto["project_id"] == r.project_id].sort_values("period"), r)
        listed = f"{m.text}（{WORD}）" if m else (f"企业名录：{firms[r.owner][0]}" if firms.get(r.owner, ("",))[0] else "")
        ties = [f"计入{feeds[r.chain_link]}" if r.chain_link in feeds else "", listed]
        rows.append({"编号": r.project_id, "项目": r.name, "环节": r.chain_link or "—", "责任单位": r.unit or "—",
                     "阶段": r.stage, "本阶段月数": month_index(p.month) - month_index(began),
                     "签约": r.signed or "—", "计划开工": r.planned_start or "—",
                     "实际开工": r.started or "—", "投产": r.producing or "—",
                     "协议投资": "—" if r.agreed != r.agreed else f"{r.agreed:,.0f}",
                     "到位资金": "—" if r.funded != r.funded else f"{r.funded:,.0f}",
                     "关联": "；".join(t for t in ties if t) or "—",
                     "状态": "停滞" if s else "正常", "停滞原因": s.reason if s else "—",
                     "_key": "off_track" if s else "on_track", "_mismatch": m is not None})
    frame = pd.DataFrame(rows, columns=["编号", "项目", "环节", "责任单位", "阶段", "本阶段月数", "签约", "计划开工", "实际开工",
                                        "投产", "协议投资", "到位资金", "关联", "状态", "停滞原因", "_key", "_mismatch"])
    return frame.assign(_first=frame["状态"] != "停滞").sort_values(["_first", "编号"], kind="stable") \
        .drop(columns="_first").reset_index(drop=True)


def stalled_frame(p: Pipeline) -> pd.DataFrame:
    """督办: the stalled projects by responsible unit — 责任单位 · 项目 · 阶段 · 停滞原因 · 自何时起."""
    return pd.DataFrame([{"责任单位": s.unit or "（未填）", "项目": f"{s.project_id} {s.name}", "阶段": s.stage,
                          "停滞原因": s.reason, "自何时起": s.since} for s in p.stalled],
                        columns=["责任单位", "项目", "阶段", "停滞原因", "自何时起"])


def history_rows(ledger: pd.DataFrame, project_id: str, as_of: str) -> pd.DataFrame:
    """One project month by month up to as_of, latest first."""
    rows = ledger[(ledger["project_id"] == project_id) & (ledger["period"] <= as_of)].sort_values("period",
                                                                                                   ascending=False)
    return pd.DataFrame({"月份": rows["period"], "阶段": rows["stage"],
                         "本年累计完成投资（万元）": [("—" if v != v else f"{v:,.0f}") for v in rows["year_done"]],
                         "累计到位资金（万元）": [("—" if v != v else f"{v:,.0f}") for v in rows["funded"]],
                         "备注": rows["note"].fillna("")})
