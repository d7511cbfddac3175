import pytest
import streamlit as st

from cnpark.plan.catalog import load_catalog


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


def open_page(monkeypatch, store_dir, page: str, **query):
    """A page through AppTest on the store at store_dir, with these query parameters (the page's URL state)."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CNPARK_DATA_DIR", str(store_dir))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    at.switch_page(page)
    return at.run()
