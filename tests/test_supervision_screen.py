"""The 督办清单 page through AppTest on the sample data: every table shows all its rows, the comparison keeps the status
change and the figure's change apart, and no command line is shown to leaders."""

import re

import pytest

from tests.conftest import app_test

pytestmark = pytest.mark.usefixtures("fresh_caches")


def run(monkeypatch, store_dir, **query):
    return app_test(monkeypatch, store_dir, "pages/supervision.py", **query)


def page_text(at) -> str:
    return "\n".join(e.value for kind in ("markdown", "caption", "info", "warning", "success", "error")
                     for e in getattr(at, kind))


def test_each_unit_s_table_shows_as_many_rows_as_its_count(monkeypatch, demo_store):
    at = run(monkeypatch, demo_store)
    assert not at.exception
    headings = [m.value for m in at.markdown if re.fullmatch(r"\*\*.+\*\*（\d+ 项）", m.value)]
    tables = [t.value for t in at.table]
    assert len(headings) >= 10
    # each unit's heading is followed by its table: the count in the heading is the number of rows shown
    for heading, table in zip(headings, tables):
        assert len(table) == int(re.search(r"（(\d+) 项）", heading).group(1)), heading
    # 县产业园区管委会 is named by every clause of the sample's 11 goals behind (2025-12, tests/test_app.py)
    assert headings[0] == "**县产业园区管委会**（11 项）" and len(tables[0]) == 11


def test_the_comparison_separates_the_status_from_the_figure(monkeypatch, demo_store):
    at = run(monkeypatch, demo_store, since="2025-11")
    changes = next(t.value for t in at.table if "数值变化" in t.value.columns)
    assert list(changes.columns) == ["目标", "期限", "2025-11", "2025-12", "数值变化", "数值", "状态变化", "状态"]
    rows = {r["目标"]: r for r in changes.to_dict("records")}
    # 67.0 → 71.5 %: the figure rose (+4.5 points, 向好) while the status fell at the deadline (严重滞后 → 未达标, 退步);
    # the rate is reported by year (data/sample/01), so in November the latest is 2024's, and its cell says so
    agri = rows["农特产品加工转化率"]
    assert [agri[c] for c in ("2025-11", "2025-12", "数值变化", "数值", "状态变化", "状态")] == \
        ["67.0%（2024年）", "71.5%", "+4.5 个百分点", "向好", "严重滞后 → 未达标", "退步"]
    # 3 + 2 → 3 + 2 + 3 户: 5 → 8, up, still short of 10 at the deadline (the yearly counts: November reads 2023–2024)
    firms = rows["新增规上工业企业"]
    assert [firms[c] for c in ("2025-11", "2025-12", "数值变化", "数值", "状态")] == ["5 户（2024年）", "8 户", "+3 户", "向好", "退步"]
    clusters = rows["两大产业集群基本形成"]
    assert [clusters[c] for c in ("数值变化", "数值", "状态变化", "状态")] == \
        ["未完成 → 已完成", "向好", "待完成 → 达标", "好转"]


def test_no_command_line_on_a_leader_s_page(monkeypatch, demo_store):
    at = run(monkeypatch, demo_store)
    assert "python -m" not in page_text(at) and "cnpark brief" not in page_text(at)


def test_meeting_mode_shows_each_goal_once_in_screens_of_seven(monkeypatch, demo_store):
    at = run(monkeypatch, demo_store, mode="meeting")
    assert not at.exception
    # 11 goals behind: screens 1–7 and 8–11; the tasks behind by unit (2025-12 sample: 第2条 1 unit, 第3条 2, 第4条 5,
    # 第10条 2, 第12条 4, 第18条 1, 第21条 2 = 17 rows: 9 + 8); the 10 stalled projects of the sample ledger (6 + 4);
    # then the comparison with 2025-11 (14 goals moved: 9 + 5)
    assert any("第 1 / 8 屏" in m.value for m in at.markdown)
    first = at.table[0].value
    assert len(first) == 7 and list(first.columns) == ["目标", "期限", "状态", "差距", "滞后起始", "责任单位"]
    at = run(monkeypatch, demo_store, mode="meeting", screen="2")
    assert len(at.table[0].value) == 4
