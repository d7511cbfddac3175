"""The deployment of docs/DEPLOY.md, for real: nginx with deploy/nginx-cnpark.conf in front of a Streamlit server
that listens on loopback under /cnpark/. The page, its websocket and the page links work through the proxy, and
a user header a browser forges does not get through it.
"""

from __future__ import annotations

import os
import re
import signal
import urllib.request
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    NGINX,
    Server,
    phone_context,
    screenshot,
    start_nginx,
    start_server,
    wait_rendered,
)

N_GAUGES, AS_OF = 29, "2024-06"

@pytest.fixture
def proxied(browser, demo_dir, tmp_path, monkeypatch):
    """start(**env) -> (proxy url, direct server): Streamlit under /cnpark/ behind nginx running the repo's site
    file, with only the two ports changed."""
    if not os.path.exists(NGINX):
        reason = "no nginx: `bash scripts/test.sh` installs Debian's nginx"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    started: list = []

    def start(**env: str) -> tuple[str, Server]:
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        server = start_server(demo_dir, tmp_path / "streamlit.log", "--server.baseUrlPath", "cnpark")
        started.append(server)
        url, nginx = start_nginx(server, tmp_path)
        started.append(nginx)
        return url, server
    yield start
    for s in started:
        if isinstance(s, Server):
            s.stop()
        else:
            os.killpg(s.pid, signal.SIGTERM)
            s.wait(timeout=10)


def test_through_nginx_under_a_path_prefix(proxied, open_page):
    url, _ = proxied()
    page, errors = open_page(f"?as_of={AS_OF}", server=url, charts=N_GAUGES)
    assert page.get_by_test_id("stException").count() == 0
    screenshot(page, "through-nginx", whole=False)
    link = page.get_by_test_id("stSidebar").get_by_role("link", name="多晶硅产能")
    link.click()                                                   # a page change goes over the proxied websocket
    page.wait_for_url(re.compile(r"/cnpark/polysilicon\?as_of=2024-06$"))
    wait_rendered(page)
    assert page.get_by_test_id("stException").count() == 0
    with urllib.request.urlopen(url[:-1], timeout=5) as response:   # /cnpark without the slash is redirected
        assert urlsplit(response.url).path == "/cnpark/"
    assert errors == []


def _upload_page_user(open_page, url: str) -> str | None:
    """Who the 数据上传 page says is signed in, for a browser that sends X-Remote-User: attacker itself."""
    page, _ = open_page("upload", server=url, extra_http_headers={"X-Remote-User": "attacker"})
    try:
        expect(page.get_by_role("heading", name="数据上传")).to_be_visible()
        found = re.search(r"当前分析人员：(\S+)", page.get_by_test_id("stMain").inner_text())
        return found.group(1) if found else None
    finally:
        page.context.close()


def test_a_forged_user_header_does_not_pass_the_proxy(proxied, open_page):
    url, direct = proxied(CNPARK_USER_HEADER="X-Remote-User")
    assert _upload_page_user(open_page, url) is None
    # The same browser straight at Streamlit is let in: why the unit binds it to 127.0.0.1 behind the proxy.
    assert _upload_page_user(open_page, direct.url) == "attacker"


def test_through_nginx_a_phone_s_first_open_is_compressed(proxied, browser):
    """As deployed, the scripts and styles come gzipped (nginx) and the websocket deflated (Streamlit's
    enableWebsocketCompression): a phone's first open of the overview, with a cold cache, downloads about 1.2 MB
    over HTTP (bench/bench_phone.py: 1,176 KB, of which 546 KB Streamlit's two fonts), not the 4 MB it did."""
    url, _ = proxied()
    context = phone_context(browser, "iphone-390")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    responses: dict[str, dict] = {}
    sizes: dict[str, int] = {}
    extensions: list[str] = []
    cdp.on("Network.responseReceived", lambda e: responses.update({e["requestId"]: {
        "type": e.get("type"), "url": e["response"]["url"],
        "encoding": {k.lower(): v for k, v in e["response"]["headers"].items()}.get("content-encoding", "")}}))
    cdp.on("Network.loadingFinished", lambda e: sizes.update({e["requestId"]: int(e["encodedDataLength"])}))
    cdp.on("Network.webSocketHandshakeResponseReceived", lambda e: extensions.append(
        {k.lower(): v for k, v in e["response"]["headers"].items()}.get("sec-websocket-extensions", "")))
    cdp.send("Network.enable")
    try:
        page.goto(url)
        wait_rendered(page)
        page.locator(".cn-year").first.wait_for()
        # (nginx leaves bodies under 1 KB as they are: with headers, under 2 KB on the wire)
        scripts = [r for rid, r in responses.items() if r["type"] in ("Script", "Stylesheet") and sizes.get(rid, 0) > 2048]
        assert len(scripts) >= 20
        assert [r["url"] for r in scripts if r["encoding"] != "gzip"] == []
        assert extensions and "permessage-deflate" in extensions[0], extensions
        total = sum(sizes.values())
        assert 500_000 < total < 1_400_000, total
    finally:
        context.close()
