"""督办清单 and the comparison of two readings, against hand calculations on the sample data."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cnpark.rules.status import TargetStatus
from cnpark.rules.supervision import (
    behind_since,
    by_department,
    change_frame,
    change_label,
    compare,
    gap,
)
from cnpark.service.readings import Readings
from cnpark.store.snapshots import Store

ROOT = Path(__file__).resolve().parent.parent


def status(code="x", deadline="2025-12", **kw) -> TargetStatus:
    base = dict(code=code, name=code, unit="吨", deadline=deadline, actual=None, target=None, completion=None,
                status="no_data", period=None)
    return TargetStatus(**{**base, **kw})


def test_polysilicon_expected_value_is_the_straight_line_from_the_baseline(demo_store, catalog):
    poly = next(s for s in Readings(Store(demo_store), catalog, "2024-06").report.statuses if s.code == "polysilicon_capacity")
    # baseline 2022-12: 50,000 t (一期); target 250,000 t at 2025-12; 2024-06 is 18 of 36 months along:
    # 50,000 + 18/36 × (250,000 − 50,000) = 150,000 t; the sample reports 170,000 t, so it is ahead
    assert poly.expected == pytest.approx(150_000)
    assert (poly.actual, poly.status) == (170_000, "on_track")


def test_gap_is_to_the_schedule_before_the_deadline_and_to_the_target_after():
    lagging = status(actual=120.0, target=250.0, expected=150.0, status="lagging", period="2024-06")
    assert gap(lagging) == (30.0, "序时进度")
    missed = status(actual=200.0, target=250.0, expected=None, status="missed", period="2025-12")
    assert gap(missed) == (50.0, "目标")
    lower = status(actual=80.0, target=60.0, expected=70.0, status="off_track", rule="le", period="2024-06")
    assert gap(lower) == (10.0, "序时进度")                   # 10 above where it should be by now
    direction = status(actual=1420.0, target=1850.0, baseline=1850.0, kind="direction", status="missed")
    assert gap(direction) == (430.0, "基期")


def test_behind_since_is_the_start_of_the_unbroken_run_and_judges_no_further_back():
    history = {"2023-09": dict(a="on_track", b="on_track", c="lagging"),
               "2023-12": dict(a="lagging", b="on_track", c="lagging"),
               "2024-03": dict(a="lagging", b="lagging", c="on_track"),
               "2024-06": dict(a="off_track", b="lagging", c="lagging", d="met")}
    asked = []

    def status_at(s, month):
        asked.append((s.code, month))
        return history[month].get(s.code, "no_data")
    now = [status(code=c, status=v) for c, v in history["2024-06"].items()]
    assert behind_since(now, "2024-06", ["2024-03", "2023-12", "2023-09"], status_at) == {
        ("a", "2025-12"): "2023-12", ("b", "2025-12"): "2024-03", ("c", "2025-12"): "2024-06"}
    # each goal is judged back only to the first month its run does not reach; d (met) is never judged again
    assert asked == [("a", "2024-03"), ("a", "2023-12"), ("a", "2023-09"), ("b", "2024-03"), ("b", "2023-12"),
                     ("c", "2024-03")]


def cli_status(store: Path, as_of: str) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(store), "status", "--as-of", as_of,
                           "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)["targets"]


@pytest.mark.parametrize("as_of", ["2024-06", "2025-12"])
def test_the_list_is_exactly_the_goals_behind_by_the_cli(demo_store, catalog, as_of):
    expected = {(t["code"], t["deadline"]) for t in cli_status(demo_store, as_of)
                if t["status"] in ("lagging", "off_track", "missed")}
    items = Readings(Store(demo_store), catalog, as_of).behind
    assert {(i.status.code, i.status.deadline) for i in items} == expected
    assert len(expected) >= 8
    # every item is under each unit its clause names, and nowhere else
    groups = by_department(items)
    for unit, found in groups:
        assert all(unit in i.status.departments for i in found)
    assert sum(len(found) for _, found in groups) == sum(len(i.status.departments) for i in items)
    assert all(i.since is not None and i.since <= as_of for i in items)


def test_idle_land_has_been_behind_since_its_deadline(demo_store, catalog):
    """闲置土地处置率 ≥ 30 % by 2023-12 (plan 七); the sample's 01 file has 25.0 for 2023年: missed from 2023-12 on,
    30 − 25 = 5 points short."""
    items = Readings(Store(demo_store), catalog, "2024-06").behind
    idle = [i for i in items if i.status.code == "idle_land_disposal_rate"]
    assert len(idle) == 1
    assert (idle[0].status.status, idle[0].gap, idle[0].gap_to, idle[0].since) == ("missed", 5.0, "目标", "2023-12")
    assert idle[0].gap_text == "低于目标 5.0 个百分点"          # a gap in a rate is in points, one decimal as the rate


def test_compare_two_months(demo_store, catalog):
    store = Store(demo_store)
    before, after = Readings(store, catalog, "2023-12").report.statuses, Readings(store, catalog, "2024-06").report.statuses
    changes = {(c.after.code, c.after.deadline): c for c in compare(before, after)}
    poly = changes[("polysilicon_capacity", "2025-12")]
    # sample 01/03: 50,000 t at 2023-12 (一期), 170,000 t from 2024-04 (二期首批 12 万吨): moved +120,000 t
    assert (poly.before.actual, poly.after.actual, poly.moved) == (50_000, 170_000, 120_000)
    assert len(changes) == len(after) == 29
    growth_2024 = changes[("output_value", "2024-12")]
    assert (growth_2024.before.status, growth_2024.after.status) == ("pending", "off_track")
    # 待完成 ranks between behind and on track: not started → 严重滞后 is a step back
    assert growth_2024.status_changed and growth_2024.direction == "退步"


def test_status_and_figure_changes_are_two_facts(demo_store, catalog):
    """2025-11 → 2025-12 on the sample: the deadline passes. 农特产品加工转化率 rose 67 → 71.5 % (向好) while its status
    fell 严重滞后 → 未达标 (退步); 两大产业集群基本形成 went 待完成 → 达标 (好转), its figure 未完成 → 已完成."""
    store = Store(demo_store)
    found = {c.after.code: c for c in compare(Readings(store, catalog, "2025-11").report.statuses,
                                               Readings(store, catalog, "2025-12").report.statuses)}
    agri = found["agri_processing_rate"]
    assert (agri.moved_text, agri.figure_direction, agri.direction) == ("+4.5 个百分点", "向好", "退步")
    clusters = found["clusters_formed"]
    assert (clusters.moved_text, clusters.figure_direction, clusters.direction) == ("未完成 → 已完成", "向好", "好转")
    assert change_label(clusters) == "待完成 → 达标"
    firms = found["new_above_scale_firms"]                      # 5 → 8 户 and the deadline passed short of 10
    assert (firms.moved_text, firms.figure_direction, firms.direction) == ("+3 户", "向好", "退步")
    fdi = found["foreign_capital"]                              # 960 → 780 万美元: a fall is 变差
    assert (fdi.moved_text, fdi.figure_direction) == ("-180 万美元", "变差")
    cells = found["solar_cell_firms"]                           # 0 → 0 户: the figure did not move
    assert (cells.moved_text, cells.figure_direction) == ("无变化", "不变")


def test_a_lower_is_better_figure_improves_when_it_falls(catalog):
    from cnpark.rules.status import TargetStatus
    before = TargetStatus("x", "闲置厂房比例", "%", "2022-12", 14.0, 10.0, 0.7, "off_track", "2022-06", rule="le")
    after = TargetStatus("x", "闲置厂房比例", "%", "2022-12", 11.5, 10.0, 0.87, "lagging", "2022-09", rule="le")
    change = compare([before], [after])[0]
    assert (change.moved_text, change.figure_direction, change.direction) == ("-2.5 个百分点", "向好", "好转")


def test_every_compared_value_says_its_own_period(demo_store, catalog):
    """The 督办 comparison's columns are months, but a flow is judged on its last full year: at 2025-11 营业收入 is the
    2024 full year (data/sample/01: 1,020,000 万元), not November's cumulative. The cell says so; 2025-12 is the 2025 year
    itself (1,302,000), so its cell needs no period. Two meetings that read the same year see no new data, not 不变."""
    store = Store(demo_store)
    nov, dec = Readings(store, catalog, "2025-11").report.statuses, Readings(store, catalog, "2025-12").report.statuses
    rows = {r["目标"]: r for r in change_frame(nov, dec, "2025-11", "2025-12").to_dict("records")}
    assert (rows["营业收入"]["2025-11"], rows["营业收入"]["2025-12"]) == ("1,020,000 万元（2024年）", "1,302,000 万元")
    assert rows["营业收入"]["数值变化"] == "+282,000 万元"            # 2025 full year against 2024 full year: like with like
    october = Readings(store, catalog, "2025-10").report.statuses
    same = {c.after.code: c for c in compare(october, nov)}["revenue"]
    assert (same.moved_text, same.figure_direction, same.moved) == ("无新数据（均为2024年）", "", None)
    assert "营业收入" not in set(change_frame(october, nov, "2025-10", "2025-11")["目标"])   # nothing moved: not listed
