"""The 评估报告's rows and sentences, pure: TargetStatus / TaskState lists in, Chinese text out. Every figure is the one
cnpark/rules/display.py writes; only the form changes where a document needs it (a growth's sign in words, months as
2025年12月), so no cell begins with a sign a spreadsheet takes for a formula. `official` is the last step of every
text the report writes: the 公文's way with dates, brackets and figures, whatever module wrote the words."""

from __future__ import annotations

import re

import pandas as pd

from cnpark.rules.display import achievement_text, figure, number, status_word, target_text, value_text
from cnpark.rules.projects import Pipeline
from cnpark.rules.status import TargetStatus
from cnpark.rules.tasks import BEHIND, WORDS, TaskState

CN_NUMBERS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
              *(f"十{d}" for d in "一二三四五六七八九"), "二十"]
BEHIND_GOALS = ("missed", "off_track", "lagging", "no_data")
NBSP = "\u00a0"
_HAN = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”《》"     # Chinese characters and punctuation
_NOT_IN_A_CODE = r"(?<![A-Za-z0-9-])"                                   # XM2024-08 is an id, not a month


def _day(m: re.Match) -> str:
    return f"{m[1]}年{int(m[2])}月" + (f"{int(m[3])}日" if m[3] else "")


def official(text: str) -> str:
    """Chinese text as a 公文 writes it: dates 2024年8月 / 2025年6月30日, never 2024-08 nor 2023 年 11 月, and no space
    between a date and the Chinese around it; year ranges 2023—2025年; full-width brackets and colons in Chinese text;
    a figure bound to its unit and its sign (≥, 增长 …) by no-break spaces, so no line ends inside it."""
    text = re.sub(_NOT_IN_A_CODE + r"(\d{4})-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?(?![A-Za-z0-9-])", _day, text)
    text = re.sub(_NOT_IN_A_CODE + r"(\d{4})-(\d{4})(?=年)", r"\1—\2", text)
    text = re.sub(r"(\d{4}) *年 *(?:(\d{1,2}) *月)?", lambda m: f"{m[1]}年" + (f"{m[2]}月" if m[2] else ""), text)
    text = re.sub(rf"(?<=[{_HAN}]) +(?=\d{{4}}年)", "", text)
    text = re.sub(rf"(?<=\d[年月日]) +(?=[{_HAN}])", "", text)
    text = re.sub(r"\(([^()]*)\)", lambda m: f"（{m[1]}）" if re.search(f"[{_HAN}]", m[1]) else m[0], text)
    text = re.sub(rf"(?<=[{_HAN}]):|:(?=[{_HAN}])", "：", text)
    return re.sub(r"(?<=[\d%≥≤]) (?=\S)| (?=\d)", NBSP, text)


def month_words(month: str | None) -> str:
    """'2025-12' → '2025年12月'; '—' for none."""
    if not month:
        return "—"
    return f"{month[:4]}年{int(month[5:7])}月"


def period_words(month: str | None) -> str:
    """A data period as a year where it is a year's end ('2022年'), else its month."""
    if not month:
        return "—"
    return f"{month[:4]}年" if month.endswith("-12") else month_words(month)


def signed(value: float, unit: str, up: str, down: str, decimals: int = 1) -> str:
    """A change in words, never with a sign: '提高 1.2 个百分点', '下降 3.0 个百分点', '持平'."""
    text = number(abs(value), decimals)
    if not any(c not in "0.," for c in text):
        return "持平"
    return f"{up if value > 0 else down} {text} {unit}".strip()


def value_cell(s: TargetStatus, as_of: str | None = None) -> str:
    """value_text, with a growth's sign written as a word: '增长 23.0%', '下降 14.0%'; given the month the text speaks
    of, a figure of another period says its own: '1,020,000 万元（2023年）' (a flow judged on the last full year)."""
    text = value_text(s)
    if s.rule == "growth" and text[:1] in "+-":
        text = ("增长 " if text[0] == "+" else "下降 ") + text[1:]
    if as_of and s.period and s.actual is not None and s.kind != "milestone" and s.period != judged_at(s, as_of):
        text += f"（{period_words(s.period)}）"
    return text


def judged_at(s: TargetStatus, as_of: str) -> str:
    """The month a goal is judged at: its deadline once reached, else the month of the report."""
    return min(s.deadline, as_of)


def clause_text(clause: str) -> str:
    """Where the plan says it, as prose: '（二）体制机制创新工程第4条' (the catalog's ' · ' joins heading and task)."""
    return clause.replace(" · ", "")


def achieved(s: TargetStatus, as_of: str) -> str:
    """是否完成: at or past the deadline 是 / 否 / 无数据 (逾期完成 for a milestone done late); before it, the status."""
    if as_of < s.deadline:
        return status_word(s)
    if s.late:
        return status_word(s)
    return {"met": "是", "missed": "否", "no_data": "无数据"}.get(s.status, status_word(s))


def goal_rows(statuses: list[TargetStatus], as_of: str) -> list[list[str]]:
    """序号 · 目标 · 期限 (2025年: by the year's end; 2023年9月) · 计划目标 · 完成值 · 完成情况 · 是否完成 · 条款 · 责任单位, one row per goal, catalog order."""
    return [[str(i), s.name, period_words(s.deadline), target_text(s), value_cell(s, as_of), achievement_text(s),
             achieved(s, as_of), clause_text(s.clause), "、".join(s.departments)] for i, s in enumerate(statuses, 1)]


def yearly_lines(statuses: list[TargetStatus], as_of: str) -> list[tuple[str, str]]:
    """Each target with a goal a year: (name, '2023年目标…，完成…，达标；2024年…。')."""
    by_code: dict[str, list[TargetStatus]] = {}
    for s in statuses:
        if s.goals > 1:
            by_code.setdefault(s.code, []).append(s)
    return [(goals[0].name, "；".join(f"{s.deadline[:4]}年目标{target_text(s)}，"
                                       + (f"完成{value_cell(s, as_of)}" if s.actual is not None else "暂无完成值")
                                       + f"，{status_word(s)}" for s in goals) + "。") for goals in by_code.values()]


def _milestone_word(s: TargetStatus) -> str:
    if s.actual is not None and s.actual >= 1:
        return "逾期完成" if s.late else "按期完成"
    return {"missed": "未完成", "pending": "未到期，尚未完成", "no_data": "无数据"}.get(s.status, status_word(s))


def milestone_rows(statuses: list[TargetStatus]) -> list[list[str]]:
    """序号 · 里程碑 · 期限 · 完成时间 · 完成情况 (按期完成 / 逾期完成 / 未完成 …) · 条款."""
    rows = [s for s in statuses if s.kind == "milestone"]
    return [[str(i), s.name, month_words(s.deadline),
             month_words(s.period) if s.actual is not None and s.actual >= 1 else "—", _milestone_word(s),
             clause_text(s.clause)]
            for i, s in enumerate(rows, 1)]


def direction_rows(statuses: list[TargetStatus]) -> list[list[str]]:
    """序号 · 目标 · 基期 · 基期值 · 最新期 · 最新值 · 变化 · 判断 (提升 / 未提升 / 无数据)."""
    rows = [s for s in statuses if s.rule == "improve"]
    judge = {"met": "提升", "on_track": "提升", "missed": "未提升", "off_track": "未提升", "no_data": "无数据"}
    return [[str(i), s.name, period_words(s.baseline_period), figure(s.baseline, s.unit, s.decimals),
             period_words(s.period) if s.actual is not None else "—", figure(s.actual, s.unit, s.decimals),
             achievement_text(s), judge.get(s.status, status_word(s))] for i, s in enumerate(rows, 1)]


def task_word(s: TaskState) -> str:
    return s.word + (f"（自{month_words(s.since)}）" if s.since else "")


def task_rows(states: list[TaskState]) -> list[list[str]]:
    """任务 · 状态 · 各责任单位（状态）."""
    return [[s.task.label, task_word(s), "、".join(f"{u.unit}（{u.word}）" for u in s.units)] for s in states]


def behind_lines(statuses: list[TargetStatus], tasks: list[TaskState], pipeline: Pipeline | None,
                 overdue: pd.DataFrame, as_of: str) -> list[str]:
    """The facts behind 存在的问题: goals not met or behind, tasks behind, stalled projects, overdue debt."""
    lines = []
    for s in statuses:
        if s.status not in BEHIND_GOALS:
            continue
        head = f"{s.name}（期限{month_words(s.deadline)}）：{status_word(s)}"
        if s.kind == "milestone":
            lines.append(head + (f"，完成时间{month_words(s.period)}。" if s.late else "。"))
        else:
            note = f"（{s.note}）" if s.status == "no_data" and s.note else ""
            lines.append(f"{head}{note}，计划目标{target_text(s)}，完成值{value_cell(s, as_of)}。")
    for t in tasks:
        if t.state in BEHIND:
            units = {key: "、".join(u.unit for u in t.units if u.state == key) for key in BEHIND}
            parts = [f"{WORDS[k]}单位：{v}" for k, v in units.items() if v]
            parts += [f"{m.name}（期限{month_words(m.deadline)}）未达标" for m in t.missed]
            lines.append(f"{t.task.label}：{task_word(t)}" + ("；" + "；".join(parts) if parts else "") + "。")
    if pipeline is not None and pipeline.stalled:
        lines.append(f"重点项目停滞{len(pipeline.stalled)}个：" +
                     "、".join(f"{p.project_id} {p.name}（{p.unit or '未填责任单位'}）" for p in pipeline.stalled) + "。")
    if len(overdue):
        lines.append(f"逾期债务{len(overdue)}笔：" + "、".join(f"{i} {n}" for i, n in zip(overdue["debt_id"], overdue["name"]))
                     + "。")
    return lines
