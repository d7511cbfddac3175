"""The datasets, each declared once: its columns (stored kind, the Chinese name users see, the names offices give the
column), the key on which the latest upload wins, what an upload must have, and its fill-in template.

Everything else follows from a declaration: the store's latest-wins reads and compaction (snapshots.py, compaction.py),
the parser's header recognition and record keys (parse/), templates in CSV and XLSX (outputs/exports.py), previews of an
upload (rules/changes.py), the history and backups; whether the status rule reads it (`status`) and whether its
periods are as-of months (`months`). Adding a dataset is one Dataset here and its records reader in cnpark/parse/
(registered in parse.READERS); one that feeds a target is named as that target's `source` in the plan's catalog.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cnpark.plan.catalog import Catalog

KINDS = ("str", "float", "int", "bool")
PARK_AREA = ""  # area of park-wide figures; other areas are 片区 or industries (茶叶 …)
ENTERPRISE_STATUSES = ("签约", "在建", "投产", "达产")
TASK_STATES = ("已完成", "推进中", "滞后", "未启动")     # what a unit reports of a task
# 第8条: 洽谈签约—落地建设—投产达产—升规纳统. Each stage after 洽谈 needs the date that opened it (see parse/projects.py).
PROJECT_STAGES = ("洽谈", "签约", "在建", "投产", "达产", "纳统")
PROJECT_STAGE_WORDS = {
    **{w: "洽谈" for w in ("洽谈", "洽谈中", "在谈", "意向")},
    **{w: "签约" for w in ("签约", "已签约", "签约落地", "已签订协议")},
    **{w: "在建" for w in ("在建", "开工", "已开工", "开工在建", "开工/在建", "建设中", "在建中")},
    **{w: "投产" for w in ("投产", "已投产", "试生产", "部分投产")},
    **{w: "达产" for w in ("达产", "已达产", "满产", "达产达效")},
    **{w: "纳统" for w in ("纳统", "升规纳统", "已纳统", "入统", "纳规")},
}
# The words offices write for them (compared as names are: spaces, width and case folded).
TASK_STATE_WORDS = {
    **{w: "已完成" for w in ("已完成", "完成", "已办结", "办结", "已落实", "全面完成")},
    **{w: "推进中" for w in ("推进中", "正在推进", "进行中", "正在进行", "按计划推进", "持续推进", "有序推进", "在推进")},
    **{w: "滞后" for w in ("滞后", "进度滞后", "推进滞后", "未按期完成", "延期")},
    **{w: "未启动" for w in ("未启动", "尚未启动", "未开始", "尚未开始", "未开展")},
}
_PERIOD = ("期间", "统计期", "统计期间", "时间", "月份", "日期", "报告期", "年月", "期别", "所属期")
_AREA = ("片区", "区域", "园区片区", "所在片区")
_NOTE = ("备注", "说明")


@dataclass(frozen=True)
class Field:
    name: str                       # as stored (a Parquet column)
    kind: str                       # str | float | int | bool
    label: str                      # its name in messages, tables and previews
    headers: tuple[str, ...] = ()   # the names offices give the column; when two match, the earlier wins (数值 before 本期)
    nullable: bool = False          # an int column whose unknown values stay <NA>


@dataclass(frozen=True)
class Template:
    """A fill-in template: an optional first line (read past by the parser), the header, the rows."""
    title: str
    header: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class StatusRead:
    """How the status rule reads a dataset that feeds it: only these columns (None: all; they must include the key),
    only rows whose column has that value, unordered. A narrow read keeps a status reading's memory small at 30 parks
    and a 1,000,000-row ledger (docs/PERFORMANCE.md)."""
    columns: tuple[str, ...] | None = None
    equal: tuple[tuple[str, str], ...] = ()
    ordered: bool = True


@dataclass(frozen=True)
class Dataset:
    name: str                                   # indicators | debt | enterprises …
    label: str                                  # 指标数据
    fields: tuple[Field, ...]
    keys: tuple[str, ...]                       # for each key, the latest upload wins
    required: tuple[str, ...]                   # the required columns as a refusal names them
    markers: frozenset[str] = frozenset()       # columns whose presence says "this dataset" (detection)
    figures: tuple[str, ...] = ()               # the figures an upload's preview compares with the stored ones
    template_header: tuple[str, ...] = ()       # the template's columns, as offices name them (one of each's headers)
    examples: tuple[tuple[str, ...], ...] = ()  # template rows; {period} and {chain_links} are filled in
    template_title: str = ""
    template_rows: Callable[[Catalog, str], list[list[str]]] | None = None   # rows made from the plan instead
    sort: tuple[str, ...] = ()                  # the order of a read (default: the key)
    empty: str = "数值均为空"                    # why a file with rows has nothing to import
    status: StatusRead | None = None            # feeds the status rule, read this way (None: it does not)
    months: bool = False                        # its periods are months a reading can be as of

    @property
    def order(self) -> tuple[str, ...]:
        return self.sort or self.keys

    @property
    def columns(self) -> dict[str, str]:
        """Stored columns in order, with their kind."""
        return {f.name: f.kind for f in self.fields}

    @property
    def labels(self) -> dict[str, str]:
        return {f.name: f.label for f in self.fields}

    @property
    def headers(self) -> dict[str, tuple[str, ...]]:
        """The names each column goes by in an upload (only columns an upload can carry)."""
        return {f.name: f.headers for f in self.fields if f.headers}

    def template(self, catalog: Catalog, period: str | None = None) -> Template:
        """The template for `period` (default: the plan's end): the plan's rows, or the example rows."""
        period = period or catalog.end or "2025-12"
        header = list(self.template_header)
        if self.template_rows is not None:
            rows = self.template_rows(catalog, period)
        else:
            fill = {"period": period, "chain_links": "、".join(catalog.chain_links)}
            rows = [[cell.format(**fill) for cell in row] for row in self.examples]
        return Template(self.template_title, header, rows)


def _indicator_rows(catalog: Catalog, period: str) -> list[list[str]]:
    """One row per uploadable target of the plan: its name, the period and unit; the value left empty."""
    return [[t.name, period, "", t.unit, "", ""] for t in catalog.targets if t.kind != "debt"]


_INDICATORS = Dataset(
    "indicators", "指标数据",
    (Field("indicator", "str", "指标", ("指标", "指标名称", "项目", "指标项目", "项目名称")),
     Field("period", "str", "期间", _PERIOD),
     Field("area", "str", "片区", _AREA),
     Field("value", "float", "数值", ("数值", "完成值", "值", "本年累计", "累计", "本月累计", "本期", "本期数", "完成数",
                                   "实际完成", "实际值")),
     Field("unit", "str", "单位", ("单位", "计量单位")),
     Field("cumulative", "bool", "累计"),
     Field("note", "str", "备注", _NOTE),
     Field("source_row", "int", "原文件行号")),
    keys=("indicator", "period", "area"),
    sort=("indicator", "area", "period"),
    required=("指标", "期间", "数值"),
    figures=("value",),
    template_header=("指标", "期间", "数值", "单位", "片区", "备注"),
    # A title line (read past by the parser, and naming no 20xx年 period it could lend to rows), so a template
    # uploaded unfilled stores nothing.
    template_title="填写示例：指标 多晶硅产能 / 期间 2025-06 / 数值 25 / 单位 万吨（自动换算为吨）。"
                   "里程碑填 完成 或 未完成；空着的行不会导入",
    template_rows=_indicator_rows,
    status=StatusRead(equal=(("area", PARK_AREA),)),      # the park-wide rows (area '' or missing)
    months=True,
)

_DEBT = Dataset(
    "debt", "债务台账",
    (Field("debt_id", "str", "债务编号", ("债务编号", "编号", "债务代码")),
     Field("name", "str", "名称", ("债务名称", "债务项目", "项目名称")),
     Field("creditor", "str", "债权人", ("债权人", "债权单位", "债权方")),
     Field("debt_type", "str", "债务类型", ("债务类型", "类型", "债务类别")),
     Field("period", "str", "期间", _PERIOD),
     Field("balance", "float", "期末余额", ("期末余额", "债务余额", "余额")),
     Field("new_debt", "float", "本期新增", ("本期新增", "新增债务", "新增")),
     Field("resolved", "float", "本期化解", ("本期化解", "本期化解额", "化解金额", "化解")),
     Field("due_date", "str", "到期日", ("到期日", "到期日期", "到期时间")),
     Field("overdue", "bool", "是否逾期", ("是否逾期", "逾期")),
     Field("note", "str", "备注", _NOTE),
     Field("source_row", "int", "原文件行号")),
    keys=("debt_id", "period"),
    required=("债务编号（或债务名称）", "期间", "期末余额/本期新增/本期化解（至少一列）"),
    markers=frozenset({"debt_id", "name", "creditor", "balance", "new_debt", "resolved", "due_date", "overdue"}),
    figures=("balance", "new_debt", "resolved"),
    template_header=("债务编号", "债务名称", "债权人", "债务类型", "期间", "期末余额(万元)", "本期新增(万元)", "本期化解(万元)",
                     "到期日", "是否逾期", "备注"),
    examples=(("ZW-001", "示例：某项目银行贷款", "某银行", "银行贷款", "{period}", "12000", "0", "1500", "2026-06-30", "否",
               "示例行，填报时请删除"),),
    status=StatusRead(columns=("debt_id", "period", "resolved", "overdue"), ordered=False),   # four columns
    months=True,
)

_ENTERPRISES = Dataset(
    "enterprises", "企业名录",
    (Field("name", "str", "名称", ("企业名称", "企业", "公司名称")),
     Field("chain_link", "str", "产业链环节", ("产业链环节", "产业链", "环节", "所属产业链")),
     Field("area", "str", "片区", _AREA),
     Field("status", "str", "状态", ("状态", "企业状态", "建设状态", "项目状态")),
     Field("above_scale", "bool", "是否规上", ("是否规上", "是否规上企业", "是否规模以上", "规上")),
     Field("above_scale_year", "int", "入规年份", ("入规年份", "入规年度", "入规时间"), nullable=True),
     Field("capacity", "float", "产能", ("产能", "年产能", "设计产能")),
     Field("revenue", "float", "营业收入", ("营业收入", "营收", "主营业务收入")),
     Field("period", "str", "期间", _PERIOD),
     Field("note", "str", "备注", _NOTE),
     Field("source_row", "int", "原文件行号")),
    keys=("name", "period"),
    required=("企业名称", "产业链环节", "期间"),
    markers=frozenset({"name", "chain_link"}),
    figures=("capacity", "revenue"),
    template_header=("企业名称", "产业链环节", "片区", "状态", "是否规上", "入规年份", "产能(吨)", "营业收入(万元)", "期间", "备注"),
    examples=(("示例：某茶叶加工有限公司", "茶叶", "田园镇片区", "投产", "是", "2023", "5000", "12000", "{period}",
               "示例行，填报时请删除；产业链环节可填：{chain_links}"),),
)

def _task_rows(catalog: Catalog, period: str) -> list[list[str]]:
    """Every (task, unit) pair of the plan for the month: what each unit reports, the state and texts left empty."""
    return [[task.label, unit, period, "", "", "", "", "", ""] for task in catalog.tasks for unit in task.units]


_TASKS = Dataset(
    "tasks", "工作进展",
    (Field("task", "int", "任务", ("任务", "重点任务", "主要任务", "任务编号", "任务名称", "工作任务", "条款")),
     Field("unit", "str", "责任单位", ("责任单位", "责任部门", "牵头单位", "单位名称", "填报单位")),
     Field("period", "str", "期间", _PERIOD),
     Field("state", "str", "完成状态", ("完成状态", "进展状态", "推进状态", "状态")),
     Field("progress", "str", "进展情况", ("进展情况", "工作进展", "完成情况", "推进情况", "进展")),
     Field("problems", "str", "存在问题", ("存在问题", "存在的问题", "困难问题", "问题")),
     Field("next_steps", "str", "下步打算", ("下步打算", "下一步打算", "下步计划", "下一步计划", "下一步工作")),
     # the day the unit sent its report ('' when not given: the upload that first brought the row stands in)
     Field("submitted", "str", "报送日期", ("报送日期", "报送时间", "上报日期", "上报时间", "报送日")),
     Field("note", "str", "备注", _NOTE),
     Field("source_row", "int", "原文件行号")),
    keys=("task", "unit", "period"),
    required=("任务", "责任单位", "期间", "完成状态"),
    markers=frozenset({"task", "unit", "state", "progress", "problems", "next_steps"}),
    figures=("state",),
    template_header=("任务", "责任单位", "期间", "完成状态", "进展情况", "存在问题", "下步打算", "报送日期", "备注"),
    # A title line the parser reads past (it names no 20xx年 period it could lend to rows); rows left without a state
    # and text are not imported, so a template uploaded unfilled stores nothing.
    template_title="填写说明：完成状态填 已完成、推进中、滞后 或 未启动；进展情况、存在问题、下步打算如实填写；"
                   "报送日期填单位实际发出报告的日期（写到日；不填则以上传时间判断是否按时报送）；未填写的行不会导入",
    template_rows=_task_rows,
    sort=("period", "task", "unit"),
    empty="各行的完成状态和进展均未填写",
    months=True,                  # a month's reports make it a month to read
)

_MONEY_HEADERS = {"total": ("总投资", "计划总投资", "项目总投资"), "agreed": ("协议投资", "签约投资", "协议投资额"),
                  "annual_plan": ("年度计划投资", "本年计划投资", "年度投资计划"),
                  "year_done": ("本年累计完成投资", "本年完成投资", "年度完成投资", "累计完成投资（本年）"),
                  "funded": ("累计到位资金", "到位资金", "资金到位", "实际到位资金")}
_PROJECTS = Dataset(
    "projects", "重点项目台账",
    (Field("project_id", "str", "项目编号", ("项目编号", "编号", "项目代码")),
     Field("name", "str", "项目名称", ("项目名称", "项目")),
     Field("chain_link", "str", "产业链环节", ("产业链环节", "产业链", "环节", "所属产业链")),
     Field("area", "str", "片区", _AREA),
     Field("unit", "str", "责任单位", ("责任单位", "责任部门", "牵头单位", "包保单位")),
     Field("owner", "str", "业主单位", ("业主单位", "建设单位", "投资主体", "项目业主")),
     Field("total", "float", "总投资", _MONEY_HEADERS["total"]),
     Field("agreed", "float", "协议投资", _MONEY_HEADERS["agreed"]),
     Field("annual_plan", "float", "年度计划投资", _MONEY_HEADERS["annual_plan"]),
     Field("year_done", "float", "本年累计完成投资", _MONEY_HEADERS["year_done"]),
     Field("funded", "float", "累计到位资金", _MONEY_HEADERS["funded"]),
     Field("stage", "str", "阶段", ("阶段", "项目阶段", "推进阶段", "进展阶段", "项目状态")),
     Field("signed", "str", "签约日期", ("签约日期", "签约时间")),
     Field("planned_start", "str", "计划开工日期", ("计划开工日期", "计划开工时间", "计划开工")),
     Field("started", "str", "实际开工日期", ("实际开工日期", "开工日期", "开工时间", "实际开工时间")),
     Field("producing", "str", "投产日期", ("投产日期", "投产时间", "实际投产日期")),
     Field("period", "str", "期间", _PERIOD),
     Field("note", "str", "备注", _NOTE),
     Field("source_row", "int", "原文件行号")),
    keys=("project_id", "period"),
    required=("项目编号", "项目名称", "阶段", "期间"),
    markers=frozenset({"project_id", "stage", "agreed", "funded", "planned_start", "started", "owner"}),
    figures=("total", "agreed", "annual_plan", "year_done", "funded"),
    template_header=("项目编号", "项目名称", "产业链环节", "片区", "责任单位", "业主单位", "总投资(万元)", "协议投资(万元)",
                     "年度计划投资(万元)", "本年累计完成投资(万元)", "累计到位资金(万元)", "阶段", "签约日期", "计划开工日期",
                     "实际开工日期", "投产日期", "期间", "备注"),
    examples=(("XM-001", "示例：某茶叶精深加工项目", "茶叶", "田园镇片区", "县投资促进局", "某茶业有限公司", "20000", "18000",
               "6000", "2500", "7200", "在建", "2024-03-15", "2024-06", "2024-07-01", "", "{period}",
               "示例行，填报时请删除；阶段可填：洽谈、签约、在建（开工）、投产、达产、纳统"),),
    months=True,
)

REGISTRY: dict[str, Dataset] = {d.name: d for d in (_INDICATORS, _DEBT, _ENTERPRISES, _TASKS, _PROJECTS)}


def status_inputs() -> tuple[str, ...]:
    """The datasets that feed the status rule (declared `status`), in declaration order."""
    return tuple(d.name for d in REGISTRY.values() if d.status is not None)


def month_sources() -> tuple[str, ...]:
    """The datasets whose periods are the months a reading can be as of (declared `months`)."""
    return tuple(d.name for d in REGISTRY.values() if d.months)


class _Each(Mapping):
    """{dataset: one thing its declaration says}, read from REGISTRY at each lookup."""

    def __init__(self, read: Callable[[Dataset], object]):
        self._read = read

    def __getitem__(self, name: str):
        return self._read(REGISTRY[name])

    def __iter__(self):
        return iter(REGISTRY)

    def __len__(self) -> int:
        return len(REGISTRY)


COLUMNS = _Each(lambda d: d.columns)          # stored columns and kinds
KEYS = _Each(lambda d: d.keys)
DATASET_NAMES = _Each(lambda d: d.label)      # 指标数据 …


def label(column: str) -> str:
    """The name a stored column has in messages, templates and tables (one name per column across the datasets)."""
    return next((f.label for d in REGISTRY.values() for f in d.fields if f.name == column), column)


def get(name: str) -> Dataset:
    """The declaration of a dataset; a name that is none is a programmer error."""
    if name not in REGISTRY:
        raise ValueError(f"unknown dataset {name!r}; expected one of {tuple(REGISTRY)}")
    return REGISTRY[name]
