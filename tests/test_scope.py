"""A responsible unit reports only rows that name it (cnpark/rules/scope.py), enforced in the service: a file with
any row out of scope is refused whole, each such row named with the unit, and nothing is stored. The page, the CLI's
`submit` and these tests go through the same check_upload. Real Parquet files and DuckDB in a temp directory."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cnpark.plan.catalog import load_catalog
from cnpark.rules.scope import reporting_units
from cnpark.service.uploads import check_upload, commit_upload, ingest_bytes
from cnpark.store.snapshots import Store

ROOT = Path(__file__).resolve().parent.parent
FILES = ROOT / "tests" / "files"
UNIT = "县自然资源局"           # the plan gives it tasks 4, 5, 6, 14, 15 and 18 (not task 1)
TASKS = "任务,责任单位,期间,完成状态,进展情况,存在问题,下步打算\n"
PROJECTS = ("项目编号,项目名称,产业链环节,片区,责任单位,业主单位,总投资(万元),协议投资(万元),年度计划投资(万元),"
            "本年累计完成投资(万元),累计到位资金(万元),阶段,签约日期,计划开工日期,实际开工日期,投产日期,期间,备注\n")
XM01 = "XM01,通威二期,多晶硅,园中园,{unit},云南通威高纯晶硅有限公司,1200000,1000000,400000,{done},1000000,纳统,2022-12,2023-03,2023-03-21,2024-03-01,2025-12,\n"


def problems(upload) -> list[str]:
    return [str(p) for p in upload.result.problems]


def test_a_file_with_any_row_of_another_unit_or_task_is_refused_whole(tmp_path, catalog):
    store = Store(tmp_path)
    data = (TASKS + f"第5条,{UNIT},2025-06,推进中,报批中,,\n"        # line 2: its own
            "第5条,县发展改革局,2025-06,已完成,,,\n"                  # line 3: another unit's row (of the same task)
            "第6条,县水务局,2025-06,推进中,,,\n").encode()           # line 4: and another
    upload = check_upload(store, catalog, data, "mine.csv", unit=UNIT)
    assert not upload.ok and len(upload.result.rows) == 0
    assert problems(upload) == [f"第3行 责任单位: 县发展改革局 — 不是{UNIT}的行：只能报送本单位的工作进展",
                                f"第4行 责任单位: 县水务局 — 不是{UNIT}的行：只能报送本单位的工作进展"]
    with pytest.raises(ValueError):
        commit_upload(store, upload, UNIT)
    assert store.entries() == []
    # the same file from an analyst (no unit) is every unit's report: accepted
    assert check_upload(store, catalog, data, "all.csv").ok
    # a task the plan does not give the unit: the file is refused, the row and the task's units named
    carried = check_upload(store, catalog, (TASKS + f"第1条,{UNIT},2025-06,推进中,,,\n").encode(), "t1.csv", unit=UNIT)
    assert problems(carried) == [f"第2行 责任单位: {UNIT} — 不是第1条 全面加强党的领导的责任单位（应为：县委组织部、县产业园区管委会）"]


def test_a_units_own_rows_are_stored_with_the_unit_as_author(tmp_path, catalog):
    store = Store(tmp_path)
    upload = check_upload(store, catalog, (TASKS + f"第5条,{UNIT},2025-06,推进中,报批中,,\n").encode(), "mine.csv",
                          unit=UNIT)
    assert upload.ok
    entry = commit_upload(store, upload, UNIT)
    assert (entry.user, entry.rows, entry.dataset) == (UNIT, 1, "tasks")


def test_a_project_of_another_unit_in_the_ledger_is_refused(tmp_path, catalog):
    store = Store(tmp_path)
    ingest_bytes(store, catalog, (PROJECTS + XM01.format(unit="县投资促进局", done=300000)).encode(), "ledger.csv")
    # 县林草局 names itself on XM01's row, but the ledger gives XM01 to 县投资促进局
    claimed = check_upload(store, catalog, (PROJECTS + XM01.format(unit="县林草局", done=360000)).encode(), "x.csv",
                           unit="县林草局")
    assert problems(claimed) == ["第2行 项目编号: XM01 — 该项目在台账中属于县投资促进局，县林草局不能报送"]
    other = check_upload(store, catalog, (PROJECTS + XM01.format(unit="县投资促进局", done=360000)).encode(), "y.csv",
                         unit="县林草局")
    assert problems(other) == ["第2行 责任单位: 县投资促进局 — 不是县林草局的行：只能报送本单位的项目"]
    own = check_upload(store, catalog, (PROJECTS + XM01.format(unit="县投资促进局", done=360000)).encode(), "z.csv",
                       unit="县投资促进局")
    assert own.ok
    assert len(store.entries()) == 1


def test_the_debt_ledger_and_indicators_a_unit_is_not_the_source_of_are_refused(tmp_path, catalog):
    store = Store(tmp_path)
    debt = (FILES / "debt_ledger.csv").read_bytes()
    assert problems(check_upload(store, catalog, debt, "debt.csv", unit=UNIT)) == [
        "文件: 债务台账由分析人员上传，责任单位账号不能报送"]
    figures = "指标,期间,数值\n多晶硅产能,2025-06,250000\n".encode()
    assert problems(check_upload(store, catalog, figures, "i.csv", unit=UNIT)) == [
        f"第2行 指标: 多晶硅产能 — {UNIT}不是这项指标的数据来源单位"]
    # a catalog that names the unit as the target's 数据来源单位 lets it report that figure
    text = (FILES / "catalog_tiny.toml").read_text(encoding="utf-8").replace(
        'code = "steel_capacity"', 'code = "steel_capacity"\nreporter = "某园区管委会"')
    (tmp_path / "tiny.toml").write_text(text, encoding="utf-8")
    tiny = load_catalog(tmp_path / "tiny.toml")
    assert "某园区管委会" in reporting_units(tiny)
    steel = "指标,期间,数值\n钢材产能,2022-06,90000\n".encode()
    assert check_upload(store, tiny, steel, "s.csv", unit="某园区管委会").ok


def cli(store: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(store), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_submit_refuses_another_units_row_and_stores_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(TASKS + f"第5条,{UNIT},2025-06,推进中,,,\n第5条,县发展改革局,2025-06,已完成,,,\n", encoding="utf-8")
    done = cli(tmp_path / "store", "submit", "--unit", UNIT, str(bad))
    assert done.returncode == 1
    assert f"第3行 责任单位: 县发展改革局 — 不是{UNIT}的行" in done.stderr
    assert json.loads(cli(tmp_path / "store", "snapshots", "--format", "json").stdout) == []
    good = tmp_path / "good.csv"
    good.write_text(TASKS + f"第5条,{UNIT},2025-06,推进中,,,\n", encoding="utf-8")
    ok = cli(tmp_path / "store", "submit", "--unit", UNIT, str(good))
    assert ok.returncode == 0, ok.stderr
    [entry] = json.loads(cli(tmp_path / "store", "snapshots", "--format", "json").stdout)
    assert (entry["user"], entry["dataset"], entry["rows"]) == (UNIT, "tasks", 1)
    stranger = cli(tmp_path / "store", "submit", "--unit", "县教育局", str(good))
    assert stranger.returncode == 1 and "县教育局 不是本规划的责任单位" in stranger.stderr


def test_the_plans_units_are_the_tasks_units(catalog):
    units = reporting_units(catalog)
    assert UNIT in units and "县林草局" in units and len(units) == len(set(units))
    assert set(units) == {u for t in catalog.tasks for u in t.units}      # the sample names no 数据来源单位 yet
    assert len(units) == 30                                               # the plan's 30 responsible units


def test_a_units_forms_start_from_its_own_last_rows(tmp_path, catalog):
    from cnpark.outputs.exports import filled_csv
    from cnpark.service.readings import Readings
    store = Store(tmp_path)
    xm02 = XM01.replace("XM01,通威二期", "XM02,硅片项目").replace("纳统", "在建")
    ledger = (PROJECTS + XM01.format(unit="县投资促进局", done=900000)
              + xm02.format(unit="县发展改革局", done=5).replace("2025-12,\n", "2025-11,\n"))
    assert ingest_bytes(store, catalog, ledger.encode(), "ledger.csv")[1]
    assert ingest_bytes(store, catalog, "指标,期间,数值,单位\n多晶硅产能,2025-11,25,万吨\n规划环评及总体规划审批,2023-11,完成,\n"
                        .encode(), "figures.csv")[1]
    # 2026-01: 县投资促进局's one project (XM01), from December's row; 本年累计完成投资 empty in a new year
    drafts = Readings(store, catalog, "2026-01").project_drafts("县投资促进局")
    assert drafts[["项目编号", "阶段", "累计到位资金(万元)", "本年累计完成投资(万元)", "期间", "上次报送"]].values.tolist() == [
        ["XM01", "纳统", "1000000", "", "2026-01", "2025-12"]]
    assert Readings(store, catalog, "2025-12").project_drafts("县投资促进局")["本年累计完成投资(万元)"].tolist() == ["900000"]
    assert Readings(store, catalog, "2025-12").project_drafts("县发展改革局")["项目编号"].tolist() == ["XM02"]
    # sent back as the template file, the form's rows pass the unit's scope as they are
    rows = drafts.drop(columns="上次报送").to_dict("records")
    assert check_upload(store, catalog, filled_csv("projects", rows), "f.csv", "projects", unit="县投资促进局").ok
    assert not check_upload(store, catalog, filled_csv("projects", rows), "f.csv", "projects", unit="县发展改革局").ok

    # 县工业信息商务科技局 is the source of 主导产业营业收入占比, 多晶硅产能 (monthly), 两大产业集群基本形成, 研发投入强度
    # and 进出口总额 (yearly): in December all are due; 25 万吨 stored as 250000 吨, shown as the last value
    figures = Readings(store, catalog, "2025-12").figure_drafts("县工业信息商务科技局").set_index("指标")
    assert figures.index.tolist() == ["主导产业营业收入占比", "多晶硅产能", "两大产业集群基本形成", "研发投入强度", "进出口总额"]
    assert figures.loc["多晶硅产能", ["数值", "单位", "上次数值", "上次期间", "本月应报"]].tolist() == [
        "", "吨", "250000", "2025-11", "是"]
    assert (figures["本月应报"] == "是").all()
    june = Readings(store, catalog, "2025-06").figure_drafts("县工业信息商务科技局").set_index("指标")["本月应报"]
    assert june[june == "是"].index.tolist() == ["主导产业营业收入占比", "多晶硅产能"]
    # a milestone as it is typed: 完成
    assert Readings(store, catalog, "2025-12").figure_drafts("县产业园区管委会").set_index("指标").loc[
        "规划环评及总体规划审批", "上次数值"] == "完成"
