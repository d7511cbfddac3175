"""The three datasets: their canonical columns (as stored), keys, and the Chinese names users see.

Shared by ingest (which produces these columns), store (which keys snapshots on them) and pages.
"""

from __future__ import annotations

DATASETS = ("indicators", "debt", "enterprises")

DATASET_NAMES = {"indicators": "指标数据", "debt": "债务台账", "enterprises": "企业名录"}

# Canonical columns in stored order, with their Arrow/pandas kind: str, float, int, bool.
COLUMNS: dict[str, dict[str, str]] = {
    "indicators": {
        "indicator": "str", "period": "str", "area": "str", "value": "float", "unit": "str",
        "cumulative": "bool", "note": "str", "source_row": "int",
    },
    "debt": {
        "debt_id": "str", "name": "str", "creditor": "str", "debt_type": "str", "period": "str",
        "balance": "float", "new_debt": "float", "resolved": "float", "due_date": "str", "overdue": "bool",
        "note": "str", "source_row": "int",
    },
    "enterprises": {
        "name": "str", "chain_link": "str", "area": "str", "status": "str", "above_scale": "bool",
        "above_scale_year": "int", "capacity": "float", "revenue": "float", "period": "str", "note": "str",
        "source_row": "int",
    },
}

# For the same key, the latest upload wins.
KEYS: dict[str, tuple[str, ...]] = {
    "indicators": ("indicator", "period", "area"),
    "debt": ("debt_id", "period"),
    "enterprises": ("name", "period"),
}

# The name each column has in messages, templates and tables.
LABELS: dict[str, str] = {
    "indicator": "指标", "period": "期间", "area": "片区", "value": "数值", "unit": "单位", "cumulative": "累计",
    "note": "备注", "source_row": "原文件行号",
    "debt_id": "债务编号", "name": "名称", "creditor": "债权人", "debt_type": "债务类型", "balance": "期末余额",
    "new_debt": "本期新增", "resolved": "本期化解", "due_date": "到期日", "overdue": "是否逾期",
    "chain_link": "产业链环节", "status": "状态", "above_scale": "是否规上", "above_scale_year": "入规年份",
    "capacity": "产能", "revenue": "营业收入",
}

CHAIN_LINKS = {
    "绿色食品": ("茶叶", "核桃", "制糖", "畜牧", "蚕茧", "果蔬", "林产品"),
    "绿色硅": ("工业硅", "多晶硅", "切片", "电池组装", "光伏发电"),
}
ENTERPRISE_STATUSES = ("签约", "在建", "投产", "达产")
PARK_AREA = ""  # area of park-wide figures; other areas are 片区 or industries (茶叶 …)
