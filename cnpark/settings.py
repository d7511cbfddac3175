"""Every setting in one table: name, environment variable, default, help. README's settings table mirrors it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str


SETTINGS: dict[str, Setting] = {
    "data_dir": Setting("CNPARK_DATA_DIR", "data/store", "数据仓库目录（快照、清单、原始文件）；相对路径按项目根目录解析"),
    "plans": Setting("CNPARK_PLANS", "", "除 data/plan/ 下的全部目标清单外，再载入的清单文件或目录（多个用 : 分隔）；每个清单是一个规划，页面和命令行按 plan 代码选择，新增规划只需放入文件"),
    "max_upload_mb": Setting("CNPARK_MAX_UPLOAD_MB", "50", "单个上传文件的最大大小（MB）"),
    "max_rows": Setting("CNPARK_MAX_ROWS", "200000", "单个上传文件的最大数据行数"),
    "change_flag_share": Setting("CNPARK_CHANGE_FLAG_SHARE", "0.3", "上传预览中，数值变化超过这一比例即标出（0.3 = 30%）"),
    "user_header": Setting("CNPARK_USER_HEADER", "", "单点登录反向代理传入用户名的请求头（如 X-Remote-User；仅当 Streamlit 只监听本机、由 nginx 设置该头时使用，见 docs/DEPLOY.md）；空 = 不使用"),
    "utc_offset_hours": Setting("CNPARK_UTC_OFFSET", "8", "记录上传时间所用的时区（北京时间 = 8）"),
    "report_due_day": Setting("CNPARK_REPORT_DUE_DAY", "5", "重点工作进展每月报送的截止日：次月几日（含当日）前报送即为按时（按“报送日期”，未填写的按上传时间）"),
    "funding_excess_share": Setting("CNPARK_FUNDING_EXCESS_SHARE", "0.1", "重点项目台账：累计到位资金超过协议投资多少比例即视为填报错误（0.1 = 10%）"),
    "stalled_months": Setting("CNPARK_STALLED_MONTHS", "12", "重点项目在同一阶段超过几个月即列为停滞"),
    "stalled_funding_share": Setting("CNPARK_STALLED_FUNDING_SHARE", "0.3", "签约满一年、到位资金仍低于协议投资这一比例的项目列为停滞（0.3 = 30%）"),
    "warm_interval": Setting("CNPARK_WARM_INTERVAL", "1", "服务器每隔几秒检查一次数据是否有新上传；有则在后台预先算好最新月份各页面的数据，第一位打开页面的人无需等待"),
}


def get(name: str) -> str:
    """The value of a setting: its environment variable if set, else the default."""
    s = SETTINGS[name]
    return os.environ.get(s.env, s.default)


def path(name: str) -> Path:
    """A path setting, resolved against the project root when relative."""
    p = Path(get(name))
    return p if p.is_absolute() else ROOT / p


def number(name: str) -> float:
    return float(get(name))
