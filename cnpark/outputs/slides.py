"""The meeting pack's pictures: 16:9 slides and one PNG per gauge, drawn as SVG (pdf.Canvas) and rasterised.

Slides: the summary with the 督办 list, one per group of the plan with its gauges, then 重点工作 (the task counts and
the tasks behind or unreported, with their units) and 重点项目 (the four rates against a year earlier, the stages, the
stalled projects by unit); a table too long for one slide goes on over more, each with the heading again (续).
Every picture says what it shows of itself: each slide the as-of month and 示例数据 in its heading and the whole source
in its footer; each gauge a footer drawn under the chart — the pages' gauge spec is not touched.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

import vl_convert as vlc

from cnpark.outputs.charts import GAUGE_SIZE, gauge_specs
from cnpark.outputs.pdf import SLIDE, Canvas, grouped_rows, svg_size, wrap
from cnpark.rules.display import STATUS_LABELS, delta, goal_titles, status_word
from cnpark.rules.projects import RATES, part_text, share_text, stalled_frame
from cnpark.rules.status import STATUSES, count_statuses
from cnpark.rules.tasks import STATES, WORDS, behind_frame, count_lines, count_text
from cnpark.rules.tasks import counts as task_counts

if TYPE_CHECKING:
    from cnpark.outputs.brief import Brief

PNG_GAUGE = GAUGE_SIZE      # the pages' own specs
SAMPLE = "示例数据"


def gauge_svgs(brief: Brief, specs: dict | None = None) -> list[str]:
    """Each goal's gauge as vl-convert draws it from the pages' spec, in the report's order."""
    specs = specs or gauge_specs(brief.report.statuses, PNG_GAUGE)
    return [vlc.vegalite_to_svg(specs[(s.code, s.deadline)]) for s in brief.report.statuses]


def gauge_pictures(brief: Brief, svgs: list[str]) -> list[tuple[str, str]]:
    """(file name, SVG) per gauge: the chart with a footer naming the park, the month, the snapshot and 示例数据."""
    r, e = brief.report, brief.entry
    stamp = [f"{brief.catalog.park} · 截至 {r.as_of}",
             " · ".join(t for t in (f"数据快照 {e.id}" if e else "", SAMPLE if r.sample else "") if t)]
    out = []
    for i, (svg, title) in enumerate(zip(svgs, goal_titles(r.statuses)), 1):
        w, h = svg_size(svg)
        lines = [line for text in stamp if text for line in wrap(text, 10, w - 8)]
        doc = Canvas((w, h + 6 + 13 * len(lines)), margin=0)
        doc.chart(0, 0, svg)
        for k, line in enumerate(lines):
            doc.text(w / 2, h + 13 * (k + 1), line, 10, anchor="middle", fill="#444")
        out.append((f"仪表盘/{i:02d}_{title.replace(' · ', '_')}.png", doc.svgs()[0]))
    return out


def slide_svgs(brief: Brief, svgs: list[str]) -> list[tuple[str, str]]:
    """(file name, SVG) per 16:9 slide, in the order of a meeting: 总览, the plan's groups, 重点工作 (when the plan has
    tasks), 重点项目."""
    r = brief.report
    doc = Canvas(SLIDE, margin=36, footer=f"{brief.title} · {brief.source}" + (f" · {SAMPLE}" if r.sample else ""),
                 footer_size=12)
    sections: list[tuple[int, str]] = []         # (first page, name)

    def heading(title: str) -> None:
        doc.text(doc.margin, doc.y + 30, title, 30, bold=True)
        doc.text(doc.width - doc.margin, doc.y + 30, f"截至 {r.as_of}" + (f" · {SAMPLE}" if r.sample else ""), 18,
                 bold=r.sample, anchor="end", fill="#444")
        doc.y += 56

    def start(name: str) -> None:
        doc.on_page = None
        if sections:
            doc.page()
        sections.append((len(doc.pages) - 1, name))
        title = f"{brief.title} · {name}"
        heading(title)
        doc.on_page = lambda: heading(f"{title}（续）")

    start("总览")
    counts = count_statuses(r.statuses)
    _boxes(doc, [(str(counts[k]), STATUS_LABELS[k]) for k in STATUSES])
    doc.paragraph(f"督办（{len(brief.items)} 项）", 20, bold=True)
    for it in brief.items[:12]:
        doc.paragraph(f"· {it.status.name}（{it.status.deadline[:4]}）：{status_word(it.status)}，{it.gap_text}",
                      15, indent=12)
    if len(brief.items) > 12:
        doc.paragraph(f"……另有 {len(brief.items) - 12} 项，见简报", 15, indent=12)

    for group in brief.catalog.groups:
        members = [i for i, s in enumerate(r.statuses) if s.group == group]
        if not members:
            continue
        start(group)
        per_row = 5 if len(members) > 8 else 4
        scale = min(1.0, (doc.room / per_row) / 250)
        for i in range(0, len(members), per_row):
            used = [doc.chart(doc.margin + j * doc.room / per_row, doc.y, svgs[k], scale)
                    for j, k in enumerate(members[i:i + per_row])]
            doc.y += max(used) + 6

    if brief.catalog.tasks:                 # as the pages: a plan without tasks has no 重点工作
        start("重点工作")
        _tasks(doc, brief)
    start("重点项目")
    _projects(doc, brief)

    names, firsts = [], dict(sections)
    for i in range(len(doc.pages)):
        name = firsts.get(i) or next(n for first, n in reversed(sections) if first <= i) + "（续）"
        names.append(f"幻灯片/{i + 1:02d}_{name}.png")
    return list(zip(names, doc.svgs()))


def _boxes(doc: Canvas, boxes: list[tuple[str, ...]], height: float = 80) -> None:
    """A row of framed boxes, each a big figure over its label (and a smaller third line when given)."""
    width = doc.room / len(boxes)
    for i, (figure, label, *more) in enumerate(boxes):
        x = doc.margin + i * width
        doc.rect(x + 4, doc.y, width - 8, height, stroke="#000")
        doc.text(x + width / 2, doc.y + 44, figure, 36 if len(figure) < 8 else 26, bold=True, anchor="middle")
        doc.text(x + width / 2, doc.y + 68, label, 16, anchor="middle")
        for k, line in enumerate(more):
            doc.text(x + width / 2, doc.y + 90 + 20 * k, line, 14, anchor="middle", fill="#444")
    doc.y += height + 24


def _tasks(doc: Canvas, brief: Brief) -> None:
    """重点工作: the tasks by state, then each task behind or unreported once, with the units holding it back."""
    states = list(brief.tasks)
    if not states:
        doc.paragraph("尚无重点工作进展报送。", 20)
        return
    n = task_counts(states)
    # the boxes count tasks by their state; the units' reports (the matrix's cells) are counted on the line under them
    _boxes(doc, [(str(n[k]), f"任务 · {WORDS[k]}") for k in STATES])
    doc.paragraph(count_text(count_lines(states)), 16)
    doc.y += 14
    frame = behind_frame(states)
    doc.paragraph(f"滞后与未报送的任务（计划第1–{len(states)}条中 {frame['任务'].nunique() if len(frame) else 0} 项）",
                  20, bold=True)
    if not len(frame):
        doc.paragraph("没有滞后或未报送的任务。", 16)
        return
    order = {s.task.label: i for i, s in enumerate(states)}
    rows: dict[str, list] = {}
    for r in sorted(frame.itertuples(index=False), key=lambda r: order.get(r.任务, 0)):
        row = rows.setdefault(r.任务, [r.任务, r.任务状态, r.自何时起, [], []])
        row[3].append(f"{r.责任单位}（{r.单位状态}）")
        if r.原因 not in row[4]:
            row[4].append(r.原因)
    doc.table(["任务", "状态", "自何时起", "责任单位（本单位报送）", "原因"],
              [[a, b, c, "、".join(units), "；".join(why)] for a, b, c, units, why in rows.values()],
              [200, 60, 90, 430, 420], size=14, pad=5)


def _projects(doc: Canvas, brief: Brief) -> None:
    """重点项目: the four rates now and a year earlier, the stages, the stalled projects by unit."""
    p = brief.pipeline
    if p is None:
        doc.paragraph("尚未上传重点项目台账。", 20)
        return
    boxes = []
    for key, name in RATES.items():
        now, before = p.rates[key], p.year_before[key]
        change = "—" if now is None or before is None else delta((now - before) * 100, "%")
        boxes.append((share_text(now), name, part_text(key, p.parts[key]), f"上年同期 {share_text(before)} · {change}"))
    _boxes(doc, boxes, height=124)
    doc.table(["各阶段项目数（总投资）", *p.stages["stage"]],
              [["", *(f"{n} 个（{total:,.0f} 万元）" for n, total in zip(p.stages["projects"], p.stages["investment"]))]],
              [180, *[170] * len(p.stages)], size=14, pad=5)
    doc.y += 16
    stalled = stalled_frame(p)
    doc.paragraph(f"停滞项目（{len(stalled)} 个，按责任单位）", 20, bold=True)
    if not len(stalled):
        doc.paragraph("没有停滞的项目。", 16)
        return
    columns, rows = grouped_rows(stalled, "责任单位")
    widths = {"项目": 300, "阶段": 70, "停滞原因": 690, "自何时起": 110}
    doc.table(columns, rows, [widths.get(c, 110) for c in columns], size=14, pad=5)


def slides(brief: Brief, specs: dict | None = None, svgs: list[str] | None = None) -> list[tuple[str, bytes]]:
    """The slides as PNG (1920 × 1080)."""
    return [(name, vlc.svg_to_png(svg, scale=1.5)) for name, svg in slide_svgs(brief, svgs or gauge_svgs(brief, specs))]


def gauge_pngs(brief: Brief, specs: dict | None = None, svgs: list[str] | None = None) -> list[tuple[str, bytes]]:
    """One PNG per gauge (2×), named by order and title, with its footer."""
    return [(name, vlc.svg_to_png(svg, scale=2))
            for name, svg in gauge_pictures(brief, svgs or gauge_svgs(brief, specs))]


def images_zip(brief: Brief, specs: dict | None = None) -> bytes:
    """Slides and gauges as one ZIP (PNG is already compressed: stored, not deflated). specs: the gauges' Vega-Lite
    specs at GAUGE_SIZE as the page that asks has them cached (built here when not given); each drawn once."""
    svgs = gauge_svgs(brief, specs)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for name, data in [*slides(brief, svgs=svgs), *gauge_pngs(brief, svgs=svgs)]:
            z.writestr(name, data)
    return out.getvalue()
