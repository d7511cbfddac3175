"""Write the sample uploads in data/sample/ (示例数据): files shaped like what a county analyst exports from Excel.

Deterministic (no randomness), stdlib + pandas only. Run from the repository root:

    .venv/bin/python scripts/make_sample.py

Every figure is invented (示例数据（虚构）) except the few public facts named in a row's 备注 (source given there):
云南通威高纯晶硅 phase 1 50,000 t (trial production 2021-12, full load 2022-08) and phase 2 200,000 t (ground broken
2023-03-21) in 昌宁“园中园”, and 云南硅旺新材料 (industrial-silicon granules, 200–250 t/day). No public figure exists for
the park's revenue, output, land, debt or enterprises: those are invented, and every file's title says 示例数据.

The intended statuses (docs/RULES.md "状态怎么判") are listed in OUTCOMES at the bottom and printed at the end.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sample_files import OUT, write_csv  # noqa: E402  (the scripts folder is on sys.path when run)

FAKE = "示例数据（虚构）"
SRC_TONGWEI_1 = "通威一期5万吨：2021年12月试生产、2022年8月满负荷（来源：2022年报道转载 http://3wayday.com/2022/0829/62600.shtml）"
SRC_TONGWEI_2 = "通威二期20万吨：2023年3月21日在昌宁园中园开工（来源：保山报道 http://m.kecegen.com/?p=10404）"
SRC_GUIWANG = "硅旺：2021年12月建厂、2022年4月投产，日产200-250吨工业硅颗粒（来源：http://3wayday.com/2022/0829/62600.shtml）"
YEARS = (2021, 2022, 2023, 2024, 2025)


# ------------------------------------------------------------------------------------------ formatting

def thousands(value: float, decimals: int = 0) -> str:
    """1234567.8 → '1,234,567.8' as Excel shows a number with the thousands separator."""
    return f"{value:,.{decimals}f}"


def plain(value: float, decimals: int = 1) -> str:
    return f"{value:.{decimals}f}"


def percent(value: float, decimals: int = 1) -> str:
    """75 → '75.0%' as a cell formatted as a percentage."""
    return f"{value:.{decimals}f}%"


def integer(value: float) -> str:
    return str(int(value))


# ------------------------------------------------------------------------------------------ annual indicators
# (catalog name as typed, unit, {year: value}, formatter, note or {year: note})

# 2 × 2021 is first reached in 2025, so mid-course views show revenue on track rather than already met
REVENUE = {2021: 600_000, 2022: 960_000, 2023: 1_175_000, 2024: 1_020_000, 2025: 1_302_000}
OUTPUT = {2021: 575_000, 2022: 1_012_000, 2023: 1_245_000, 2024: 1_070_700, 2025: 1_338_400}
LEADING_REVENUE_SHARE = {2021: 72.5, 2022: 84.6, 2023: 86.9, 2024: 88.2, 2025: 89.5}
POLYSILICON_YEAR_END = {2021: 50_000, 2022: 50_000, 2023: 50_000, 2024: 170_000, 2025: 250_000}
DEBT_PLAN = {2023: 30_000, 2024: 35_000, 2025: 40_000}

POLY_NOTES = {
    2021: SRC_TONGWEI_1 + "；按设计产能计",
    2022: SRC_TONGWEI_1,
    2023: SRC_TONGWEI_1 + "；" + SRC_TONGWEI_2 + "，当年在建",
    2024: SRC_TONGWEI_2 + "；二期首批12万吨2024年4月投产为" + FAKE,
    2025: SRC_TONGWEI_1 + "；" + SRC_TONGWEI_2 + "；5万+20万=25万吨；二期余下8万吨2025年5月投产的时间为" + FAKE,
}

ANNUAL = [
    ("营业收入", "万元", REVENUE, thousands, FAKE),
    ("工业总产值", "万元", OUTPUT, thousands, {2024: FAKE + "；多晶硅价格大幅下跌，产值下降",
                                                2025: FAKE + "；二期全面投产"}),
    ("主导产业新增固定资产投资占比", "%", {2021: 55.0, 2022: 62.0, 2023: 80.4, 2024: 83.0, 2025: 78.5}, percent, FAKE),
    ("主导产业营业收入占比", "%", LEADING_REVENUE_SHARE, percent, FAKE),
    ("新增规上工业企业", "户", {2023: 3, 2024: 2, 2025: 3}, integer, FAKE + "；当年新增，与企业名录入规年份一致"),
    ("多晶硅产能", "吨", POLYSILICON_YEAR_END, thousands, POLY_NOTES),
    ("太阳能电池切片组装企业", "户", {y: 0 for y in YEARS}, integer, FAKE + "；尚未引进切片加工或电池组装企业"),
    ("农特产品加工转化率", "%", {2021: 55.0, 2022: 58.0, 2023: 63.0, 2024: 67.0, 2025: 71.5}, percent, FAKE),
    ("“两新”党建示范点", "个", {2021: 0, 2022: 0, 2023: 1, 2024: 2, 2025: 2}, integer, FAKE),
    ("批而未供土地处置率", "%", {2022: 12.0, 2023: 27.5}, plain, FAKE),
    ("闲置土地处置率", "%", {2022: 10.0, 2023: 25.0}, plain, FAKE),
    ("“标准地”出让占比", "%", {2022: 8.5, 2023: 22.0, 2024: 35.0, 2025: 62.0}, percent, FAKE),
    ("劳动生产率", "万元/人", {2021: 32.5, 2022: 45.8, 2023: 49.6, 2024: 41.2, 2025: 52.3}, plain, FAKE),
    ("亩均营业收入", "万元/亩", {2021: 98.5, 2022: 146.2, 2023: 158.7, 2024: 131.4, 2025: 163.8}, plain, FAKE),
    ("研发投入强度", "%", {2021: 0.82, 2022: 0.85, 2023: 0.88, 2024: 0.83, 2025: 0.81},
     lambda v: plain(v, 2), FAKE),
    ("进出口总额", "万元", {2021: 18_600, 2022: 24_300, 2023: 31_800, 2024: 36_500, 2025: 42_100}, thousands, FAKE),
    ("实际利用外资", "万美元", {2021: 1_200, 2022: 1_850, 2023: 1_420, 2024: 960, 2025: 780}, thousands, FAKE),
    ("计划化解债务", "万元", DEBT_PLAN, thousands, FAKE + "；园区历史债务化解方案年度计划额"),
]


def make_annual() -> tuple[Path, int]:
    rows = [["昌宁产业园区主要指标年度数据（2021年—2025年）（示例数据，非官方统计）"],
            ["填报单位：昌宁产业园区管委会（示例数据）", "", "", "单位：见各列"],
            ["指标名称", "统计期", "数值", "单位", "备注"]]
    for name, unit, values, fmt, note in ANNUAL:
        for year, value in values.items():
            text = note.get(year, FAKE) if isinstance(note, dict) else note
            rows.append([name, f"{year}年", fmt(value), unit, text])
    rows += [[""],
             ["注：本表为示例数据，除备注注明来源者外均为虚构，不代表官方统计；年度数据为全年累计或年末数。"],
             ["填表人：示例"]]
    return write_csv("01_年度指标_2021-2025.csv", rows, "gbk")


# ------------------------------------------------------------------------------------------ milestones
# (name, [(period, done, note)])
MILESTONES = [
    ("规划环评及总体规划审批", [("2023年6月", False, "推进中"), ("2023年9月", False, "未按期完成（期限2023年9月底）"),
                        ("2023年11月", True, "规划环评及总体规划获批，晚于期限")]),
    ("园区管理机构优化调整", [("2023年6月", False, "推进中"), ("2023年8月", True, "")]),
    ("市场化运营模式建立", [("2023年12月", False, "推进中"), ("2024年6月", False, "推进中"), ("2024年10月", True, "")]),
    ("管理运营体制机制全面完善", [("2023年12月", False, "推进中"), ("2024年12月", False, "推进中"),
                          ("2025年6月", False, "推进中"), ("2025年12月", False, "未完成")]),
    ("两大产业集群基本形成", [("2023年12月", False, "推进中"), ("2024年12月", False, "推进中"), ("2025年12月", True, "")]),
    ("配套基础设施基本齐备", [("2023年12月", False, "推进中"), ("2024年12月", False, "推进中"), ("2025年11月", True, "")]),
    ("绿美园区建成", [("2023年12月", False, "推进中"), ("2024年12月", False, "推进中"), ("2025年10月", True, "")]),
]


def make_milestones() -> tuple[Path, int]:
    rows = [["昌宁产业园区重点工作（里程碑）完成情况（示例数据，非官方统计）"],
            ["指标", "期间", "本期", "备注"]]
    for name, reports in MILESTONES:
        for period, done, note in reports:
            rows.append([name, period, "完成" if done else "未完成", f"{note}；{FAKE}" if note else FAKE])
    rows += [["注：本期填“完成”或“未完成”，完成的填写完成当月；本表为示例数据。"], ["填表人：示例"]]
    return write_csv("02_里程碑.csv", rows, "utf-8-sig")


# ------------------------------------------------------------------------------------------ monthly (wide by period)
SEASON = (0.85, 0.80, 1.00, 1.02, 1.05, 1.08, 1.00, 1.00, 1.03, 1.05, 1.07, 1.15)  # Spring Festival dip, year-end push
# 1-6月 year-to-date totals: output 2024 H1 −6.0 % (price crash), 2025 H1 +18.4 % (lagging), full years from ANNUAL.
OUTPUT_H1 = {2023: 585_000, 2024: 550_000, 2025: 651_000}
REVENUE_H1 = {2023: 560_000, 2024: 535_000, 2025: 620_000}
SHARE_WIGGLE = (-0.6, -0.3, 0.2, 0.4, -0.2, 0.3, 0.5, -0.4, 0.1, 0.3, -0.2, 0.0)


def year_to_date(annual: float, h1: float) -> list[float]:
    """Cumulative 1–m月 values (m = 1..12) with the given 1-6月 and full-year totals; December = annual exactly."""
    first, second = sum(SEASON[:6]), sum(SEASON[6:])
    monthly = [h1 * w / first for w in SEASON[:6]] + [(annual - h1) * w / second for w in SEASON[6:]]
    cumulative, total = [], 0.0
    for m in monthly:
        total += m
        cumulative.append(round(total))
    cumulative[5], cumulative[11] = h1, annual
    return cumulative


def polysilicon_stock(year: int, month: int) -> int:
    """Capacity at month end: phase 1 50,000 t; phase 2 first 120,000 t from 2024-04, the rest 80,000 t from 2025-05."""
    ym = (year, month)
    if ym >= (2025, 5):
        return 250_000
    if ym >= (2024, 4):
        return 170_000
    return 50_000


def leading_share(year: int, month: int) -> float:
    before, now = LEADING_REVENUE_SHARE[year - 1], LEADING_REVENUE_SHARE[year]
    return round(before + (now - before) * month / 12 + SHARE_WIGGLE[month - 1], 1)


def make_monthly() -> tuple[Path, int]:
    months = [(y, m) for y in (2023, 2024, 2025) for m in range(2, 13)]  # no January alone: 1-2月 combined
    header = ["指标", "单位"] + [f"{y}年1-{m}月" for y, m in months] + ["备注"]
    revenue = {y: year_to_date(REVENUE[y], REVENUE_H1[y]) for y in (2023, 2024, 2025)}
    output = {y: year_to_date(OUTPUT[y], OUTPUT_H1[y]) for y in (2023, 2024, 2025)}
    rows = [["昌宁产业园区主要指标月度累计（2023年—2025年）（示例数据，非官方统计）"], header,
            ["营业收入", "万元"] + [thousands(revenue[y][m - 1]) for y, m in months] + [FAKE + "；本年累计"],
            ["工业总产值", "万元"] + [thousands(output[y][m - 1]) for y, m in months] + [FAKE + "；本年累计"],
            ["多晶硅产能", "吨"] + [thousands(polysilicon_stock(y, m)) for y, m in months]
            + [SRC_TONGWEI_1 + "；" + SRC_TONGWEI_2 + "；月末产能，二期分批投产时间为" + FAKE],
            ["主导产业营业收入占比", "%"] + [plain(leading_share(y, m)) for y, m in months] + [FAKE + "；本年累计口径"],
            ["注：营业收入、工业总产值为自1月起累计数（1-2月合并）；多晶硅产能为月末数；本表为示例数据。"],
            ["填表人：示例"]]
    return write_csv("03_月度主要指标_2023-2025.csv", rows, "utf-8-sig")


# ------------------------------------------------------------------------------------------ agri processing by industry
# 农特产品加工转化率 of each of the seven food industries (片区 column = the industry), year ends 2023–2025, invented.
# Sugarcane is nearly all pressed, tea mostly processed, fruit and vegetables mostly sold fresh; the park's rate
# (ANNUAL: 63.0 / 67.0 / 71.5) lies between the lowest and the highest industry every year (checked in check()).
AGRI_BY_INDUSTRY = {
    "茶叶": (78.0, 81.5, 85.0), "核桃": (55.0, 60.5, 66.0), "制糖": (92.0, 93.0, 94.5), "畜牧": (48.0, 53.0, 58.5),
    "蚕茧": (68.0, 72.0, 77.0), "果蔬": (36.0, 41.5, 47.0), "林产品": (60.0, 64.0, 69.5),
}
AGRI_PARK = {2023: 63.0, 2024: 67.0, 2025: 71.5}  # must equal 农特产品加工转化率 in the annual file


def make_agri_industries() -> tuple[Path, int]:
    rows = [["昌宁产业园区农特产品加工转化率（分产业）（2023年—2025年）（示例数据，非官方统计）"],
            ["指标", "片区", "期间", "数值", "单位", "备注"]]
    for industry, values in AGRI_BY_INDUSTRY.items():
        for year, value in zip((2023, 2024, 2025), values):
            rows.append(["农特产品加工转化率", industry, f"{year}年", percent(value), "%", FAKE])
    rows += [["注：片区列填写产业名称（七大农特产业）；本表为示例数据（虚构），不代表官方统计。"], ["填表人：示例"]]
    return write_csv("07_农特产品加工转化率_分产业.csv", rows, "utf-8-sig")


# ------------------------------------------------------------------------------------------ debt ledger
# (id, name, creditor, type, opening 2022, due, {year: (new, resolved)}, overdue in 2025)
DEBTS = [
    ("ZW01", "园区基础设施建设贷款", "中国农业发展银行", "银行贷款", 60_000, "2028/6/20",
     {2023: (8_000, 3_000), 2024: (0, 4_000), 2025: (0, 5_000)}, False),
    ("ZW02", "标准厂房建设贷款", "国家开发银行", "银行贷款", 45_000, "2027/12/20",
     {2023: (0, 3_000), 2024: (5_000, 3_000), 2025: (0, 4_000)}, False),
    ("ZW03", "流动资金贷款", "昌宁农商行", "银行贷款", 12_000, "2026/3/15",
     {2023: (0, 2_000), 2024: (0, 3_000), 2025: (0, 4_000)}, False),
    ("ZW04", "土地收储贷款", "中国农业发展银行", "银行贷款", 30_000, "2026/9/20",
     {2023: (0, 4_000), 2024: (0, 4_200), 2025: (0, 6_000)}, False),
    ("ZW05", "园中园配套道路贷款", "国家开发银行", "银行贷款", 38_000, "2028/3/20",
     {2023: (6_000, 2_000), 2024: (0, 2_000), 2025: (0, 3_000)}, False),
    ("ZW06", "田园镇片区道路工程款", "昌宁示例建工集团有限公司", "工程欠款", 8_500, "2025/6/30",
     {2023: (0, 1_500), 2024: (0, 1_000), 2025: (0, 500)}, True),
    ("ZW07", "污水处理厂工程款", "昌宁示例市政工程有限公司", "工程欠款", 6_200, "2026/6/30",
     {2023: (0, 1_200), 2024: (0, 1_500), 2025: (0, 1_500)}, False),
    ("ZW08", "园中园标准厂房BT回购款", "昌宁示例投资建设有限公司", "BT回购", 25_000, "2027/6/30",
     {2023: (0, 3_000), 2024: (0, 3_000), 2025: (0, 4_000)}, False),
    ("ZW09", "园区主干道BT回购款", "昌宁示例路桥有限公司", "BT回购", 18_000, "2026/12/31",
     {2023: (0, 2_500), 2024: (0, 3_000), 2025: (0, 4_000)}, False),
    ("ZW10", "田园镇片区征地补偿款", "田园镇示例村股份经济合作社", "土地收储欠款", 9_800, "2025/9/30",
     {2023: (0, 800), 2024: (0, 500), 2025: (0, 300)}, True),
    ("ZW11", "垫付土地收储款", "昌宁县示例土地收储中心", "土地收储欠款", 14_000, "2027/12/31",
     {2023: (0, 1_000), 2024: (3_000, 1_000), 2025: (0, 1_500)}, False),
    ("ZW12", "污水处理设备融资租赁", "昌宁示例融资租赁有限公司", "融资租赁", 7_500, "2026/8/15",
     {2023: (0, 1_500), 2024: (0, 1_500), 2025: (0, 1_500)}, False),
    ("ZW13", "财政周转借款", "昌宁县示例财政周转金", "财政借款", 20_000, "2028/12/31",
     {2023: (0, 0), 2024: (0, 0), 2025: (4_000, 2_000)}, False),
    ("ZW14", "110千伏变电站配套工程款", "昌宁示例电力安装工程有限公司", "工程欠款", 4_300, "2024/12/31",
     {2023: (0, 2_000), 2024: (0, 2_300), 2025: (0, 0)}, False),
    ("ZW15", "往来借款", "昌宁示例城市建设投资有限公司", "往来借款", 10_000, "2026/12/31",
     {2023: (0, 500), 2024: (0, 0), 2025: (0, 700)}, False),
]


def debt_frame() -> pd.DataFrame:
    """One row per item per year, balances rolled forward: balance_t = balance_(t−1) + new − resolved."""
    out = []
    for debt_id, name, creditor, kind, opening, due, flows, overdue in DEBTS:
        balance = opening
        out.append(dict(id=debt_id, name=name, creditor=creditor, kind=kind, year=2022, balance=balance,
                        new=0, resolved=0, due=due, overdue=False))
        for year in (2023, 2024, 2025):
            new, resolved = flows[year]
            balance = balance + new - resolved
            assert balance >= 0, (debt_id, year)
            out.append(dict(id=debt_id, name=name, creditor=creditor, kind=kind, year=year, balance=balance,
                            new=new, resolved=resolved, due=due, overdue=overdue and year == 2025))
    return pd.DataFrame(out)


def make_debt() -> tuple[Path, int]:
    frame = debt_frame()
    rows = [["昌宁产业园区债务统计台账（2022年—2025年）（示例数据，非官方统计）"], ["单位：万元"],
            ["债务编号", "债务名称", "债权人", "债务类型", "期间", "期末余额", "本期新增", "本期化解", "到期日", "是否逾期", "备注"]]
    for r in frame.sort_values(["year", "id"]).itertuples():
        note = FAKE
        if r.year == 2022:
            note = "2022年末余额（化解方案基数）；" + FAKE
        elif r.overdue:
            note = "已逾期，正与债权人协商展期；" + FAKE
        elif r.balance == 0:
            note = "已结清；" + FAKE
        rows.append([r.id, r.name, r.creditor, r.kind, f"{r.year}年", thousands(r.balance, 2), thousands(r.new, 2),
                     thousands(r.resolved, 2), r.due, "是" if r.overdue else "否", note])
    rows += [[""], ["注：本表为示例数据（虚构），不代表昌宁产业园区实际债务；期末余额=上期余额+本期新增-本期化解。"],
             ["填表人：示例"]]
    return write_csv("05_债务台账.csv", rows, "gbk")


# ------------------------------------------------------------------------------------------ enterprises
FOOD, SILICON = "田园镇片区", "园中园"
# (name, link, area, status, above scale, entry year, capacity t, revenue 万元, note)
ENTERPRISES = [
    ("昌宁示例茶业有限公司", "茶叶", FOOD, "达产", True, 2016, 3_000, 18_600, ""),
    ("昌宁示例红茶厂有限公司", "茶叶", FOOD, "达产", True, 2019, 1_800, 9_800, ""),
    ("昌宁示例古树茶有限公司", "茶叶", FOOD, "投产", True, 2023, 1_200, 3_650, ""),
    ("昌宁示例普洱茶业有限公司", "茶叶", FOOD, "投产", True, 2025, 900, 2_380, ""),
    ("昌宁示例生态茶叶有限公司", "茶叶", FOOD, "投产", False, None, 400, 1_150, ""),
    ("昌宁示例茶饮料有限公司", "茶叶", FOOD, "在建", False, None, 5_000, None, "产能为设计产能"),
    ("昌宁示例核桃产业有限公司", "核桃", FOOD, "达产", True, 2018, 8_000, 15_200, ""),
    ("昌宁示例核桃油有限公司", "核桃", FOOD, "投产", True, 2024, 3_000, 4_100, ""),
    ("昌宁示例坚果食品有限公司", "核桃", FOOD, "投产", False, None, 1_500, 1_320, ""),
    ("昌宁示例糖业有限公司", "制糖", FOOD, "达产", True, 2012, 30_000, 21_500, "产能为年产糖量"),
    ("昌宁示例红糖加工有限公司", "制糖", FOOD, "投产", True, 2023, 5_000, 2_900, ""),
    ("昌宁示例肉食品有限公司", "畜牧", FOOD, "达产", True, 2020, 12_000, 16_800, ""),
    ("昌宁示例饲料有限公司", "畜牧", FOOD, "投产", True, 2025, 60_000, 4_600, ""),
    ("昌宁示例乳业有限公司", "畜牧", FOOD, "签约", False, None, None, None, ""),
    ("昌宁示例茧丝绸有限公司", "蚕茧", FOOD, "投产", True, 2024, 600, 3_300, ""),
    ("昌宁示例蚕业有限公司", "蚕茧", FOOD, "投产", False, None, 300, 860, ""),
    ("昌宁示例果蔬食品有限公司", "果蔬", FOOD, "投产", True, 2023, 6_000, 2_750, ""),
    ("昌宁示例冻干食品有限公司", "果蔬", FOOD, "在建", False, None, 2_000, None, "产能为设计产能"),
    ("昌宁示例农产品冷链有限公司", "果蔬", FOOD, "投产", False, None, 8_000, 1_480, ""),
    ("昌宁示例菌业有限公司", "果蔬", FOOD, "投产", False, None, 1_200, 960, ""),
    ("昌宁示例林化有限公司", "林产品", FOOD, "达产", True, 2017, 15_000, 12_400, ""),
    ("昌宁示例木业有限公司", "林产品", FOOD, "投产", True, 2025, 20_000, 2_650, ""),
    ("昌宁示例竹木制品有限公司", "林产品", FOOD, "投产", False, None, 3_000, 780, ""),
    ("云南通威高纯晶硅有限公司", "多晶硅", SILICON, "达产", True, 2022, 250_000, "—",
     "产能：" + SRC_TONGWEI_1 + "；" + SRC_TONGWEI_2 + "；营业收入未公开，留空；状态、规上及入规年份为示例（推断）"),
    ("云南硅旺新材料有限公司", "工业硅", SILICON, "投产", True, 2022, "—", "—",
     SRC_GUIWANG + "；年产能未公开，留空；营业收入未公开，留空；规上及入规年份为示例（推断）"),
    ("昌宁示例硅材料有限公司", "工业硅", SILICON, "在建", False, None, 30_000, None, "产能为设计产能"),
    ("昌宁示例硅业科技有限公司", "工业硅", SILICON, "签约", False, None, None, None, ""),
    ("昌宁示例光伏电站有限公司", "光伏发电", SILICON, "投产", False, None, None, 1_650, "装机规模不以吨计，产能留空"),
    ("昌宁示例新能源有限公司", "光伏发电", SILICON, "签约", False, None, None, None, "分布式光伏项目"),
]
ABOVE_SCALE_PER_YEAR = {2023: 3, 2024: 2, 2025: 3}  # must equal 新增规上工业企业 in the annual file


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return thousands(value)


def make_enterprises() -> tuple[Path, int]:
    rows = [["昌宁产业园区重点企业名录（示例数据，非官方统计）"],
            ["企业名称", "产业链环节", "片区", "状态", "是否规上", "入规年份", "产能(吨)", "营业收入(万元)", "期间", "备注"]]
    for name, link, area, status, above, year, capacity, revenue, note in ENTERPRISES:
        real = not name.startswith("昌宁示例")
        text = note if real else (f"{note}；{FAKE}" if note else FAKE)
        rows.append([name, link, area, status, "是" if above else "否", str(year) if year else "", cell(capacity),
                     cell(revenue), "2025年12月", text])
    rows += [["注：企业名称含“示例”者均为虚构企业；切片、电池组装环节暂无企业（产业链缺口）。"]]
    return write_csv("06_企业名录.csv", rows, "utf-8", newline="\n")


# ------------------------------------------------------------------------------------------ checks and report

def check() -> None:
    """The cross-file consistencies the brief asks for."""
    frame = debt_frame()
    resolved = frame[frame.year > 2022].groupby("year")["resolved"].sum().to_dict()
    assert resolved == {2023: 28_000, 2024: 30_000, 2025: 38_000}, resolved
    assert sum(resolved.values()) == 96_000 < sum(DEBT_PLAN.values()) == 105_000
    assert frame[(frame.year == 2025) & frame.overdue].shape[0] == 2
    total = frame[frame.year == 2022]["balance"].sum()
    assert 50_000 <= total <= 500_000, total  # 5–50亿元
    poly = sum(e[6] for e in ENTERPRISES if e[1] == "多晶硅")
    assert poly == polysilicon_stock(2025, 12) == POLYSILICON_YEAR_END[2025] == 250_000, poly
    entries: dict[int, int] = {}
    for e in ENTERPRISES:
        if e[4] and e[5] and e[5] >= 2023:
            entries[e[5]] = entries.get(e[5], 0) + 1
    assert entries == ABOVE_SCALE_PER_YEAR, entries
    assert not any(e[1] in ("切片", "电池组装") for e in ENTERPRISES)
    agri = next(values for name, _, values, _, _ in ANNUAL if name == "农特产品加工转化率")
    for k, year in enumerate((2023, 2024, 2025)):
        assert agri[year] == AGRI_PARK[year], year
        by_industry = [v[k] for v in AGRI_BY_INDUSTRY.values()]
        assert min(by_industry) < AGRI_PARK[year] < max(by_industry), year
    assert REVENUE[2025] >= 2 * REVENUE[2021] > max(REVENUE[y] for y in (2022, 2023, 2024))
    growth = {y: OUTPUT[y] / OUTPUT[y - 1] * 100 - 100 for y in (2023, 2024, 2025)}
    assert growth[2023] >= 20 and growth[2024] < 0 and growth[2025] >= 20, growth
    for y in (2023, 2024, 2025):
        assert year_to_date(REVENUE[y], REVENUE_H1[y])[11] == REVENUE[y]
        assert leading_share(y, 12) == LEADING_REVENUE_SHARE[y]


OUTCOMES = {
    "2025-12": {
        "met": ["revenue (1,302,000 ≥ 1,200,000)", "output_value 2023 (+23.0%)", "output_value 2025 (+25.0%)",
                "leading_fai_share 2023 (80.4)", "leading_revenue_share 2024 (88.2)", "polysilicon_capacity (250,000)",
                "party_demo_sites (2)", "unsupplied_land_disposal_rate 2023 (27.5)", "standard_land_share 2023 (22)",
                "standard_land_share 2025 (62)", "labor_productivity (52.3 > 45.8)", "land_output (163.8 > 146.2)",
                "foreign_trade (42,100 > 24,300)", "mgmt_restructure (2023-08)", "market_operation (2024-10)",
                "clusters_formed (2025-12)", "infrastructure_complete (2025-11)", "green_park (2025-10)"],
        "missed": ["output_value 2024 (−14.0%)", "idle_land_disposal_rate 2023 (25)", "standard_land_share 2024 (35)",
                   "agri_processing_rate (71.5)", "new_above_scale_firms (3+2+3 = 8)", "solar_cell_firms (0)",
                   "debt_resolution (96,000 / 105,000; overdue ZW06, ZW10)", "rd_intensity (0.81 < 0.85)",
                   "foreign_capital (780 < 1,850)", "plan_approval (done 2023-11, deadline 2023-09)",
                   "mechanism_complete (未完成)"],
    },
    "2024-06": {
        "met": ["output_value 2023", "leading_fai_share 2023", "leading_revenue_share 2024 (2024-06 monthly ≥ 50)",
                "unsupplied_land_disposal_rate 2023", "standard_land_share 2023", "mgmt_restructure"],
        "missed": ["idle_land_disposal_rate 2023", "plan_approval"],
        "on_track": ["revenue (2023 1,175,000: p 0.958 ≥ s 0.414, compound)",
                     "polysilicon_capacity (170,000: p 0.60 ≥ s 0.50)",
                     "party_demo_sites (1 in 2023: p 0.50 ≥ s 0.333)", "labor_productivity", "land_output",
                     "rd_intensity (0.88 > 0.85)", "foreign_trade"],
        "lagging": ["new_above_scale_firms (3/10 = 0.30 vs 0.333)", "agri_processing_rate (63: p 0.294 vs 0.333)",
                    "standard_land_share 2024 (22: p 0.429 vs 0.50)", "standard_land_share 2025 (22: p 0.262 vs 0.333)",
                    "debt_resolution (28,000/105,000 = 0.267 vs 30,000/105,000 = 0.286)"],
        "off_track": ["output_value 2024 (1-6月 −6.0%)", "solar_cell_firms (0)", "foreign_capital (1,420 < 1,850)"],
        "pending": ["output_value 2025", "market_operation", "mechanism_complete", "clusters_formed",
                    "infrastructure_complete", "green_park"],
    },
}


def main() -> None:
    check()
    OUT.mkdir(parents=True, exist_ok=True)
    made = [(make_annual(), "GBK (gb18030 bytes), CRLF", "long"),
            (make_milestones(), "UTF-8 BOM, CRLF", "long (milestones)"),
            (make_monthly(), "UTF-8 BOM, CRLF", "wide by period"),
            (make_debt(), "GBK (gb18030 bytes), CRLF", "debt ledger"),
            (make_enterprises(), "UTF-8, LF", "enterprise list"),
            (make_agri_industries(), "UTF-8 BOM, CRLF", "long (by industry)")]
    import make_sample_tasks  # the tasks' progress follows the indicators just written
    tasks = make_sample_tasks.main()
    made.append(((tasks, len(tasks.read_bytes().splitlines())), "UTF-8 BOM, CRLF", "tasks (one row per report)"))
    import make_sample_projects
    projects = make_sample_projects.main()
    made.append(((projects, len(projects.read_bytes().splitlines())), "UTF-8 BOM, CRLF", "projects (one per month)"))
    print(f"{'file':34} {'encoding':28} {'layout':18} lines")
    for (path, lines), encoding, layout in made:
        print(f"{path.name:34} {encoding:28} {layout:18} {lines}")
    print("\n公开来源（FACT）：通威一期5万吨（2021-12试生产，2022-08满负荷）、二期20万吨（2023-03-21开工），合计25万吨；"
          "硅旺新材料日产200-250吨工业硅颗粒（2022-04投产）。其余全部数值均为示例数据（虚构）。")
    for as_of, groups in OUTCOMES.items():
        print(f"\n预期状态 as of {as_of}:")
        for status, items in groups.items():
            print(f"  {status:9} {'; '.join(items)}")


if __name__ == "__main__":
    main()
