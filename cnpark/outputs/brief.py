"""调度会简报: the take-away of a meeting — an A4 PDF in Chinese, PNG slides and gauges, the status table as XLSX.

Everything comes from one Brief (a status reading of one month and one state of the store, its 督办 list and,
when asked, the comparison with an earlier reading), and every gauge is drawn from the spec the pages use.
Status always appears as a word beside its colour, so the brief reads the same printed in black and white.
This module gathers the Brief and lays out the PDF; the pictures are cnpark/outputs/slides.py, the workbook cnpark/outputs/sheets.py
(both reached through here: brief.images_zip, brief.status_xlsx).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cnpark.outputs.charts import GAUGE_SIZE, drawn_size, gauge_specs
from cnpark.outputs.drawing import Child
from cnpark.outputs.pdf import A4, Canvas, grouped_rows
from cnpark.outputs.sheets import status_frame, status_xlsx  # noqa: F401 (the pack's workbook)
from cnpark.outputs.slides import PNG_GAUGE, gauge_pngs, images_zip, slides  # noqa: F401 (the pack's pictures)
from cnpark.plan.catalog import Catalog
from cnpark.plan.months import MONTH
from cnpark.rules.display import (
    STATUS_LABELS,
    achievement_text,
    goal_titles,
    status_word,
    target_text,
    value_in,
    value_text,
)
from cnpark.rules.overview import by_deadline_year
from cnpark.rules.projects import RATES, Pipeline, share_text, stalled_frame
from cnpark.rules.status import STATUSES, count_statuses
from cnpark.rules.supervision import Change, Item, by_department, change_label, compare, item_frame
from cnpark.rules.tasks import WORDS, TaskState, behind_frame
from cnpark.rules.tasks import counts as task_counts
from cnpark.service.readings import Readings, Report
from cnpark.store.snapshots import Entry

PDF_GAUGE = GAUGE_SIZE    # the pages' own specs: the page's download reuses what it has drawn
SAMPLE_NOTE = "示例数据：本简报使用演示用示例数据（虚构），并非官方统计。"


@dataclass(frozen=True)
class Brief:
    catalog: Catalog
    report: Report
    entry: Entry | None                    # the state of the store the figures are read from
    items: list[Item]                      # 督办
    changes: list[Change] | None = None    # against `since`, when asked
    since: str | None = None               # "2024-03" or "快照 S00004"
    tasks: tuple[TaskState, ...] = ()      # 重点工作 as of the month (empty: no progress reported yet)
    pipeline: Pipeline | None = None       # 重点项目 as of the month (None: no ledger yet)

    @property
    def title(self) -> str:
        return f"{self.catalog.park}目标完成情况简报"

    @property
    def source(self) -> str:
        e = self.entry
        state = f"数据版本 {e.id}（{e.uploaded_at[:16].replace('T', ' ')} 上传）" if e else "尚无数据"
        return f"截至 {self.report.as_of} · {state}"


def gather(r: Readings, since: str | None = None) -> Brief:
    """The brief's content: the readings of one month (service/readings.py); `since` = an earlier month (YYYY-MM)
    or snapshot id to compare with."""
    report = r.report
    changes, label = None, None
    if since:
        if MONTH.match(since):
            earlier, label = r.month(since).report, since
        else:
            r.store.entry(since)                                    # a clear error for an unknown id
            earlier, label = Readings(r.store, r.catalog, report.as_of, since).report, f"快照 {since}"
        changes = compare(earlier.statuses, report.statuses)
    tasks = tuple(r.tasks) if r.has("tasks") else ()
    pipe = r.pipeline if r.has("projects") else None
    return Brief(r.catalog, report, r.entry, r.behind, changes, label, tasks, pipe)


def status_rows(brief: Brief) -> list[list[str]]:
    """指标, 实际值, 目标, 完成度, 状态, 数据期间 — as the PDF's table prints them."""
    return [[title, value_text(s), target_text(s), achievement_text(s), status_word(s), s.period or "—"]
            for s, title in zip(brief.report.statuses, goal_titles(brief.report.statuses))]


def _grouped_table(doc: Canvas, frame: pd.DataFrame, widths: dict[str, float], by: str = "责任单位") -> None:
    """`frame` as a table under a heading row for each `by` (a column not in `widths` gets 60 points)."""
    columns, rows = grouped_rows(frame, by)
    doc.table(columns, rows, [widths.get(c, 60) for c in columns], size=8)


def _change_rows(brief: Brief) -> list[list[str]]:
    rows = []
    for c, title in zip(brief.changes or [], goal_titles(brief.report.statuses)):
        if not c.status_changed and not c.moved:
            continue
        month = brief.since if brief.since and MONTH.match(brief.since) else brief.report.as_of   # or a snapshot
        before = value_in(c.before, month) if c.before else "—"
        rows.append([title, before, value_in(c.after, brief.report.as_of), f"{c.moved_text}（{c.figure_direction}）"
                     if c.figure_direction else c.moved_text, change_label(c) + (f"（{c.direction}）" if c.direction else "")])
    return rows


# ------------------------------------------------------------------------------------------------ PDF

def pdf(brief: Brief, specs: dict | None = None, child: Child | None = None) -> bytes:
    """The A4 brief. specs: the gauges' Vega-Lite specs at GAUGE_SIZE, as the page that asks has them cached (built
    here when not given). Every page is laid out first (a gauge's box from its spec: charts.drawn_size), then drawn:
    the gauges' pages here and the text pages in a child process beside this one, or the other way round when
    `child` is a drawing.Child(charts=True) the caller started early (the command line: drawing.py)."""
    r = brief.report
    specs = specs or gauge_specs(r.statuses, PDF_GAUGE)
    doc = Canvas(A4, footer=f"{brief.title} · {brief.source}")
    m = doc.margin
    doc.text(m, doc.y + 20, brief.title, 19, bold=True)
    doc.y += 30
    doc.paragraph(brief.catalog.name, 10)
    doc.paragraph(brief.source + f" · 共 {len(r.statuses)} 项目标", 10)
    if r.sample:
        doc.paragraph(SAMPLE_NOTE, 10, bold=True)
    doc.y += 6
    counts, box = count_statuses(r.statuses), doc.room / len(STATUSES)
    for i, status in enumerate(STATUSES):
        doc.rect(m + i * box + 2, doc.y, box - 4, 38, stroke="#000")
        doc.text(m + i * box + box / 2, doc.y + 20, str(counts[status]), 16, bold=True, anchor="middle")
        doc.text(m + i * box + box / 2, doc.y + 33, STATUS_LABELS[status], 8, anchor="middle")
    doc.y += 50
    for year in by_deadline_year(r.statuses, r.as_of):     # the reckoning: each year's targets on their own
        lines = "；".join(text for _, text in year.lines)
        doc.paragraph(f"{year.year}年到期目标 {len(year.goals)} 项：{year.headline}。{lines}", 9.5)
    doc.y += 6

    per_row = 4
    column = doc.room / per_row
    for i in range(0, len(r.statuses), per_row):
        row = [specs[(s.code, s.deadline)] for s in r.statuses[i:i + per_row]]
        sizes = [drawn_size(spec) for spec in row]
        height = max(h for _, h in sizes) * min(1.0, column / max(w for w, _ in sizes))
        doc.need(height)
        for j, spec in enumerate(row):
            doc.chart_box(m + j * column, doc.y, column, height, spec)
        doc.y += 2 + height

    doc.page()
    doc.paragraph("目标完成情况一览", 14, bold=True)
    doc.y += 4
    doc.table(["指标", "实际值", "目标", "完成情况", "状态", "数据期间"], status_rows(brief), [132, 80, 128, 82, 45, 48])

    doc.y += 14
    doc.need(60)
    doc.paragraph(f"督办清单（滞后、严重滞后、未达标，共 {len(brief.items)} 项，按责任单位）", 14, bold=True)
    if not brief.items:
        doc.paragraph("本期没有滞后、严重滞后或未达标的目标。", 9)
    else:
        doc.paragraph("一个目标列在它的每个责任单位下；差距在期限前对照序时进度，期限后对照目标，方向性目标对照基期。", 8.5,
                      fill="#333")
        frame = pd.concat([item_frame(items).assign(责任单位=unit) for unit, items in by_department(brief.items)])
        _grouped_table(doc, frame.drop(columns="_key"), {"目标": 80, "期限": 37, "状态": 40, "差距": 76, "实际": 60,
                                                         "目标值": 72, "数据期": 37, "滞后起始": 40, "条款": 73})

    doc.y += 14
    doc.need(60)
    behind = behind_frame(list(brief.tasks))
    doc.paragraph(f"重点工作：滞后与未报送的任务（按责任单位，共 {behind['任务'].nunique() if len(behind) else 0} 项任务）",
                  14, bold=True)
    if not brief.tasks:
        doc.paragraph("尚无重点工作进展报送。", 9)
    else:
        n = task_counts(list(brief.tasks))
        doc.paragraph(f"计划第1–{len(brief.tasks)}条任务截至 {r.as_of}：" + "，".join(f"{WORDS[k]} {v}" for k, v in n.items()),
                      9)
        if len(behind):
            _grouped_table(doc, behind, {"任务": 130, "单位状态": 48, "任务状态": 48, "自何时起": 48, "原因": 241})

    if brief.pipeline is not None:
        p = brief.pipeline
        doc.y += 14
        doc.need(60)
        doc.paragraph("重点项目：阶段、四个比率与停滞项目", 14, bold=True)
        doc.paragraph("阶段：" + "，".join(f"{s} {n} 个" for s, n in zip(p.stages["stage"], p.stages["projects"])), 9)
        doc.paragraph("；".join(f"{name} {share_text(p.rates[k])}（上年同期 {share_text(p.year_before[k])}）"
                               for k, name in RATES.items()), 9)
        stalled = stalled_frame(p)
        if len(stalled):
            _grouped_table(doc, stalled, {"项目": 120, "阶段": 40, "停滞原因": 300, "自何时起": 55})
        else:
            doc.paragraph("没有停滞的项目。", 9)

    if brief.changes is not None:
        doc.y += 14
        doc.need(60)
        doc.paragraph(f"与 {brief.since} 相比的变化", 14, bold=True)
        rows = _change_rows(brief)
        if rows:
            doc.table(["指标", f"{brief.since}", f"{r.as_of}", "数值变化（数值）", "状态变化（状态）"], rows,
                      [140, 85, 85, 100, 120])
        else:
            doc.paragraph("各目标的状态和数值均无变化。", 9)

    doc.y += 14
    doc.need(50)
    doc.paragraph("说明", 10, bold=True)
    notes = [f"数据来源：{brief.source}；各数据由园区各责任单位报送，经检查后上传。",
             f"目标依据：《{brief.catalog.name}》各条款；状态按序时进度规则统一计算。完成情况与仪表盘相同：数量目标为"
             "完成率（实际 ÷ 目标），比率与增长目标为与目标相差的百分点，方向性目标为较基期的变化，里程碑见状态。",
             "状态用文字标注（达标、正常推进、滞后、严重滞后、未达标、待完成、无数据），黑白打印同样可读。"]
    if r.sample:
        notes.append(SAMPLE_NOTE)
    for note in notes:
        doc.paragraph(note, 8, fill="#333")
    return doc.pdf(child)
