"""The pages through Streamlit's AppTest, on the sample data and on an empty store."""

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest


@pytest.fixture(autouse=True)
def fresh_caches():
    # AppTest instances share the process's caches; each test starts clean
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def run_app(monkeypatch, store_dir, **query):
    monkeypatch.setenv("CNPARK_DATA_DIR", str(store_dir))
    at = AppTest.from_file("../app.py", default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def test_overview_on_empty_store(monkeypatch, tmp_path):
    at = run_app(monkeypatch, tmp_path)
    assert not at.exception
    assert "数据仓库为空" in at.info[0].value
    assert len(at.dataframe) == 0


def test_overview_on_sample_data(monkeypatch, demo_store, catalog):
    at = run_app(monkeypatch, demo_store)
    assert not at.exception
    assert "示例数据" in at.warning[0].value
    table = at.dataframe[0].value
    expected = sum(len(t.goals) for t in catalog.targets if t.is_tracked)
    assert len(table) == expected
    assert at.selectbox(key="as_of").value == "2025-12"
    assert "截至 **2025-12**" in at.markdown[0].value


def test_overview_as_of_from_the_link(monkeypatch, demo_store):
    at = run_app(monkeypatch, demo_store, as_of="2024-06")
    assert not at.exception
    assert at.selectbox(key="as_of").value == "2024-06"
    assert "截至 **2024-06**" in at.markdown[0].value
    table = at.dataframe[0].value
    row = table[(table["目标"] == "工业总产值") & (table["期限"] == "2025-12")].iloc[0]
    assert (row["实际"], row["完成率"], row["状态"]) == ("—", "—", "待完成")      # the 2025 goal has not started
    row = table[table["目标"] == "多晶硅产能"].iloc[0]
    # 170,000 t at 2024-06: (170000 − 50000)/(250000 − 50000) = 0.6 ≥ 18/36 → on track; 170000/250000 = 68 %
    assert (row["实际"], row["完成率"], row["状态"], row["数据期"]) == ("170,000", "68%", "正常推进", "2024-06")


def test_catalog_page_lists_every_goal_with_its_clause(monkeypatch, tmp_path, catalog):
    monkeypatch.setenv("CNPARK_DATA_DIR", str(tmp_path))
    at = AppTest.from_file("../pages/目标清单.py", default_timeout=60).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 29
    poly = table[table["代码"] == "polysilicon_capacity"].iloc[0]
    assert (poly["目标值"], poly["期限"], poly["条款"]) == ("≥ 250,000 吨", "2025-12", "第12条")
    land = table[table["代码"] == "standard_land_share"]
    assert land["目标值"].tolist() == ["≥ 20 %", "≥ 40 %", "≥ 60 %"]
    assert table[table["代码"] == "revenue"].iloc[0]["目标值"] == "≥ 2 × 2021年"
    assert table[table["代码"] == "output_value"]["目标值"].tolist() == ["同比增长 ≥ 20%"] * 3
