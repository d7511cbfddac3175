"""The fast path (parse/columnar.py) gives exactly what the row reader gives, or leaves the file to it.

Every file of tests/files and data/sample and a deterministic corpus of mutants is parsed twice — columnar.py allowed
and forbidden — and every field of the two ParseResults must be equal (figures bit for bit). Besides: the fast path
is taken for plain long files (else this harness would compare the row reader with itself), declined for the
files it cannot read, and a 200,000-row ingest stays within a loose memory bound.
"""

import csv
import io
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cnpark.parse import ParseResult, _parse_upload, columnar, long_columns

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(p for p in (ROOT / "tests" / "files").rglob("*") if p.is_file() and p.suffix != ".py") + sorted(
    (ROOT / "data" / "sample").glob("*.csv"))
TEXT_SEEDS = [p for p in FILES if p.suffix in (".csv", ".txt")]

NAMES = ["营业收入", "工业总产值", "多晶硅产能", "农特产品加工转化率", "主导产业营业收入占比", "新增规上工业企业",
         "绿美园区建成", "园区营收", "营业收入(亿元)", "多晶硅产能/万吨", "园区债务化解进度", "未知指标甲", "=A1", ""]
PERIODS = ["2025-06", "2025年6月", "2025年1-6月", "2025Q2", "2025", "6月", "1-6月", "2025-13", "3-6月", "202506",
           "2025/6/30", "", "上半年", "２０２５－０６"]
UNITS = ["万元", "亿元", "万吨", "吨", "%", "户", "个", "斤", "", "—", "元", " 万元 ", "万元/亩"]
AREAS = ["", "片区一", "全园区", "合计", "云南昌宁产业园区", " 片区一 ", "—", "田园镇片区"]
FIGURES = ["12", "1,234.5", "-3", "0", "-0", "007", "45.5%", "4.5万吨", "1.2亿元", "—", "/", "N/A", "空", "abc", "=B2",
           "#REF!", "1,23", "1.", ".5", "１２３．４", "12\u200b", " 88 ", "1e3", "9" * 16, "101", "2.5", "完成", "未完成",
           "1", "0", "是", "1,234,567.891", "12万", "3吨", "99.9", "12.3", "0.07", "1.1万吨", "2.3亿元", "1.15亿", "0.07亿元"]
CLUTTER = ["\u200b", "\u3000", "\ufeff", " ", "＊", "\u00a0"]


def same(fast: ParseResult, slow: ParseResult) -> None:
    """Every field equal; figures compared bit for bit (0.0 and -0.0 differ), dtypes and column order too."""
    for name in ("dataset", "problems", "rows_read", "skipped", "conversions", "layout", "source"):
        assert getattr(fast, name) == getattr(slow, name), name
    a, b = fast.rows, slow.rows
    assert list(a.columns) == list(b.columns) and list(a.dtypes) == list(b.dtypes) and a.index.equals(b.index)
    for name in a.columns:
        x, y = a[name].to_numpy(), b[name].to_numpy()
        if x.dtype.kind == "f":
            assert np.array_equal(x.view(np.int64), y.view(np.int64)), name
        else:
            assert x.tolist() == y.tolist(), name


def compare(data: bytes, filename: str, catalog, dataset=None) -> ParseResult:
    fast = _parse_upload(data, filename, catalog, dataset, fast=True)
    same(fast, _parse_upload(data, filename, catalog, dataset, fast=False))
    return fast


def long_file(rng: random.Random, rows: int) -> list[list[str]]:
    """A long-layout table as offices send it: valid rows in several spellings, a title line now and then."""
    header = rng.choice([["指标", "期间", "数值", "单位", "片区", "备注"], ["指标名称", "统计期", "本年累计", "单位", "片区"],
                         ["指标", "数值", "片区"], ["序号", "指标", "期间", "数值", "片区", "备注"]])
    table = [["昌宁产业园区2025年1-6月主要指标", *[""] * (len(header) - 1)]] if rng.random() < 0.5 else []
    if rng.random() < 0.3:
        table.append(["单位：万元", *[""] * (len(header) - 1)])
    table.append(header)
    codes = [("营业收入", "万元", "1,234.5"), ("工业总产值", "亿元", "1.5"), ("多晶硅产能", "万吨", "4.5"),
             ("农特产品加工转化率", "%", "68.5"), ("新增规上工业企业", "户", "3"), ("绿美园区建成", "", "完成"),
             ("多晶硅产能", "", "4.5万吨"), ("主导产业营业收入占比", "", "45%"), ("营业收入", "", "—")]
    distinct = rng.random() < 0.3      # nearly every figure different: Arrow casts them (long_columns._figures)
    for i in range(rows):
        name, unit, figure = codes[i % len(codes)]
        if unit in ("万元", "亿元", "万吨") and (distinct or rng.random() < 0.5):   # 亿元/万吨 ones with float dust
            figure = f"{rng.randrange(1, 10**7) / 100:,.2f}" if unit == "万元" else f"{rng.randrange(1, 99999) / 100}"
        elif distinct and unit == "%":
            figure = f"{rng.randrange(0, 10000) / 100}"
        cells = {"指标": name, "指标名称": name, "期间": f"{2016 + i // 900}-{(i // 90) % 10 + 1:02d}",
                 "统计期": f"{2016 + i // 900}年{(i // 90) % 10 + 1}月", "数值": figure, "本年累计": figure,
                 "单位": unit, "片区": f"片区{i}", "备注": rng.choice(["", "", "快报"]),
                 "序号": str(i + 1)}
        table.append([cells[h] for h in header])
    return table


def write(table: list[list[str]], delimiter: str = ",", newline: str = "\r\n") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(table)
    return out.getvalue()


def mutate(rng: random.Random, table: list[list[str]]) -> list[list[str]]:
    """Cells replaced by good and bad names, periods, units, areas and figures; rows duplicated, dropped, widened."""
    table = [list(r) for r in table] or [["指标"]]
    for _ in range(rng.choice([1, 1, 2, 3])):
        kind = rng.random()
        r = rng.randrange(len(table))
        c = rng.randrange(len(table[r])) if table[r] else 0
        if kind < 0.45 and table[r]:
            pool = rng.choice([NAMES, PERIODS, UNITS, AREAS, FIGURES, FIGURES])
            table[r][c] = rng.choice(pool)
        elif kind < 0.55 and table[r]:
            at = rng.randrange(len(table[r][c]) + 1)
            table[r][c] = table[r][c][:at] + rng.choice(CLUTTER) + table[r][c][at:]
        elif kind < 0.65:
            table.insert(rng.randrange(len(table) + 1), list(table[r]))
        elif kind < 0.72:
            del table[r]
            table = table or [["指标"]]
        elif kind < 0.78:
            table[r].append(rng.choice(["", "x", "1"]))
        elif kind < 0.84:
            table.insert(r, rng.choice([[], [""] * len(table[r]), ["注：数据为快报数"], ["一、经济总量"], table[0]]))
        elif kind < 0.89:   # a data row's key again: the month spelt otherwise (1-N月 is cumulative), same figure
            r = rng.randrange(len(table) // 2, len(table))
            row = [re.sub(r"^(\d{4})-0?(\d+)$", rng.choice([r"\1年\2月", r"\1年1-\2月", r"\1-\2"]), t)
                   for t in table[r]]
            table.insert(rng.randrange(r, len(table)) + 1, row)
        elif kind < 0.91:   # a footnote, the header again, or a data row marked as a footnote (注：…) in its first cell
            r = rng.randrange(len(table) // 2, len(table))
            table.insert(r, rng.choice([["注：", "数据为快报数"], ["说明：", "1", "2"], ["指标", "期间", "数值"],
                                        ["指标名称", "统计期", "本年累计", "单位"],
                                        ["注：" + table[r][0], *table[r][1:]] if table[r] else []]))
        elif kind < 0.93 and table[r]:
            table[r][c] = rng.choice(["第一行\n第二行", "a\r\nb", '引"号', "a,b", "x\ty"])
        else:
            table[r] = [t.replace("1", rng.choice(["１", "1 ", "l"])) for t in table[r]]
    return table


def encode(rng: random.Random, text: str) -> bytes:
    kind = rng.choice(["utf-8", "utf-8", "gb18030", "gb18030", "utf-8-sig", "utf-16"])
    try:
        return text.encode(kind)
    except UnicodeEncodeError:
        return text.encode("utf-8")


def corpus(seed: int, n: int):
    """n mutants (bytes, name): of tests/files' CSV/TXT and of generated long tables, in several encodings."""
    rng = random.Random(seed)
    seeds = []
    for path in TEXT_SEEDS:
        data = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030", "utf-16"):
            try:
                seeds.append(list(csv.reader(io.StringIO(data.decode(encoding), newline=""))))
                break
            except UnicodeError:
                continue
    for i in range(n):
        table = long_file(rng, rng.choice([5, 40, 300, 1500])) if i % 3 else rng.choice(seeds)
        if rng.random() < 0.8:
            table = mutate(rng, table)
        text = write(table, rng.choice([",", ",", "\t", ";", "|"]), rng.choice(["\r\n", "\n", "\r\n"]))
        if rng.random() < 0.05:
            text = text.replace("\r\n", "\r", 1) if rng.random() < 0.5 else text + "\r\n\r\n"
        yield encode(rng, text), f"mutant-{i}.csv"


def test_every_file_gives_the_same_result_with_and_without_the_fast_path(catalog):
    for path in FILES:
        for dataset in (None, "indicators"):
            compare(path.read_bytes(), path.name, catalog, dataset)


def test_mutants_give_the_same_result_with_and_without_the_fast_path(catalog, monkeypatch):
    before = dict(columnar.STATS)
    cast = []   # files whose figures were mostly distinct: cast by Arrow, not parsed one by one
    monkeypatch.setattr(long_columns, "_figures", lambda *a, f=long_columns._figures: cast.append(1) or f(*a))
    accepted = 0
    for data, name in corpus(24, 1200):
        accepted += compare(data, name, catalog).ok
    taken = columnar.STATS["taken"] - before["taken"]
    assert columnar.STATS["failed"] == before["failed"]       # no bug hidden behind a decline
    assert taken >= 100 and accepted >= taken and len(cast) >= 10, (taken, accepted, len(cast))   # every route, often


def test_the_fast_path_is_taken_for_a_plain_long_csv_and_gives_what_was_typed(catalog):
    table = [["指标", "期间", "数值", "单位", "片区"]] + [
        ["营业收入", f"2025-{m:02d}", f"{m},000.5", "万元", "片区一"] for m in range(1, 13)] + [
        ["多晶硅产能", "2025年6月", "4.5", "万吨", "全园区"], ["绿美园区建成", "2025", "完成", "", ""]]
    before = columnar.STATS["taken"]
    result = compare(write(table).encode("gb18030"), "long.csv", catalog)
    assert columnar.STATS["taken"] == before + 1
    assert result.ok and result.rows_read == 14 and result.layout == "long"
    assert result.rows["value"].tolist()[:2] == [1000.5, 2000.5]          # "1,000.5" and "2,000.5" as typed
    assert result.rows.loc[12, ["indicator", "period", "area", "value"]].tolist() == [
        "polysilicon_capacity", "2025-06", "", 45000.0]                    # 4.5 万吨 = 45,000 吨; 全园区 = ""
    assert result.rows.loc[13, ["period", "value", "cumulative"]].tolist() == ["2025-12", 1.0, True]
    assert result.rows["source_row"].tolist() == list(range(2, 16))          # the header is row 1
    assert result.conversions == ["多晶硅产能：万吨 → 吨（×10000）"]


def test_a_footnote_among_the_data_rows_is_left_out_as_the_row_reader_does(catalog):
    """注：… in the first cell makes a row a footnote even when the rest reads as data (the 序号 column is not read)."""
    table = [["序号", "指标", "期间", "数值"], ["1", "营业收入", "2025-06", "10"], ["2", "营业收入", "2025-07", "11"],
             ["注：", "营业收入", "2025-08", "12"], ["3", "营业收入", "2025-09", "13"]]
    result = compare(write(table).encode(), "footnote.csv", catalog)
    assert result.ok and result.rows_read == 3 and result.rows["value"].tolist() == [10.0, 11.0, 13.0]
    assert result.rows["source_row"].tolist() == [2, 3, 5]


def distinct_rows(n: int) -> list[list[str]]:
    """n rows of 营业收入 with every figure different (Arrow casts them), one 片区 each."""
    return [["指标", "期间", "数值", "片区"]] + [["营业收入", "2025-06", f"{i},{i % 1000:03d}.5", f"片区{i}"]
                                            for i in range(1, n + 1)]


def test_a_figure_too_large_among_distinct_ones_is_the_row_readers_to_report(catalog):
    table = distinct_rows(600)
    table[300][2] = "9999999999999999"      # 10^16 − 1 ≥ 10^15: 数值超出合理范围 (cells.MAX_ABS)
    result = compare(write(table).encode(), "big-figure.csv", catalog)
    assert [(p.row, p.reason) for p in result.problems] == [(301, "数值超出合理范围")]
    table[300][2] = "999999999999999"       # 10^15 − 1: still a figure
    assert compare(write(table).encode(), "big-figure.csv", catalog).rows["value"][299] == 999999999999999.0


def test_a_month_spelt_twice_with_the_same_figure_but_cumulative_once_is_a_conflict(catalog):
    """2025-06 (the month) and 2025年1-6月 (cumulative) are one key; the row reader reports them, the fast path too."""
    table = distinct_rows(600) + [["营业收入", "2025年1-6月", "1,001.5", "片区1"]]
    result = compare(write(table).encode(), "twice.csv", catalog)
    assert [(p.row, p.column) for p in result.problems] == [(602, "数值")]
    table[-1][1] = "2025年6月"               # the same month, not cumulative, same figure: counted once
    result = compare(write(table).encode(), "twice.csv", catalog)
    assert result.ok and len(result.rows) == 600 and result.rows_read == 601


@pytest.mark.parametrize("name", ["workbook_second_sheet.xlsx", "wide_period_title_year.csv", "quoted_newlines_crlf.csv",
                                  "title_unit_footnotes.csv", "bad_values.csv", "conflicting_duplicates.csv",
                                  "mixed_gbk_utf8_lines.csv", "delimiter_fullwidth_comma.csv", "debt_ledger.csv"])
def test_the_fast_path_declines_what_it_cannot_read_and_the_result_is_the_row_readers(catalog, name):
    before = columnar.STATS["taken"]
    compare((ROOT / "tests" / "files" / name).read_bytes(), name, catalog)
    assert columnar.STATS["taken"] == before


def test_blank_chars_are_pythons():
    """columnar._BLANK lists str.isspace's characters: a cell of them alone is blank to locate.data_rows."""
    import pyarrow as pa
    import pyarrow.compute as pc

    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    matched = pc.match_substring_regex(pa.array(chars), columnar._BLANK).to_pylist()
    assert [c for c, m in zip(chars, matched) if m] == [c for c in chars if c.isspace()]


MEMORY = """
import json, os, sys, tempfile
from pathlib import Path


def peak():   # VmHWM in MB: this process's own high-water mark (ru_maxrss carries the parent's over exec)
    line = next(x for x in Path("/proc/self/status").read_text().splitlines() if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


sys.path.insert(0, sys.argv[1])
from cnpark.parse import columnar, parse_upload
from cnpark.plan.catalog import load_catalog
from cnpark.store.snapshots import Store
names = [("营业收入", "万元"), ("工业总产值", "亿元"), ("多晶硅产能", "万吨"), ("农特产品加工转化率", "%")]
figure = lambda i, u: f"{i % 90 + 5}" if u == "%" else f'"{i % 997 * 13.7 + 1:,.2f}"'
lines = ["指标,期间,数值,单位,片区"] + [f"{n},{2016 + i // 6000}-{i // 500 % 12 + 1:02d},{figure(i, u)},{u},片区{i // 4 % 125}"
                                        for i, (n, u) in ((i, names[i % 4]) for i in range(200000))]
data = ("\\r\\n".join(lines) + "\\r\\n").encode("gb18030")
del lines
with tempfile.TemporaryDirectory() as tmp:
    result = parse_upload(data, "big.csv", load_catalog())
    Store(Path(tmp)).add_snapshot("indicators", result.rows, data, "big.csv")
    print(json.dumps({"ok": result.ok, "stats": columnar.STATS, "rows": len(result.rows), "problems": [str(p) for p in result.problems[:3]],
                      "peak_mb": peak()}))
"""


def test_a_200000_row_ingest_stays_under_a_loose_memory_bound():
    """The tight figures (working set ≤ 95 MB, peak ≤ 163 MB) are bench/bench_ingest.py's. Here, with the file made in
    the same process: the row reader needed ~490 MB, the fast path ~265 MB before its memory work, ~190 MB after, ~174 MB
    with the allocator's options (cnpark/__init__.py); the margin is for another machine's libraries and allocator."""
    done = subprocess.run([sys.executable, "-c", MEMORY, str(ROOT)], capture_output=True, text=True, check=True,
                          env={"PATH": "/usr/bin:/bin", "CNPARK_MAX_ROWS": "200000"})
    found = json.loads(done.stdout)
    assert found["ok"] and found["rows"] == 200_000 and found["stats"]["taken"] == 1, found
    assert found["peak_mb"] < 300, found


ALLOCATOR_PROBE = """
import os, sys
sys.path.insert(0, sys.argv[1])
if sys.argv[2] == "pyarrow first":
    import pyarrow  # noqa: F401
import cnpark  # noqa: F401
print(os.environ.get("MIMALLOC_ARENA_EAGER_COMMIT"))
"""


@pytest.mark.parametrize(("given", "order", "expected"), [
    ({}, "cnpark first", "0"),                                       # set for the library about to load
    ({"MIMALLOC_ARENA_EAGER_COMMIT": "1"}, "cnpark first", "1"),     # an operator's own value is kept
    ({}, "pyarrow first", "None"),                                   # too late to matter: left alone
])
def test_importing_cnpark_sets_the_allocators_option_only_before_pyarrow_and_never_over_a_given_one(given, order,
                                                                                                     expected):
    done = subprocess.run([sys.executable, "-c", ALLOCATOR_PROBE, str(ROOT), order], capture_output=True, text=True,
                          check=True, env={"PATH": "/usr/bin:/bin", **given})
    assert done.stdout.split() == expected.split()
