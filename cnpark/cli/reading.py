"""The command line's readings: `status`, `tasks`, `projects`, `brief` and `report` (cnpark/cli/commands.py builds the
parser); each reads the chosen plan (`--plan`)."""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

from cnpark.rules.display import STATUS_LABELS, achievement_text, status_word, target_text, value_text
from cnpark.rules.projects import RATES, rate_text
from cnpark.rules.status import count_statuses
from cnpark.rules.tasks import count_lines, count_text, for_unit, units_of
from cnpark.service.readings import Readings
from cnpark.store.snapshots import Store


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def format_table(header: list[str], rows: list[list[str]]) -> str:
    """Rows as aligned text columns; Chinese characters count double width."""
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths)).rstrip() for r in [header, *rows]]
    return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]])


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 6)


def cmd_status(args, store: Store, catalog) -> int:
    report = Readings(store, catalog, args.as_of, args.snapshot).report
    if args.format == "json":
        doc = {"as_of": report.as_of, "snapshot": report.snapshot, "sample": report.sample,
               "plan": catalog.name, "plan_code": catalog.code, "targets": [
                   {"code": s.code, "name": s.name, "unit": s.unit, "deadline": s.deadline,
                    "actual": _round(s.actual), "target": _round(s.target), "completion": _round(s.completion),
                    "expected": _round(s.expected), "status": s.status, "period": s.period, "group": s.group, "clause": s.clause,
                    "note": s.note, **({"overdue": list(s.overdue)} if s.overdue else {}),
                    **({"late": True} if s.late else {})}
                   for s in report.statuses]}
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    if report.sample:
        print("【示例数据】以下为演示用示例数据，并非官方统计。")
    if report.snapshot is None:
        print("数据仓库为空：请用 python -m cnpark ingest 文件 导入数据，或运行 python -m cnpark demo 载入示例数据。")
    print(f"{catalog.name} — 截至 {report.as_of}（数据快照 {report.snapshot or '无'}）")
    rows = [[s.name, s.deadline, value_text(s), target_text(s), achievement_text(s), status_word(s), s.period or "—"]
            for s in report.statuses]
    print(format_table(["目标", "期限", "实际", "目标值", "完成情况", "状态", "数据期"], rows))
    counts = count_statuses(report.statuses)
    print("合计：" + "，".join(f"{STATUS_LABELS[k]} {v}" for k, v in counts.items() if v))
    return 0


def cmd_tasks(args, store: Store, catalog) -> int:
    r = Readings(store, catalog, args.as_of, args.snapshot)
    report = r.report
    if args.unit and args.unit not in units_of(catalog):
        print(f"错误：{args.unit} 不是任何任务的责任单位（可选：{'、'.join(units_of(catalog))}）", file=sys.stderr)
        return 1
    states = for_unit(r.tasks, args.unit)
    latest = r.data_month("tasks")
    if args.format == "json":
        doc = {"as_of": report.as_of, "snapshot": report.snapshot, "sample": report.sample, "reports_month": latest, "tasks": [
            {"number": s.task.number, "title": s.task.title, "section": s.task.section, "status": s.state,
             **({"since": s.since} if s.since else {}), "missed": [m.code for m in s.missed],
             "units": [{"unit": u.unit, "status": u.state, "period": u.period, "text": u.progress} for u in s.units]}
            for s in states]}
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    if report.sample:
        print("【示例数据】以下为演示用示例数据，并非官方统计。")
    print(f"{catalog.name} · 重点工作 — 截至 {report.as_of}" + (f" · {args.unit}" if args.unit else ""))
    if latest and latest < report.as_of:
        print(f"工作进展数据截至 {latest}：{report.as_of} 尚无任何单位报送。")
    rows = [[s.task.label, s.word + (f"（自 {s.since}）" if s.since else ""),
             "；".join(f"{u.unit} {u.word}" for u in s.units)] for s in states]
    print(format_table(["任务", "状态", "各责任单位"], rows))
    print("合计：" + count_text(count_lines(states, args.unit)))
    return 0


def cmd_brief(args, store: Store, catalog) -> int:
    from cnpark.outputs import brief  # vl-convert and the fonts only for this command
    from cnpark.outputs.drawing import Child
    from cnpark.outputs.pdf import FontMissing

    child = Child(charts=True)   # draws the gauges' pages: its chart engine starts while this process reads the store
    try:
        data = brief.gather(Readings(store, catalog, args.as_of, args.snapshot), args.compare)
        out = Path(args.out)
        out.write_bytes(brief.pdf(data, child=child))
    except FontMissing as e:
        print(f"错误：{e}", file=sys.stderr)
        return 1
    finally:
        child.close()
    written = [f"简报 {out}"]
    if args.images:
        Path(args.images).write_bytes(brief.images_zip(data))
        written.append(f"幻灯片与仪表盘图片 {args.images}")
    if args.xlsx:
        Path(args.xlsx).write_bytes(brief.status_xlsx(data))
        written.append(f"目标完成情况表 {args.xlsx}")
    sample = "（示例数据）" if data.report.sample else ""
    print(f"已生成{sample}：{data.source}，督办 {len(data.items)} 项 → " + "；".join(written))
    return 0


def cmd_report(args, store: Store, catalog) -> int:
    from cnpark.outputs import evaluation  # python-docx only for this command

    ev = evaluation.gather(Readings(store, catalog, args.as_of, args.snapshot))
    out = Path(args.out)
    out.write_bytes(evaluation.docx_bytes(ev))
    sample = "（示例数据）" if ev.brief.report.sample else ""
    print(f"已生成{sample}：{evaluation.title(ev)} · {ev.brief.source} → {out}")
    return 0


def cmd_projects(args, store: Store, catalog) -> int:
    r = Readings(store, catalog, args.as_of, args.snapshot)
    report, p = r.report, r.pipeline
    if args.format == "json":
        doc = {"as_of": p.as_of, "snapshot": report.snapshot, "sample": report.sample,
               "rates": {k: _round(v) for k, v in p.rates.items()},
               "year_before": {k: _round(v) for k, v in p.year_before.items()},
               "ledger_month": p.month,
               "counts": {k: {"numerator": _round(a), "denominator": _round(b)} for k, (a, b) in p.parts.items()},
               "counts_year_before": {k: {"numerator": _round(a), "denominator": _round(b)}
                                      for k, (a, b) in p.parts_before.items()},
               **({"thresholds": catalog.project_rates} if catalog.project_rates else {}),
               "stages": dict(zip(p.stages["stage"], (int(n) for n in p.stages["projects"]))),
               "stalled": [{"id": s.project_id, "name": s.name, "unit": s.unit, "reason": s.reason, "since": s.since}
                           for s in p.stalled]}
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    if report.sample:
        print("【示例数据】以下为演示用示例数据，并非官方统计。")
    print(f"{catalog.name} · 重点项目 — 截至 {p.as_of}")
    if p.stale:
        print(p.stale)
    print("阶段：" + "，".join(f"{s} {n} 个" for s, n in zip(p.stages["stage"], p.stages["projects"])))
    print(format_table(["比率", p.month, "上年同期"], [[name, rate_text(k, p.rates[k], p.parts[k]),
                                                     rate_text(k, p.year_before[k], p.parts_before[k])]
                                                    for k, name in RATES.items()]))
    rows = [[s.project_id, s.name, s.unit or "—", s.reason, s.since] for s in p.stalled]
    print(format_table(["编号", "项目", "责任单位", "停滞原因", "自"], rows) if rows else "没有停滞项目。")
    return 0

