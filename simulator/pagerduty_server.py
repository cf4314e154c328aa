"""`PagerDutySandbox`: serves an `Org`'s PagerDuty account over https on 127.0.0.1.

    with PagerDutySandbox(org) as pd:
        client = pagerduty.RestApiV2Client(pd.token, base_url=pd.base_url, verify=pd.ca_path)

The certificate is made at start (simulator/tls.py) and its CA handed to the client, which
verifies it. The token is random per start. `set_clock(dt)` hides everything after `dt`.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from simulator.loopback import HOST, LoopbackServer, ServedApi
from simulator.model import Org
from simulator.pagerduty_app import PagerDutyApp, PagerDutyState
from simulator.pagerduty_world import PagerDutyWorld, pagerduty_world
from simulator.ratelimit import RateLimiter
from simulator.tls import LoopbackCertificate

PAGERDUTY_RATE_LIMIT = 960  # requests a minute per API key (PagerDuty's REST limit)


class PagerDutySandbox(ServedApi):
    """A threaded https server for `org`'s PagerDuty account (or a given `world`)."""

    def __init__(self, org: Org, port: int = 0, rate_limit: int = PAGERDUTY_RATE_LIMIT,
                 world: PagerDutyWorld | None = None) -> None:
        self.world = world if world is not None else pagerduty_world(org)
        self.token = f"u+sandbox{secrets.token_hex(10)}"
        self._requested_port = port
        self._state = PagerDutyState(world=self.world, token=self.token, base_url="",
                                     clock=org.end, limiter=RateLimiter(rate_limit, 60.0))
        self._certificate: LoopbackCertificate | None = None
        self._loopback = LoopbackServer("sandbox-pagerduty")

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
        return f"https://{HOST}:{self._loopback.port}"

    def start(self) -> PagerDutySandbox:
        self._certificate = LoopbackCertificate()
        self._loopback.start(PagerDutyApp(self._state), self._requested_port,
                             ssl_context=self._certificate.server_context())
        self._state.base_url = self.base_url
        return self

    def stop(self) -> None:
        self._loopback.stop()
        if self._certificate is not None:
            self._certificate.close()
        self._certificate = None
