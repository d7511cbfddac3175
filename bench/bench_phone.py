"""The overview (`/`) on a leader's phone against the desktop (issue 23, "Weight"): the bytes a phone downloads for
its first screen and the whole page, and the time to the year cards with the CPU slowed down 4×.

    .venv/bin/python bench/bench_phone.py [--runs 5] [--warmup 2]

As deployed (docs/DEPLOY.md): the app under /cnpark/ behind nginx running the repo's site file
(deploy/nginx-cnpark.conf: scripts and styles gzipped; Streamlit's websocket deflated, .streamlit/config.toml), the
websocket's bytes over the wire read from nginx's access log when the page closes; --direct (or no nginx): straight
from Streamlit. One server (`python -m cnpark serve`, as bench_overview starts it) on a temp store with the sample;
BENCH_PORTS=8760-8779 makes it take its port from that range (a shared machine), otherwise any free port. Headless
Debian chromium with the browser tests' arguments. Three devices: the phones of tests/browser/conftest.py
(phone_context: "iphone-390", 390×844, WeChat's iPhone user agent, and "android-360", 360×800, Chrome on Android;
touch, is_mobile, scale 3: the server draws the phone's page for them, cnpark/ui/phone.py) and the desktop at the
projector's 1920×1080 with chromium's own user agent; zh-CN throughout.

A visit is timed from page.goto to (a) "first screen": the overview's year cards (`.cn-year`) are there and visible,
polled on every animation frame; (b) "whole page": the script is notRunning and every Vega chart has painted
(conftest's RENDERED_JS, as bench_overview). Its bytes are counted over the same spans through a CDP session on the
page (Network domain): HTTP, every response's Network.loadingFinished encodedDataLength (the transfer size: headers
and body as they came over the wire, compressed if the server compressed it); websocket, the payload of every frame
received and sent (Network.webSocketFrameReceived/Sent; Streamlit's frames are binary, base64 in payloadData: their
decoded length; a text frame its UTF-8 length). Bytes are attributed to a span by when their event reaches this
process (an event is sent before the page can draw what came with it). 1 KB = 1000 B.

Each run opens, for each device, a fresh browser context (a cold browser cache, as the first open of a shared link)
and visits once; then a second page in the same context visits again (the warm cache: a leader who opened the app
yesterday). The CPU is slowed down with Emulation.setCPUThrottlingRate on the page's CDP session before page.goto
(it holds across the navigation): ×4, then the same without throttling (×1) for reference. The devices' order
alternates run by run (phones first, then the desktop first); warm-up runs are discarded. Medians (min–max) go to
stdout as Markdown, with the goals beside them: the year cards on a phone within 1.5× the desktop's time under ×4,
the first screen under 1 MB. Then where the bytes go (by resource type, the largest scripts, what gzip would make of
them: gzip -6 of the files Streamlit serves, measured here) and the scripts only one of phone and desktop loads.
"""

from __future__ import annotations

import base64
import gzip
import os
import signal
import statistics
import sys
import tempfile
import time
import urllib.parse
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit  # noqa: E402
from bench_fill import ports_from_env  # noqa: E402
from bench_overview import N_GAUGES, arguments  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.conftest import (  # noqa: E402
    NGINX,
    PROJECTOR,
    RENDERED_JS,
    launch_chromium,
    load_demo_store,
    phone_context,
    start_nginx,
    start_server,
)

DEVICES = ["iphone-390", "android-360", "desktop"]
DESKTOP = "desktop"
LABELS = {"iphone-390": "iPhone 390×844 (WeChat)", "android-360": "Android 360×800 (Chrome)",
          "desktop": "desktop 1920×1080"}
RATES = [4, 1]
CARDS_TARGET, BYTES_TARGET = 1.5, 1_000_000           # × the desktop's time under ×4; bytes
TIMEOUT = 120_000
STATIC = Path(streamlit.__file__).parent / "static"
# The year cards drawn: at least one, and every one of them visible (a box on the screen).
CARDS_JS = """() => {
  const cards = [...document.querySelectorAll('.cn-year')];
  return cards.length > 0 && cards.every(c => c.checkVisibility() && c.getBoundingClientRect().height > 0);
}"""
CHARTS_JS = """() => document.querySelectorAll('[data-testid="stVegaLiteChart"]').length"""
SPEC_MARK = b"vega-lite/v"                            # in every spec's $schema


class Meter:
    """A page's bytes from the CDP Network domain: each response's transfer size, each websocket frame's payload."""

    def __init__(self, context, page, rate: int):
        self.cdp = context.new_cdp_session(page)
        self.responses: dict[str, dict] = {}          # requestId → url, type, content-encoding, from cache
        self.http: list[tuple[str, int]] = []         # (requestId, encodedDataLength), as they finish
        self.ws: list[tuple[str, int, int, int]] = []   # (received|sent, payload bytes, Vega-Lite specs, deflated)
        # permessage-deflate with context takeover, one stream a direction: what the frames would be compressed
        self.deflate = {d: zlib.compressobj(6, zlib.DEFLATED, -15) for d in ("received", "sent")}
        self.ws_extensions: str | None = None
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", lambda e: self.http.append((e["requestId"], int(e["encodedDataLength"]))))
        self.cdp.on("Network.webSocketFrameReceived", lambda e: self._frame("received", e["response"]))
        self.cdp.on("Network.webSocketFrameSent", lambda e: self._frame("sent", e["response"]))
        self.cdp.on("Network.webSocketHandshakeResponseReceived", self._handshake)
        self.cdp.send("Network.enable")
        self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})

    def _response(self, event: dict) -> None:
        response = event["response"]
        headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        self.responses[event["requestId"]] = {
            "url": response["url"], "type": event.get("type", "Other"),
            "encoding": headers.get("content-encoding", ""),
            "cached": bool(response.get("fromDiskCache") or response.get("fromMemoryCache"))}

    def _frame(self, direction: str, frame: dict) -> None:
        if frame.get("opcode") == 2:
            data = base64.b64decode(frame.get("payloadData", ""))
        else:
            data = frame.get("payloadData", "").encode("utf-8")
        deflated = self.deflate[direction].compress(data) + self.deflate[direction].flush(zlib.Z_SYNC_FLUSH)
        self.ws.append((direction, len(data), data.count(SPEC_MARK), len(deflated) - 4))   # less 00 00 ff ff

    def _handshake(self, event: dict) -> None:
        headers = {k.lower(): v for k, v in event["response"].get("headers", {}).items()}
        self.ws_extensions = headers.get("sec-websocket-extensions", "")

    def snapshot(self) -> dict:
        """The bytes so far: totals, and the responses finished so far (for where the bytes go)."""
        http, ws = list(self.http), list(self.ws)
        return {"http": sum(n for _, n in http), "ws": sum(n for _, n, _, _ in ws),
                "ws_received": sum(n for d, n, _, _ in ws if d == "received"), "frames": len(ws),
                "specs": sum(s for _, _, s, _ in ws), "ws_spec_bytes": sum(n for _, n, s, _ in ws if s),
                "ws_deflated": sum(z for *_, z in ws),
                "responses": [{**self.responses.get(rid, {"url": "?", "type": "Other", "encoding": "",
                                                          "cached": False}), "bytes": n} for rid, n in http]}


def open_context(browser, device: str):
    if device == DESKTOP:
        return browser.new_context(viewport=PROJECTOR, locale="zh-CN")
    return phone_context(browser, device)


class AccessLog:
    """nginx's access log: the bytes it sent on the websocket connections (/_stcore/stream) logged since the last
    take — over the wire, deflated when the connection agreed to permessage-deflate. A connection is logged when it
    closes."""

    def __init__(self, path: Path):
        self.path, self.seen = path, 0

    def take(self) -> int:
        time.sleep(0.3)                   # the close reaches nginx, which then writes the line
        lines = self.path.read_text().splitlines() if self.path.exists() else []
        new, self.seen = lines[self.seen:], len(lines)
        return sum(int(line.split('"')[2].split()[1]) for line in new if "/_stcore/stream" in line)


def timed_page(context, url: str, rate: int, log: AccessLog | None = None) -> dict:
    """One visit in a new page of context: times (s) and bytes to the year cards and to the whole page rendered
    (and, through nginx, the websocket's bytes over the wire once the page is closed)."""
    page = context.new_page()
    result: dict = {}
    try:
        meter = Meter(context, page, rate)
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function(CARDS_JS, timeout=TIMEOUT, polling="raf")
        cards = time.perf_counter() - start
        first = meter.snapshot()
        page.wait_for_function(RENDERED_JS, arg=None, timeout=TIMEOUT, polling="raf")
        rendered = time.perf_counter() - start
        whole = meter.snapshot()
        result = {"cards": cards, "rendered": rendered, "first": first, "whole": whole,
                  "charts": page.evaluate(CHARTS_JS), "ws_extensions": meter.ws_extensions}
    finally:
        page.close()
    result["ws_wire"] = log.take() if log else None
    return result


def visit_twice(browser, url: str, device: str, rate: int, log: AccessLog | None) -> tuple[dict, dict]:
    """(cold, warm): a fresh context's first visit, then a second page of the same context (its cache warm)."""
    context = open_context(browser, device)
    try:
        return timed_page(context, url, rate, log), timed_page(context, url, rate, log)
    finally:
        context.close()


# ------------------------------------------------------------------------------------------------ report

def kb(n: float) -> str:
    return f"{n / 1000:,.1f} KB"


def spread(values: list[float], unit: str = "s") -> str:
    if unit == "KB":
        low, mid, high = min(values), statistics.median(values), max(values)
        return kb(mid) if low == high else f"{kb(mid)} ({low / 1000:,.1f}–{high / 1000:,.1f})"
    return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


_gzipped: dict[Path, int | None] = {}


def gzip_size(url: str) -> int | None:
    """What gzip -6 makes of the file Streamlit serves at url (None: not a file of its static folder)."""
    path = urllib.parse.urlparse(url).path.removeprefix("/cnpark")
    file = STATIC / ("index.html" if path in ("", "/") else path.lstrip("/"))
    if file not in _gzipped:
        _gzipped[file] = len(gzip.compress(file.read_bytes(), 6)) if file.is_file() else None
    return _gzipped[file]


def by_type(responses: list[dict]) -> dict[str, tuple[int, int, int, set[str]]]:
    """type → (responses, bytes, bytes if every text file were gzipped, content-encodings seen)."""
    out: dict[str, tuple[int, int, int, set[str]]] = {}
    for r in responses:
        n, size, zipped, encodings = out.get(r["type"], (0, 0, 0, set()))
        g = gzip_size(r["url"]) if r["type"] in ("Script", "Stylesheet", "Document") and not r["encoding"] else None
        out[r["type"]] = (n + 1, size + r["bytes"], zipped + (g if g is not None else r["bytes"]),
                          encodings | {r["encoding"] or "none"})
    return out


def main() -> int:
    args = arguments(__doc__, direct=True)
    if args is None:
        return 1
    via_nginx = not args.direct and os.path.exists(NGINX)
    ports_from_env()
    load_start = Path("/proc/loadavg").read_text().split()[:3]
    runs: dict[tuple[str, int], list[tuple[dict, dict]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = load_demo_store(tmp / "store")
        nginx, log = None, None
        if via_nginx:          # as deployed (docs/DEPLOY.md): under /cnpark/ behind the repo's nginx site
            server = start_server(store, tmp / "app.log", "--server.baseUrlPath", "cnpark")
            url, nginx = start_nginx(server, tmp)
            log = AccessLog(tmp / "access.log")
        else:
            server = start_server(store, tmp / "app.log")
            url = server.url
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                for i in range(args.warmup + args.runs):
                    order = DEVICES if i % 2 == 0 else DEVICES[::-1]
                    for rate in RATES:
                        for device in order:
                            visits = visit_twice(browser, url, device, rate, log)
                            if i >= args.warmup:
                                runs.setdefault((device, rate), []).append(visits)
                browser.close()
        finally:
            if nginx:
                os.killpg(nginx.pid, signal.SIGTERM)
                nginx.wait(timeout=10)
            server.stop()
    load_end = Path("/proc/loadavg").read_text().split()[:3]

    def values(device: str, rate: int, which: int, key: str, part: str | None = None) -> list[float]:
        return [(v[which][part][key] if part else v[which][key]) for v in runs[(device, rate)]]

    def http_ws(device: str, which: int, part: str, key: str) -> list[float]:
        if key == "total":
            return [a + b for a, b in zip(values(device, 1, which, "http", part), values(device, 1, which, "ws", part))]
        return values(device, 1, which, key, part)

    route = ("through nginx with the repo's site file (deploy/nginx-cnpark.conf), as deployed" if via_nginx
             else "straight from Streamlit (no nginx)")
    print(f"The overview on the sample, {route}; headless chromium, {args.runs} runs after {args.warmup} warm-up runs "
          f"(discarded), a fresh browser context per run; medians (min–max). Machine: {os.cpu_count()} CPUs, "
          f"/proc/loadavg {' '.join(load_start)} at the start, {' '.join(load_end)} at the end. "
          "1 KB = 1000 B; HTTP bytes are transfer sizes (headers and body over the wire), websocket bytes the frames' "
          "payloads.\n")
    header = "| measure | " + " | ".join(LABELS[d] for d in DEVICES) + " | goal |"
    print(header)
    print("|---" * (len(DEVICES) + 2) + "|")

    def row(label: str, cells: list[str], goal: str = "") -> None:
        print(f"| {label} | " + " | ".join(cells) + f" | {goal} |")

    for which, visit in ((0, "cold cache"), (1, "warm cache (2nd visit, same context)")):
        for part, span in (("first", "first screen (year cards)"), ("whole", "whole page")):
            for key, what in (("http", "HTTP"), ("ws", "websocket"), ("total", "**total**")):
                cells = [spread(http_ws(d, which, part, key), "KB") for d in DEVICES]
                goal = ""
                if which == 0 and part == "first" and key == "total":
                    ok = [statistics.median(http_ws(d, 0, "first", "total")) < BYTES_TARGET for d in DEVICES[:2]]
                    goal = f"< {kb(BYTES_TARGET)} (phones) {'✓' if all(ok) else '✗'}"
                    cells = [f"**{c}**" for c in cells]
                row(f"{visit}, {span}: {what}", cells, goal)
    row("cold cache, first screen: total, in the runs under CPU ×4 (what had come by then)",
        [spread([v[0]["first"]["http"] + v[0]["first"]["ws"] for v in runs[(d, 4)]], "KB") for d in DEVICES])
    for which, visit in ((0, "cold cache"), (1, "warm cache")):
        for rate in RATES:
            for key, span in (("cards", "year cards"), ("rendered", "whole page rendered")):
                cells = [spread(values(d, rate, which, key)) for d in DEVICES]
                strong = which == 0 and rate == 4 and key == "cards"
                row(f"{visit}, CPU ×{rate}: goto → {span}", [f"**{c}**" if strong else c for c in cells])
            if which == 0:
                desk = values(DESKTOP, rate, 0, "cards")
                cells, goal = [], ""
                for d in DEVICES[:2]:
                    phone = values(d, rate, 0, "cards")
                    ratio = statistics.median(phone) / statistics.median(desk)
                    pairs = [a / b for a, b in zip(phone, desk)]
                    cells.append(f"{'**' if rate == 4 else ''}{ratio:.2f}×{'**' if rate == 4 else ''} "
                                 f"(run by run {min(pairs):.2f}–{max(pairs):.2f})")
                    if rate == 4:
                        goal += "✓" if ratio <= CARDS_TARGET else "✗"
                row(f"cold cache, CPU ×{rate}: year cards, phone / desktop (of the medians)", cells + ["—"],
                    f"≤ {CARDS_TARGET}× {goal}" if rate == 4 else "")
    if via_nginx:
        for which, visit in ((0, "cold cache"), (1, "warm cache")):
            row(f"{visit}, whole page: websocket over the wire (nginx's log, the connection deflated: "
                f"{runs[(DESKTOP, 1)][-1][0]['ws_extensions'] or 'no extension'})",
                [spread(values(d, 1, which, "ws_wire"), "KB") for d in DEVICES])
            row(f"**{visit}, whole page: HTTP + websocket over the wire**",
                [f"**{spread([a + b for a, b in zip(values(d, 1, which, 'http', 'whole'), values(d, 1, which, 'ws_wire'))], 'KB')}**"
                 for d in DEVICES])
    row("charts on the page (all painted) · Vega-Lite specs in the websocket frames",
        [f"{statistics.median(values(d, 1, 0, 'charts')):g} · "
         f"{statistics.median(values(d, 1, 0, 'specs', 'whole')):g}" for d in DEVICES])
    row("websocket, whole page: frames (received + sent) · bytes received · in the frames carrying a spec · "
        "all frames if permessage-deflate (estimate)",
        [" · ".join([f"{statistics.median(values(d, 1, 0, 'frames', 'whole')):g}"]
                    + [kb(statistics.median(values(d, 1, 0, k, 'whole')))
                       for k in ("ws_received", "ws_spec_bytes", "ws_deflated")]) for d in DEVICES])

    # where the bytes go: the last cold visit without throttling of each device
    last = {d: runs[(d, 1)][-1][0] for d in DEVICES}
    warm = {d: runs[(d, 1)][-1][1] for d in DEVICES}
    print("\nWhere the HTTP bytes go, the last cold visit (CPU ×1), whole page — type: responses, transfer size, "
          "content-encoding the server sent; in brackets what gzip -6 would make of the scripts, style sheets and "
          "the page (the files Streamlit serves, compressed here). The first screen's share after the slash.\n")
    print("| type | " + " | ".join(LABELS[d] for d in DEVICES) + " |")
    print("|---" * (len(DEVICES) + 1) + "|")
    types = sorted({r["type"] for d in DEVICES for r in last[d]["whole"]["responses"]},
                   key=lambda t: -sum(r["bytes"] for r in last[DESKTOP]["whole"]["responses"] if r["type"] == t))
    tables = {d: (by_type(last[d]["whole"]["responses"]), by_type(last[d]["first"]["responses"])) for d in DEVICES}
    for t in types:
        cells = []
        for d in DEVICES:
            whole, first = tables[d]
            n, size, zipped, enc = whole.get(t, (0, 0, 0, set()))
            fsize = first.get(t, (0, 0, 0, set()))[1]
            cells.append(f"{n}: {kb(size)} / {kb(fsize)}, {', '.join(sorted(enc)) or '—'}"
                         + (f" (gzip: {kb(zipped)})" if zipped != size else ""))
        print(f"| {t} | " + " | ".join(cells) + " |")
    cells = []
    for d in DEVICES:
        whole, first = tables[d]
        size, zipped = sum(v[1] for v in whole.values()), sum(v[2] for v in whole.values())
        first_size, first_zipped = sum(v[1] for v in first.values()), sum(v[2] for v in first.values())
        cells.append(f"{kb(size)} / {kb(first_size)} (gzip: {kb(zipped)} / {kb(first_zipped)})")
    print("| **all HTTP** | " + " | ".join(cells) + " |")
    print("| **first screen, HTTP gzipped + websocket deflated** (estimate) | " + " | ".join(
        kb(sum(v[2] for v in tables[d][1].values()) + last[d]["first"]["ws_deflated"]) for d in DEVICES) + " |")

    print("\nThe largest responses (the phone's, iPhone, cold, whole page):\n")
    largest = sorted(last["iphone-390"]["whole"]["responses"], key=lambda r: -r["bytes"])[:8]
    for r in largest:
        g = gzip_size(r["url"]) if r["type"] in ("Script", "Stylesheet", "Document") else None
        print(f"- `{urllib.parse.urlparse(r['url']).path}` ({r['type']}): {kb(r['bytes'])}"
              + (f", gzip -6 {kb(g)}" if g else ""))

    scripts = {d: {urllib.parse.urlparse(r["url"]).path: r["bytes"] for r in last[d]["whole"]["responses"]
                   if r["type"] == "Script"} for d in DEVICES}
    for a, b in (("iphone-390", DESKTOP), (DESKTOP, "iphone-390")):
        only = sorted(set(scripts[a]) - set(scripts[b]))
        print(f"\nScripts only the {LABELS[a]} loads ({len(only)}, {kb(sum(scripts[a][p] for p in only))}): "
              + (", ".join(f"`{Path(p).name}` {kb(scripts[a][p])}" for p in only) or "none"))
    cached = {d: sum(r["cached"] for r in warm[d]["whole"]["responses"]) for d in DEVICES}
    fetched = {d: len(warm[d]["whole"]["responses"]) for d in DEVICES}
    print("\nWarm cache (the last run's second visit): responses served from the browser's cache / all: "
          + ", ".join(f"{LABELS[d]} {cached[d]}/{fetched[d]}" for d in DEVICES)
          + ". Websocket extensions the server agreed to: "
          + ", ".join(f"{LABELS[d]} '{last[d]['ws_extensions'] or 'none'}'" for d in DEVICES) + ".")
    print(f"\nThe desktop's overview draws its {N_GAUGES} gauges; a phone's draws a group's when it is tapped open "
          "(none on arrival); every run above painted "
          + ", ".join(f"{LABELS[d]} " + "/".join(str(n) for n in sorted({n for r in RATES for w in (0, 1)
                                                                              for n in values(d, r, w, 'charts')}))
                      for d in DEVICES) + " charts.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
