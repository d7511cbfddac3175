"""Streamlit's own protocol without a browser: a websocket of BackMsg/ForwardMsg protobufs, and the upload endpoint.

For tests that craft the requests a page would send (tests/test_crafted_requests.py). What the protocol looks like on
Streamlit 1.67 (starlette server):

- `GET /_stcore/stream` upgrades to a websocket; the `Sec-WebSocket-Protocol` header carries, by position,
  "streamlit", an XSRF token (only used to read an `st.login` cookie) and the id of a session to resume.
- The client sends `BackMsg.rerun_script` (a `ClientState`: page by `page_name` = URL path or `page_script_hash`,
  plus `widget_states`, every widget's value by element id). The server answers with `ForwardMsg`s: `new_session`
  (session id; its page hash is not the page's real one after a request by page_name), `navigation` (every page's
  script hash and the one being run), `delta`s (elements; widgets carry their id), then `script_finished`.
- Element ids: `$$ID-<hash of the element type and parameters>-<key>`, "None" as key for unkeyed widgets and
  `FormSubmitter:<form>-<label>` for a form's submit button; the same in every session.
- Uploads: `BackMsg.file_urls_request` → `ForwardMsg.file_urls_response` with `/_stcore/upload_file/<session>/<file>`;
  the file goes there as a one-file multipart `PUT` (XSRF: header `X-Xsrftoken` equal to the `_streamlit_xsrf`
  cookie); then the uploader's widget state names the file id. The server accepts any file id for a live session.
"""

from __future__ import annotations

import http.cookies
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import ClientConnection, connect

from tests.browser.conftest import Server

TIMEOUT = 20.0                       # seconds for any one answer from the server
RUN_DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
XSRF_COOKIE = "_streamlit_xsrf"


# ------------------------------------------------------------------------------------------------ server

def ws_url(server: Server) -> str:
    """The server's websocket: ws://127.0.0.1:<port>/_stcore/stream."""
    return "ws" + server.url.removeprefix("http") + "_stcore/stream"


# ------------------------------------------------------------------------------------------------ widget states

def trigger(widget_id: str) -> WidgetState:
    """A button (or form submit button) click."""
    return WidgetState(id=widget_id, trigger_value=True)


def text(widget_id: str, value: str) -> WidgetState:
    return WidgetState(id=widget_id, string_value=value)


def checked(widget_id: str, value: bool = True) -> WidgetState:
    return WidgetState(id=widget_id, bool_value=value)


def choice(widget_id: str, option: str) -> WidgetState:
    """A selectbox set to the option shown as `option`."""
    return WidgetState(id=widget_id, string_value=option)


def files(widget_id: str, *infos: UploadedFileInfo) -> WidgetState:
    """A file_uploader holding files already PUT to the upload endpoint."""
    state = WidgetState(id=widget_id)
    state.file_uploader_state_value.uploaded_file_info.extend(infos)
    return state


# ------------------------------------------------------------------------------------------------ sessions

@dataclass
class Run:
    """What the server sent for one rerun request, up to the end of the script run it caused."""
    messages: list[ForwardMsg] = field(default_factory=list)

    def elements(self, kind: str | None = None) -> list:
        """Every element (of one kind: "button", "file_uploader", "exception", "alert", …) as its proto."""
        found = []
        for m in self.messages:
            if m.WhichOneof("type") == "delta" and m.delta.WhichOneof("type") == "new_element":
                element = m.delta.new_element
                if kind is None or element.WhichOneof("type") == kind:
                    found.append(getattr(element, element.WhichOneof("type")))
        return found

    def widget_id(self, kind: str, label: str) -> str:
        """The id of the one widget of this kind with this label (fails when there is none or several)."""
        ids = {w.id for w in self.elements(kind) if w.label == label}
        assert len(ids) == 1, (kind, label, ids, self.labels())
        return ids.pop()

    def labels(self) -> list[tuple[str, str]]:
        """(kind, label or body) of every element, for failure messages."""
        return [(e.DESCRIPTOR.name, getattr(e, "label", "") or getattr(e, "body", "")) for e in self.elements()]

    def texts(self) -> list[str]:
        """The body of every text-like element (markdown, alerts, captions, headings)."""
        return [e.body for e in self.elements() if isinstance(getattr(e, "body", None), str) and e.body]


class Session:
    """One browser tab's conversation with the server, with no browser: connect, rerun with crafted widget states,
    upload files. headers: extra handshake headers; resume: the id of a session to reconnect to. Like a browser it
    first gets its own XSRF cookie and sends it with the handshake and every upload."""

    def __init__(self, server: Server, headers: dict[str, str] | None = None, resume: str | None = None):
        self.server = server
        self.cookie = xsrf_cookie(server)
        protocols = ["streamlit", "xsrf-unused", resume] if resume else ["streamlit"]
        headers = {"Cookie": f"{XSRF_COOKIE}={self.cookie}", **(headers or {})}
        self.ws: ClientConnection = connect(ws_url(server), subprotocols=protocols, additional_headers=headers,
                                            open_timeout=TIMEOUT, close_timeout=2, max_size=None, proxy=None,
                                            legacy=True)
        self.session_id = ""
        self.page_hash = ""            # the page the last run showed
        self.pages: dict[str, str] = {}   # page name (URL path) → script hash

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.ws.close()

    def send(self, message: BackMsg) -> None:
        self.ws.send(message.SerializeToString())

    def receive(self, timeout: float = TIMEOUT) -> ForwardMsg:
        message = ForwardMsg()
        message.ParseFromString(self.ws.recv(timeout=timeout))
        if message.WhichOneof("type") == "new_session":
            self.session_id = message.new_session.initialize.session_id
        elif message.WhichOneof("type") == "navigation":     # new_session's own page hash can be stale; this is not
            self.page_hash = message.navigation.page_script_hash
            self.pages = {p.page_name: p.page_script_hash for p in message.navigation.app_pages}
        return message

    def rerun_request(self, widgets: list[WidgetState] = (), page_name: str = "", page_hash: str = "") -> BackMsg:
        """The BackMsg a browser sends to run a page with these widget values (a page by URL path or script hash)."""
        message = BackMsg()
        message.rerun_script.page_name = page_name
        message.rerun_script.page_script_hash = page_hash or self.page_hash
        message.rerun_script.widget_states.widgets.extend(widgets)
        return message

    def run(self, widgets: list[WidgetState] = (), page_name: str = "", page_hash: str = "",
            timeout: float = TIMEOUT) -> Run:
        """Request a rerun and collect everything up to the end of the script run (past any st.rerun)."""
        return self.replay(self.rerun_request(widgets, page_name, page_hash), timeout)

    def replay(self, message: BackMsg, timeout: float = TIMEOUT) -> Run:
        """Send a prepared BackMsg and collect until a script run finishes."""
        self.send(message)
        run, deadline = Run(), time.monotonic() + timeout
        while True:
            m = self.receive(max(deadline - time.monotonic(), 0.01))
            run.messages.append(m)
            if m.WhichOneof("type") == "script_finished" and m.script_finished in RUN_DONE:
                return run

    def upload(self, name: str, data: bytes, content_type: str = "text/csv", file_id: str | None = None
               ) -> UploadedFileInfo:
        """PUT a file for this session, the way the browser does: ask the server for an upload URL (or, with
        file_id, make one up), send the bytes, return what the uploader's widget state names."""
        if file_id is None:
            request = BackMsg()
            request.file_urls_request.request_id = uuid.uuid4().hex
            request.file_urls_request.session_id = self.session_id
            request.file_urls_request.file_names.append(name)
            self.send(request)
            deadline = time.monotonic() + TIMEOUT
            while True:
                m = self.receive(max(deadline - time.monotonic(), 0.01))
                if m.WhichOneof("type") == "file_urls_response":
                    break
            assert m.file_urls_response.response_id == request.file_urls_request.request_id
            assert not m.file_urls_response.error_msg, m.file_urls_response.error_msg
            urls = m.file_urls_response.file_urls[0]
        else:
            path = f"/_stcore/upload_file/{self.session_id}/{file_id}"
            urls = UploadedFileInfo().file_urls
            urls.file_id, urls.upload_url, urls.delete_url = file_id, path, path
        status = put_file(self.server, urls.upload_url, name, data, content_type, self.cookie)
        assert status == 204, status
        return UploadedFileInfo(name=name, size=len(data), file_id=urls.file_id, file_urls=urls)


def xsrf_cookie(server: Server) -> str:
    """The XSRF cookie the server hands any visitor (the browser's script reads it and echoes it as a header)."""
    with urllib.request.urlopen(server.url + "_stcore/health", timeout=TIMEOUT) as response:
        cookies = http.cookies.SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
    return cookies[XSRF_COOKIE].value


def put_file(server: Server, path: str, name: str, data: bytes, content_type: str, token: str | None = None) -> int:
    """A one-file multipart PUT to the upload endpoint, with the XSRF header and cookie; the HTTP status."""
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    token = token or xsrf_cookie(server)
    request = urllib.request.Request(server.url + path.lstrip("/"), data=body, method="PUT", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": token,
        "Cookie": f"{XSRF_COOKIE}={token}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
