"""The 终期评估 / 中期评估 report (.docx) from the sample data: reopened with python-docx, every goal carries the figures
`status --format json` gives, the sections come in the 公文's order, the format is GB/T 9704's, no cell is a formula,
and the judgement is left to the office as marked places."""

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn

from cnpark import report
from cnpark.docx_doc import Document
from cnpark.service import ingest_bytes
from cnpark.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
LABELS = {"met": "达标", "on_track": "正常推进", "lagging": "滞后", "off_track": "严重滞后", "missed": "未达标",
          "pending": "待完成", "no_data": "无数据"}
TASK_WORDS = {"done": "已完成", "in_progress": "推进中", "lagging": "滞后", "not_started": "未启动", "not_reported": "未报送"}
HEADINGS = ["一、基本情况", "二、目标完成情况", "三、主要任务完成情况", "四、重点项目", "五、债务化解", "六、存在的问题", "七、下一步打算"]
GOAL_HEADER = ["序号", "目标", "期限", "计划目标", "完成值", "完成情况", "是否完成", "条款", "责任单位"]
SAMPLE_NOTE = "示例数据：本报告使用演示用示例数据（虚构），并非官方统计。"


def cnpark(store: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(store), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def make(store_dir: Path, catalog, as_of: str) -> dict:
    ev = report.gather(Store(store_dir), catalog, as_of)
    data = report.docx_bytes(ev)
    d = docx.Document(io.BytesIO(data))
    return {"ev": ev, "bytes": data, "doc": d, "paragraphs": [p for p in d.paragraphs],
            "text": "\n".join(p.text for p in d.paragraphs)}


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


def expected_row(t: dict, catalog, as_of: str) -> list[str]:
    target = catalog[t["code"]]
    d = target.decimals
    if target.kind == "milestone":
        planned = f"{t['deadline']} 前完成"
        actual = f"已完成（{t['period']}）" if t["actual"] == 1 else "未完成"
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
    if t["completion"] is None or t["actual"] is None:
        done = "—"
    if as_of < t["deadline"]:
        verdict = LABELS[t["status"]]
    else:
        verdict = "逾期完成" if t.get("late") else {"met": "是", "missed": "否", "no_data": "无数据"}[t["status"]]
    return [t["name"], year_or_month(t["deadline"]), planned, actual, done, verdict, t["clause"],
            "、".join(target.departments)]


def table_after(doc, header: list[str]):
    return next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == header)


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
        cells = [c.text for c in row.cells]
        assert cells == [str(i), *expected_row(t, catalog, "2025-12")], t["name"]


def test_the_interim_report_says_so_and_judges_future_goals_by_their_status(interim, catalog):
    ev = interim["ev"]
    assert report.title(ev) == f"{catalog.name}中期评估报告（截至 2024-06）"
    assert report.file_name(ev) == "中期评估报告_2024-06.docx"
    assert interim["paragraphs"][0].text.replace("\n", "") == report.title(ev)
    rows = table_after(interim["doc"], GOAL_HEADER).rows[1:]
    verdicts = [row.cells[6].text for row in rows]
    assert verdicts == [expected_row(t, catalog, "2024-06")[5] for t in interim["targets"]]
    # 2024-06: the 2023 goals are judged 是 / 否; a goal due 2025 that keeps up with 序时进度 says 正常推进
    assert {"是", "否"} <= set(verdicts) and "正常推进" in verdicts and "待完成" in verdicts


def test_the_final_title_and_file_name(final, catalog):
    ev = final["ev"]
    assert report.title(ev) == f"{catalog.name}终期评估报告"
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


def test_basic_facts_name_the_plan_the_period_and_the_data(final, demo_store):
    text = "".join(section(final["paragraphs"], "一、基本情况"))
    last = json.loads((demo_store / "manifest.jsonl").read_text().splitlines()[-1])
    assert "计划期为2023年1月至2025年12月" in text and "昌宁县发改局于2023年10月20日发布" in text
    assert f"数据快照 {last['id']}（{last['uploaded_at'][:16].replace('T', ' ')} 入库）" in text
    assert "截至2025年12月" in text
    targets = final["targets"]
    met = sum(t["status"] == "met" for t in targets)
    missed = sum(t["status"] == "missed" for t in targets)
    late = sum(bool(t.get("late")) for t in targets)
    assert met + missed == len(targets)          # the plan has ended: every goal is judged (the sample has data)
    assert (f"共设{len({t['code'] for t in targets})}项目标、{len(targets)}个考核节点；截至2025年12月，"
            f"达标{met}个、未达标{missed}个（其中逾期完成{late}个）。") in text


def test_the_sample_note_is_right_under_the_title(final):
    assert final["paragraphs"][1].text == SAMPLE_NOTE
    assert final["paragraphs"][1].style.font.bold is True
    assert SAMPLE_NOTE in section(final["paragraphs"], "一、基本情况")


def test_milestones_and_direction_goals(final):
    doc = final["doc"]
    milestones = {r.cells[1].text: [c.text for c in r.cells[2:5]]
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
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for t in final["doc"].tables
            if [c.text for c in t.rows[0].cells] == ["任务", "状态", "各责任单位（状态）"] for r in t.rows[1:]}
    assert len(rows) == 21
    for t in final["tasks"]:
        since = f"（自{t['since'][:4]}年{int(t['since'][5:])}月）" if t.get("since") else ""
        units = "、".join(f"{u['unit']}（{TASK_WORDS[u['status']]}）" for u in t["units"])
        assert rows[f"第{t['number']}条 {t['title']}"] == [TASK_WORDS[t["status"]] + since, units]
    sections = [s for s in text if re.match(r"^（[一二三四五六七]）", s)]
    assert sections[0] == "（一）党建质量提升工程" and sections[-1] == "（七）要素保障强化工程" and len(sections) == 7


def test_projects_show_the_four_rates_and_the_stalled(final):
    p = final["projects"]
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in
            table_after(final["doc"], ["比率", "截至2025年12月", "上年同期", "变化", "门槛"]).rows[1:]}
    for key, name in {"landing": "落地率", "start": "开工率", "funding": "资金到位率", "investment": "年度投资完成率"}.items():
        now, before = p["rates"][key], p["year_before"][key]
        points = round((now - before) * 100, 1)
        change = "持平" if points == 0 else f"{'提高' if points > 0 else '下降'} {abs(points):.1f} 个百分点"
        assert rows[name][:3] == [f"{now:.1%}", f"{before:.1%}", change], name
    text = "".join(section(final["paragraphs"], "四、重点项目"))
    assert "、".join(f"{s}{n}个" for s, n in p["stages"].items()) in text
    assert f"停滞项目{len(p['stalled'])}个" in text
    stalled = table_after(final["doc"], ["责任单位", "项目", "阶段", "停滞原因", "自何时起"]).rows[1:]
    assert sorted(r.cells[1].text for r in stalled) == sorted(f"{s['id']} {s['name']}" for s in p["stalled"])


def test_debt_figures_and_overdue_items(final):
    debt = next(t for t in final["targets"] if t["code"] == "debt_resolution")
    text = "".join(section(final["paragraphs"], "五、债务化解"))
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
    assert len(plans) == 2 and plans[1].startswith("【请填写：")          # the hint and the 落款 place, nothing written


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


def test_faces_sizes_and_the_font_table_fallbacks(final):
    styles = final["doc"].styles
    for name, face, size in (("Normal", "仿宋_GB2312", 16), ("公文标题", "方正小标宋简体", 22), ("Heading 1", "黑体", 16),
                             ("Heading 2", "楷体_GB2312", 16), ("表格文字", "仿宋_GB2312", 10.5)):
        fonts = styles[name].element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert [fonts.get(qn(f"w:{a}")) for a in ("eastAsia", "ascii", "hAnsi")] == [face] * 3, name
        assert styles[name].font.size.pt == size, name
    body = styles["Normal"].paragraph_format
    assert body.line_spacing.pt == 28 and body.first_line_indent.pt == 32          # fixed 28 pt, 2 characters
    with zipfile.ZipFile(io.BytesIO(final["bytes"])) as z:
        fonts = z.read("word/fontTable.xml").decode()
    for face, alt in (("方正小标宋简体", "Noto Serif CJK SC"), ("仿宋_GB2312", "Noto Serif CJK SC"),
                      ("黑体", "Noto Sans CJK SC"), ("楷体_GB2312", "Noto Serif CJK SC"), ("宋体", "Noto Serif CJK SC")):
        assert re.search(rf'<w:font w:name="{face}"><w:altName w:val="{alt}"/>', fonts), face


def test_every_table_repeats_its_header_and_fits_the_page(final):
    tables = final["doc"].tables
    assert len(tables) >= 10
    for t in tables:
        rows = t._tbl.tr_lst
        assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert all(r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows)
        assert all(r.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None for r in rows[1:])
        assert t._tbl.tblPr.find(qn("w:tblBorders")) is not None
        widths = [int(g.get(qn("w:w"))) for g in t._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(widths) <= round(15.6 / 2.54 * 1440) + 10       # A4 less the margins: 15.6 cm


def test_no_cell_is_a_formula_and_no_field_in_a_table(final):
    for t in final["doc"].tables:
        for r in t.rows:
            for c in r.cells:
                assert not c.text.lstrip().startswith(("=", "+", "-", "@")), c.text
    for tbl in final["doc"].element.body.iter(qn("w:tbl")):
        assert not list(tbl.iter(qn("w:instrText"))) and not list(tbl.iter(qn("w:fldSimple")))
    # the sample's output value fell 14 % in 2024 (file 01): written in words, not as -14.0%
    output = [r.cells[4].text for r in table_after(final["doc"], GOAL_HEADER).rows[1:] if r.cells[1].text == "工业总产值"]
    assert output == ["增长 23.0%", "下降 14.0%", "增长 25.0%"]


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
    assert section(paragraphs, "三、主要任务完成情况") == ["本期未上传重点工作进展数据（工作进展），无法评估主要任务完成情况。"]
    assert section(paragraphs, "四、重点项目") == ["本期未上传重点项目台账（重点项目台账），无法评估重点项目推进情况。"]
    assert [p.text for p in paragraphs if p.style.name == "Heading 1"] == HEADINGS
    assert SAMPLE_NOTE not in made["text"]          # ingested as ordinary uploads: not marked as sample data


def test_the_report_command_writes_the_document(demo_store, tmp_path, catalog):
    out = tmp_path / "终期评估.docx"
    said = cnpark(demo_store, "report", "--as-of", "2025-12", "--out", str(out))
    assert out.exists(), said
    d = docx.Document(out)
    assert d.paragraphs[0].text.replace("\n", "") == f"{catalog.name}终期评估报告"
    assert [p.text for p in d.paragraphs if p.style.name == "Heading 1"] == HEADINGS
