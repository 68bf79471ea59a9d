"""The preview's HTTP server: the index, the outputs, and a stream of build events.

Bound to loopback unless told otherwise: unreviewed drafts stay on this
machine. Outputs are served only from inside the output folder; HTML pages
get the reload script on the way out, never on disk.
"""

from __future__ import annotations

import errno
import json
import mimetypes
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..errors import HandoutsError
from .pages import index_page, pdf_page, with_reload
from .state import PreviewState

SERVED_SUFFIXES = {".html", ".pdf", ".pptx"}
KEEPALIVE_SECONDS = 15


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # open event streams never hold up Ctrl-C

    def __init__(self, address: tuple[str, int], out: Path, topics: list[str],
                 state: PreviewState):
        self.out, self.topics, self.state = out.resolve(), topics, state
        super().__init__(address, PreviewHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host if ':' not in str(host) else f'[{host}]'}:{port}/"


def open_server(host: str, port: int, out: Path, topics: list[str],
                state: PreviewState) -> PreviewServer:
    """The server bound to host:port; a port in use is a clear message, not a traceback."""
    try:
        return PreviewServer((host, port), out, topics, state)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise HandoutsError(f"port {port} on {host} is already in use (another preview or "
                                "program); choose another with --port, e.g. --port "
                                f"{port + 1 if port else 8001}") from None
        raise HandoutsError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer

    def log_message(self, format: str, *args) -> None:
        pass  # the terminal shows builds, not every request

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        snapshot = self.server.state.snapshot()
        if path == "/":
            self._send(index_page(self.server.out, self.server.topics, snapshot.errors,
                                  snapshot.version, snapshot.notices).encode(),
                       "text/html; charset=utf-8")
        elif path == "/status.json":
            self._send(json.dumps(snapshot.as_json()).encode(), "application/json")
        elif path == "/events":
            after = parse_qs(parts.query).get("after", ["0"])[0]
            self._events(int(after) if after.isdigit() else 0)
        elif path.startswith("/view/") and path.endswith(".pdf") and self._file(path[6:]):
            self._send(pdf_page(path[6:], snapshot.version).encode(), "text/html; charset=utf-8")
        elif path.startswith("/files/") and (file := self._file(path[7:])):
            data = file.read_bytes()
            if file.suffix == ".html":
                data = with_reload(data.decode("utf-8"), snapshot.version, path[7:]).encode()
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            self._send(data, kind + ("; charset=utf-8" if kind == "text/html" else ""))
        else:
            self._send(b"Not found", "text/plain", HTTPStatus.NOT_FOUND)

    def _file(self, relpath: str) -> Path | None:
        """An output file inside the output folder, or None (never a path outside it)."""
        file = (self.server.out / relpath).resolve()
        inside = self.server.out in file.parents and not file.name.startswith(".")
        return file if inside and file.suffix in SERVED_SUFFIXES and file.is_file() else None

    def _send(self, data: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def _events(self, after: int) -> None:
        """Server-sent events: one message per finished build, the current state first."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self.server.state
        try:
            snapshot = state.snapshot()
            self._message(snapshot.as_json())
            seen = max(after, snapshot.version)
            while not state.closed:
                snapshot = state.wait_after(seen, KEEPALIVE_SECONDS)
                if snapshot.version > seen:
                    self._message(snapshot.as_json())
                    seen = snapshot.version
                else:
                    self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page was closed or reloaded

    def _message(self, data: dict) -> None:
        self.wfile.write(f"data: {json.dumps(data)}\n\n".encode())
        self.wfile.flush()
