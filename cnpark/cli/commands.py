"""`python -m cnpark …`: a thin argparse front over cnpark.service; typed errors become one-line messages."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

from cnpark import settings
from cnpark.auth import hash_password
from cnpark.cli.reading import cmd_brief, cmd_projects, cmd_report, cmd_status, cmd_tasks, format_table
from cnpark.outputs.exports import history_frame, make_template, template_xlsx
from cnpark.plan.catalog import CatalogError, load_catalog
from cnpark.plan.months import MONTH
from cnpark.plan.plans import check_plan, load_plans, plan_paths, state_word, this_month
from cnpark.rules.reviews import REVIEWED
from cnpark.rules.scope import reporting_units
from cnpark.service.readings import Readings
from cnpark.service.review import decide
from cnpark.service.uploads import SAME_AS_CURRENT, check_upload, commit_upload, load_demo
from cnpark.store.backup import backup, default_name, restore
from cnpark.store.datasets import DATASET_NAMES, REGISTRY
from cnpark.store.snapshots import Store, StoreError


def cmd_submit(args, store: Store, catalog) -> int:
    """A responsible unit's own report: ingest, with the unit's scope (rules/scope.py) and the unit as its author."""
    units = reporting_units(catalog)
    if args.unit not in units:
        print(f"错误：{args.unit} 不是本规划的责任单位（可选：{'、'.join(units)}）", file=sys.stderr)
        return 1
    args.user, args.dry_run = args.unit, False
    return cmd_ingest(args, store, catalog, unit=args.unit)


def cmd_submissions(args, store: Store, catalog) -> int:
    """Every report due for the month with its review state (rules/reviews.py)."""
    found = Readings(store, catalog, args.month).review_states
    if args.format == "json":
        print(json.dumps({"month": args.month, "submissions": [
            {"unit": s.unit, "dataset": s.dataset, "state": s.state, "at": s.at or None, "by": s.by or None,
             "reason": s.reason or None, "sent": s.sent or None, "late": s.late} for s in found]},
            ensure_ascii=False, indent=2))
        return 0
    rows = [[s.unit, DATASET_NAMES[s.dataset], s.word, s.at[:16].replace("T", " ") or "—", s.by or "—", s.reason or ""]
            for s in found]
    print(format_table(["责任单位", "数据集", "状态", "报送时间", "报送人", "退回理由"], rows))
    return 0


def cmd_review(args, store: Store, catalog) -> int:
    done = decide(store, catalog, args.unit, args.month, args.approve, args.return_reason or "", args.user,
                  args.dataset)
    word = "审核通过" if args.approve else "已退回"
    print(f"{word}：{args.unit} {args.month} " + "、".join(f"{DATASET_NAMES[e.dataset]}（报送 {e.target}，记录 {e.id}）"
                                                       for e in done))
    return 0


def cmd_notice(args, store: Store, catalog) -> int:
    """The month's 督查通报 (.docx): its 期号 taken now, or kept when the month was issued before."""
    from cnpark.outputs import notice  # python-docx only for this command

    out = Path(args.out)
    if not out.parent.is_dir():         # said before a number is taken for a file that cannot be written
        print(f"错误：目录 {out.parent} 不存在，未编期号", file=sys.stderr)
        return 1
    n, new = notice.issue(Readings(store, catalog, args.month), args.user)
    out.write_bytes(notice.docx_bytes(n))
    sample = "（示例数据）" if n.sample else ""
    kept = "" if new else f"（{n.month} 已于 {n.issued} 编号，期号不变）"
    print(f"已生成{sample}：督查通报 第{n.number}期{kept} · {n.month} · 数据版本 {n.entry.id} → {out}")
    return 0


def cmd_ingest(args, store: Store, catalog, unit: str | None = None) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as e:
        print(f"无法读取文件 {path}: {e.strerror}", file=sys.stderr)
        return 1
    upload = check_upload(store, catalog, data, path.name, args.dataset, preview=False, unit=unit)
    result = upload.result
    if not result.ok:
        print(f"文件未入库：{path.name} 有 {len(result.problems)} 个问题", file=sys.stderr)
        for p in result.problems:
            print(str(p), file=sys.stderr)
        return 1
    name = DATASET_NAMES[result.dataset]
    if upload.same:             # not an error: the data is already there (exit 0), and nothing is recorded
        print(f"{SAME_AS_CURRENT}：{path.name} 的 {len(result.rows)} 行与当前数据完全相同，未写入任何内容")
    elif args.dry_run:
        print(f"检查通过（未入库）：{result.dataset}（{name}），{len(result.rows)} 行，跳过空值 {result.skipped} 个")
    else:
        entry = commit_upload(store, upload, args.user)
        print(f"已入库：快照 {entry.id}，{result.dataset}（{name}），{entry.rows} 行，文件 {entry.file}")
    return 0


def cmd_snapshots(args, store: Store, catalog) -> int:
    entries = store.entries()
    if args.format == "json":
        print(json.dumps([e.public() for e in entries], ensure_ascii=False, indent=2))
        return 0
    if not entries:
        print("尚无快照。")
        return 0
    frame = history_frame(entries, short=True)
    print(format_table(list(frame.columns), [[str(v) for v in row] for row in frame.itertuples(index=False)]))
    return 0


def cmd_rollback(args, store: Store, catalog) -> int:
    entry = store.rollback(args.snapshot_id, user=args.user)
    print(f"已回滚：当前数据恢复为快照 {args.snapshot_id} 入库后的状态（记录为 {entry.id}，历史均保留）")
    return 0


def cmd_template(args, store: Store, catalog) -> int:
    if args.out and args.out.lower().endswith(".xlsx"):
        Path(args.out).write_bytes(template_xlsx(args.dataset, catalog, args.month))
        print(f"模板已写入 {args.out}（Excel 工作簿）")
        return 0
    text = make_template(args.dataset, catalog, args.month)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8-sig", newline="")
        print(f"模板已写入 {args.out}（UTF-8 BOM，Excel 可直接打开）")
    else:
        sys.stdout.write(text)
    return 0


def cmd_hash_password(args, store: Store, catalog) -> int:
    password = sys.stdin.readline().rstrip("\r\n") if not sys.stdin.isatty() else getpass.getpass("密码：")
    if len(password) < 8:
        print("错误：密码至少 8 位", file=sys.stderr)
        return 1
    print(hash_password(password))
    return 0


def cmd_demo(args, store: Store, catalog) -> int:
    if args.if_empty and store.entries():
        print("数据仓库已有数据，未载入示例数据。")
        return 0
    failed = 0
    for name, result, entry in load_demo(store, catalog):
        if result is None:
            print(f"跳过（已载入）：{name}")
        elif entry is None:
            failed += 1
            print(f"示例文件未通过检查：{name}", file=sys.stderr)
            for p in result.problems:
                print(str(p), file=sys.stderr)
        else:
            print(f"已载入示例数据：快照 {entry.id}，{name}，{entry.rows} 行")
    return 1 if failed else 0


def cmd_backup(args, store: Store, catalog) -> int:
    out = Path(args.out or default_name())
    entries = backup(store, out)
    print(f"已备份：{len(entries)} 条记录（含全部快照与原始文件）→ {out}（{out.stat().st_size / 1024:.0f} KB）")
    return 0


def cmd_restore(args, store: Store, catalog) -> int:
    entries = restore(Path(args.archive), store)
    print(f"已恢复：{len(entries)} 条记录，逐个核对了原始文件的 sha256 和快照行数 → {store.root}")
    return 0


def cmd_plans(args, store: Store, catalog) -> int:
    plans, today = load_plans(), this_month()
    rows = [[c.code, c.name, f"{c.start}–{c.end}", state_word(c, today), "是" if c is plans.default() else "",
             str(c.path)]
            for c in plans.catalogs]
    print(format_table(["代码", "规划", "计划期（起点–期末）", "状态", "默认", "文件"], rows))
    return 0


def cmd_check_plan(args, store: Store | None, catalog) -> int:
    path = Path(args.file)
    try:        # the installed plans, broken files left out (each is checked by itself); check_plan skips this file
        others = list(load_plans().catalogs)
    except CatalogError:
        others = []
    found = check_plan(path, others)
    if found:
        print(f"目标清单 {path.name} 有 {len(found)} 个问题：", file=sys.stderr)
        for i, problem in enumerate(found, start=1):
            print(f"{i}. {problem}", file=sys.stderr)
        return 1
    c = load_catalog(path)
    tracked = [t for t in c.targets if t.is_tracked]
    print(f"检查通过：《{c.name}》（{c.code}，{c.start}–{c.end}）{sum(len(t.goals) for t in tracked)} 项目标"
          f"（{len(tracked)} 个指标）、"
          f"{len(c.tasks)} 项任务；" + ("已载入" if path.resolve() in plan_paths() else "放入 data/plan/ 即可使用"))
    return 0


def _month(text: str) -> str:
    if not MONTH.match(text):
        raise argparse.ArgumentTypeError(f"应写成 YYYY-MM（如 2025-06），收到：{text}")
    return text


def _reading(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options every reading command takes: which month, which state of the store, which format."""
    p.add_argument("--as-of", type=_month, help="截至月份 YYYY-MM（默认：有数据的最新月份）")
    p.add_argument("--snapshot", help="按某次上传后的数据状态查看（快照编号）")
    p.add_argument("--format", choices=("table", "json"), default="table")
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m cnpark", description="昌宁产业园区振兴三年行动计划 目标监测")
    parser.add_argument("--data-dir", help=f"数据仓库目录（默认：环境变量 {settings.SETTINGS['data_dir'].env} 或 "
                                           f"{settings.SETTINGS['data_dir'].default}）")
    parser.add_argument("--plan", help="按哪个规划（代码，见 plans 命令；默认：当前执行中的规划，没有则为最近到期的规划）")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="检查并导入一个 CSV/TXT/XLSX/XLS/ODS/XLSB 文件")
    p.add_argument("file")
    p.add_argument("--dataset", choices=list(REGISTRY), help="数据集（默认按列名自动识别）")
    p.add_argument("--user", default="", help="上传人（记入快照清单）")
    p.add_argument("--dry-run", action="store_true", help="只检查，不入库")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("submit", help="责任单位报送本单位的月报（工作进展、重点项目或本单位作为数据来源的指标）：只能含本单位的行")
    p.add_argument("--unit", required=True, help="责任单位（目标清单中的名称，如 县自然资源局）")
    p.add_argument("file")
    p.add_argument("--dataset", choices=list(REGISTRY), help="数据集（默认按列名自动识别）")
    p.set_defaults(func=cmd_submit)

    p = sub.add_parser("submissions", help="某月各责任单位应报的工作进展、项目台账与指标数据及其审核状态（未报送、待审核、退回、已审核）")
    p.add_argument("--month", required=True, type=_month, help="月份 YYYY-MM")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=cmd_submissions)

    p = sub.add_parser("review", help="督查室审核某单位某月的报送：通过，或写明理由退回")
    p.add_argument("--month", required=True, type=_month, help="月份 YYYY-MM")
    p.add_argument("--unit", required=True, help="责任单位")
    decision = p.add_mutually_exclusive_group(required=True)
    decision.add_argument("--approve", action="store_true", help="审核通过")
    decision.add_argument("--return", dest="return_reason", metavar="理由", help="退回，并写明理由（单位在填报页看到）")
    p.add_argument("--dataset", choices=list(REVIEWED), help="只审核这个数据集（默认：该单位该月待审核的全部）")
    p.add_argument("--user", default="督查室", help="审核人（记入记录）")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("notice", help="督查室某月的督查通报（Word .docx）：新月份取下一期号，已编号的月份期号不变")
    p.add_argument("--month", required=True, type=_month, help="通报的月份 YYYY-MM（各单位该月的报送、滞后任务、停滞项目）")
    p.add_argument("--out", required=True, help="Word 文件名（.docx）")
    p.add_argument("--user", default="督查室", help="签发人（记入期号记录）")
    p.set_defaults(func=cmd_notice)

    p = _reading(sub.add_parser("status", help="各目标完成情况"))
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("snapshots", help="上传与回滚记录")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_snapshots)

    p = sub.add_parser("rollback", help="恢复到某个快照入库后的状态（记为新记录，不删除任何数据）")
    p.add_argument("snapshot_id")
    p.add_argument("--user", default="")
    p.set_defaults(func=cmd_rollback)

    p = sub.add_parser("template", help="输出某数据集的填报模板（CSV）")
    p.add_argument("dataset", choices=list(REGISTRY))
    p.add_argument("--out", help="写入文件：.xlsx 为 Excel 工作簿，其他为 CSV（UTF-8 BOM）；默认输出到屏幕")
    p.add_argument("--month", type=_month, help="模板中的期间 YYYY-MM（默认：计划期末）；工作进展模板按此月份列出全部任务与责任单位")
    p.set_defaults(func=cmd_template)

    p = _reading(sub.add_parser("tasks", help="重点工作（计划第1–21条）各责任单位的推进情况"))
    p.add_argument("--unit", help="只看某个责任单位的任务，如 县自然资源局")
    p.set_defaults(func=cmd_tasks)

    p = _reading(sub.add_parser("projects", help="重点项目：阶段分布、落地率、开工率、资金到位率、年度投资完成率与停滞项目"))
    p.set_defaults(func=cmd_projects)

    p = sub.add_parser("hash-password", help="为 .streamlit/secrets.toml 生成分析人员账号的密码哈希（从标准输入或提示读取密码）")
    p.set_defaults(func=cmd_hash_password)

    p = sub.add_parser("brief", help="生成调度会简报（A4 PDF），可同时导出幻灯片图片和目标完成情况表")
    p.add_argument("--as-of", type=_month, help="截至月份 YYYY-MM（默认：有数据的最新月份）")
    p.add_argument("--snapshot", help="按某次上传后的数据状态（快照编号）")
    p.add_argument("--compare", help="与此前的月份（YYYY-MM）或快照编号比较，列出变化")
    p.add_argument("--out", required=True, help="PDF 文件名")
    p.add_argument("--images", help="同时写出幻灯片与各仪表盘 PNG 的 ZIP 文件")
    p.add_argument("--xlsx", help="同时写出目标完成情况表（Excel）")
    p.set_defaults(func=cmd_brief)

    p = sub.add_parser("report", help="生成评估报告（Word .docx，可编辑）：截至计划期末为终期评估，否则为中期评估")
    p.add_argument("--as-of", type=_month, help="截至月份 YYYY-MM（默认：有数据的最新月份，不晚于计划期末）")
    p.add_argument("--snapshot", help="按某次上传后的数据状态（快照编号）")
    p.add_argument("--out", required=True, help="Word 文件名（.docx）")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("plans", help="列出已载入的规划（data/plan/ 下的清单及 plans 设置所列的清单）")
    p.set_defaults(func=cmd_plans)

    p = sub.add_parser("check-plan", help="检查一个目标清单文件，一次列出全部问题（不需要数据仓库）")
    p.add_argument("file")
    p.set_defaults(func=cmd_check_plan)

    p = sub.add_parser("backup", help="把数据仓库（全部快照、原始文件和记录）备份为一个 .tar.gz；上传时也可运行")
    p.add_argument("--out", help="备份文件名（默认 cnpark-backup-年月日-时分秒.tar.gz）")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="把备份恢复到一个空的数据仓库目录（--data-dir），逐个核对文件")
    p.add_argument("archive")
    p.set_defaults(func=cmd_restore)

    sub.add_parser("serve", help="启动驾驶舱（即 streamlit run app.py，并在第一位访问者之前算好最新月份的数据）；"
                                 "其后的参数原样交给 streamlit，如 --server.port 8501")

    p = sub.add_parser("demo", help="载入 data/sample/ 中的示例数据（经正常导入流程）")
    p.add_argument("--if-empty", action="store_true", help="仅当数据仓库为空时载入")
    p.set_defaults(func=cmd_demo)
    return parser


def _command_at(argv: list[str]) -> int | None:
    """Where the command is in argv (after the global --data-dir / --plan options), or None."""
    i = 0
    while i < len(argv):
        if argv[i] in ("--data-dir", "--plan"):
            i += 2
        elif argv[i].startswith("-"):
            i += 1
        else:
            return i
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    at = _command_at(argv)
    if at is not None and argv[at] == "serve":   # what follows `serve` is streamlit's: argparse must not see it
        known = build_parser().parse_args([*argv[:at], "status"])
        if known.data_dir:          # the server's pages read the store from the settings (and the plan from the URL)
            os.environ[settings.SETTINGS["data_dir"].env] = known.data_dir
        from cnpark import serve
        return serve.main(argv[at + 1:])
    args = build_parser().parse_args(argv)
    try:
        if args.command == "check-plan":        # needs no store, and must work while the plans themselves are broken
            return cmd_check_plan(args, None, None)
        store = Store(args.data_dir)
        plans = load_plans()
        for problem in plans.broken:            # the other plans work; the broken file is said, not hidden
            print(f"提示：有目标清单未能载入（其余规划照常）：{problem}", file=sys.stderr)
        catalog = plans.get(args.plan) if args.plan else plans.default()
        if args.command in ("ingest", "demo"):  # a file may bring figures any loaded plan knows
            catalog = plans.names(catalog)
        return args.func(args, store, catalog)
    except (StoreError, CatalogError) as e:
        print(f"错误：{e}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
