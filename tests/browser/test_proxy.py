"""The deployment of docs/DEPLOY.md, for real: nginx with deploy/nginx-cnpark.conf in front of a Streamlit server
that listens on loopback under /cnpark/. The page, its websocket and the page links work through the proxy, and
a user header a browser forges does not get through it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    ROOT,
    Server,
    free_port,
    screenshot,
    start_server,
    wait_rendered,
)

N_GAUGES, AS_OF = 29, "2024-06"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

MAIN_CONF = """
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
{user}
events {{ worker_connections 256; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {site};
}}
"""


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
        port = free_port()
        site = (ROOT / "deploy" / "nginx-cnpark.conf").read_text()
        assert "listen 80;" in site and "proxy_pass http://127.0.0.1:8501;" in site
        site = site.replace("listen 80;", f"listen 127.0.0.1:{port};").replace(
            "127.0.0.1:8501", urlsplit(server.url).netloc)
        (tmp_path / "site.conf").write_text(site)
        user = "user root;" if os.geteuid() == 0 else ""       # workers must reach the 0700 pytest temp dir
        (tmp_path / "nginx.conf").write_text(MAIN_CONF.format(tmp=tmp_path, site=tmp_path / "site.conf", user=user))
        nginx = subprocess.Popen([NGINX, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        started.append(nginx)
        url = f"http://127.0.0.1:{port}/cnpark/"
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                    assert response.status == 200
                    return url, server
            except OSError:
                if nginx.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not come up: {nginx.stderr.read().decode(errors='replace')}") from None
                time.sleep(0.1)
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
