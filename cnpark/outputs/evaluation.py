"""终期评估 (or 中期评估) report as an editable Word document: every figure filled in from the one status reading the
pages use (service/readings.py, formatted by display), the judgement (存在的问题, 下一步打算) left as marked places
for the office to write — never invented text. Format: cnpark/outputs/docx_doc.py (GB/T 9704 style; faces and fallbacks there).

Title, 主送 (the catalog's recipient), then: 一、基本情况 · 二、目标完成情况 ((一)总体情况 (二)目标完成情况表, on landscape
pages (三)年度目标 (四)里程碑 (五)方向性目标, a subsection without targets left out and the rest numbered on) ·
三、主要任务完成情况 · 四、重点项目 · 五、债务化解 · 六、存在的问题 · 七、下一步打算 · 落款 · 附注 (the data's version).
What is counted is a 目标 (a target's goal: a yearly target has one a year), as on the pages. The words are the county's:
no page, store or snapshot; every text passes evaluation_text.official (dates 2024年8月, full-width brackets); a figure
of another period than the sentence's month says its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from cnpark.outputs.brief import Brief
from cnpark.outputs.brief import gather as gather_brief
from cnpark.outputs.docx_doc import SMALL, Document
from cnpark.outputs.evaluation_text import (
    CN_NUMBERS,
    behind_lines,
    direction_rows,
    goal_rows,
    milestone_rows,
    month_words,
    official,
    signed,
    task_rows,
    yearly_lines,
)
from cnpark.plan.catalog import Catalog
from cnpark.plan.months import month_index, month_of
from cnpark.rules import ledger
from cnpark.rules.display import STATUS_LABELS, figure, share, status_word, target_text, value_text
from cnpark.rules.overview import by_deadline_year, report_name
from cnpark.rules.projects import RATES, share_text, stalled_frame
from cnpark.rules.tasks import WORDS, sections
from cnpark.rules.tasks import counts as task_counts
from cnpark.service.readings import Readings

SAMPLE_NOTE = "示例数据：本报告使用演示用示例数据（虚构），并非官方统计。"
PROBLEMS_HINT = "【请填写：结合上表未完成目标与滞后任务，分析存在的主要问题及原因。】"
PLANS_HINT = "【请填写：针对存在的问题，提出下一步工作打算和具体措施，明确责任单位和完成时限。】"
SIGNATURE_HINT = "【请填写：署名单位及成文日期】"


@dataclass(frozen=True, eq=False)
class Evaluation:
    """Everything the report shows: the brief's reading of one month and one state of the store, and the debt ledger."""
    brief: Brief
    debt: pd.DataFrame            # the debt ledger as read (empty: no ledger uploaded)
    overdue: pd.DataFrame         # its items overdue as of the month (ledger.overdue_items: the debt status's rule)

    @property
    def catalog(self) -> Catalog:
        return self.brief.catalog

    @property
    def as_of(self) -> str:
        return self.brief.report.as_of

    @property
    def kind(self) -> str:
        """终期评估报告 from the plan's end on, else 中期评估报告 (overview.report_name: the page's button says the same)."""
        return report_name(self.catalog, self.as_of)


def gather(r: Readings) -> Evaluation:
    """The report's content: the readings of one month (service/readings.py)."""
    return Evaluation(gather_brief(r), r.dataset("debt"), r.overdue)


def title(ev: Evaluation) -> str:
    """'…（2023—2025年）终期评估报告', or '…中期评估报告（截至2024年6月）' before the plan's end."""
    final = ev.kind == report_name(ev.catalog, ev.catalog.end)
    return official(f"{ev.catalog.name}{ev.kind}" + ("" if final else f"（截至{ev.as_of}）"))


def file_name(ev: Evaluation) -> str:
    """'终期评估报告_2025-12.docx'."""
    return f"{ev.kind}_{ev.as_of}.docx"


def _title_lines(ev: Evaluation) -> list[str]:
    """The title broken before the plan's years and before 截至, so no line breaks inside a bracket."""
    return [line for line in re.split(r"(?=[(（]\d{4})|(?=（截至)", title(ev)) if line]


def _numbered(level: int, i: int, text: str) -> str:
    return {1: f"{CN_NUMBERS[i]}、{text}", 2: f"（{CN_NUMBERS[i]}）{text}", 3: f"{i + 1}. {text}"}[level]


def docx_bytes(ev: Evaluation) -> bytes:
    doc = Document(title(ev), polish=official)
    doc.title(_title_lines(ev))
    if ev.brief.report.sample:
        doc.notice(SAMPLE_NOTE)
    if ev.catalog.recipient:
        doc.paragraph(f"{ev.catalog.recipient}：", style="主送")
    for i, (head, write) in enumerate([("基本情况", _basics), ("目标完成情况", _goals), ("主要任务完成情况", _tasks),
                                       ("重点项目", _projects), ("债务化解", _debt), ("存在的问题", _problems),
                                       ("下一步打算", _plans)]):
        doc.heading(_numbered(1, i, head), 1)
        write(doc, ev)
    doc.placeholder(SIGNATURE_HINT, style="落款")
    if ev.brief.entry:          # 附注: which version of the data, for whoever checks a figure
        e = ev.brief.entry
        doc.paragraph(f"（数据版本：{e.id}，{e.uploaded_at[:10]}上传）")
    return doc.bytes()


# ------------------------------------------------------------------------------------------------ 一 … 七

def _counts_text(statuses) -> str:
    parts = [f"{label}{n}项" for key, label in STATUS_LABELS.items() if (n := sum(s.status == key for s in statuses))]
    late = sum(s.late for s in statuses)
    return "、".join(parts) + (f"（其中逾期完成{late}项）" if late else "")


def _basics(doc: Document, ev: Evaluation) -> None:
    c, r = ev.catalog, ev.brief.report
    first = month_words(month_of(month_index(c.start) + 1)) if c.start else "—"
    issued = ""
    if c.publisher or c.published:
        day = c.published.split("-")
        date = f"{day[0]}年{int(day[1])}月{int(day[2])}日" if len(day) == 3 else c.published
        issued = f"由{c.publisher}于{date}发布" + (f"（{c.number}）" if c.number else "") + "，"
    doc.paragraph(f"《{c.name}》（以下简称《行动计划》）{issued}计划期为{first}至{month_words(c.end)}，"
                  f"评估对象为{c.park}。")
    doc.paragraph(f"本报告数据截至{month_words(r.as_of)}，由园区各责任单位报送"
                  + ("；未到期目标按序时进度判定。" if any(r.as_of < s.deadline for s in r.statuses) else "。"))
    if r.sample:
        doc.paragraph(SAMPLE_NOTE)
    yearly = list(dict.fromkeys(s.name for s in r.statuses if s.goals > 1))
    doc.paragraph(f"《行动计划》共设{len(r.statuses)}项目标" + (f"（其中{'、'.join(yearly)}按年度分设）" if yearly else "")
                  + f"；截至{month_words(r.as_of)}，{_counts_text(r.statuses)}。")


def _goals(doc: Document, ev: Evaluation) -> None:
    statuses = ev.brief.report.statuses
    yearly = [s for s in statuses if s.goals > 1]
    milestones = [s for s in statuses if s.kind == "milestone"]
    directions = [s for s in statuses if s.rule == "improve"]
    parts = [("总体情况", _overall), ("目标完成情况表", _goal_table), ("年度目标", _yearly) if yearly else None,
             ("里程碑", _milestones) if milestones else None, ("方向性目标", _directions) if directions else None]
    for i, (head, write) in enumerate(p for p in parts if p):
        doc.heading(_numbered(2, i, head), 2)
        write(doc, ev)


def _overall(doc: Document, ev: Evaluation) -> None:
    r = ev.brief.report
    doc.paragraph(f"截至{month_words(r.as_of)}，{len(r.statuses)}项目标中{_counts_text(r.statuses)}。")
    for year in by_deadline_year(r.statuses, r.as_of):
        missed = year.named("missed")
        text = f"{year.year}年到期{len(year.goals)}项，达标{year.count('met')}项" + \
            (f"，未达标{len(missed)}项（{'、'.join(missed)}）" if missed else "")
        rest = [f"{STATUS_LABELS[k]}{year.count(k)}项" for k in ("on_track", "lagging", "off_track", "pending", "no_data")
                if year.count(k)]
        doc.paragraph(text + ("，" + "、".join(rest) if rest else "") + "。")


def _goal_table(doc: Document, ev: Evaluation) -> None:
    doc.paragraph("各项目标完成情况见表1（完成情况：数量目标为完成值 ÷ 计划目标，比率目标为与目标相差的百分点，"
                  "方向性目标为较基期的变化；到期目标按期限所在期间的数据判定，未到期目标按序时进度判定；"
                  "完成值所属期间与期限不同的，在其后注明）。")
    doc.table("目标完成情况", ["序号", "目标", "期限", "计划目标", "完成值", "完成情况", "是否完成", "条款", "责任单位"],
              goal_rows(ev.brief.report.statuses, ev.as_of), [0, 3, 0, 0, 0, 0, 0, 4, 4],
              center={0, 2, 5, 6}, nowrap={0, 2, 3, 4, 5, 6}, wide=True, size=SMALL)


def _yearly(doc: Document, ev: Evaluation) -> None:
    for i, (name, text) in enumerate(yearly_lines(ev.brief.report.statuses, ev.as_of)):
        doc.heading(_numbered(3, i, name), 3)
        doc.paragraph(text)


def _milestones(doc: Document, ev: Evaluation) -> None:
    rows = milestone_rows(ev.brief.report.statuses)
    doc.table("里程碑完成情况", ["序号", "里程碑", "期限", "完成时间", "完成情况", "条款"], rows,
              [0, 4, 0, 0, 0, 3], center={0, 2, 3, 4}, keep=len(rows) <= 8, nowrap={0, 2, 3, 4})


def _directions(doc: Document, ev: Evaluation) -> None:
    doc.paragraph("《行动计划》对以下指标提出“大幅提升”的方向性要求，未设具体数值，以较基期是否提升判断。", keep=True)
    rows = direction_rows(ev.brief.report.statuses)
    doc.table("方向性目标", ["序号", "目标", "基期", "基期值", "最新期", "最新值", "变化", "判断"], rows,
              [0, 1, 0, 0, 0, 0, 0, 0], center={0, 2, 4, 7}, keep=len(rows) <= 8, nowrap={0, 2, 3, 4, 5, 6, 7},
              size=SMALL)


def _tasks(doc: Document, ev: Evaluation) -> None:
    states = list(ev.brief.tasks)
    if not states:
        doc.paragraph(f"截至{month_words(ev.as_of)}，未收到各责任单位报送的重点工作进展，无法评估主要任务完成情况。")
        return
    n = task_counts(states)
    reports = [u for s in states for u in s.units]
    silent = sum(u.state == "not_reported" for u in reports)
    doc.paragraph(f"《行动计划》三、主要任务共{len(states)}条。截至{month_words(ev.as_of)}，"
                  + "、".join(f"{WORDS[k]}{v}条" for k, v in n.items() if v)
                  + f"。各任务涉及责任单位{len(reports)}个次，当月未报送{silent}个次。")
    for i, (section, members) in enumerate(sections(states)):
        name = re.sub(r"^[(（][一二三四五六七八九十]+[)）]", "", section)
        doc.heading(_numbered(2, i, name), 2)
        m = task_counts(members)
        doc.paragraph(f"本工程共{len(members)}条任务：" + "、".join(f"{WORDS[k]}{v}条" for k, v in m.items() if v) + "。",
                      keep=True)
        doc.table(f"{name}任务完成情况", ["任务", "状态", "各责任单位（状态）"], task_rows(members),
                  [3.8, 0, 9.6], center={1}, nowrap={1})


def _projects(doc: Document, ev: Evaluation) -> None:
    p = ev.brief.pipeline
    if p is None:
        doc.paragraph(f"截至{month_words(ev.as_of)}，未收到重点项目台账，无法评估重点项目推进情况。")
        return
    stages = list(zip(p.stages["stage"], p.stages["projects"], p.stages["investment"]))
    month = month_words(p.now["period"].max() if "period" in p.now and len(p.now) else ev.as_of)   # the ledger's own
    doc.paragraph(f"截至{month}，重点项目台账共{sum(n for _, n, _ in stages)}个项目：" +
                  "、".join(f"{stage}{n}个" for stage, n, _ in stages) +
                  f"；总投资合计{figure(sum(v for *_, v in stages), '万元')}。")
    rows = []
    for key, name in RATES.items():
        now, before = p.rates[key], p.year_before[key]
        change = "—" if now is None or before is None else signed((now - before) * 100, "个百分点", "提高", "下降")
        threshold = ev.catalog.project_rates.get(key)
        rows.append([name, share_text(now), share_text(before), change,
                     share_text(threshold) if threshold is not None else "未设"])
    doc.table("重点项目主要比率", ["比率", f"截至{month}", "上年同期", "变化", "门槛"], rows,
              [1, 0, 0, 0, 0], center={1, 2, 3, 4}, keep=True, nowrap={1, 2, 3, 4})
    stalled = stalled_frame(p)
    if not len(stalled):
        doc.paragraph("没有停滞的项目。")
        return
    doc.paragraph(f"停滞项目{len(stalled)}个（按责任单位）：", keep=True)
    stalled["自何时起"] = stalled["自何时起"].map(month_words)
    doc.table("停滞项目", list(stalled.columns), stalled.astype(str).values.tolist(), [2.6, 3.0, 0, 6.6, 0],
              center={2, 4}, nowrap={2, 4})


def _debt(doc: Document, ev: Evaluation) -> None:
    goals = [s for s in ev.brief.report.statuses if s.rule == "debt"]
    if not goals:       # the ledger is the store's, not this plan's: without a debt goal it is not this report's
        doc.paragraph("《行动计划》未设债务化解目标。")
        return
    for s in goals:
        doc.paragraph(f"{s.name}：计划期内{target_text(s)}，截至{month_words(s.period) if s.period else '—'}"
                      f"累计化解{value_text(s)}，完成率{share(s.completion)}，{status_word(s)}。")
    debt = ev.debt
    if not len(debt):
        doc.paragraph(f"截至{month_words(ev.as_of)}，未收到债务台账，无法反映债务余额和逾期情况。")
        return
    trend = ledger.debt_balance_trend(debt, ev.as_of)
    if len(trend):
        last = trend.iloc[-1]
        doc.paragraph(f"据债务台账，截至{month_words(last['period'])}债务余额合计{figure(last['balance'], '万元')}"
                      f"（{int(last['items'])}笔）。")
    new = ledger.new_debt_by_year(debt, ev.as_of, ev.catalog.start)
    if len(new):
        doc.paragraph("计划期内新增债务：" + "，".join(f"{y}年{figure(v, '万元')}" for y, v in zip(new["year"], new["value"]))
                      + "。")
    due = ledger.maturities(debt, ev.as_of, 12)
    overdue = ev.overdue
    ledger_month = overdue["period"].max() if len(overdue) else ev.as_of
    doc.paragraph(f"逾期债务{len(overdue)}笔" + (f"，余额合计{figure(float(overdue['balance'].sum()), '万元')}"
                                                 if len(overdue) else "") +
                  (f"（据{month_words(ledger_month)}台账）" if ledger_month != ev.as_of else "") +
                  f"；未来12个月内到期{int(due['items'].sum())}笔，余额合计{figure(float(due['amount'].sum()), '万元')}。")
    if len(overdue):
        table = ledger.overdue_table(overdue)
        doc.table("逾期债务", list(table.columns), table.astype(str).values.tolist(), [0, 4.2, 4.0, 0, 0],
                  center={0, 3}, keep=len(table) <= 8, nowrap={0, 3, 4})


def _problems(doc: Document, ev: Evaluation) -> None:
    doc.placeholder(PROBLEMS_HINT)
    debt = ev.overdue if any(s.rule == "debt" for s in ev.brief.report.statuses) else ev.overdue.iloc[0:0]   # 五、
    lines = behind_lines(ev.brief.report.statuses, list(ev.brief.tasks), ev.brief.pipeline, debt, ev.as_of)
    doc.paragraph("（以下为数据反映的未完成事项，供撰写参考，定稿时请删除。）" if lines else "（数据未反映未完成事项。）")
    for i, line in enumerate(lines, 1):
        doc.paragraph(f"（{i}）{line}")


def _plans(doc: Document, ev: Evaluation) -> None:
    doc.placeholder(PLANS_HINT)
