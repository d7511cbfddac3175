"""The app on a real Streamlit server, driven by Debian's chromium through Playwright.

One server for the session, on a temp store loaded with the sample through the real CLI; `fresh_server` starts
another for tests that need the very first request to a server (or other server options). Screenshots go to
tests/artifacts/ (kept by CI, ignored by git).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1600, "height": 1000}

# Loaded from a page's sub-path the frontend probes /<page>/_stcore/health and …/host-config, which answer 404.
BENIGN_URLS = re.compile(r"/[^/?]+/_stcore/(health|host-config)(\?|$)")

# "Rendered" (feasibility study §3.2): the script has stopped and every Vega chart has painted (it paints after the
# script ends); with n, exactly n views drawn: a chart is one view, a row of gauges (charts.gauge_row) one per gauge,
# each a group the browser labels with its gauge's words (VIEWS_JS).
VIEWS_JS = """chart => {
  const views = [...chart.querySelectorAll('g[role="graphics-object"][aria-label]')];
  return views.length ? views.map(v => v.getAttribute('aria-label')) : [chart.getAttribute('aria-label')];
}"""
RENDERED_JS = """n => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]')) return false;
  const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')];
  if (!charts.every(c => c.querySelector('svg.marks, canvas'))) return false;
  return n === null || charts.map(""" + VIEWS_JS + """).flat().length === n;
}"""


def view_labels(page, visible: bool = False) -> list[str]:
    """Each drawn view's label in page order (VIEWS_JS): each gauge's words (Vega-Lite's `description`), a row of
    gauges giving one per gauge; visible: only charts shown (not in a closed box)."""
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    return (charts.filter(visible=True) if visible else charts).evaluate_all(f"charts => charts.flatMap({VIEWS_JS})")



# ------------------------------------------------------------------------------------------------ servers

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_demo_store(path: Path) -> Path:
    """A store at path with the sample loaded through the real CLI (`python -m cnpark --data-dir path demo`)."""
    done = subprocess.run([sys.executable, "-m", "cnpark", "--data-dir", str(path), "demo"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return path


@dataclass
class Server:
    """A `streamlit run app.py` process in its own process group."""
    url: str                 # ends with "/": the app's root, including any --server.baseUrlPath
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def start_server(data_dir: Path | None, log: Path, *options: str, script: str = "app.py",
                 timeout: float = 60, env: dict[str, str] | None = None, plain: bool = False) -> Server:
    """Start the app (`python -m cnpark serve`) or another script (`streamlit run <script>`) from the repo root on a
    free port and wait until /_stcore/health answers.
    options: extra `streamlit run` options, e.g. "--server.baseUrlPath", "cnpark"; env: the server's whole
    environment (default: this process's); plain: the app through `streamlit run app.py`, without the warmer."""
    port = free_port()
    base = "/"
    if "--server.baseUrlPath" in options:
        base = "/" + options[options.index("--server.baseUrlPath") + 1].strip("/") + "/"
    # the app starts as in production (`python -m cnpark serve`: streamlit run app.py with the caches warmed)
    launcher = ["cnpark", "serve"] if script == "app.py" and not plain else ["streamlit", "run", script]
    command = [sys.executable, "-m", *launcher, "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", *options]
    env = {**(os.environ if env is None else env), **({"CNPARK_DATA_DIR": str(data_dir)} if data_dir else {})}
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}{base}", process, log)
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(server.url + "_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"streamlit did not come up on {server.url}:\n{server.log_tail()}")
        time.sleep(0.1)


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NGINX_MAIN = """
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


def start_nginx(server: Server, where: Path) -> tuple[str, subprocess.Popen]:
    """nginx running the repo's site file (deploy/nginx-cnpark.conf, only its two ports changed) in front of a
    server started with --server.baseUrlPath cnpark, its files in where: (the app's URL through it, the process —
    stop it with os.killpg(process.pid, SIGTERM))."""
    port = free_port()
    site = (ROOT / "deploy" / "nginx-cnpark.conf").read_text()
    assert "listen 80;" in site and "proxy_pass http://127.0.0.1:8501;" in site
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};").replace(
        "127.0.0.1:8501", urllib.parse.urlsplit(server.url).netloc)
    (where / "site.conf").write_text(site)
    user = "user root;" if os.geteuid() == 0 else ""       # workers must reach the 0700 pytest temp dir
    (where / "nginx.conf").write_text(NGINX_MAIN.format(tmp=where, site=where / "site.conf", user=user))
    nginx = subprocess.Popen([NGINX, "-c", str(where / "nginx.conf"), "-p", str(where)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    url = f"http://127.0.0.1:{port}/cnpark/"
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                assert response.status == 200
                return url, nginx
        except OSError:
            if nginx.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not come up: {nginx.stderr.read().decode(errors='replace')}") from None
            time.sleep(0.1)


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    return load_demo_store(tmp_path_factory.mktemp("browser-store"))


@pytest.fixture(scope="session")
def server(browser, demo_dir, tmp_path_factory):
    """The shared server (asks for the browser first, so a missing chromium skips before anything starts)."""
    s = start_server(demo_dir, tmp_path_factory.mktemp("server") / "streamlit.log")
    yield s
    s.stop()


@pytest.fixture
def fresh_server(browser, demo_dir, tmp_path):
    """A function that starts a new server nobody has visited yet (stopped after the test)."""
    started: list[Server] = []

    def start(*options: str) -> Server:
        started.append(start_server(demo_dir, tmp_path / f"streamlit-{len(started)}.log", *options))
        return started[-1]
    yield start
    for s in started:
        s.stop()


# ------------------------------------------------------------------------------------------------ browser

def chromium_path() -> str | None:
    return shutil.which(os.environ.get("CHROMIUM", CHROMIUM))


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def browser():
    if chromium_path() is None:
        reason = (f"no chromium at {os.environ.get('CHROMIUM', CHROMIUM)}: `bash scripts/test.sh` installs Debian's "
                  "chromium and fonts-noto-cjk (or point the CHROMIUM variable at one)")
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        b = launch_chromium(playwright)
        yield b
        b.close()


PROJECTOR = {"width": 1920, "height": 1080}

# Phones as they come to the county's links: the user agents of WeChat's browser on an iPhone and of Chrome on an
# Android phone (the server draws a phone's page for them, cnpark/ui/phone.py), at the sizes of those phones.
PHONES = {
    "iphone-390": {"viewport": {"width": 390, "height": 844}, "user_agent": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Mobile/15E148 MicroMessenger/8.0.50(0x1800323b) NetType/WIFI Language/zh_CN")},
    "android-360": {"viewport": {"width": 360, "height": 800}, "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 "
        "Mobile Safari/537.36")},
}


def phone_context(browser, name: str):
    """A fresh browser context as that phone: its size and user agent, touch, a phone's screen (scale 3), zh-CN."""
    return browser.new_context(**PHONES[name], locale="zh-CN", is_mobile=True, has_touch=True, device_scale_factor=3)


def watch_console(page) -> list[str]:
    """The page's console errors and uncaught exceptions from now on, without the benign ones (a live list)."""
    errors: list[str] = []

    def on_console(message) -> None:
        url = message.location.get("url", "")
        if message.type == "error" and not BENIGN_URLS.search(url):
            errors.append(f"{message.text} [{url}]")
    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    return errors


def new_page(browser, width: int = VIEWPORT["width"], height: int = VIEWPORT["height"], **options):
    """(page, console errors): a page in a fresh browser context (no cookies, no storage, zh-CN) at width×height, its
    console watched from the start (watch_console). options: more of new_context's, e.g. extra_http_headers.
    The caller closes it: page.context.close()."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", **options)
    page = context.new_page()
    return page, watch_console(page)


def visit(page, url: str, charts: int | None = None) -> None:
    """Go to url and wait until the page has rendered (with charts: exactly that many charts painted)."""
    page.goto(url)
    wait_rendered(page, charts)


@pytest.fixture
def open_page(browser, request):
    """open_page(path="", *, server=None, width=1600, height=1000, charts=None, **options) -> (page, console errors):
    a page in a fresh context at width×height (PROJECTOR: the projector's 1920×1080) with its console watched, at
    server.url + path and rendered (charts: wait for exactly that many). server: a Server or a base URL ending in "/"
    (default: the shared `server`); path None: a blank page, for a listener to be added before the first visit.
    Every page opened is closed after the test."""
    pages: list = []

    def open_(path: str | None = "", *, server=None, width: int = VIEWPORT["width"],
              height: int = VIEWPORT["height"], charts: int | None = None, **options):
        page, errors = new_page(browser, width, height, **options)
        pages.append(page)
        if path is not None:
            if server is None:
                server = request.getfixturevalue("server")
            visit(page, (server if isinstance(server, str) else server.url) + path, charts)
        return page, errors
    yield open_
    for page in pages:
        page.context.close()


def wait_rendered(page, n_charts: int | None = None, timeout: float = 30_000) -> None:
    """Wait until the script has finished and every chart has painted (with n_charts: exactly that many).

    After an interaction first wait for something that changes (the URL, a text): until the rerun starts the
    page still shows the previous run's "notRunning". The check is repeated after a pause so a run that had not
    started yet at the first check is caught too.
    """
    page.wait_for_function(RENDERED_JS, arg=n_charts, timeout=timeout, polling=50)
    page.wait_for_timeout(150)
    page.wait_for_function(RENDERED_JS, arg=n_charts, timeout=timeout, polling=50)


# Streamlit scrolls inside its main container, not the document: full_page alone gets one screen.
CONTENT_HEIGHT_JS = """() => Math.max(window.innerHeight, ...[...document.querySelectorAll('[data-testid="stApp"] *')]
  .filter(e => /auto|scroll/.test(getComputedStyle(e).overflowY)).map(e => e.scrollHeight))"""


def screenshot(page, name: str, whole: bool = True) -> Path:
    """The page to tests/artifacts/<name>.png; whole: all of it (the viewport grows to the content's height for
    the shot), else what the viewport shows."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    viewport = page.viewport_size
    height = page.evaluate(CONTENT_HEIGHT_JS) if whole else 0
    if height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": height})
        wait_rendered(page)
        page.screenshot(path=str(path))
        page.set_viewport_size(viewport)
        wait_rendered(page)
    else:
        page.screenshot(path=str(path))
    return path


# What a user can read: the text of every visible text node in a painted font size (not the icons' ligature names,
# not text hidden by the pages' styles), the open tooltips included.
PAINTED_TEXT_JS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('[data-testid="stIconMaterial"], [data-testid="stAlertDynamicIcon"], style, script, noscript')) continue;
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    if (parseFloat(getComputedStyle(el).fontSize) < 1) continue;
    out.push(node.textContent.trim());
  }
  return out.join('\\n');
}"""


def painted_text(page) -> str:
    return page.evaluate(PAINTED_TEXT_JS)


# Text a reader cannot read whole: a text whose extent runs past a box that clips it (an ancestor with overflow other
# than visible, a chart's own SVG, the window), a label a chart shortened with "…", a headline cut by an ellipsis.
CUT_TEXT_JS = """() => {
  const cut = [];
  const main = document.querySelector('[data-testid="stMain"]');
  const clips = el => {
    const out = [];
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (a.tagName.toLowerCase() === 'svg' || cs.overflowX !== 'visible' || cs.overflowY !== 'visible') out.push(a);
    }
    return out;
  };
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement, text = node.textContent.trim();
    if (!text || !el.checkVisibility() || el.closest('[data-testid="stIconMaterial"], style')) continue;
    if (el.closest('svg') && text.endsWith('…')) { cut.push(text); continue; }
    const range = document.createRange();
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (!r.width) continue;
    if (r.right > window.innerWidth + 1 || r.left < -1) { cut.push(text); continue; }
    // a line box is taller than its glyphs (Noto CJK: about 1.45 em): only the difference may pass a box's edge
    const pad = Math.max(2, r.height - parseFloat(getComputedStyle(el).fontSize));
    for (const a of clips(el)) {
      const b = a.getBoundingClientRect();
      if (r.right > b.right + 1 || r.left < b.left - 1 || r.bottom > b.bottom + pad || r.top < b.top - pad) {
        cut.push(text); break;
      }
    }
  }
  return cut;
}"""

# The font sizes of the charts' axis labels (Vega draws them as text in groups of role axis-label).
AXIS_FONT_SIZES_JS = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"] g.role-axis-label text')]
  .map(t => parseFloat(getComputedStyle(t).fontSize))"""
