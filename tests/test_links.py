"""A link is the view: a parameter that cannot be followed is said in one line — what was asked, why not, and what
is shown instead — never silently replaced; 复制链接 carries every piece of state the page has. AppTest on the sample
store (data/sample: months with data are 2021-12, 2022-12 and every month 2023-01 … 2025-12; 8 uploads, S00001–S00008)."""

from __future__ import annotations

import pytest

from tests.conftest import app_test


def notes(at) -> list[str]:
    return [i.value for i in at.info if i.icon == ":material/link_off:"]


@pytest.fixture(autouse=True)
def _clean(fresh_caches):
    yield


@pytest.mark.parametrize(("page", "query", "expected"), [
    ("app.py", {"as_of": "2099-13"}, "链接中的截至月份“2099\\-13”不是有效的月份（应写作 2025-06），现显示截至 2025-12 的情况。"),
    ("app.py", {"as_of": "2022-01"}, "链接中的截至月份“2022\\-01”没有数据，现显示截至 2025-12 的情况。"),
    ("app.py", {"as_of": "2021-06"}, "链接中的截至月份“2021\\-06”早于有数据的第一个月份 2021-12，现显示截至 2025-12 的情况。"),
    ("app.py", {"as_of": "2026-03"}, "链接中的截至月份“2026\\-03”晚于有数据的最新月份 2025-12，现显示截至 2025-12 的情况。"),
    ("app.py", {"snapshot": "S99999"}, "链接中的数据版本“S99999”不存在，现显示当前（最新）数据。"),
    ("app.py", {"plan": "nonexistent"},
     "链接中的规划“nonexistent”未安装，现显示《云南昌宁产业园区振兴三年行动计划(2023-2025年)》。"),
    ("app.py", {"mode": "projector"}, "链接中的模式“projector”无效（调度会模式写作 mode=meeting），现显示普通视图。"),
    ("app.py", {"asof": "2024-06"}, "链接中的参数“asof=2024\\-06”本系统不认识，现显示未按它筛选的视图。"),
    ("app.py", {"deadline": "2030"}, "链接中的期限年度“2030”不在可选范围内，现显示“全部期限”。"),
    ("pages/supervision.py", {"since": "abc"},
     "链接中的对比月份“abc”不是截至月份 2025-12 之前有数据的月份，现显示与 2025-11 相比。"),
    # the overview's screens: the reckoning, then whole groups of at most 10 gauges (catalog groups 经济总量 9 |
    # 产业集群 4 + 绿色硅 2 + 绿色食品 1 | 要素保障 7 + 债务 1 | 党建与体制机制 5): 1 + 4 = 5
    ("app.py", {"mode": "meeting", "screen": "99"}, "链接中的屏号“99”不存在（本页共 5 屏），现显示第 5 屏。"),
    ("app.py", {"mode": "meeting", "cycle": "fast"}, "链接中的自动翻屏间隔（秒）“fast”无效（至少 5 秒），现显示不自动翻屏。"),
])
def test_a_parameter_that_cannot_be_followed_is_said(monkeypatch, demo_store, page, query, expected):
    at = app_test(monkeypatch, demo_store, page, **query)
    assert not at.exception
    assert notes(at) == [expected]


def test_a_month_typed_loosely_is_the_month_asked(monkeypatch, demo_store):
    at = app_test(monkeypatch, demo_store, "app.py", as_of="2024-6")
    assert notes(at) == [] and at.selectbox(key="as_of").value == "2024-06"
    assert at.query_params["as_of"] == "2024-06"


@pytest.mark.parametrize(("query", "noted"), [
    ({"as_of": "2024-6", "snapshot": "S00003"}, []),
    ({"as_of": "2099-13", "snapshot": "S99999"}, ["链接中的截至月份“2099\\-13”不是有效的月份（应写作 2025-06），现显示截至 2025-12 的情况。",
                                                "链接中的数据版本“S99999”不存在，现显示当前（最新）数据。"]),
])
def test_a_meeting_link_is_followed_without_the_sidebar(monkeypatch, demo_store, query, noted):
    """The projector hides the sidebar, so meeting mode draws none of it (issue 24: the screen paints sooner): no
    page links, selectors or 复制链接; the month and data version are the link's, a wrong one said as anywhere."""
    at = app_test(monkeypatch, demo_store, "app.py", mode="meeting", **query)
    assert not at.exception and not at.selectbox and not at.code
    assert not at.sidebar.get("page_link") and not at.sidebar.get("popover") and not at.sidebar.markdown
    assert sorted(notes(at)) == sorted(noted)
    month = "2024-06" if not noted else "2025-12"           # 2024-6 is the month asked; 2099-13 falls back
    assert at.title[0].value == f"总览 · 截至 {month}"
    assert at.query_params.get("snapshot") == ("S00003" if not noted else None)
    at = app_test(monkeypatch, demo_store, "app.py", **query)           # the same link outside meeting mode
    assert at.selectbox(key="as_of").value == month
    assert len(at.sidebar.get("page_link")) >= 10 and at.sidebar.get("popover")       # the sidebar as ever


def test_a_task_that_is_not_in_the_plan_is_said(monkeypatch, demo_store):
    at = app_test(monkeypatch, demo_store, "pages/tasks.py", task="99")
    # the plan has 21 tasks; the first is shown, by its lead phrase (三、主要任务 1.全面加强党的领导。)
    assert notes(at) == ["链接中的任务“99”不在可选范围内，现显示“第1条 全面加强党的领导”。"]


def test_a_valid_link_says_nothing(monkeypatch, demo_store):
    at = app_test(monkeypatch, demo_store, "pages/supervision.py", as_of="2024-06", since="2024-03")
    assert notes(at) == []


def test_copy_link_carries_every_choice_and_can_pin_the_data(monkeypatch, demo_store):
    # the task detail puts its task into the URL after the sidebar is drawn; the link still carries it
    at = app_test(monkeypatch, demo_store, "pages/tasks.py", unit="县自然资源局")
    here, pinned = (c.value for c in at.code)
    assert "unit=%E5%8E%BF%E8%87%AA%E7%84%B6%E8%B5%84%E6%BA%90%E5%B1%80" in here and "task=" in here
    assert "snapshot=" not in here                  # follows the latest data …
    assert "snapshot=S00008" in pinned and "as_of=2025-12" in pinned and "task=" in pinned   # … or pinned to it
    at = app_test(monkeypatch, demo_store, "app.py", snapshot="S00003")
    assert [c.value.count("snapshot=S00003") for c in at.code] == [1]       # already pinned: one link
