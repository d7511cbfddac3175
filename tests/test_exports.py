"""Downloads open cleanly in Excel, WPS and LibreOffice Calc and never carry a formula from an upload: CSV cells that
start like a formula get an apostrophe (CSV has no types); XLSX text is a text cell with Excel's hidden quote prefix,
so it reads as written, with no quote shown."""

import csv
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cnpark.outputs.exports import Number, csv_bytes, problems_frame, safe_cell, template_xlsx, xlsx_bytes
from cnpark.parse import parse_upload
from cnpark.parse.decode import Problem

HOSTILE = ["=1+1", '=HYPERLINK("http://x","点我")', "+11.2 个百分点", "-3", "@SUM(A1)", "\t=1", "#N/A", "正常"]


def calc_sheets(xlsx: Path, out: Path) -> dict[str, list[list[str]]]:
    """Each sheet as LibreOffice Calc shows it (its formatted text, exported as UTF-8 CSV, one file per sheet)."""
    soffice = shutil.which("soffice")
    if not soffice:
        message = "LibreOffice Calc is not installed: apt-get install libreoffice-calc-nogui"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    out.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([soffice, "--headless", "--norestore", "--convert-to",
                           "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1", "--outdir",
                           str(out), str(xlsx)], env={**os.environ, "HOME": str(out)}, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    return {path.stem.removeprefix(xlsx.stem + "-"): list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
            for path in sorted(out.glob(f"{xlsx.stem}-*.csv"))}


def test_formula_starts_are_neutralised_numbers_are_not():
    assert safe_cell('=HYPERLINK("http://x","点我")') == '\'=HYPERLINK("http://x","点我")'
    assert [safe_cell(v) for v in ["+1", "-2", "@SUM(A1)", "\t=1", "营业收入"]] == ["'+1", "'-2", "'@SUM(A1)", "'\t=1",
                                                                                  "营业收入"]
    assert safe_cell(-5.0) == -5.0


def test_problem_list_as_csv_for_excel():
    problems = [Problem(7, "指标", "=cmd|' /C calc'!A0", "未知指标"), Problem(None, "", "", "文件为空")]
    data = csv_bytes(problems_frame(problems))
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == ["行,列,值,原因", "7,指标,'=cmd|' /C calc'!A0,未知指标", ",,,文件为空"]


def test_xlsx_text_is_text_with_no_visible_quote():
    values = [3.5, None, 1, 2, 3, 4, 5, 6]
    data = xlsx_bytes(pd.DataFrame({"名称": HOSTILE, "值": values}), title="=标题")
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws["A"]] == ["=标题", "名称", *HOSTILE]          # as written: nothing added in front
    for cell in ws["A"]:
        assert cell.data_type == "s", cell.value                              # never 'f' (formula) nor 'e' (#N/A)
        assert cell.quotePrefix == cell.value.startswith(("=", "+", "-", "@", "\t")), cell.value
    assert [c.value for c in ws["B"]][2:] == values
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet                           # no formula stored at all


def test_numbers_carry_their_format_and_csv_keeps_the_number():
    frame = pd.DataFrame({"比率": [Number(0.804, "0.0%")], "金额（万元）": [Number(1302000, "#,##0")], "说明": ["—"]})
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame))).active
    assert [(c.value, c.number_format) for c in ws[2]] == [(0.804, "0.0%"), (1302000, "#,##0"), ("—", "General")]
    assert ws.freeze_panes == "A2"                                             # the heading stays in view
    assert csv_bytes(frame).decode("utf-8-sig").splitlines()[1] == "0.804,1302000,—"


def test_calc_shows_hostile_text_as_written_and_numbers_formatted(tmp_path):
    frame = pd.DataFrame({"名称": HOSTILE, "比率": [Number(0.804, "0.0%")] * len(HOSTILE)})
    (tmp_path / "t.xlsx").write_bytes(xlsx_bytes(frame, sheet="表"))
    rows = calc_sheets(tmp_path / "t.xlsx", tmp_path / "calc")["表"]
    assert rows[0] == ["名称", "比率"]
    assert [r[0] for r in rows[1:]] == HOSTILE                                # not 2, not '=1+1, no link
    assert {r[1] for r in rows[1:]} == {"80.4%"}


def test_xlsx_template_round_trip(catalog):
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx("indicators", catalog)))
    ws = book.active
    assert ws["A1"].value.startswith("填写示例：")
    header = [c.value for c in ws[2]]
    assert header == ["指标", "期间", "数值", "单位", "片区", "备注"]
    names = [row[0].value for row in ws.iter_rows(min_row=3)]
    assert "多晶硅产能" in names and "园区债务化解进度" not in names     # computed from the ledger, not uploaded
    row = names.index("多晶硅产能") + 3
    ws.cell(row, 2, "2025-06")
    ws.cell(row, 3, 18.5)                                                # the analyst types 18.5 in 万吨 …
    ws.cell(row, 4, "万吨")
    out = io.BytesIO()
    book.save(out)
    result = parse_upload(out.getvalue(), "template.xlsx", catalog)
    assert result.ok, [str(p) for p in result.problems]
    assert result.rows[["indicator", "period", "value"]].values.tolist() == [["polysilicon_capacity", "2025-06",
                                                                              185000.0]]   # … 18.5 × 10,000 吨
