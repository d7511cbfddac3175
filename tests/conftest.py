import pytest
import streamlit as st

from cnpark.catalog import load_catalog


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory, catalog):
    """A store loaded with the bundled sample data through the ordinary ingest path (read-only for tests)."""
    from cnpark.service import load_demo
    from cnpark.store import Store

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
