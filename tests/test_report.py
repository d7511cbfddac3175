"""The 终期评估 / 中期评估 report (.docx) from the sample data: reopened with python-docx, every goal carries the figures
`status --format json` gives, the sections come in the 公文's order, the format is GB/T 9704's (主送, 附注, the goal
table on landscape pages), dates and brackets are the 公文's, the words are the county's, no cell is a formula, and
the judgement is left to the office as marked places."""

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Length

from cnpark.outputs import evaluation as report
from cnpark.outputs.docx_doc import Document
from cnpark.outputs.evaluation_text import official
from cnpark.service.readings import Readings
from cnpark.service.uploads import ingest_bytes
from cnpark.store.snapshots import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
LABELS = {"met": "达标", "on_track": "正常推进", "lagging": "滞后", "off_track": "严重滞后", "missed": "未达标",
          "pending": "待完成", "no_data": "无数据"}
TASK_WORDS = {"done": "已完成", "in_progress": "推进中", "lagging": "滞后", "not_started": "未启动", "not_reported": "未报送"}
HEADINGS = ["一、基本情况", "二、目标完成情况", "三、主要任务完成情况", "四、重点项目", "五、债务化解", "六、存在的问题", "七、下一步打算"]
GOAL_HEADER = ["序号", "目标", "期限", "计划目标", "完成值", "完成情况", "是否完成", "条款", "责任单位"]
SAMPLE_NOTE = "示例数据：本报告使用演示用示例数据（虚构），并非官方统计。"
NBSP = "\u00a0"


def plain(text: str) -> str:
    """A cell or paragraph as read aloud: no-break spaces as spaces, a cell's line breaks as nothing."""
    return text.replace(NBSP, " ")


def flat(text: str) -> str:
    """Without any space or line break: how a table cell laid out in lines is compared with its figures."""
    return re.sub(r"\s", "", text)


def cnpark(store: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(store), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def make(store_dir: Path, catalog, as_of: str) -> dict:
    ev = report.gather(Readings(Store(store_dir), catalog, as_of))
    data = report.docx_bytes(ev)
    d = docx.Document(io.BytesIO(data))
    return {"ev": ev, "bytes": data, "doc": d, "paragraphs": [p for p in d.paragraphs],
            "text": "\n".join(plain(p.text) for p in d.paragraphs)}


@pytest.fixture(scope="module")
def final(demo_store, catalog):
    out = make(demo_store, catalog, "2025-12")
    out["targets"] = json.loads(cnpark(demo_store, "status", "--as-of", "2025-12", "--format", "json"))["targets"]
    out["tasks"] = json.loads(cnpark(demo_store, "tasks", "--as-of", "2025-12", "--format", "json"))["tasks"]
    out["projects"] = json.loads(cnpark(demo_store, "projects", "--as-of", "2025-12", "--format", "json"))
    return out


@pytest.fixture(scope="module")
def interim(demo_store, catalog):
    out = make(demo_store, catalog, "2024-06")
    out["targets"] = json.loads(cnpark(demo_store, "status", "--as-of", "2024-06", "--format", "json"))["targets"]
    return out


# ------------------------------------------------------------------------------------ figures, worked out here

def figure(v: float, unit: str, decimals: int | None = None) -> str:
    """Thousands grouped; one decimal for % and the per-person / per-mu figures, none for amounts and counts, unless
    the catalog sets the target's own; % stuck to the number, other units after a space."""
    d = decimals if decimals is not None else (1 if unit in ("%", "万元/人", "万元/亩") else 0)
    text = f"{v:,.{d}f}"
    return f"{text}%" if unit == "%" else f"{text} {unit}"


def plan_figure(v: float, unit: str) -> str:
    text = f"{v:,.0f}" if float(v).is_integer() else f"{v:g}"
    return f"{text}%" if unit == "%" else f"{text} {unit}"


def year_or_month(month: str) -> str:
    """A deadline as a 公文 writes it: 2025年 (by the year's end), 2023年9月."""
    return f"{month[:4]}年" if month[5:] == "12" else f"{month[:4]}年{int(month[5:])}月"


def in_words(month: str) -> str:
    return f"{month[:4]}年{int(month[5:])}月"


def clause_words(clause: str) -> str:
    """The catalog's '(二)体制机制创新工程 · 第4条' as the report writes it: '（二）体制机制创新工程第4条'."""
    return clause.replace(" · ", "").replace("(", "（").replace(")", "）")


def plan_name(catalog) -> str:
    """《云南…(2023-2025年)》 as a 公文 writes it: full-width brackets, the years' range with a dash."""
    return catalog.name.replace("(", "（").replace(")", "）").replace("2023-2025", "2023—2025")


def expected_row(t: dict, catalog, as_of: str) -> list[str]:
    target = catalog[t["code"]]
    d = target.decimals
    if target.kind == "milestone":
        planned = f"{in_words(t['deadline'])}前完成"
        actual = f"已完成（{in_words(t['period'])}）" if t["actual"] == 1 else "未完成"
        done = "—"
    elif target.rule == "improve":
        planned = f"较基期提升（基期 {figure(t['target'], t['unit'], d)}，2022年）"     # the plan starts 2022-12
        actual = t["actual"] is not None and figure(t["actual"], t["unit"], d)
        if t["unit"] == "%":            # a rate reads in points: 0.81 − 0.85 → 下降 0.04 个百分点
            points = t["actual"] - t["target"]
            done = f"较基期{'提升' if points > 0 else '下降'} {abs(points):.{d if d is not None else 1}f} 个百分点"
        else:
            change = t["actual"] / t["target"] - 1
            done = f"较基期{'提升' if change > 0 else '下降'} {abs(change) * 100:.1f}%"
    else:
        if target.rule == "growth":
            planned = f"同比增长 ≥ {plan_figure(t['target'], '%')}"
            actual = t["actual"] and f"{'增长' if t['actual'] > 0 else '下降'} {abs(t['actual']):.1f}%"  # no sign
        else:
            planned = ("累计化解 ≥ " if target.rule == "debt" else "≥ ") + plan_figure(t["target"], t["unit"])
            actual = t["actual"] is not None and figure(t["actual"], t["unit"], d)
        if t["unit"] == "%" and t["actual"] is not None:    # a rate: how far past or short of its threshold, in points
            points = t["actual"] - t["target"]
            done = f"超额 {points:.1f} 个百分点" if points > 0.05 else (f"差 {-points:.1f} 个百分点" if points < -0.05
                                                                         else "恰好达到目标")
            if t["status"] == "pending":
                done = "—"
        else:                           # an amount: completion to one decimal
            done = t["completion"] is not None and f"{t['completion'] * 100:.1f}%"
    if t["actual"] is None:             # nothing to show yet: 无数据 where nothing can be judged, else a dash
        actual = "无数据" if t["status"] == "no_data" else "—"
    elif target.kind != "milestone" and t["period"] != min(t["deadline"], as_of):    # a figure of another period
        actual += f"（{year_or_month(t['period'])}）"
    if t["completion"] is None or t["actual"] is None:
        done = "—"
    if as_of < t["deadline"]:
        verdict = LABELS[t["status"]]
    else:
        verdict = "逾期完成" if t.get("late") else {"met": "是", "missed": "否", "no_data": "无数据"}[t["status"]]
    return [t["name"], year_or_month(t["deadline"]), planned, actual, done, verdict, clause_words(t["clause"]),
            "、".join(target.departments)]


def table_after(doc, header: list[str]):
    return next(t for t in doc.tables if [flat(c.text) for c in t.rows[0].cells] == header)


def table_sections(doc) -> list[int]:
    """The index of the section each table is in (a paragraph holding a w:sectPr ends a section)."""
    out, index = [], 0
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:tbl"):
            out.append(index)
        elif child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            index += 1
    return out


def section(paragraphs, heading: str) -> list[str]:
    """The paragraphs' texts under a 一级 heading, up to the next."""
    start = next(i for i, p in enumerate(paragraphs) if p.text == heading)
    end = next((i for i in range(start + 1, len(paragraphs)) if paragraphs[i].style.name == "Heading 1"),
               len(paragraphs))
    return [p.text for p in paragraphs[start + 1:end]]


# ------------------------------------------------------------------------------------ content

def test_every_goal_has_the_figures_the_status_command_gives(final, catalog):
    rows = table_after(final["doc"], GOAL_HEADER).rows[1:]
    assert len(rows) == len(final["targets"]) == 29
    for i, (row, t) in enumerate(zip(rows, final["targets"]), 1):
        cells = [flat(c.text) for c in row.cells]
        assert cells == [flat(v) for v in [str(i), *expected_row(t, catalog, "2025-12")]], t["name"]


def test_a_figure_of_another_period_says_its_own(interim, catalog):
    """2024-06: the year's flows are judged on 2023's full year, and the table says so."""
    rows = {(r.cells[1].text, r.cells[2].text): flat(r.cells[4].text)
            for r in table_after(interim["doc"], GOAL_HEADER).rows[1:]}
    revenue = next(t for t in interim["targets"] if t["code"] == "revenue")
    assert revenue["period"] == "2023-12"
    assert rows[("营业收入", "2025年")] == flat(f"{revenue['actual']:,.0f} 万元（2023年）")
    for t in interim["targets"]:
        assert flat(expected_row(t, catalog, "2024-06")[3]) in rows.values()


def test_the_interim_report_says_so_and_judges_future_goals_by_their_status(interim, catalog):
    ev = interim["ev"]
    assert report.title(ev) == f"{plan_name(catalog)}中期评估报告（截至2024年6月）"
    assert report.file_name(ev) == "中期评估报告_2024-06.docx"
    assert interim["paragraphs"][0].text.replace("\n", "") == report.title(ev)
    rows = table_after(interim["doc"], GOAL_HEADER).rows[1:]
    verdicts = [row.cells[6].text for row in rows]
    assert verdicts == [expected_row(t, catalog, "2024-06")[5] for t in interim["targets"]]
    # 2024-06: the 2023 goals are judged 是 / 否; a goal due 2025 that keeps up with 序时进度 says 正常推进
    assert {"是", "否"} <= set(verdicts) and "正常推进" in verdicts and "待完成" in verdicts


def test_the_final_title_and_file_name(final, catalog):
    ev = final["ev"]
    assert report.title(ev) == f"{plan_name(catalog)}终期评估报告"
    assert report.file_name(ev) == "终期评估报告_2025-12.docx"
    assert final["paragraphs"][0].style.name == "公文标题"
    assert final["paragraphs"][0].text.replace("\n", "") == report.title(ev)


def test_headings_come_in_the_order_of_the_report(final):
    paragraphs = final["paragraphs"]
    assert [p.text for p in paragraphs if p.style.name == "Heading 1"] == HEADINGS
    goals = section(paragraphs, "二、目标完成情况")
    assert [t for t in goals if re.match(r"^（[一二三四五六七八九十]+）", t)] == \
        ["（一）总体情况", "（二）目标完成情况表", "（三）年度目标", "（四）里程碑", "（五）方向性目标"]
    # yearly targets of the sample: 工业总产值 and 标准地出让占比, as 三级 headings
    assert [p.text for p in paragraphs if p.style.name == "Heading 3"] == ["1. 工业总产值", "2. 标准地出让占比"]
    for level in (1, 2, 3):    # named heading styles with an outline level: the navigation pane lists them
        style = final["doc"].styles[f"Heading {level}"].element
        assert style.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}").get(qn("w:val")) == str(level - 1)


def test_basic_facts_name_the_plan_the_period_and_the_data(final, interim, catalog):
    text = plain("".join(section(final["paragraphs"], "一、基本情况")))
    assert f"《{plan_name(catalog)}》（以下简称《行动计划》）" in text
    assert "计划期为2023年1月至2025年12月" in text and "昌宁县发改局于2023年10月20日发布" in text
    assert "本报告数据截至2025年12月，由园区各责任单位报送。" in text            # every goal due: no 序时进度
    assert "本报告数据截至2024年6月，由园区各责任单位报送；未到期目标按序时进度判定。" in interim["text"]
    targets = final["targets"]
    met = sum(t["status"] == "met" for t in targets)
    missed = sum(t["status"] == "missed" for t in targets)
    late = sum(bool(t.get("late")) for t in targets)
    assert met + missed == len(targets)          # the plan has ended: every goal is judged (the sample has data)
    # one name for what is counted: a 目标 is a goal (code × deadline), 29 in the sample, as the dashboard says;
    # the targets with a goal a year are named from the catalog's data
    yearly = [t["name"] for t in targets if sum(u["code"] == t["code"] for u in targets) > 1]
    assert yearly[:1] == ["工业总产值"] and len(targets) == 29
    assert (f"《行动计划》共设29项目标（其中{'、'.join(dict.fromkeys(yearly))}按年度分设）；截至2025年12月，"
            f"达标{met}项、未达标{missed}项（其中逾期完成{late}项）。") in text
    assert "考核节点" not in final["text"]


def test_the_recipient_under_the_title_and_the_data_version_in_a_note(final, demo_store, catalog):
    paragraphs = final["paragraphs"]
    # 四、保障措施 (一): "成立昌宁产业园区振兴三年行动计划工作领导小组"
    assert catalog.recipient == "昌宁产业园区振兴三年行动计划工作领导小组"
    recipient = paragraphs[2]                                         # title, the sample's notice, then 主送
    assert recipient.text == "昌宁产业园区振兴三年行动计划工作领导小组：" and recipient.style.name == "主送"
    assert recipient.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert recipient.style.paragraph_format.first_line_indent.pt == 0          # flush left, GB/T 9704 7.3.2
    assert paragraphs[3].text == "一、基本情况"
    last = json.loads((demo_store / "manifest.jsonl").read_text().splitlines()[-1])
    day = last["uploaded_at"][:10]
    assert paragraphs[-2].style.name == "落款"                              # 附注 under the signature
    assert paragraphs[-1].text == f"（数据版本：{last['id']}，{day[:4]}年{int(day[5:7])}月{int(day[8:10])}日上传）"


def test_the_county_words_not_ours(final):
    texts = [final["text"]] + [c.text for t in final["doc"].tables for r in t.rows for c in r.cells]
    for word in ("监测平台", "数据仓库", "快照", "系统", "入库", "数据上传", "考核节点", "页面"):
        assert not [t for t in texts if word in t], word


def test_dates_brackets_and_colons_as_a_gongwen_writes_them(final, interim):
    """Every paragraph and cell: no 2024-08, no 2023 年 11 月, no half-width bracket or colon in Chinese text."""
    for made in (final, interim):
        texts = [p.text for p in made["paragraphs"]] + [c.text for t in made["doc"].tables for r in t.rows
                                                        for c in r.cells]
        for text in texts:
            assert not re.search(r"\d{4}-\d{2}", text), text
            assert not re.search(r"\d\s+[年月日]|[年月]\s+\d", text), text
            assert not re.search(r"[(:][\u4e00-\u9fff]|[\u4e00-\u9fff][):]|\([^)]*[\u4e00-\u9fff][^)]*\)", text), text
    stalled = table_after(final["doc"], ["责任单位", "项目", "阶段", "停滞原因", "自何时起"]).rows[1:]
    reasons = [r.cells[3].text for r in stalled]      # projects.py writes '（自 2023-11）'; the report '（自2023年11月）'
    assert any(re.search(r"（自\d{4}年\d{1,2}月）", r) for r in reasons), reasons
    milestones = table_after(final["doc"], ["序号", "里程碑", "期限", "完成时间", "完成情况", "条款"]).rows[1:]
    assert flat(milestones[0].cells[5].text) == "（三）规划布局优化工程第5条"


def test_a_figure_is_bound_to_its_unit_and_sign(final):
    rows = table_after(final["doc"], GOAL_HEADER).rows[1:]
    assert rows[0].cells[3].text == f"≥{NBSP}1,200,000{NBSP}万元" and rows[0].cells[4].text == f"1,302,000{NBSP}万元"
    debt = next(r for r in rows if r.cells[1].text == "园区债务化解进度")
    assert debt.cells[3].text == f"累计化解\n≥{NBSP}105,000{NBSP}万元"          # a line may end before ≥, not after
    assert f"超额{NBSP}60.4{NBSP}个百分点" in [r.cells[5].text for r in rows]


def test_the_sample_note_is_right_under_the_title(final):
    assert final["paragraphs"][1].text == SAMPLE_NOTE
    assert final["paragraphs"][1].style.font.bold is True
    assert SAMPLE_NOTE in section(final["paragraphs"], "一、基本情况")


def test_milestones_and_direction_goals(final):
    doc = final["doc"]
    milestones = {r.cells[1].text: [flat(c.text) for c in r.cells[2:5]]
                  for r in table_after(doc, ["序号", "里程碑", "期限", "完成时间", "完成情况", "条款"]).rows[1:]}
    # sample: 规划环评 due 2023-09, done 2023-11 (late); 管理运营体制机制全面完善 not done by 2025-12
    assert milestones["规划环评及总体规划审批"] == ["2023年9月", "2023年11月", "逾期完成"]
    assert milestones["园区管理机构优化调整"] == ["2023年12月", "2023年8月", "按期完成"]
    assert milestones["管理运营体制机制全面完善"] == ["2025年12月", "—", "未完成"]
    directions = table_after(doc, ["序号", "目标", "基期", "基期值", "最新期", "最新值", "变化", "判断"]).rows[1:]
    judged = {r.cells[1].text: (r.cells[2].text, r.cells[4].text, r.cells[7].text) for r in directions}
    for t in final["targets"]:
        if t["code"] in ("labor_productivity", "land_output", "rd_intensity", "foreign_trade", "foreign_capital"):
            assert judged[t["name"]] == ("2022年", "2025年", "提升" if t["actual"] > t["target"] else "未提升")


def test_tasks_are_listed_by_section_with_every_unit(final):
    text = section(final["paragraphs"], "三、主要任务完成情况")
    counts = {w: sum(TASK_WORDS[t["status"]] == w for t in final["tasks"]) for w in TASK_WORDS.values()}
    assert "、".join(f"{w}{n}条" for w, n in counts.items() if n) in text[0]
    rows = {r.cells[0].text: [flat(c.text) for c in r.cells[1:]] for t in final["doc"].tables
            if [flat(c.text) for c in t.rows[0].cells] == ["任务", "状态", "各责任单位（状态）"] for r in t.rows[1:]}
    assert len(rows) == 21
    for t in final["tasks"]:
        since = f"（自{t['since'][:4]}年{int(t['since'][5:])}月）" if t.get("since") else ""
        units = "、".join(f"{u['unit']}（{TASK_WORDS[u['status']]}）" for u in t["units"])
        assert rows[f"第{t['number']}条 {t['title']}"] == [flat(TASK_WORDS[t["status"]] + since), flat(units)]
    sections = [s for s in text if re.match(r"^（[一二三四五六七]）", s)]
    assert sections[0] == "（一）党建质量提升工程" and sections[-1] == "（七）要素保障强化工程" and len(sections) == 7


def test_projects_show_the_four_rates_and_the_stalled(final):
    p = final["projects"]
    rows = {r.cells[0].text: [flat(c.text) for c in r.cells[1:]] for r in
            table_after(final["doc"], ["比率", "截至2025年12月", "上年同期", "变化", "门槛"]).rows[1:]}
    for key, name in {"landing": "落地率", "start": "开工率", "funding": "资金到位率", "investment": "年度投资完成率"}.items():
        now, before = p["rates"][key], p["year_before"][key]
        points = round((now - before) * 100, 1)
        change = "持平" if points == 0 else f"{'提高' if points > 0 else '下降'} {abs(points):.1f} 个百分点"
        assert rows[name][:3] == [f"{now:.1%}", f"{before:.1%}", flat(change)], name
    text = plain("".join(section(final["paragraphs"], "四、重点项目")))
    assert "、".join(f"{s}{n}个" for s, n in p["stages"].items()) in text
    assert f"停滞项目{len(p['stalled'])}个" in text
    stalled = table_after(final["doc"], ["责任单位", "项目", "阶段", "停滞原因", "自何时起"]).rows[1:]
    assert sorted(plain(r.cells[1].text) for r in stalled) == sorted(f"{s['id']} {s['name']}" for s in p["stalled"])


def test_debt_figures_and_overdue_items(final):
    debt = next(t for t in final["targets"] if t["code"] == "debt_resolution")
    text = plain("".join(section(final["paragraphs"], "五、债务化解")))
    assert (f"累计化解 ≥ {debt['target']:,.0f} 万元，截至2025年12月累计化解{debt['actual']:,.0f} 万元，"
            f"完成率{debt['completion'] * 100:.1f}%，{LABELS[debt['status']]}") in text
    assert f"逾期债务{len(debt.get('overdue', []))}笔" in text


def test_problems_and_plans_are_left_to_the_office(final):
    paragraphs = final["paragraphs"]
    for heading in ("六、存在的问题", "七、下一步打算"):
        start = next(i for i, p in enumerate(paragraphs) if p.text == heading)
        place = paragraphs[start + 1]
        assert place.text.startswith("【请填写：") and place.text.endswith("】")
        assert place.runs and all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in place.runs)
    facts = "".join(section(paragraphs, "六、存在的问题"))
    assert "以下为数据反映的未完成事项，供撰写参考" in facts
    for t in final["targets"]:                 # each goal not met is listed as a fact, the others are not
        assert (f"{t['name']}（期限{t['deadline'][:4]}年{int(t['deadline'][5:])}月）" in facts) == (t["status"] != "met")
    plans = section(paragraphs, "七、下一步打算")
    assert len(plans) == 3 and plans[1].startswith("【请填写：")          # the hint and the 落款 place, nothing written
    assert plans[2].startswith("（数据版本：")                             # and the 附注


def test_no_english_word_reaches_the_reader(final):
    texts = [final["text"]] + [c.text for t in final["doc"].tables for r in t.rows for c in r.cells]
    words = {w for text in texts for w in re.findall(r"[A-Za-z]{3,}", text)}
    assert not words, words


# ------------------------------------------------------------------------------------ format

def test_page_is_a4_with_the_gbt_9704_margins(final):
    s = final["doc"].sections[0]
    assert (round(s.page_width.cm, 2), round(s.page_height.cm, 2)) == (21.0, 29.7)
    assert [round(m.cm, 2) for m in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == \
        [3.7, 3.5, 2.8, 2.6]


def test_the_goal_table_is_on_landscape_pages_and_the_report_turns_back(final):
    doc = final["doc"]
    goals = table_after(doc, GOAL_HEADER)
    index = dict(zip([t._tbl for t in doc.tables], table_sections(doc)))[goals._tbl]
    s = doc.sections[index]
    assert s.orientation == WD_ORIENT.LANDSCAPE and s.start_type == WD_SECTION.NEW_PAGE
    assert (round(s.page_width.cm, 2), round(s.page_height.cm, 2)) == (29.7, 21.0)
    # the portrait page turned with its head to the binding edge: its left margin on top, its top margin on the right
    assert [round(m.cm, 2) for m in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == \
        [2.8, 2.6, 3.5, 3.7]
    assert s.footer.is_linked_to_previous                          # the same page number, counting on
    after = doc.sections[index + 1]
    assert after.orientation == WD_ORIENT.PORTRAIT and round(after.page_width.cm, 2) == 21.0
    assert [round(m.cm, 2) for m in (after.top_margin, after.left_margin)] == [3.7, 2.8]
    caption = goals._tbl.getprevious()                  # the caption on the landscape page, the portrait one ends before
    assert plain("".join(t.text for t in caption.iter(qn("w:t")))) == "表1 目标完成情况" and caption.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is None
    assert caption.getprevious().find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None


def test_faces_sizes_and_the_font_table_fallbacks(final):
    styles = final["doc"].styles
    # each run names "the installed stand-in;the government face": LibreOffice takes the first family it has, Word and
    # WPS (no font has that name) the font table's alternate name
    serif, sans = "Noto Serif CJK SC", "Noto Sans CJK SC"
    for name, face, size in (("Normal", f"{serif};仿宋_GB2312", 16), ("公文标题", f"{serif};方正小标宋简体", 22),
                             ("Heading 1", f"{sans};黑体", 16), ("Heading 2", f"{serif};楷体_GB2312", 16),
                             ("表格文字", f"{serif};仿宋_GB2312", 10.5), ("表头", f"{sans};黑体", 10.5)):
        fonts = styles[name].element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert [fonts.get(qn(f"w:{a}")) for a in ("eastAsia", "ascii", "hAnsi")] == [face] * 3, name
        assert styles[name].font.size.pt == size, name
    body = styles["Normal"].paragraph_format
    assert body.line_spacing.pt == 28 and body.first_line_indent.pt == 32          # fixed 28 pt, 2 characters
    with zipfile.ZipFile(io.BytesIO(final["bytes"])) as z:
        fonts = z.read("word/fontTable.xml").decode()
    for face, stand_in in (("方正小标宋简体", serif), ("仿宋_GB2312", serif), ("黑体", sans), ("楷体_GB2312", serif),
                           ("宋体", serif)):
        assert re.search(rf'<w:font w:name="{stand_in};{face}"><w:altName w:val="{face}"/>', fonts), face
        assert len(f"{stand_in};{face}") <= 31          # Word keeps at most 31 characters of a font's name


def test_every_table_repeats_its_header_and_fits_the_page(final):
    tables = final["doc"].tables
    assert len(tables) >= 10
    for t in tables:
        rows = t._tbl.tr_lst
        assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert all(r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows)
        assert all(r.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None for r in rows[1:])
        assert t._tbl.tblPr.find(qn("w:tblBorders")) is not None
    for t, index in zip(tables, table_sections(final["doc"])):
        section = final["doc"].sections[index]
        widths = [int(g.get(qn("w:w"))) for g in t._tbl.tblGrid.findall(qn("w:gridCol"))]
        text = Length(section.page_width - section.left_margin - section.right_margin)
        assert sum(widths) <= text.twips + 10       # A4 less the margins: 15.6 cm, or 22.5 cm turned to landscape


def test_no_cell_is_a_formula_and_no_field_in_a_table(final):
    for t in final["doc"].tables:
        for r in t.rows:
            for c in r.cells:
                assert not c.text.lstrip().startswith(("=", "+", "-", "@")), c.text
    for tbl in final["doc"].element.body.iter(qn("w:tbl")):
        assert not list(tbl.iter(qn("w:instrText"))) and not list(tbl.iter(qn("w:fldSimple")))
    # the sample's output value fell 14 % in 2024 (file 01): written in words, not as -14.0%
    output = [r.cells[4].text for r in table_after(final["doc"], GOAL_HEADER).rows[1:] if r.cells[1].text == "工业总产值"]
    assert [plain(o) for o in output] == ["增长 23.0%", "下降 14.0%", "增长 25.0%"]


def test_hostile_cells_are_written_as_text():
    doc = Document("测试")
    cells = ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", " =1", "\t=2"]
    doc.table("测试", cells, [cells], [2.6] * 6)
    got = [c.text for c in docx.Document(io.BytesIO(doc.bytes())).tables[0].rows[1].cells]
    assert got == ["＝HYPERLINK(\"x\")", "＋1", "−2", "＠SUM(A1)", "＝1", "＝2"]


def test_the_footer_is_a_page_number_between_dashes(final):
    footer = final["doc"].sections[0].footer.paragraphs[0]
    items = [(el.tag, el.text or el.get(qn("w:fldCharType"))) for el in footer._p.iter()
             if el.tag in (qn("w:t"), qn("w:instrText"), qn("w:fldChar"))]
    assert items == [(qn("w:t"), "— "), (qn("w:fldChar"), "begin"), (qn("w:instrText"), " PAGE "),
                     (qn("w:fldChar"), "separate"), (qn("w:t"), "1"), (qn("w:fldChar"), "end"), (qn("w:t"), " —")]
    assert footer.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert footer.style.font.size.pt == 14


# ------------------------------------------------------------------------------------ other stores

def test_a_store_with_only_indicators_says_what_was_not_uploaded(tmp_path, catalog):
    store = Store(tmp_path / "store")
    files = sorted(p for p in SAMPLE.iterdir() if p.name[:2] in {f"{i:02d}" for i in range(1, 8)})
    assert [p.name[:2] for p in files] == ["01", "02", "03", "05", "06", "07"]
    for path in files:
        result, entry = ingest_bytes(store, catalog, path.read_bytes(), path.name)
        assert entry is not None, [str(p) for p in result.problems[:3]]
    made = make(tmp_path / "store", catalog, "2025-12")
    paragraphs = made["paragraphs"]
    assert section(paragraphs, "三、主要任务完成情况") == [
        "截至2025年12月，未收到各责任单位报送的重点工作进展，无法评估主要任务完成情况。"]
    assert section(paragraphs, "四、重点项目") == ["截至2025年12月，未收到重点项目台账，无法评估重点项目推进情况。"]
    assert [p.text for p in paragraphs if p.style.name == "Heading 1"] == HEADINGS
    assert SAMPLE_NOTE not in made["text"]          # ingested as ordinary uploads: not marked as sample data


def test_the_report_command_writes_the_document(demo_store, tmp_path, catalog):
    out = tmp_path / "终期评估.docx"
    said = cnpark(demo_store, "report", "--as-of", "2025-12", "--out", str(out))
    assert out.exists(), said
    d = docx.Document(out)
    assert d.paragraphs[0].text.replace("\n", "") == f"{plan_name(catalog)}终期评估报告"
    assert [p.text for p in d.paragraphs if p.style.name == "Heading 1"] == HEADINGS


# ------------------------------------------------------------------------------------ the rules, on their own

@pytest.mark.parametrize("text, written", [
    ("计划 2024-08 开工，至今未开工", "计划2024年8月开工，至今未开工"),                 # projects.py's words
    ("处于在建阶段已 25 个月（自 2023-11）", f"处于在建阶段已{NBSP}25{NBSP}个月（自2023年11月）"),
    ("2023 年 11 月", "2023年11月"),
    ("到期日 2025-06-30", "到期日2025年6月30日"),
    ("云南昌宁产业园区振兴三年行动计划(2023-2025年)", "云南昌宁产业园区振兴三年行动计划（2023—2025年）"),
    ("(四)主导产业聚集工程", "（四）主导产业聚集工程"),
    ("单位:万元", "单位：万元"),
    ("累计化解 ≥ 105,000 万元", f"累计化解 ≥{NBSP}105,000{NBSP}万元"),              # a line may end before ≥ only
    ("XM2024-08 项目", f"XM2024-08{NBSP}项目"),                                   # an id is not a month
    ('=HYPERLINK("x")', '=HYPERLINK("x")'),                                        # no Chinese: left as it is
    ("01:44", "01:44"),
])
def test_official_writes_dates_brackets_and_figures_as_a_gongwen(text, written):
    assert official(text) == written


def test_a_value_cell_is_laid_out_in_whole_pieces():
    from cnpark.outputs.docx_layout import column_ems, lines, pieces, text_em
    assert text_em("2023年9月") == 4 * 0.6 + 1 + 0.6 + 1 + 3 * 0.25           # three turns between Chinese and digits
    assert [p for p, _ in pieces(f"累计化解 ≥{NBSP}105,000{NBSP}万元")] == ["累计化解", f"≥{NBSP}105,000{NBSP}万元"]
    assert [p for p, _ in pieces("已完成（2023年11月）")] == ["已完成", "（2023年11月）"]
    assert lines(f"累计化解 ≥{NBSP}105,000{NBSP}万元", 9) == ["累计化解", f"≥{NBSP}105,000{NBSP}万元"]
    assert lines(f"累计化解 ≥{NBSP}105,000{NBSP}万元", 20) == [f"累计化解 ≥{NBSP}105,000{NBSP}万元"]
    assert lines("已完成（2023年11月）", 3) == ["已完成", "（2023年11月）"]            # a wider piece stays whole
    # 期限 (nowrap) is as wide as "2023年9月" (5.75) and the cell padding (0.8); 目标 (wraps) takes the rest: 20 − 6.55
    assert column_ems(["目标", "期限"], [["营业收入", "2023年9月"]], [1, 0], {1}, 20) == pytest.approx([13.45, 6.55])
    assert column_ems(["目标", "期限"], [["营业收入", "2023年9月"]], [1, 0], {1}, 8) is None     # does not fit
