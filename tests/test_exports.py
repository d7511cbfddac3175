"""Downloads open cleanly in Excel and never carry a formula from an upload."""

import io

import openpyxl
import pandas as pd

from cnpark.exports import csv_bytes, problems_frame, safe_cell, template_xlsx, xlsx_bytes
from cnpark.parse import parse_upload
from cnpark.parse.decode import Problem


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


def test_xlsx_cells_are_text_not_formulas():
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(pd.DataFrame({"名称": ["=1+1", "正常"], "值": [3.5, None]}))))
    ws = book.active
    assert [[c.value for c in row] for row in ws.iter_rows()] == [["名称", "值"], ["'=1+1", 3.5], ["正常", None]]
    assert ws["A2"].data_type == "s"


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
