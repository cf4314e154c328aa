"""The sandbox's HTTP/1.1 request handler: persistent (keep-alive) connections, like GitHub's.

werkzeug's development handler closes the connection after every answer (it always sends
`Connection: close` and then drains the socket), so every request of a client paid a new TCP
connection and a thread start: on a loaded 2-core machine that capped the simulated API at
about 60-100 requests per second. This handler keeps werkzeug's WSGI environ and runs the app
the same way, but writes each answer itself, whole, with its `Content-Length`, and then waits
on the same connection for the client's next request.

Rules of the wire, each needed for a persistent connection to stay in step:
- every answer carries `Content-Length` (the app's own when it set one, else the body's length);
  304, 204 and 1xx answers carry no body, and a HEAD answer sends the headers only;
- a request body is read off the socket by its `Content-Length` before the app runs, so the next
  request line is where the parser looks (chunked request bodies are refused: GitHub's clients
  never send them to the endpoints served here);
- an answer the app marks `Connection: close` (a truncated body, whose `Content-Length`
  announces more than is sent) ends the connection after it is written, and a fault that drops
  the connection (the app shuts the socket down and raises ConnectionError) ends it with no
  answer at all;
- an idle connection is closed after IDLE_TIMEOUT_S, and the server closes every open one when
  it stops (`close_all`), so no handler thread outlives its server.
"""

from __future__ import annotations

import contextlib
import io
import logging
import socket
import threading
from typing import Any

from werkzeug.serving import WSGIRequestHandler

log = logging.getLogger(__name__)

IDLE_TIMEOUT_S = 60.0
"""Seconds a connection may wait for its next request before the server closes it."""

_NO_BODY = frozenset({204, 304})
_SET_HERE = frozenset({"content-length", "connection", "transfer-encoding", "date"})


class OpenConnections:
    """The sockets a server's handlers are serving now, so `stop()` can close them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self.opened = 0  # connections accepted since the server started

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)
            self.opened += 1

    def discard(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)

    def close_all(self) -> None:
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):  # already closed by the client
                sock.shutdown(socket.SHUT_RDWR)


class KeepAliveHandler(WSGIRequestHandler):
    """HTTP/1.1 with persistent connections; no access log (tests start many servers).

    The server must have an `open_connections` attribute (an OpenConnections).
    """

    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT_S
    # Headers and body are two writes: with Nagle's algorithm the second waits for the client's
    # delayed ACK (40 ms on Linux) on a persistent connection.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        self.server.open_connections.add(self.connection)  # type: ignore[attr-defined]

    def finish(self) -> None:
        self.server.open_connections.discard(self.connection)  # type: ignore[attr-defined]
        with contextlib.suppress(OSError):  # the client went away while the answer was flushed
            super().finish()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass

    def log_error(self, format: str, *args: Any) -> None:
        # Idle timeouts and clients that hang up are how keep-alive connections end: not errors.
        pass

    def run_wsgi(self) -> None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._write(411, "Length Required", [("Content-Type", "text/plain")],
                        b"chunked request bodies are not supported", close=True)
            return
        environ = self.make_environ()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self._write(400, "Bad Request", [("Content-Type", "text/plain")],
                        b"Content-Length is not a number", close=True)
            return
        environ["wsgi.input"] = io.BytesIO(self.rfile.read(length) if length > 0 else b"")
        answer: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info=None):
            answer["status"], answer["headers"] = status, headers
            return lambda data: answer.setdefault("written", []).append(data)

        try:
            iterable = self.server.app(environ, start_response)
            try:
                body = b"".join([*answer.get("written", []), *iterable])
            finally:
                if hasattr(iterable, "close"):
                    iterable.close()
        except ConnectionError:
            # The app dropped the connection on purpose (fault injection): nothing to answer.
            self.close_connection = True
            return
        except Exception:
            log.exception("sandbox: error answering %s %s", self.command, self.path)
            self._write(500, "Internal Server Error", [("Content-Type", "text/plain")],
                        b"Internal Server Error", close=True)
            return
        code_text, _, reason = answer["status"].partition(" ")
        self._write(int(code_text), reason, answer["headers"], body)

    def _write(self, code: int, reason: str, headers: list[tuple[str, str]], body: bytes,
               close: bool = False) -> None:
        named = {key.lower(): value for key, value in headers}
        close = close or named.get("connection", "").lower() == "close"
        # The app's `Date` is the simulated clock (what GitHub's Date is: the API's "now").
        self.log_request(code)
        self.send_response_only(code, reason)
        self.send_header("Server", self.version_string())
        self.send_header("Date", named.get("date") or self.date_time_string())
        for key, value in headers:
            if key.lower() not in _SET_HERE:
                self.send_header(key, value)
        sends_body = code not in _NO_BODY and code >= 200 and self.command != "HEAD"
        if code not in _NO_BODY and code >= 200:
            # The app's own length wins: a truncated answer announces more than it sends.
            self.send_header("Content-Length", named.get("content-length", str(len(body))))
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        if sends_body:
            self.wfile.write(body)
        self.wfile.flush()
        if close:
            self.close_connection = True
