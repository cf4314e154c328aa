"""`LoopbackServer`: a threaded WSGI server on 127.0.0.1 with persistent connections, served
from a daemon thread: what every simulated API (GitHub, GitLab, PagerDuty) runs on; and
`ServedApi`, what their servers share (clock, faults, start and stop as a context manager)."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any, Self

from werkzeug.serving import BaseWSGIServer, make_server

from simulator.faults import FaultInjector
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


class ServedApi:
    """The part every simulated API's server shares. A subclass sets `_state` (an app state
    with `clock` and `faults`) and `_loopback`, and implements `start()`."""

    _state: Any
    _loopback: LoopbackServer

    @property
    def faults(self) -> FaultInjector:
        return self._state.faults

    @property
    def clock(self) -> datetime:
        return self._state.clock

    def set_clock(self, moment: datetime) -> None:
        """Serve the organization as it was at `moment` (timezone-aware): later events are
        invisible."""
        if moment.tzinfo is None:
            raise ValueError(f"{type(self).__name__}.set_clock: pass a timezone-aware datetime.")
        self._state.clock = moment

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        self._loopback.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
