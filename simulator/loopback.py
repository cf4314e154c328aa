"""`LoopbackServer`: a threaded WSGI server on 127.0.0.1 with persistent connections, served
from a daemon thread: what every simulated API (GitHub, PagerDuty) runs on."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable

from werkzeug.serving import BaseWSGIServer, make_server

from simulator.http_handler import KeepAliveHandler, OpenConnections

HOST = "127.0.0.1"  # loopback only, by design


class LoopbackServer:
    """Start an app with `start()`, stop it (and its idle keep-alive connections) with
    `stop()`; `connections` counts the TCP connections of the current start."""

    def __init__(self, name: str) -> None:
        self.name = name  # the thread's name prefix, e.g. sandbox-github
        self.connections = OpenConnections()
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError(f"{self.name}: not started; use it as a context manager.")
        return self._server.server_port

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self, app: Callable, port: int = 0,
              ssl_context: ssl.SSLContext | None = None) -> int:
        """Serve `app` on `port` (0: any free one); returns the port."""
        server = make_server(HOST, port, app, threaded=True, request_handler=KeepAliveHandler,
                             ssl_context=ssl_context)
        self.connections = OpenConnections()
        server.open_connections = self.connections  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name=f"{self.name}-{server.server_port}", daemon=True)
        self._thread.start()
        return server.server_port

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            # Idle keep-alive connections hold a handler thread each, waiting for a request.
            self.connections.close_all()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server, self._thread = None, None
