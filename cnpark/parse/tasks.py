"""Stage 4 of the parser for the tasks' progress (工作进展): one report per row — 任务 (8, 第8条, 第八条,
8.开展精准化招商 or the title), 责任单位 (one the task names), 期间, 完成状态 (datasets.TASK_STATE_WORDS), and the texts
进展情况, 存在问题, 下步打算, kept exactly as typed (never run, never rendered as HTML or Markdown).

A row with neither a state nor any text is a template row left unfilled: skipped, not a problem.
"""

from __future__ import annotations

from cnpark.datasets import TASK_STATE_WORDS, TASK_STATES
from cnpark.parse.collect import Reading
from cnpark.parse.locate import clean
from cnpark.units import clean_text, normalize_name

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
        texts = {k: clean_text(h.cell(cells, k)) for k in TEXTS}      # free text: not through the cached cleaners
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
        state = _STATES.get(normalize_name(raw_state))
        if state is None:
            reading.problems.add(number, state_col.text, raw_state, "完成状态为空（应为 " + "、".join(TASK_STATES) + "）"
                                 if not clean(raw_state) else "完成状态应为 " + "、".join(TASK_STATES) + " 之一")
        if reading.problems.count > before or period is None:
            continue
        record = {"task": task.number, "unit": unit, "period": period.month, "state": state, **texts,
                  "source_row": number}
        reading.records.add(record, reading.problems, task_col.text, raw_task)
    return "table"
