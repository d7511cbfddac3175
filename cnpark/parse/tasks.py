"""Stage 4 of the parser for the tasks' progress (工作进展): one report per row — 任务 (8, 第8条, 第八条,
8.开展精准化招商 or the title), 责任单位 (one the task names), 期间, 完成状态 (datasets.TASK_STATE_WORDS), the texts
进展情况, 存在问题, 下步打算, kept exactly as typed (never run, never rendered as HTML or Markdown), and optionally
报送日期, the day the unit sent the report (a full date as offices write it, not before the month it reports on).

A row with neither a state nor any text is a template row left unfilled: skipped, not a problem.
"""

from __future__ import annotations

from cnpark.parse.collect import Reading
from cnpark.parse.locate import clean
from cnpark.plan.units import clean_prose, normalize_name
from cnpark.store.datasets import TASK_STATE_WORDS, TASK_STATES

_STATES = {normalize_name(w): state for w, state in TASK_STATE_WORDS.items()}
TEXTS = ("progress", "problems", "next_steps", "note")


def read_tasks(reading: Reading, rows) -> str:
    h, catalog = reading.header, reading.catalog
    if reading.missing_columns([("任务", "task" in h.roles), ("责任单位", "unit" in h.roles),
                                ("期间", "period" in h.roles or reading.title.period is not None),
                                ("完成状态", "state" in h.roles)]):
        return "table"
    task_col, unit_col, state_col = h.roles["task"], h.roles["unit"], h.roles["state"]
    for number, cells in rows:
        raw_task, raw_unit, raw_state = h.cell(cells, "task"), h.cell(cells, "unit"), h.cell(cells, "state")
        texts = {k: clean_prose(h.cell(cells, k)) for k in TEXTS}     # free text: not through the cached cleaners
        if not clean(raw_state) and not any(texts[k] for k in TEXTS[:3]):
            reading.skipped += 1            # an unfilled template row
            continue
        before = reading.problems.count
        period = reading.period(h.cell(cells, "period"), number)
        plan = catalog.plan_for(period.month) if period else catalog       # the plan in force in that month
        task = plan.task(raw_task) if clean(raw_task) else None
        if task is None:
            reading.problems.add(number, task_col.text, raw_task, "任务为空" if not clean(raw_task) else
                                 f"不是计划的任务（可写 8、第8条、第八条、8.开展精准化招商 或任务名称，共 {len(plan.tasks)} 条）")
        unit = plan.task_unit(task, raw_unit) if task else None
        if task and unit is None:
            reading.problems.add(number, unit_col.text, raw_unit, "责任单位为空" if not clean(raw_unit) else
                                 f"不是{task.label}的责任单位（应为：{'、'.join(task.units)}）")
        submitted = _submitted(reading, h.cell(cells, "submitted"), number, period) if "submitted" in h.roles else ""
        state = _STATES.get(normalize_name(raw_state))
        if state is None:
            reading.problems.add(number, state_col.text, raw_state, "完成状态为空（应为 " + "、".join(TASK_STATES) + "）"
                                 if not clean(raw_state) else "完成状态应为 " + "、".join(TASK_STATES) + " 之一")
        if reading.problems.count > before or period is None:
            continue
        record = {"task": task.number, "unit": unit, "period": period.month, "state": state, **texts,
                  "submitted": submitted, "source_row": number}
        reading.records.add(record, reading.problems, task_col.text, raw_task)
    return "table"


def _submitted(reading: Reading, raw: str, number: int, period) -> str | None:
    """报送日期: '2025-07-03', '2025年7月3日', '2025/7/3' or an Excel date → '2025-07-03'; blank → ''. A month alone
    cannot say whether the report was in time, and a report is not sent before the month it reports on."""
    day = reading.due_date(raw, number, "submitted")
    column = reading.header.label("submitted", "报送日期")
    if day and len(day) == 7:
        reading.problems.add(number, column, raw, "报送日期应写到日（如 2025-07-03）")
        return None
    if day and period is not None and day[:7] < period.month:
        reading.problems.add(number, column, raw, f"报送日期早于所报送的月份 {period.month}")
        return None
    return day
