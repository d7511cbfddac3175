"""No cold page for a leader: the caches of the latest month are built before anyone asks for them.

A background thread of the server process warms them once at start (`python -m cnpark serve` starts it before the
first request; under a plain `streamlit run app.py` the first page run starts it) and again each time the store's
version changes — an upload on the page, an ingest or rollback from the command line, a restore — within
`warm_interval` seconds (at once when the commit was made on this server). It fills exactly the cache entries a
first viewer's runs read: the same functions, the same arguments.
"""

from __future__ import annotations

import logging
import threading
import time

from cnpark import settings

_LOG = logging.getLogger("cnpark.warm")
_lock = threading.Lock()
_wake = threading.Event()
_started: set[str] = set()
_warmed: dict[str, tuple[int, int]] = {}      # data_dir setting → the version whose caches are built


def warm() -> tuple[int, int]:
    """Build every reading a first viewer of the latest month needs, for the store's current version; the version."""
    from cnpark.outputs.charts import GAUGE_SIZE, MEETING_GAUGE_SIZE
    from cnpark.ui.cache import State, arrow_spec_set
    state = State.now()         # the same read model as a page run's (under the default plan), through the same keys
    base = state.readings(None, None)
    if not base.months:
        return state.version
    r = state.readings(base.as_of, None)
    for size in (GAUGE_SIZE, MEETING_GAUGE_SIZE):
        arrow_spec_set(r, size)
    r.build("behind", "tasks", *(["pipeline"] if r.has("projects") else []))     # 督办清单, 重点工作, 重点项目
    earlier = [m for m in base.months if m < r.as_of]
    if earlier:
        state.readings(earlier[0], None).build("report")     # the 督办 page's default comparison (the month before)
    return state.version


def warmed() -> tuple[int, int] | None:
    """The version of the store whose caches the warmer has built (None: not yet)."""
    return _warmed.get(str(settings.path("data_dir")))


def nudge() -> None:
    """The store changed on this server (an upload or a rollback): warm now rather than at the next poll."""
    _wake.set()


def start() -> None:
    """Start the warmer for the configured store once per process (later calls do nothing). Only in a server:
    without Streamlit's runtime (scripts) there is no shared cache to warm, and AppTest's runtime is a stand-in."""
    from streamlit import runtime
    from streamlit.runtime import Runtime

    if not runtime.exists() or type(runtime.get_instance()) is not Runtime:     # AppTest: MagicMock(spec=Runtime)
        return
    key = str(settings.path("data_dir"))
    with _lock:
        if key in _started:
            return
        _started.add(key)
    if not _LOG.handlers:       # one line per warm-up in the server's log (Streamlit configures only its own loggers)
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s cnpark %(message)s"))
        _LOG.addHandler(handler)
        _LOG.setLevel(logging.INFO)
        _LOG.propagate = False
    threading.Thread(target=_run, args=(key,), name="cnpark-warm", daemon=True).start()


def _run(key: str) -> None:
    from cnpark.ui.cache import get_store

    interval = settings.number("warm_interval")
    while True:
        try:
            if get_store().version() != _warmed.get(key):
                started = time.perf_counter()
                _warmed[key] = warm()
                _LOG.info("预热完成：数据版本 %s，%.2f 秒", _warmed[key], time.perf_counter() - started)
        except Exception:   # a warm-up that fails must never take the server down; the page then computes itself
            _LOG.exception("预热失败（页面照常自行计算）")
        _wake.wait(interval)
        _wake.clear()
