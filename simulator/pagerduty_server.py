"""`PagerDutySandbox`: serves an `Org`'s PagerDuty account over https on 127.0.0.1.

    with PagerDutySandbox(org) as pd:
        client = pagerduty.RestApiV2Client(pd.token, base_url=pd.base_url, verify=pd.ca_path)

The certificate is made at start (simulator/tls.py) and its CA handed to the client, which
verifies it. The token is random per start. `set_clock(dt)` hides everything after `dt`.
"""

from __future__ import annotations

import secrets
import threading
from datetime import datetime
from pathlib import Path

from werkzeug.serving import BaseWSGIServer, make_server

from simulator.faults import FaultInjector
from simulator.http_handler import KeepAliveHandler, OpenConnections
from simulator.model import Org
from simulator.pagerduty_app import PagerDutyApp, PagerDutyState
from simulator.pagerduty_world import PagerDutyWorld, pagerduty_world
from simulator.ratelimit import RateLimiter
from simulator.stats import RequestStats
from simulator.tls import HOST, LoopbackCertificate

PAGERDUTY_RATE_LIMIT = 960  # requests a minute per API key (PagerDuty's REST limit)


class PagerDutySandbox:
    """A threaded https server for `org`'s PagerDuty account (or a given `world`)."""

    def __init__(self, org: Org, port: int = 0, rate_limit: int = PAGERDUTY_RATE_LIMIT,
                 world: PagerDutyWorld | None = None) -> None:
        self.world = world if world is not None else pagerduty_world(org)
        self.token = f"u+sandbox{secrets.token_hex(10)}"
        self._requested_port = port
        self._state = PagerDutyState(world=self.world, token=self.token, base_url="",
                                     clock=org.end, limiter=RateLimiter(rate_limit, 60.0))
        self._certificate: LoopbackCertificate | None = None
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._connections = OpenConnections()

    @property
    def stats(self) -> RequestStats:
        return self._state.stats

    @property
    def faults(self) -> FaultInjector:
        return self._state.faults

    @property
    def limiter(self) -> RateLimiter:
        return self._state.limiter

    @property
    def requests(self) -> list[str]:
        """Path and query of every request answered with data, in order."""
        return self._state.requests

    @property
    def ca_path(self) -> Path:
        if self._certificate is None:
            raise RuntimeError("PagerDutySandbox: not started")
        return self._certificate.ca_path

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("PagerDutySandbox: not started")
        return f"https://{HOST}:{self._server.server_port}"

    @property
    def clock(self) -> datetime:
        return self._state.clock

    def set_clock(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("PagerDutySandbox.set_clock: pass a timezone-aware datetime.")
        self._state.clock = moment

    def start(self) -> PagerDutySandbox:
        self._certificate = LoopbackCertificate()
        server = make_server(HOST, self._requested_port, PagerDutyApp(self._state),
                             threaded=True, request_handler=KeepAliveHandler,
                             ssl_context=self._certificate.server_context())
        self._connections = OpenConnections()
        server.open_connections = self._connections  # type: ignore[attr-defined]
        self._server = server
        self._state.base_url = self.base_url
        self._thread = threading.Thread(target=server.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name=f"sandbox-pagerduty-{server.server_port}",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._connections.close_all()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._certificate is not None:
            self._certificate.close()
        self._server, self._thread, self._certificate = None, None, None

    def __enter__(self) -> PagerDutySandbox:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
