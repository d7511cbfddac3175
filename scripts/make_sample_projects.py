"""The sample project ledger (示例数据, invented but for one public fact): 24 investment projects of the two leading
industries, one row a project and month from the month talks began, 2023-01 … 2025-12, consistent with the sample
enterprise list and targets — no 切片 or 电池组装 project gets started (solar_cell_firms is missed), the polysilicon
project is the public 云南通威 二期 (200,000 t, ground broken 2023-03-21: the sample indicators' source).

    .venv/bin/python scripts/make_sample_projects.py      (scripts/make_sample.py runs it after the other sample files)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
OUT = ROOT / "data" / "sample"

from sample_files import write_csv  # noqa: E402

NAME = "09_重点项目台账_2023-2025.csv"
MONTHS = [f"{y}-{m:02d}" for y in (2023, 2024, 2025) for m in range(1, 13)]
SOURCE = "通威二期：20万吨高纯晶硅，2023-03-21开工（公开报道，与示例指标同源）；投资额等其余数值为示例"
# id, name, link, area, unit, owner, total, agreed (万元), and the months each stage began (None: not reached):
# 洽谈, 签约, planned start, 开工, 投产, 达产, 纳统
P = [
    ("XM01", "云南通威高纯晶硅二期（20万吨）", "多晶硅", "园中园", "县投资促进局", "云南通威高纯晶硅有限公司", 1_200_000, 1_000_000,
     "2022-06", "2022-12", "2023-03", "2023-03-21", "2024-03-01", "2025-03", "2025-06"),
    ("XM02", "工业硅技改扩能", "工业硅", "园中园", "县工业信息商务科技局", "昌宁示例硅材料有限公司", 60_000, 50_000,
     "2023-01", "2023-04", "2023-09", "2023-10-08", None, None, None),
    ("XM03", "硅业新材料项目", "工业硅", "园中园", "县投资促进局", "昌宁示例硅业科技有限公司", 45_000, 40_000,
     "2023-06", "2024-02", "2024-08", None, None, None, None),
    ("XM04", "光伏切片加工项目", "切片", "园中园", "县投资促进局", "（招商中）", 80_000, 70_000,
     "2023-08", "2024-05", "2025-03", None, None, None, None),
    ("XM05", "电池组装项目", "电池组装", "园中园", "县投资促进局", "（招商中）", 60_000, None,
     "2024-01", None, None, None, None, None, None),
    ("XM06", "园区分布式光伏", "光伏发电", "园中园", "县发展改革局", "昌宁示例新能源有限公司", 12_000, 10_000,
     "2024-03", "2024-09", "2025-01", "2025-02-15", None, None, None),
    ("XM07", "光伏电站二期", "光伏发电", "园中园", "县发展改革局", "昌宁示例光伏电站有限公司", 18_000, 15_000,
     "2023-01", "2023-03", "2023-05", "2023-05-20", "2024-06-30", "2025-01", None),
    ("XM08", "茶饮料生产线", "茶叶", "田园镇片区", "县农业农村局", "昌宁示例茶饮料有限公司", 25_000, 22_000,
     "2023-02", "2023-06", "2023-10", "2023-11-01", None, None, None),
    ("XM09", "古树茶精制厂", "茶叶", "田园镇片区", "县农业农村局", "昌宁示例古树茶有限公司", 8_000, 7_000,
     "2023-01", "2023-02", "2023-04", "2023-04-10", "2023-12-01", "2024-06", "2024-12"),
    ("XM10", "普洱茶加工", "茶叶", "田园镇片区", "县农业农村局", "昌宁示例普洱茶业有限公司", 6_000, 5_500,
     "2023-05", "2023-08", "2023-11", "2023-11-20", "2024-09-01", "2025-04", "2025-09"),
    ("XM11", "核桃油精深加工", "核桃", "田园镇片区", "县林草局", "昌宁示例核桃油有限公司", 15_000, 12_000,
     "2023-01", "2023-03", "2023-06", "2023-06-15", "2024-05-01", "2024-12", "2024-12"),
    ("XM12", "坚果食品扩建", "核桃", "田园镇片区", "县林草局", "昌宁示例坚果食品有限公司", 5_000, 4_500,
     "2024-04", "2024-08", "2024-12", "2025-01-10", None, None, None),
    ("XM13", "红糖加工", "制糖", "田园镇片区", "县农业农村局", "昌宁示例红糖加工有限公司", 4_000, 3_600,
     "2023-01", "2023-02", "2023-03", "2023-03-05", "2023-10-01", "2024-03", "2023-12"),
    ("XM14", "饲料加工", "畜牧", "田园镇片区", "县农业农村局", "昌宁示例饲料有限公司", 20_000, 18_000,
     "2023-09", "2024-01", "2024-04", "2024-04-18", "2025-03-01", None, "2025-06"),
    ("XM15", "乳制品加工", "畜牧", "田园镇片区", "县投资促进局", "昌宁示例乳业有限公司", 30_000, 28_000,
     "2024-02", "2024-06", "2025-01", None, None, None, None),
    ("XM16", "茧丝绸加工", "蚕茧", "田园镇片区", "县农业农村局", "昌宁示例茧丝绸有限公司", 9_000, 8_000,
     "2023-01", "2023-04", "2023-07", "2023-07-01", "2024-04-01", "2024-10", "2024-06"),
    ("XM17", "果蔬冻干", "果蔬", "田园镇片区", "县农业农村局", "昌宁示例冻干食品有限公司", 7_000, 6_500,
     "2024-01", "2024-04", "2024-07", "2024-08-01", None, None, None),
    ("XM18", "农产品冷链物流", "果蔬", "田园镇片区", "县发展改革局", "昌宁示例农产品冷链有限公司", 11_000, 9_000,
     "2023-01", "2023-05", "2023-08", "2023-09-01", "2024-08-01", "2025-02", None),
    ("XM19", "食用菌加工", "果蔬", "田园镇片区", "县农业农村局", "昌宁示例菌业有限公司", 3_000, 2_800,
     "2024-06", "2024-10", "2025-02", "2025-03-01", None, None, None),
    ("XM20", "木竹制品", "林产品", "田园镇片区", "县林草局", "昌宁示例木业有限公司", 16_000, 14_000,
     "2023-03", "2023-07", "2023-12", "2024-01-15", "2024-12-01", None, "2025-06"),
    ("XM21", "林化深加工", "林产品", "田园镇片区", "县林草局", "昌宁示例林化有限公司", 22_000, 20_000,
     "2025-01", "2025-05", "2025-10", None, None, None, None),
    ("XM22", "竹木家具", "林产品", "田园镇片区", "县投资促进局", "（招商中）", 10_000, None,
     "2023-06", None, None, None, None, None, None),
    ("XM23", "茶旅融合加工", "茶叶", "田园镇片区", "县投资促进局", "（招商中）", 12_000, None,
     "2025-05", None, None, None, None, None, None),
    ("XM24", "核桃乳饮料", "核桃", "田园镇片区", "县投资促进局", "昌宁示例核桃产业有限公司", 9_000, 8_500,
     "2024-03", "2024-07", "2025-01", None, None, None, None),
]
STAGES = ("洽谈", "签约", None, "在建", "投产", "达产", "纳统")     # the planned start opens no stage


def stage_at(p, month: str) -> str | None:
    """The stage the project is in at month (None: talks had not begun)."""
    dates = p[8:]
    reached = [s for s, d in zip(STAGES, dates) if s and d and d[:7] <= month]
    return reached[-1] if reached else None


def money(p, month: str, stage: str) -> tuple[str, str, str, str]:
    """(年度计划投资, 本年累计完成投资, 累计到位资金, 总投资) at month, as written in the ledger."""
    total, agreed = p[6], p[7]
    if stage in ("洽谈",) or agreed is None:
        return "", "", "", f"{total}"
    signed, started = p[9], p[11]
    index = MONTHS.index(month) if month in MONTHS else 0
    since = max(0, index - (MONTHS.index(signed) if signed in MONTHS else 0))
    # funds arrive over 30 months from signing; a project not started keeps a low share (the stalled ones)
    share = min(1.0, since / 30) * (1.0 if started else 0.12)
    funded = round(agreed * share, -1)
    plan = round(total / 3, -1) if started else round(total / 10, -1)
    done = round(plan * int(month[5:]) / 12 * (0.9 if started else 0.2), -1)
    return f"{plan:.0f}", f"{done:.0f}", f"{funded:.0f}", f"{total}"


def rows() -> list[list[str]]:
    out = []
    for month in MONTHS:
        for p in P:
            stage = stage_at(p, month)
            if stage is None:
                continue
            plan, done, funded, total = money(p, month, stage)
            signed, planned, started, producing = (p[9] or "", p[10] or "", p[11] or "", p[12] or "")
            def shown(d: str, month: str = month) -> str:      # a date not yet reached is left empty
                return d if d and d[:7] <= month else ""
            out.append([p[0], p[1], p[2], p[3], p[4], p[5], total, "" if p[7] is None else f"{p[7]}", plan, done, funded,
                        stage, shown(signed), planned if shown(signed) else "", shown(started), shown(producing), month,
                        SOURCE if p[0] == "XM01" and month == MONTHS[0] else ""])
    return out


def main() -> Path:
    head = ["项目编号", "项目名称", "产业链环节", "片区", "责任单位", "业主单位", "总投资(万元)", "协议投资(万元)", "年度计划投资(万元)",
            "本年累计完成投资(万元)", "累计到位资金(万元)", "阶段", "签约日期", "计划开工日期", "实际开工日期", "投产日期", "期间", "备注"]
    lines = [["昌宁产业园区重点项目台账（示例数据，虚构；单位：万元）"], head, *rows(),
             ["注：示例数据，由 scripts/make_sample_projects.py 生成，非官方台账"]]
    return write_csv(NAME, lines, "utf-8-sig")[0]      # as the other sample files: Excel's CSV, every line one width


if __name__ == "__main__":
    made = main()
    print(f"{made.name}: {len(made.read_bytes().splitlines())} lines")
