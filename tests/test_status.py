"""The status rule, branch by branch. Every expected number is worked out by hand in the comments."""

from pathlib import Path

import pandas as pd
import pytest

from cnpark.plan.catalog import load_catalog
from cnpark.rules.status import compute_status, count_statuses, due_share, judge, latest_month

FILES = Path(__file__).parent / "files"


def indicators(*rows):
    """rows: (code, period, value[, area])"""
    return pd.DataFrame({
        "indicator": [r[0] for r in rows], "period": [r[1] for r in rows],
        "area": [r[3] if len(r) > 3 else "" for r in rows], "value": [float(r[2]) for r in rows],
        "unit": [""] * len(rows), "cumulative": [True] * len(rows), "note": [""] * len(rows),
        "source_row": list(range(2, len(rows) + 2)),
    })


def ledger(*rows):
    """rows: (debt_id, period, resolved, overdue)"""
    return pd.DataFrame({
        "debt_id": [r[0] for r in rows], "period": [r[1] for r in rows],
        "resolved": [float(r[2]) for r in rows], "overdue": [r[3] for r in rows],
        "balance": [0.0] * len(rows), "new_debt": [0.0] * len(rows),
    })


NO_DEBT = ledger()


def status_of(catalog, code, data, as_of, debt=NO_DEBT, deadline=None):
    found = [s for s in compute_status(catalog, {"indicators": data, "debt": debt}, as_of)
             if s.code == code and (deadline is None or s.deadline == deadline)]
    assert len(found) == 1
    return found[0]


# ---------------------------------------------------------------------------- building blocks

def test_due_share_linear_counts_months_from_plan_start():
    # 2022-12 → 2024-06 is 18 of the 36 months to 2025-12
    assert due_share("2024-06", "2022-12", "2025-12") == pytest.approx(0.5)
    assert due_share("2022-06", "2022-12", "2025-12") == 0.0     # before the start: nothing due
    assert due_share("2026-06", "2022-12", "2025-12") == 1.0


def test_due_share_compound_follows_doubling_path():
    # revenue doubles 2021-12 → 2025-12 (48 months); at 2023-12 (24 months) the path is B·2^(1/2):
    # share of the way from B to 2B = (√2 − 1) / (2 − 1) = 0.414214
    assert due_share("2023-12", "2021-12", "2025-12", "compound", 2) == pytest.approx(0.414214, abs=1e-6)


def test_judge_bands():
    assert judge(0.50, 0.50, 0.10) == "on_track"
    assert judge(0.45, 0.50, 0.10) == "lagging"
    assert judge(0.39, 0.50, 0.10) == "off_track"


# ---------------------------------------------------------------------------- stock ≥ target (polysilicon)

@pytest.mark.parametrize("value, expected", [
    (160_000, "on_track"),   # p = (160000−50000)/(250000−50000) = 0.55 ≥ s = 0.5
    (145_000, "lagging"),    # p = 95000/200000 = 0.475, within 0.10 of 0.5
    (100_000, "off_track"),  # p = 0.25 < 0.4
    (250_000, "met"),        # at the target before the deadline
])
def test_stock_before_deadline(catalog, value, expected):
    data = indicators(("polysilicon_capacity", "2022-12", 50_000), ("polysilicon_capacity", "2024-06", value))
    s = status_of(catalog, "polysilicon_capacity", data, "2024-06")
    assert s.status == expected
    assert s.actual == value and s.target == 250_000 and s.period == "2024-06"
    assert s.completion == pytest.approx(value / 250_000)


def test_stock_uses_latest_value_not_after_as_of(catalog):
    data = indicators(("polysilicon_capacity", "2022-12", 50_000), ("polysilicon_capacity", "2024-03", 150_000),
                      ("polysilicon_capacity", "2024-09", 250_000))
    s = status_of(catalog, "polysilicon_capacity", data, "2024-06")
    # t = 2024-03: s = 15/36 = 0.4167; p = 100000/200000 = 0.5 → on track; the September value is not seen yet
    assert (s.status, s.actual, s.period) == ("on_track", 150_000, "2024-03")
    assert s.due_share == pytest.approx(15 / 36)


def test_stock_judged_on_deadline_year(catalog):
    data = indicators(("polysilicon_capacity", "2022-12", 50_000), ("polysilicon_capacity", "2025-12", 240_000))
    s = status_of(catalog, "polysilicon_capacity", data, "2026-03")
    assert (s.status, s.period) == ("missed", "2025-12")
    assert s.completion == pytest.approx(0.96)
    stale = indicators(("polysilicon_capacity", "2024-12", 250_000))
    assert status_of(catalog, "polysilicon_capacity", stale, "2025-12").status == "no_data"


def test_no_data_is_not_zero(catalog):
    s = status_of(catalog, "agri_processing_rate", indicators(), "2024-06")
    assert s.status == "no_data" and s.actual is None and s.completion is None


def test_other_areas_do_not_count_for_the_park(catalog):
    data = indicators(("agri_processing_rate", "2025-12", 80, "茶叶"))
    assert status_of(catalog, "agri_processing_rate", data, "2025-12").status == "no_data"


# ---------------------------------------------------------------------------- revenue: 2 × 2021, compound path

@pytest.mark.parametrize("v2023, expected", [
    (900_000, "on_track"),   # p = 300000/600000 = 0.5 ≥ s = 0.414214
    (800_000, "lagging"),    # p = 0.3333 ≥ 0.314214 (a linear path would give s = 0.5 → off track)
    (780_000, "off_track"),  # p = 0.3 < 0.314214
])
def test_revenue_compound_path(catalog, v2023, expected):
    data = indicators(("revenue", "2021-12", 600_000), ("revenue", "2023-12", v2023),
                      ("revenue", "2024-06", 500_000))  # a half-year figure: flows are judged on full years
    s = status_of(catalog, "revenue", data, "2024-06")
    assert s.status == expected
    assert (s.target, s.period, s.baseline) == (1_200_000, "2023-12", 600_000)
    assert s.due_share == pytest.approx(2 ** 0.5 - 1)


def test_revenue_final(catalog):
    data = indicators(("revenue", "2021-12", 600_000), ("revenue", "2025-12", 1_260_000))
    s = status_of(catalog, "revenue", data, "2025-12")
    assert s.status == "met" and s.completion == pytest.approx(1.05)   # 1260000 / 1200000
    assert status_of(catalog, "revenue", indicators(("revenue", "2025-12", 1), ), "2025-12").status == "no_data"


# ---------------------------------------------------------------------------- output value: +20 % each year

def test_growth_full_year(catalog):
    data = indicators(("output_value", "2022-12", 1_000_000), ("output_value", "2023-12", 1_250_000),
                      ("output_value", "2024-12", 1_100_000))
    s23 = status_of(catalog, "output_value", data, "2025-01", deadline="2023-12")
    s24 = status_of(catalog, "output_value", data, "2025-01", deadline="2024-12")
    assert (s23.status, s23.unit, s23.target) == ("met", "%", 20)
    assert s23.actual == pytest.approx(25.0)            # 1250000/1000000 − 1
    assert s24.status == "missed"
    assert s24.actual == pytest.approx(-12.0)           # 1100000/1250000 − 1
    assert status_of(catalog, "output_value", data, "2025-01", deadline="2025-12").status == "no_data"


def test_growth_year_to_date(catalog):
    data = indicators(("output_value", "2022-06", 500_000), ("output_value", "2023-06", 592_000),
                      ("output_value", "2023-06", 592_000))
    s = status_of(catalog, "output_value", data, "2023-07", deadline="2023-12")
    # 592000/500000 − 1 = 18.4 %; 18.4/20 = 0.92 ≥ 1 − 0.10 → lagging
    assert s.status == "lagging" and s.actual == pytest.approx(18.4) and s.period == "2023-06"
    slow = indicators(("output_value", "2023-06", 520_000), ("output_value", "2024-06", 600_000))
    # 600000/520000 − 1 = 15.38 % → 0.769 of the target → off track
    assert status_of(catalog, "output_value", slow, "2024-06", deadline="2024-12").status == "off_track"
    # the 2025 goal has not started in mid-2024
    assert status_of(catalog, "output_value", slow, "2024-06", deadline="2025-12").status == "pending"


# ---------------------------------------------------------------------------- yearly sum: new 规上 firms

def test_yearly_sum(catalog):
    data = indicators(("new_above_scale_firms", "2023-06", 1), ("new_above_scale_firms", "2023-12", 3),
                      ("new_above_scale_firms", "2024-06", 1), ("new_above_scale_firms", "2024-12", 2),
                      ("new_above_scale_firms", "2025-12", 3))
    mid = status_of(catalog, "new_above_scale_firms", data, "2024-09")
    # 3 (2023 full year) + 1 (2024 so far) = 4; t = 2024-06: s = 0.5, p = 0.4 → lagging
    assert (mid.actual, mid.period, mid.status) == (4, "2024-06", "lagging")
    final = status_of(catalog, "new_above_scale_firms", data, "2025-12")
    assert (final.actual, final.status) == (8, "missed")   # 3 + 2 + 3 < 10
    assert final.completion == pytest.approx(0.8)


# ---------------------------------------------------------------------------- yearly targets (标准地)

def test_yearly_targets_one_entry_each(catalog):
    data = indicators(("standard_land_share", "2022-12", 10), ("standard_land_share", "2023-12", 22),
                      ("standard_land_share", "2024-12", 35))
    entries = [s for s in compute_status(catalog, {"indicators": data, "debt": NO_DEBT}, "2025-03") if s.code == "standard_land_share"]
    assert [(s.deadline, s.target, s.status) for s in entries] == [
        ("2023-12", 20, "met"), ("2024-12", 40, "missed"),
        # 2025 goal: p = (35 − 10)/(60 − 10) = 0.5; t = 2024-12: s = 24/36 = 0.667 → off track
        ("2025-12", 60, "off_track")]


# ---------------------------------------------------------------------------- milestones

@pytest.mark.parametrize("rows, as_of, expected", [
    ([("plan_approval", "2023-08", 1)], "2023-12", "met"),
    ([("plan_approval", "2023-11", 1)], "2023-12", "missed"),        # done, but after 2023-09
    ([("plan_approval", "2023-06", 0)], "2023-06", "pending"),
    ([("plan_approval", "2023-06", 0)], "2023-10", "missed"),
    ([], "2023-10", "no_data"),
    ([("plan_approval", "2023-08", 1)], "2023-07", "no_data"),       # not yet known at that month
])
def test_milestones(catalog, rows, as_of, expected):
    assert status_of(catalog, "plan_approval", indicators(*rows), as_of).status == expected


# ---------------------------------------------------------------------------- direction-only goals

def test_direction_goal(catalog):
    data = indicators(("labor_productivity", "2022-12", 20), ("labor_productivity", "2024-12", 25),
                      ("labor_productivity", "2025-12", 19))
    mid = status_of(catalog, "labor_productivity", data, "2025-03")
    assert (mid.status, mid.target) == ("on_track", 20) and mid.completion == pytest.approx(1.25)
    assert status_of(catalog, "labor_productivity", data, "2025-12").status == "missed"   # 19 < 20


# ---------------------------------------------------------------------------- debt

def test_debt_progress_and_overdue(catalog):
    plan = indicators(("debt_resolution_plan", "2023-12", 30_000), ("debt_resolution_plan", "2024-12", 35_000),
                      ("debt_resolution_plan", "2025-12", 40_000))
    debt = ledger(("D1", "2022-12", 5_000, False),   # before the plan: not counted
                  ("D1", "2023-12", 20_000, False), ("D2", "2023-12", 8_000, False),
                  ("D1", "2024-06", 12_000, False), ("D2", "2024-06", 0, True))
    s = status_of(catalog, "debt_resolution", plan, "2024-06", debt=debt)
    # resolved 20000 + 8000 + 12000 = 40000 of 105000 (p = 0.38095);
    # due: 30000 + 35000 × 6/12 = 47500 → s = 0.45238; p ≥ s − 0.10 → lagging
    assert (s.actual, s.target, s.status, s.period) == (40_000, 105_000, "lagging", "2024-06")
    assert s.due_share == pytest.approx(47_500 / 105_000)
    assert s.overdue == ("D2",)
    final = status_of(catalog, "debt_resolution", plan, "2025-12",
                      debt=ledger(("D1", "2025-12", 96_000, False)))
    assert final.status == "missed" and final.completion == pytest.approx(96_000 / 105_000)


def test_debt_without_plan_is_no_data(catalog):
    s = status_of(catalog, "debt_resolution", indicators(), "2024-06", debt=ledger(("D1", "2023-12", 1, False)))
    assert s.status == "no_data"


# ---------------------------------------------------------------------------- another plan: lower is better

def test_tiny_catalog_lower_is_better_and_own_tolerance():
    tiny = load_catalog(FILES / "catalog_tiny.toml")
    data = indicators(("vacant_factory_share", "2020-12", 30), ("vacant_factory_share", "2021-12", 22))
    s = status_of(tiny, "vacant_factory_share", data, "2021-12")
    # mirrored: p = (30 − 22)/(30 − 10) = 0.4; s = 12/24 = 0.5; this plan's tolerance is 0.05 → off track
    assert s.status == "off_track" and s.progress == pytest.approx(0.4)
    assert s.completion == pytest.approx(10 / 22)
    done = indicators(("vacant_factory_share", "2022-12", 9))
    assert status_of(tiny, "vacant_factory_share", done, "2022-12").status == "met"
    assert [t.code for t in tiny.targets] == ["vacant_factory_share", "steel_capacity"]


def test_every_tracked_goal_has_an_entry(catalog):
    statuses = compute_status(catalog, {"indicators": indicators(), "debt": NO_DEBT}, "2025-12")
    expected = sum(len(t.goals) for t in catalog.targets if t.is_tracked)
    # 25 tracked targets (12 numeric, debt, 7 milestones, 5 direction); output growth and 标准地 have 3 years each
    assert len(statuses) == expected == 29
    assert count_statuses(statuses)["no_data"] == expected


def test_latest_month():
    assert latest_month({"indicators": indicators(("revenue", "2024-12", 1), ("revenue", "2025-03", 1)),
                         "debt": ledger(("D1", "2025-06", 0, False))}) == "2025-06"
    assert latest_month({"indicators": indicators(), "debt": NO_DEBT}) is None


def test_change_since_previous_period(catalog):
    data = indicators(("polysilicon_capacity", "2022-12", 50_000), ("polysilicon_capacity", "2024-03", 150_000),
                      ("polysilicon_capacity", "2024-06", 170_000))
    s = status_of(catalog, "polysilicon_capacity", data, "2024-09")
    assert (s.previous, s.previous_period, s.change) == (150_000, "2024-03", 20_000)
    first = status_of(catalog, "polysilicon_capacity", indicators(("polysilicon_capacity", "2024-06", 1)), "2024-06")
    assert first.previous is None and first.change is None
    growth = indicators(("output_value", "2022-12", 100), ("output_value", "2023-12", 125), ("output_value", "2024-12", 150))
    s = status_of(catalog, "output_value", growth, "2025-03", deadline="2024-12")
    # 2024: 150/125 − 1 = 20 %; the reading a month before its period (2024-11) has no 2024 data → no previous
    assert s.actual == pytest.approx(20.0) and s.previous is None
