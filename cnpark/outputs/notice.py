"""督查通报: the 督查室 follows the plan up and reports on it (四(四) 跟踪督办、及时通报进展情况) — one editable Word document
a month, numbered (docs/RULES.md "督查通报"), in the form of a 通报 issued in numbered issues:

版头 (份号, 督查通报 in red, 第N期, the issuing office and the day the number was taken, over a red rule) · title ·
一、报送情况 (the month's reports: on time, late with the day sent, not reported, returned with the reason) ·
二、滞后任务 (each task 滞后, its units with their reports, since when, why) · 三、停滞项目 (unit, stage, why, since
when) · 四、下步要求 (the 督查室's own words: a marked place) · the data version · 版记.

Every fact is a reading the pages show (service/readings.py: review_states, tasks, pipeline), formatted as the 评估报告
formats its text (evaluation_text.official); the office's words are marked places, never written for it. The 期号 is
the store's record (Store.notice_number): issue() takes it, gather() and docx_bytes() only read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from cnpark import settings
from cnpark.outputs.docx_doc import Document
from cnpark.outputs.evaluation_text import CN_NUMBERS, month_words, official
from cnpark.plan.catalog import Catalog
from cnpark.rules.projects import Pipeline
from cnpark.rules.reviews import Submission
from cnpark.rules.submissions import due_date
from cnpark.rules.tasks import TaskState, behind_units
from cnpark.service.readings import Readings
from cnpark.store.datasets import DATASET_NAMES
from cnpark.store.manifest import Entry, StoreError

NAME = "督查通报"
SERIAL = "【份号】"
OFFICE = "【发文单位】"           # no catalog or setting names the 督查室's office: the office writes it
OPINION = "【督查室意见：……】"
REPORTED_TO = "报：【请填写：报送的领导和单位】"
SENT_TO = "发：各责任单位"
SAMPLE_NOTE = "示例数据：本通报使用演示用示例数据（虚构），并非官方统计。"
EMPTY = "数据仓库为空，没有可通报的报送与进展：请先导入或报送数据"
# The four groups of a month's reports, in the order the 通报 names them (a report is in exactly one).
GROUPS = {"on_time": "按时报送", "late": "逾期报送", "not_reported": "未报送", "returned": "退回"}


@dataclass(frozen=True, eq=False)
class Notice:
    """Everything one issue shows: the month's reports, its tasks behind and stalled projects, from one state."""
    catalog: Catalog
    month: str                              # the month reported on
    number: int                             # 期号
    issued: str                             # the day its number was taken, YYYY-MM-DD
    due: str                                # the last day the month's reports were on time
    submissions: tuple[Submission, ...]     # every report due for the month, with its review state
    lagging: tuple[TaskState, ...]          # the tasks 滞后 as of the month, with since when
    pipeline: Pipeline | None               # 重点项目 as of the month (None: no ledger)
    entry: Entry | None                     # the data version it is made from
    sample: bool

    def group(self, key: str) -> list[Submission]:
        return [s for s in self.submissions if group_of(s) == key]


def group_of(s: Submission) -> str:
    """Which of GROUPS a report is in: not reported, returned (counts as not reported until resubmitted), else sent
    on time or late (by the day it counts as sent, Submission.sent; docs/RULES.md "报送情况")."""
    if s.state in ("not_reported", "returned"):
        return s.state
    return "late" if s.late else "on_time"


def issue(r: Readings, user: str = "") -> tuple[Notice, bool]:
    """The month's notice with its 期号 taken now (kept when the month was issued before: then False)."""
    if r.snapshot is None:
        raise StoreError(EMPTY)
    entry, new = r.store.notice_number(r.catalog.code, r.as_of, r.snapshot, user)
    return gather(r, entry), new


def gather(r: Readings, issued: Entry) -> Notice:
    """The notice of the readings' month under the 期号 `issued` (a notice entry of that month)."""
    if issued.month != r.as_of:
        raise ValueError(f"期号 {issued.number} 是 {issued.month} 的，不是 {r.as_of} 的")
    return Notice(r.catalog, r.as_of, issued.number, issued.uploaded_at[:10],
                  due_date(r.as_of, int(settings.number("report_due_day"))), tuple(r.review_states),
                  tuple(s for s in r.tasks if s.state == "lagging"), r.pipeline if r.has("projects") else None,
                  r.entry, r.sample)


def title(n: Notice) -> str:
    return official(f"关于《{n.catalog.name}》{month_words(n.month)}推进情况的通报")


def file_name(n: Notice) -> str:
    """'督查通报第1期_2025-05.docx'."""
    return f"{NAME}第{n.number}期_{n.month}.docx"


def day_words(day: str) -> str:
    """'2025-06-09' → '2025年6月9日'."""
    return f"{day[:4]}年{int(day[5:7])}月{int(day[8:10])}日"


def docx_bytes(n: Notice) -> bytes:
    doc = Document(f"{NAME} 第{n.number}期", polish=official)
    doc.masthead(NAME, f"第{n.number}期", OFFICE, day_words(n.issued), SERIAL, blanks=frozenset({OFFICE, SERIAL}))
    if n.sample:
        doc.notice(SAMPLE_NOTE)
    doc.title([line for line in re.split(r"(?=（\d{4})|(?<=》)", title(n)) if line])
    doc.paragraph(f"按照《{n.catalog.name}》（以下简称《行动计划》）关于跟踪督办、及时通报进展情况的要求，现将"
                  f"{month_words(n.month)}各责任单位报送情况及滞后任务、停滞项目通报如下。")
    for i, (head, write) in enumerate([("报送情况", _reports), ("滞后任务", _tasks), ("停滞项目", _projects),
                                       ("下步要求", _next)]):
        doc.heading(f"{CN_NUMBERS[i]}、{head}", 1)
        write(doc, n)
    if n.entry:             # which version of the data, for whoever checks a fact
        doc.paragraph(f"（数据版本：{n.entry.id}，{n.entry.uploaded_at[:10]}上传）")
    doc.colophon([REPORTED_TO, SENT_TO], blanks=frozenset({REPORTED_TO}))
    return doc.bytes()


# ------------------------------------------------------------------------------------------------ 一 … 四

def _reports(doc: Document, n: Notice) -> None:
    subs = n.submissions
    if not subs:
        doc.paragraph(f"{month_words(n.month)}没有应报送的工作进展或项目台账。")
        return
    owed = {d: sum(s.dataset == d for s in subs) for d in dict.fromkeys(s.dataset for s in subs)}
    counts = "、".join(f"{GROUPS[k]}{len(n.group(k))}份" for k in GROUPS)
    waiting = sum(s.state == "submitted" for s in subs)
    doc.paragraph(f"{month_words(n.month)}各责任单位应报送{len(subs)}份（"
                  + "、".join(f"{DATASET_NAMES[d]}{k}份" for d, k in owed.items())
                  + f"），报送截止日为{day_words(n.due)}。其中{counts}"
                  + (f"；已报送的{waiting}份尚待审核" if waiting else "") + "。退回的报送在重新报送前按未报送计。")
    split = _split_units(subs)
    for i, key in enumerate(GROUPS):
        found = n.group(key)
        if not found:
            doc.paragraph(f"（{CN_NUMBERS[i]}）{GROUPS[key]}：无。")
            continue
        if key == "late":
            names = "；".join(_late(s, n.due) for s in found)
        elif key == "returned":
            names = "；".join(f"{s.unit}（{DATASET_NAMES[s.dataset]}，退回理由：{s.reason}）" for s in found)
        else:
            names = "、".join(_units(found, split))
        doc.paragraph(f"（{CN_NUMBERS[i]}）{GROUPS[key]}{len(found)}份：{names}。")


def _split_units(subs: tuple[Submission, ...]) -> set[str]:
    """The units whose reports of the month are in more than one group: each of their reports is named with its
    dataset."""
    groups: dict[str, set[str]] = {}
    for s in subs:
        groups.setdefault(s.unit, set()).add(group_of(s))
    return {u for u, g in groups.items() if len(g) > 1}


def _units(found: list[Submission], split: set[str]) -> list[str]:
    """Each unit once, in order; with its datasets when its reports are in several groups."""
    datasets: dict[str, list[str]] = {}
    for s in found:
        datasets.setdefault(s.unit, []).append(DATASET_NAMES[s.dataset])
    return [u + (f"（{'、'.join(d)}）" if u in split else "") for u, d in datasets.items()]


def _late(s: Submission, due: str) -> str:
    days = (date.fromisoformat(s.sent) - date.fromisoformat(due)).days
    return f"{s.unit}（{DATASET_NAMES[s.dataset]}，{day_words(s.sent)}报送，逾期{days}天）"


def _tasks(doc: Document, n: Notice) -> None:
    month = month_words(n.month)
    if not n.lagging:
        doc.paragraph(f"截至{month}，《行动计划》{len(n.catalog.tasks)}条任务中没有滞后的任务。")
        return
    doc.paragraph(f"截至{month}，《行动计划》{len(n.catalog.tasks)}条任务中滞后{len(n.lagging)}条（责任单位为本月报“滞后”"
                  "或未报送的单位，任务只因所承载的目标未达标而滞后的为其全部责任单位；“自何时起”为连续处于滞后的第一个"
                  "月份）：", keep=True)
    rows = []
    for i, s in enumerate(n.lagging, 1):
        units = behind_units(s)
        why = [f"{m.name}（期限{month_words(m.deadline)}）未达标" for m in s.missed]
        why += [f"{u.unit}：{u.problems}" for u in units if u.problems]
        rows.append([str(i), s.task.label, "、".join(f"{u.unit}（{u.word}）" for u in units),
                     month_words(s.since), "；".join(why) or "—"])
    doc.table("滞后任务", ["序号", "任务", "责任单位", "自何时起", "原因"], rows, [0, 3, 3, 0, 4],
              center={0, 3}, nowrap={0, 3})


def _projects(doc: Document, n: Notice) -> None:
    p = n.pipeline
    if p is None:
        doc.paragraph(f"截至{month_words(n.month)}，未收到重点项目台账。")
        return
    source = f"据{month_words(p.month)}重点项目台账" + (f"（{month_words(n.month)}台账尚未报送）" if p.month < n.month else "")
    if not p.stalled:
        doc.paragraph(f"{source}，没有停滞的项目。")
        return
    doc.paragraph(f"{source}，停滞项目{len(p.stalled)}个：", keep=True)
    rows = [[str(i), f"{s.project_id} {s.name}", s.unit or "（未填）", s.stage, s.reason, month_words(s.since)]
            for i, s in enumerate(p.stalled, 1)]
    doc.table("停滞项目", ["序号", "项目", "责任单位", "阶段", "停滞原因", "自何时起"], rows, [0, 3, 2.5, 0, 4.5, 0],
              center={0, 3, 5}, nowrap={0, 3, 5})


def _next(doc: Document, n: Notice) -> None:
    doc.placeholder(OPINION)
