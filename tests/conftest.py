from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import streamlit as st

from cnpark.plan.catalog import load_catalog

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory, catalog):
    """A store loaded with the bundled sample data through the ordinary ingest path (read-only for tests)."""
    from cnpark.service.uploads import load_demo
    from cnpark.store.snapshots import Store

    root = tmp_path_factory.mktemp("demo-store")
    for name, result, entry in load_demo(Store(root), catalog):
        assert entry is not None, (name, [str(p) for p in result.problems[:5]])
    return root


@pytest.fixture
def fresh_caches():
    """AppTest instances share the process's Streamlit caches: each page test starts and ends clean."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def app_test(monkeypatch, store_dir, script: str = "app.py", *, run: bool = True, secrets: dict | None = None,
             **query) -> AppTest:
    """The app through AppTest on the store at store_dir, as `streamlit run app.py` starts it: on the page script
    (relative to the repository, e.g. "pages/tasks.py"), with these query parameters (the page's URL state) and
    secrets (e.g. accounts={...}); run once unless run=False."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CNPARK_DATA_DIR", str(store_dir))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)    # the entrypoint
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    for key, value in query.items():
        at.query_params[key] = value
    if script != "app.py":
        at.switch_page(script)
    return at.run() if run else at


def signed_in_page(monkeypatch, store_dir, script: str, accounts: dict, account: str, password: str, **query):
    """A page run with these accounts in secrets.toml, after `account` signed in through its form."""
    at = app_test(monkeypatch, store_dir, script, secrets={"accounts": accounts}, **query)
    at.text_input[0].input(account)
    at.text_input[1].input(password)
    at = at.get("form_submit_button")[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def drawn_specs(at) -> list[dict]:
    """Every view an AppTest page drew, as its Vega-Lite spec: a chart's own, or each gauge of a row of gauges
    (charts.gauge_row: one chart, a described view per gauge)."""
    out = []
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        views = spec.get("hconcat", [])
        out.extend(views if views and all("description" in v for v in views) else [spec])
    return out
