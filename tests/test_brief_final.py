"""The 2025-12 sample's meeting pack as an office opens it: the PDF's 督办 part is tables (a heading per unit, then its
rows; no month, clause or number broken across lines), the workbook holds numbers in formats that read as the gauges
do (and LibreOffice Calc shows them so, with no apostrophe), the slides and gauge pictures say their month and 示例数据,
and 重点工作 and 重点项目 have slides of their own."""

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from cnpark.outputs import brief, slides
from cnpark.plan.catalog import load_catalog
from cnpark.rules.display import reading
from cnpark.service.readings import Readings
from cnpark.store.snapshots import Store
from tests.test_exports import calc_sheets

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2025-12"
BEHIND = ("lagging", "off_track", "missed")
# Hand-worked on the sample (data/sample, 2025-12): 营业收入 1,302,000 ÷ 1,200,000 (twice 2021's 600,000) = 108.5%;
# 主导产业新增固投占比 80.4% against ≥ 20%: 60.4 points over; 研发投入强度 0.81% against its 2022 base 0.85%: 0.04 points
# down; 劳动生产率 52.3 against 45.8 万元/人: +14.2%; 工业总产值 2023 grew 23.02% (one decimal: +23.0%).
SAID = {"revenue": "108.5%", "leading_fai_share": "超额 60.4 个百分点", "rd_intensity": "较基期下降 0.04 个百分点",
        "labor_productivity": "较基期提升 14.2%"}


def cli(store: Path, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(store), *args, "--as-of", AS_OF, "--format",
                           "json"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def svg_text(svg: str) -> str:
    return " ".join(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg))


@pytest.fixture(scope="module")
def final(demo_store, catalog, tmp_path_factory):
    out = tmp_path_factory.mktemp("final")
    b = brief.gather(Readings(Store(demo_store), catalog, AS_OF))
    (out / "简报.pdf").write_bytes(brief.pdf(b))
    (out / "表.xlsx").write_bytes(brief.status_xlsx(b))
    svgs = slides.gauge_svgs(b)
    lines = "\n".join(page.extract_text() for page in PdfReader(out / "简报.pdf", strict=True).pages)
    return {"brief": b, "dir": out, "lines": lines, "slides": slides.slide_svgs(b, svgs),
            "gauges": slides.gauge_pictures(b, svgs), "status": cli(demo_store, "status")}


def test_the_gauges_say_the_hand_worked_words(final):
    by_code = {s.code: s for s in final["brief"].report.statuses}
    said = {code: reading(by_code[code]) for code in SAID}
    assert said["revenue"].headline == SAID["revenue"]
    assert said["leading_fai_share"].detail == SAID["leading_fai_share"]
    assert said["rd_intensity"].detail == SAID["rd_intensity"]
    assert said["labor_productivity"].headline == SAID["labor_productivity"].removeprefix("较基期")


def test_the_pdf_goal_table_says_what_the_gauges_say(final):
    text = re.sub(r"\s+", "", final["lines"])
    # each row reads 指标 · 实际值 · 目标 · 完成情况 · 状态 · 数据期间, in one piece
    assert "营业收入1,302,000万元≥1,200,000万元108.5%达标2025-12" in text
    assert "主导产业新增固定资产投资占比80.4%≥20%超额60.4个百分点达标2023-12" in text
    assert "研发投入强度0.81%较基期提升（基期0.85%，2022年）较基期下降0.04个百分点未达标2025-12" in text
    assert "402" not in text.split("目标完成情况一览", 1)[1].split("督办清单", 1)[0]    # 80.4 ÷ 20 nowhere


def supervision_part(final) -> str:
    return final["lines"].split("督办清单", 1)[1].split("重点工作：滞后与未报送", 1)[0]


TOKENS = [r"\d{4}-\d{2}", r"\([一二三四五六七八九十]+\)", r"第\d+条", r"[+-]?[\d,]+(?:\.\d+)?(?:万元|万美元|户|个百分点|%)"]


def test_no_month_clause_or_figure_is_broken_across_lines(final):
    part = supervision_part(final)
    whole = re.sub(r"\s+", "", part)
    marked = re.sub(r"[^\S\n]+", "", part).replace("\n", "|")       # a line's end kept as |: no token can span it
    for token in TOKENS:
        assert re.findall(token, marked) == re.findall(token, whole), token
    behind = [t for t in final["status"]["targets"] if t["status"] in BEHIND]
    assert len(behind) == 11
    for t in behind:
        assert t["clause"].replace(" ", "") in whole, t["clause"]        # each clause whole, in reading order


def test_each_unit_heading_is_followed_by_its_goals(final, catalog):
    whole = re.sub(r"\s+", "", supervision_part(final))
    behind = [t for t in final["status"]["targets"] if t["status"] in BEHIND]
    units: dict[str, list[dict]] = {}
    for t in behind:                                       # the plan names no lead: a goal is under each of its units
        for unit in catalog[t["code"]].departments:
            units.setdefault(unit, []).append(t)
    assert len(units["县产业园区管委会"]) == 11               # named in every behind goal's clause
    headings = sorted((m.start(), unit) for unit, goals in units.items()
                      for m in re.finditer(re.escape(f"{unit}（{len(goals)}项）"), whole))
    assert {unit for _, unit in headings} == set(units)
    spans: dict[str, str] = {}
    for (start, unit), (end, _) in zip(headings, [*headings[1:], (len(whole), "")]):
        spans[unit] = spans.get(unit, "") + whole[start:end]  # a unit continued on the next page (续) adds its rows
    for unit, goals in units.items():
        for t in behind:
            assert (f"{t['name']}{t['deadline']}" in spans[unit]) == (t in goals), (unit, t["name"], t["deadline"])


def test_the_workbook_holds_formatted_numbers_and_the_gauges_words(final):
    book = openpyxl.load_workbook(final["dir"] / "表.xlsx")
    b = final["brief"]
    assert book.sheetnames == [f"目标完成情况{AS_OF}", "重点工作督办", "重点项目比率", "重点项目停滞"]
    for sheet in book:
        title = sheet["A1"].value
        for words in (b.catalog.name, f"截至 {AS_OF}", b.entry.id, "示例数据"):
            assert words in title, (sheet.title, words)
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f" and not str(cell.value or "").startswith("'"), cell.value
                if isinstance(cell.value, float):
                    assert round(cell.value, 4) == cell.value, (sheet.title, cell.coordinate, cell.value)   # no raw floats
    ws = book[f"目标完成情况{AS_OF}"]
    head = [c.value for c in ws[2]]
    col = {name: head.index(name) for name in head}
    rows = {(r[col["指标"]].value, r[col["期限"]].value): r for r in ws.iter_rows(min_row=3)}
    assert len(rows) == 29
    for r in rows.values():
        percent = r[col["单位"]].value == "%"
        for name in ("实际值", "目标", "序时进度值"):
            cell = r[col[name]]
            if isinstance(cell.value, (int, float)):
                assert ("%" in cell.number_format) if percent else ("#,##0" in cell.number_format), (name, cell.value)
        if isinstance(r[col["完成情况"]].value, (int, float)):
            assert not percent and r[col["完成情况"]].number_format == "0.0%"          # only amounts: 108.5%

    def cells(key: tuple[str, str], *names: str) -> list:
        return [(rows[key][col[n]].value, rows[key][col[n]].number_format) for n in names]

    assert cells(("营业收入", "2025-12"), "实际值", "目标", "完成情况") == [
        (1302000, "#,##0"), (1200000, '"≥ "#,##0'), (1.085, "0.0%")]
    assert cells(("主导产业新增固定资产投资占比", "2023-12"), "实际值", "完成情况") == [
        (0.804, "0.0%"), (SAID["leading_fai_share"], "General")]
    assert cells(("研发投入强度", "2025-12"), "实际值", "完成情况") == [(0.0081, "0.00%"), (SAID["rd_intensity"], "General")]
    assert cells(("工业总产值 · 2023年", "2023-12"), "实际值", "目标") == [
        (0.23, "+0.0%;-0.0%;0.0%"), (0.2, '"同比增长 ≥ "0%')]
    assert cells(("劳动生产率", "2025-12"), "目标", "完成情况") == [
        ("较基期提升（基期 45.8 万元/人，2022年）", "General"), (SAID["labor_productivity"], "General")]
    assert [rows[(n, d)][col["实际值"]].value for n, d in (("规划环评及总体规划审批", "2023-09"), ("园区管理机构优化调整",
            "2023-12"), ("管理运营体制机制全面完善", "2025-12"))] == ["逾期完成（2023-11）", "已完成（2023-08）", "未完成"]
    rates = book["重点项目比率"]
    assert [c.value for c in rates[2]] == ["比率", f"截至 {AS_OF}", "上年同期（2024-12）", "变化（个百分点）", "门槛", "算法"]
    assert rates[3][1].value == round(16 / 21, 3) and rates[3][5].value == "已开工 16 ÷ 已签约 21 个"   # 落地率: 16 of 21
    for r in rates.iter_rows(min_row=3):
        assert [c.number_format for c in r[1:4]] == ["0.0%", "0.0%", "+0.0;-0.0;0.0"], r[0].value


def test_calc_shows_what_the_gauges_show(final):
    sheets = calc_sheets(final["dir"] / "表.xlsx", final["dir"] / "calc")
    assert set(sheets) == {f"目标完成情况{AS_OF}", "重点工作督办", "重点项目比率", "重点项目停滞"}
    for rows in sheets.values():
        assert "示例数据" in rows[0][0]
        assert not [cell for row in rows for cell in row if cell.startswith("'")]
    goals = {(r[1], r[2]): r for r in sheets[f"目标完成情况{AS_OF}"][2:]}
    assert goals[("营业收入", "2025-12")][3:7] == ["1,302,000", "≥ 1,200,000", "万元", "108.5%"]
    assert goals[("工业总产值 · 2023年", "2023-12")][3:7] == ["+23.0%", "同比增长 ≥ 20%", "%", "超额 3.0 个百分点"]
    assert goals[("主导产业新增固定资产投资占比", "2023-12")][3:7] == ["80.4%", "≥ 20%", "%", SAID["leading_fai_share"]]
    assert goals[("研发投入强度", "2025-12")][3] == "0.81%"
    for row in sheets["重点项目比率"][2:]:
        assert re.fullmatch(r"\d{1,3}\.\d%", row[1]) and re.fullmatch(r"\d{1,3}\.\d%", row[2]), row
        assert re.fullmatch(r"[+-]\d+\.\d|0\.0", row[3]), row                 # signed points, no quote, no formula


def test_every_slide_and_gauge_says_its_month_and_sample(final, catalog, demo_store):
    names = [name for name, _ in final["slides"]]
    sections = ["总览", *catalog.groups, "重点工作", "重点项目"]
    assert names[:len(sections)] == [f"幻灯片/{i:02d}_{s}.png" for i, s in enumerate(sections, 1)]
    assert all(n.endswith("_重点项目（续）.png") for n in names[len(sections):])      # the stalled list goes on
    for name, svg in final["slides"] + final["gauges"]:
        text = svg_text(svg)
        assert f"截至 {AS_OF}" in text and "示例数据" in text, name
    assert len(final["gauges"]) == 29 and SAID["revenue"] in svg_text(final["gauges"][0][1])

    work = svg_text(dict(final["slides"])[f"幻灯片/{len(sections) - 1:02d}_重点工作.png"])
    tasks = cli(demo_store, "tasks")["tasks"]
    behind = [t for t in tasks if t["status"] in ("lagging", "not_reported")]
    assert behind and all(f"第{t['number']}条 {t['title']}" in work for t in behind)
    for state, word in (("done", "已完成"), ("lagging", "滞后"), ("not_reported", "未报送")):
        # the box: figure, then what it counts (tasks, by their state)
        assert f"{sum(t['status'] == state for t in tasks)} 任务 · {word}" in work, word
    # and the units' reports, the matrix's cells, counted on their own line: every unit of every task once
    units = [u["status"] for t in tasks for u in t["units"]]
    assert f"单位报送 {len(units)} 项：" in work and f"未报送 {units.count('not_reported')}" in work

    pipeline = " ".join(svg_text(svg) for name, svg in final["slides"] if "_重点项目" in name)
    doc = cli(demo_store, "projects")
    for key, name in {"landing": "落地率", "start": "开工率", "funding": "资金到位率", "investment": "年度投资完成率"}.items():
        top, bottom = doc["counts"][key]["numerator"], doc["counts"][key]["denominator"]
        assert f"{doc['rates'][key]:.1%} {name}" in pipeline and f"上年同期 {doc['year_before'][key]:.1%}" in pipeline, name
        assert f"{top:,.0f} ÷" in pipeline and f"{bottom:,.0f}" in pipeline, name      # what the rate divides
    assert doc["stalled"] and all(f"{s['id']} {s['name']}" in pipeline for s in doc["stalled"])


def test_a_plan_without_tasks_has_no_tasks_slide(tmp_path):
    plan = load_catalog(ROOT / "tests" / "files" / "plans" / "fixture-qingshan-2026-2028.toml")
    assert not plan.tasks
    b = brief.gather(Readings(Store(tmp_path), plan, "2026-12"))
    names = [name for name, _ in slides.slide_svgs(b, slides.gauge_svgs(b))]
    assert names[0] == "幻灯片/01_总览.png" and names[-1] == f"幻灯片/{len(names):02d}_重点项目.png"
    assert not [n for n in names if "重点工作" in n]
