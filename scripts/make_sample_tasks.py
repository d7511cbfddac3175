"""The sample tasks' progress (示例数据, invented): every unit's monthly report on each of the plan's 21 tasks,
2023-01 … 2025-12, consistent with the sample indicators — a task is never reported 已完成 while a target it carries
is behind (lagging, off_track, or missed and not done late), and some unit reports 滞后 while one is off track or
missed. Each unit sends its month's reports on one day (报送日期): most by the 5th of the next month, some days or
weeks late; a few of its reports are missing altogether. Deterministic (no randomness): the same files every run.

    .venv/bin/python scripts/make_sample_tasks.py      (scripts/make_sample.py runs it after the other sample files)
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from sample_files import write_csv  # noqa: E402

from cnpark.plan.catalog import load_catalog  # noqa: E402
from cnpark.plan.months import month_index, month_of  # noqa: E402
from cnpark.rules.status import compute_status  # noqa: E402
from cnpark.service.uploads import ingest_bytes  # noqa: E402
from cnpark.store.snapshots import Store  # noqa: E402

OUT = ROOT / "data" / "sample"
NAME = "08_重点工作进展_2023-2025.csv"
MONTHS = [month_of(i) for i in range(month_index("2023-01"), month_index("2025-12") + 1)]
BEHIND, OFF = ("lagging", "off_track", "missed"), ("off_track", "missed")
TEXT = {
    "已完成": ("已按计划完成", "", ""),
    "推进中": ("按计划推进", "", ""),
    "滞后": ("进度滞后于计划", "要素保障和前期手续未落实", "专题调度，协调相关部门限期解决"),
    "未启动": ("尚未启动", "", "制定工作方案"),
}
# Tasks with no dated target are done, by every unit, from this month on (the others follow their targets).
DONE_FROM = {2: "2024-03", 6: "2024-09", 9: "2025-06", 19: "2025-03"}


def share(*key) -> float:
    """A fixed number in [0, 1) for a key: the same every run."""
    return int(hashlib.sha256("/".join(map(str, key)).encode()).hexdigest()[:8], 16) / 2**32


def report(task, unit: str, month: str, behind: str | None, done: bool) -> str | None:
    """What the unit reports for the task in the month (None: it does not report)."""
    k = month_index(month) - month_index("2023-01")
    if share("late", task.number, unit, month) < (0.12 if k < 6 else 0.04):
        return None                                      # 未报送: more often in the first months of the tracking
    if behind in OFF and unit == task.units[0]:
        return "滞后"
    if behind:
        return "滞后" if share("lag", task.number, unit, month) < 0.3 else "推进中"
    if done:
        return "已完成"
    if k < 1 + task.number % 4 and share("start", task.number, unit) < 0.5:
        return "未启动"
    return "推进中"


def sent(unit: str, month: str) -> str:
    """The day the unit sent its reports for the month: most by the 5th of the next month (some units more reliably
    than others, all less so in the first half-year of the tracking), some days late, a few two to six weeks late."""
    nxt, k = month_index(month) + 1, month_index(month) - month_index("2023-01")
    in_time = 0.95 - 0.3 * share("habit", unit) - (0.2 if k < 6 else 0)
    r, day = share("sent", unit, month), share("day", unit, month)
    if r < in_time:
        return f"{month_of(nxt)}-{1 + int(day * 5):02d}"
    if r < in_time + (1 - in_time) * 0.75:
        return f"{month_of(nxt)}-{6 + int(day * 14):02d}"
    return f"{month_of(nxt + 1)}-{1 + int(day * 14):02d}"


def rows(catalog, history) -> list[list[str]]:
    statuses = dict(history)
    out = []
    for month in MONTHS:
        by_code = {s.code: s for s in statuses[month]}
        for task in catalog.tasks:
            carried = [s for c in task.targets for s in statuses[month] if s.code == c]
            worst = next((s.status for s in carried if s.status in OFF and not s.late), None) or \
                next((s.status for s in carried if s.status in BEHIND and not s.late), None)
            if carried:
                done = all(s.status == "met" or s.late for s in carried) and all(s.deadline <= month for s in carried)
            else:
                done = task.number in DONE_FROM and month >= DONE_FROM[task.number]
            for unit in task.units:
                state = report(task, unit, month, worst, done)
                if state is not None:
                    progress, problems, steps = TEXT[state]
                    out.append([task.label, unit, month, state, progress, problems, steps, sent(unit, month)])
        assert by_code or not catalog.targets
    return out


def main() -> Path:
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(tmp)
        for path in sorted(OUT.glob("0[1-7]_*.csv")):
            result, entry = ingest_bytes(store, catalog, path.read_bytes(), path.name, sample=True)
            assert entry is not None, (path.name, [str(p) for p in result.problems])
        frames = store.read_for_status()
        history = [(m, compute_status(catalog, frames, m)) for m in MONTHS]
    lines = [["昌宁产业园区重点工作推进情况（示例数据，虚构）"], ["任务", "责任单位", "期间", "完成状态", "进展情况", "存在问题", "下步打算", "报送日期"],
             *rows(catalog, history), ["注：示例数据，由 scripts/make_sample_tasks.py 生成，非官方报送"]]
    return write_csv(NAME, lines, "utf-8-sig")[0]      # as the other sample files: Excel's CSV, every line one width


if __name__ == "__main__":
    made = main()
    print(f"{made.name}: {len(made.read_bytes().splitlines())} lines")
