"""The real command (`python -m cnpark …`) against a temp store: what analysts' scripts rely on."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FILES = Path(__file__).parent / "files"


def cnpark(store, *args, env=None):
    """Run the CLI; returns (exit code, stdout, stderr)."""
    cmd = [sys.executable, "-m", "cnpark", *(["--data-dir", str(store)] if store else []), *map(str, args)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})
    return proc.returncode, proc.stdout, proc.stderr


def status_json(store, *args):
    code, out, err = cnpark(store, "status", "--format", "json", *args)
    assert code == 0, err
    return json.loads(out)


def target(doc, code, deadline=None):
    found = [t for t in doc["targets"] if t["code"] == code and (deadline is None or t["deadline"] == deadline)]
    assert len(found) == 1
    return found[0]


def snapshots(store):
    code, out, err = cnpark(store, "snapshots", "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_accept_then_latest_wins_then_rollback(tmp_path):
    first = FILES / "cli_capacity_first_upload.csv"
    code, out, err = cnpark(tmp_path, "ingest", first, "--user", "张三")
    assert code == 0, err
    assert out.strip() == "已入库：快照 S00001，indicators（指标数据），2 行，文件 cli_capacity_first_upload.csv"

    doc = status_json(tmp_path, "--as-of", "2024-06")
    cap = target(doc, "polysilicon_capacity")
    # 10 万吨 = 100000 吨; progress (100000 − 50000)/(250000 − 50000) = 0.25 vs due 18/36 = 0.5 → off track
    assert (cap["actual"], cap["target"], cap["status"], cap["period"]) == (100000, 250000, "off_track", "2024-06")
    assert cap["completion"] == pytest.approx(0.4)
    assert doc["as_of"] == "2024-06" and cap["deadline"] == "2025-12" and cap["unit"] == "吨"

    code, out, err = cnpark(tmp_path, "ingest", FILES / "cli_capacity_correction.csv")
    assert code == 0, err
    cap = target(status_json(tmp_path, "--as-of", "2024-06"), "polysilicon_capacity")
    # the correction wins: (150000 − 50000)/200000 = 0.5 ≥ 0.5 → on track
    assert (cap["actual"], cap["status"]) == (150000, "on_track")

    code, out, err = cnpark(tmp_path, "rollback", "S00001")
    assert code == 0, err
    cap = target(status_json(tmp_path, "--as-of", "2024-06"), "polysilicon_capacity")
    assert cap["actual"] == 100000

    entries = snapshots(tmp_path)
    assert [(e["id"], e["kind"], e["dataset"], e["rows"]) for e in entries] == [
        ("S00001", "upload", "indicators", 2), ("S00002", "upload", "indicators", 1),
        ("S00003", "rollback", "", 0)]
    assert entries[0]["user"] == "张三" and entries[0]["file"] == "cli_capacity_first_upload.csv"
    assert entries[0]["sha256"] == hashlib.sha256(first.read_bytes()).hexdigest()
    assert set(entries[0]) >= {"id", "dataset", "uploaded_at", "user", "file", "rows", "sha256"}

    # the state as uploaded at S00002 is still readable
    cap = target(status_json(tmp_path, "--as-of", "2024-06", "--snapshot", "S00002"), "polysilicon_capacity")
    assert cap["actual"] == 150000


def test_as_of_month_changes_the_reading(tmp_path):
    assert cnpark(tmp_path, "ingest", FILES / "cli_capacity_first_upload.csv")[0] == 0
    early = target(status_json(tmp_path, "--as-of", "2023-06"), "polysilicon_capacity")
    assert (early["actual"], early["period"]) == (50000, "2022-12")
    assert status_json(tmp_path)["as_of"] == "2024-06"         # default: latest month with data
    final = target(status_json(tmp_path, "--as-of", "2025-12"), "polysilicon_capacity")
    assert final["status"] == "no_data"                         # nothing reported in 2025


def test_reject_lists_every_problem_and_stores_nothing(tmp_path):
    assert cnpark(tmp_path, "ingest", FILES / "cli_capacity_first_upload.csv")[0] == 0
    before = sorted(p.name for p in tmp_path.rglob("*"))
    manifest = (tmp_path / "manifest.jsonl").read_bytes()
    code, out, err = cnpark(tmp_path, "ingest", FILES / "cli_bad_rows.csv")
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert lines[0] == "文件未入库：cli_bad_rows.csv 有 3 个问题"
    assert lines[1].startswith("第3行 指标: 多晶硅产量 — 未知指标")
    assert "多晶硅产能" in lines[1]                               # the closest known name
    assert lines[2].startswith("第4行 数值: abc — 不是数字")
    assert lines[3].startswith("第5行 期间: 2024-13 — ")
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert (tmp_path / "manifest.jsonl").read_bytes() == manifest


def test_dry_run_writes_nothing(tmp_path):
    code, out, err = cnpark(tmp_path, "ingest", FILES / "cli_capacity_first_upload.csv", "--dry-run")
    assert code == 0 and out.startswith("检查通过（未入库）：indicators")
    assert snapshots(tmp_path) == []


def test_data_dir_from_environment(tmp_path):
    code, out, err = cnpark(None, "ingest", FILES / "cli_capacity_correction.csv",
                            env={"CNPARK_DATA_DIR": str(tmp_path / "env-store")})
    assert code == 0, err
    assert len(snapshots(tmp_path / "env-store")) == 1


def test_unknown_snapshot_and_bad_month_are_one_line_errors(tmp_path):
    code, out, err = cnpark(tmp_path, "rollback", "S00042")
    assert (code, err.strip()) == (1, "错误：没有编号为 S00042 的快照")
    code, out, err = cnpark(tmp_path, "status", "--as-of", "2024-6")
    assert code == 2 and "应写成 YYYY-MM" in err
    assert "Traceback" not in err


def test_empty_store_is_empty(tmp_path):
    doc = status_json(tmp_path)
    assert doc["snapshot"] is None and doc["sample"] is False
    assert {t["status"] for t in doc["targets"]} == {"no_data"}
    code, out, err = cnpark(tmp_path, "status")
    assert "数据仓库为空" in out


def test_template_lists_catalog_names(tmp_path):
    code, out, err = cnpark(tmp_path, "template", "indicators")
    assert code == 0, err
    assert "多晶硅产能" in out and "农特产品加工转化率" in out
    out_file = tmp_path / "t.csv"
    assert cnpark(tmp_path, "template", "debt", "--out", out_file)[0] == 0
    assert out_file.read_bytes().startswith(b"\xef\xbb\xbf")    # Excel needs the BOM to show Chinese


def test_demo_final_reckoning_matches_hand_calculation(tmp_path):
    code, out, err = cnpark(tmp_path, "demo")
    assert code == 0, err
    assert out.count("已载入示例数据") == 8                  # the eight files of data/sample/
    doc = status_json(tmp_path, "--as-of", "2025-12")
    assert doc["as_of"] == "2025-12" and doc["sample"] is True
    # every goal of the catalog (25 targets; output growth and 标准地 have three years each), none unjudged
    assert len(doc["targets"]) == 29
    assert all(t["status"] in {"met", "missed"} for t in doc["targets"])

    # Figures from data/sample/01_年度指标_2021-2025.csv, worked out by hand:
    rev = target(doc, "revenue")                    # 2 × 600,000 (2021) = 1,200,000; 1,302,000 / 1,200,000
    assert (rev["target"], rev["actual"], rev["status"]) == (1_200_000, 1_302_000, "met")
    assert rev["completion"] == pytest.approx(1.085)
    growth = {t["deadline"]: t for t in doc["targets"] if t["code"] == "output_value"}
    assert growth["2023-12"]["actual"] == pytest.approx(23.0237, abs=1e-4)    # 1,245,000 / 1,012,000 − 1
    assert growth["2024-12"]["actual"] == pytest.approx(-14.0, abs=1e-4)      # 1,070,700 / 1,245,000 − 1
    assert growth["2025-12"]["actual"] == pytest.approx(25.0023, abs=1e-4)    # 1,338,400 / 1,070,700 − 1
    assert [growth[d]["status"] for d in sorted(growth)] == ["met", "missed", "met"]
    assert {growth[d]["unit"] for d in growth} == {"%"} and growth["2024-12"]["target"] == 20
    firms = target(doc, "new_above_scale_firms")    # 3 + 2 + 3 new firms < 10
    assert (firms["actual"], firms["status"], firms["completion"]) == (8, "missed", 0.8)
    poly = target(doc, "polysilicon_capacity")
    assert (poly["actual"], poly["status"], poly["completion"]) == (250_000, "met", 1.0)
    agri = target(doc, "agri_processing_rate")      # 71.5 / 75
    assert agri["status"] == "missed" and agri["completion"] == pytest.approx(0.953333, abs=1e-6)
    debt = target(doc, "debt_resolution")           # 28,000 + 30,000 + 38,000 vs 30,000 + 35,000 + 40,000
    assert (debt["actual"], debt["target"], debt["status"]) == (96_000, 105_000, "missed")
    assert debt["overdue"] == ["ZW06", "ZW10"]
    land = {t["deadline"]: t["status"] for t in doc["targets"] if t["code"] == "standard_land_share"}
    assert land == {"2023-12": "met", "2024-12": "missed", "2025-12": "met"}   # 22 ≥ 20, 35 < 40, 62 ≥ 60
    assert target(doc, "plan_approval")["period"] == "2023-11"                # done after the 2023-09 deadline
    assert target(doc, "plan_approval")["status"] == "missed"
    assert target(doc, "plan_approval")["late"] is True                 # done 2023-11, due 2023-09: 逾期完成
    assert "late" not in target(doc, "mgmt_restructure")                # done 2023-08, due 2023-12: on time
    rd = target(doc, "rd_intensity")                # 0.81 (2025) below the 0.85 baseline (2022)
    assert (rd["target"], rd["status"]) == (0.85, "missed") and rd["completion"] == pytest.approx(0.81 / 0.85)

    code, out, err = cnpark(tmp_path, "demo")
    assert code == 0 and out.count("跳过（已载入）") == 8                       # loading twice adds nothing
    assert len(snapshots(tmp_path)) == 8


def test_hash_password_reads_stdin_and_prints_a_hash_only(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(tmp_path), "hash-password"],
                          cwd=ROOT, input="口令-12345678\n", capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "口令" not in proc.stdout
    from cnpark.auth import verify_password
    assert verify_password("口令-12345678", proc.stdout.strip())
    short = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(tmp_path), "hash-password"],
                           cwd=ROOT, input="short\n", capture_output=True, text=True, timeout=60)
    assert short.returncode == 1 and "至少 8 位" in short.stderr
