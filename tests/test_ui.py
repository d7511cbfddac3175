"""Page frame behaviour through AppTest: caching by manifest version, URL state that is wrong or stale."""

from pathlib import Path

import pytest

from cnpark.store.snapshots import Store
from tests.conftest import app_test, drawn_specs

ROOT = Path(__file__).resolve().parent.parent


pytestmark = pytest.mark.usefixtures("fresh_caches")


def descriptions(at) -> dict[str, str]:
    """Gauge title → the gauge in words."""
    texts = [s["description"] for s in drawn_specs(at)]
    return dict(t.split("：", 1) for t in texts)


def overview(monkeypatch, store_dir, **query):
    return app_test(monkeypatch, store_dir, run=False, **query)


def test_a_rerun_reads_no_data_when_nothing_changed(monkeypatch, demo_store):
    reads = []
    original = Store._query                                 # every read of data files goes through it
    monkeypatch.setattr(Store, "_query", lambda self, *a, **k: reads.append(a) or original(self, *a, **k))
    at = overview(monkeypatch, demo_store).run()
    assert not at.exception and reads                       # the first run reads the store
    reads.clear()
    at.run()
    assert not at.exception and reads == []                  # the rerun is served from the caches


def test_an_upload_invalidates_the_caches(monkeypatch, tmp_path, catalog):
    from cnpark.service.uploads import ingest_bytes
    store = Store(tmp_path)
    files = ROOT / "tests" / "files"
    ingest_bytes(store, catalog, (files / "cli_capacity_first_upload.csv").read_bytes(), "a.csv")
    at = overview(monkeypatch, tmp_path, as_of="2024-06").run()
    assert "100,000 吨" in descriptions(at)["多晶硅产能"]
    ingest_bytes(store, catalog, (files / "cli_capacity_correction.csv").read_bytes(), "b.csv")
    at.run()
    assert "150,000 吨" in descriptions(at)["多晶硅产能"]      # the next rerun shows the new figure


def test_unknown_month_and_snapshot_in_the_link_fall_back_to_the_latest(monkeypatch, demo_store):
    at = overview(monkeypatch, demo_store, as_of="1999-01", snapshot="S99999").run()
    assert not at.exception
    assert at.selectbox(key="as_of").value == "2025-12"
    assert at.selectbox(key="snapshot").value is None
    assert not any("历史" in i.value for i in at.info)


def test_a_target_without_data_shows_no_data_not_zero(monkeypatch, demo_store):
    at = overview(monkeypatch, demo_store, snapshot="S00001").run()   # before the debt ledger was uploaded
    assert not at.exception
    debt = descriptions(at)["园区债务化解进度"]
    assert debt.startswith("—，无数据，债务台账无数据，累计计划 105,000 万元") and "0%" not in debt


def test_plain_makes_uploaded_names_inert_in_markdown():
    from cnpark.ui import plain
    assert plain("[点我](javascript:alert(1))") == "\\[点我\\]\\(javascript\\:alert\\(1\\)\\)"
    assert plain("<img src=x onerror=alert(1)>") == "\\<img src=x onerror=alert\\(1\\)\\>"
    assert plain("工作表1") == "工作表1"


def test_the_warmer_starts_only_in_a_real_server(monkeypatch, demo_store):
    """AppTest stands a MagicMock in for Streamlit's runtime: no warm-up thread may start there (it would outlive the
    test and, once the test's CNPARK_DATA_DIR is gone, create an empty store in the repository)."""
    from cnpark.ui import warm
    at = overview(monkeypatch, demo_store).run()
    assert not at.exception
    assert warm._started == set()


def test_inert_tables_show_text_as_typed():
    """st.table renders Markdown in its cells: a unit's progress text or a project's name must not become an image the
    viewer's browser fetches, a link or bold; the displayed cell is the text escaped, the value unchanged."""
    import pandas as pd

    from cnpark.ui.text import inert
    frame = pd.DataFrame({"进展情况": ["![x](http://127.0.0.1:9/x.png) **粗体**", None], "数": [1302000.0, float("nan")]})
    html = inert(frame).to_html()
    assert "\\!\\[x\\]\\(http\\://127\\.0\\.0\\.1\\:9/x\\.png\\) \\*\\*粗体\\*\\*" in html
    assert "1,302,000.0000" in html and "nan" not in html
    assert frame["进展情况"][0] == "![x](http://127.0.0.1:9/x.png) **粗体**"      # the value itself is untouched
