"""`SandboxServer`: serves an `Org` through the simulated GitHub REST API on 127.0.0.1.

    with SandboxServer(org) as srv:
        g = github.Github(base_url=srv.base_url, auth=github.Auth.Token(srv.token))

Starts and stops in well under a second, so tests can run many. The token is random per
start and never printed by the server. `srv.set_clock(dt)` hides everything after `dt`.
Connections are persistent (HTTP/1.1 keep-alive, simulator/http_handler.py), as GitHub's are:
a client's session sends all its requests over one connection.
"""

from __future__ import annotations

import secrets

from simulator.http_app import API_PREFIX, AppState, GithubApp
from simulator.loopback import HOST, LoopbackServer, ServedApi
from simulator.model import Org
from simulator.ratelimit import RateLimiter
from simulator.stats import RequestStats


class SandboxServer(ServedApi):
    """A threaded HTTP server for `org`; use as a context manager (or start()/stop()).

    rate_limit: requests per token per `rate_window_s` seconds (GitHub: 5,000 per hour), and as
    many GraphQL points in a budget of their own.
    graphql: False serves REST only (a GitHub Enterprise proxy that passes just `/api/v3`): the
    GraphQL endpoint answers 404.
    latency_ms: added to every answer.
    """

    def __init__(self, org: Org, port: int = 0, rate_limit: int = 5000, latency_ms: int = 0,
                 rate_window_s: float = 3600.0, graphql: bool = True) -> None:
        self.org = org
        self.token = f"ghs_sandbox_{secrets.token_hex(16)}"
        self._requested_port = port
        self._state = AppState(org=org, token=self.token, host=HOST, port=port,
                               clock=org.end, limiter=RateLimiter(rate_limit, rate_window_s),
                               graphql_limiter=RateLimiter(rate_limit, rate_window_s,
                                                           "graphql"),
                               latency_ms=latency_ms, graphql_served=graphql)
        self._loopback = LoopbackServer("sandbox-github")

    @property
    def stats(self) -> RequestStats:
        return self._state.stats

    @property
    def limiter(self) -> RateLimiter:
        return self._state.limiter

    @property
    def graphql_limiter(self) -> RateLimiter:
        """The GraphQL API's own budget of points (GitHub's is separate from REST's)."""
        return self._state.graphql_limiter

    @property
    def latency_ms(self) -> int:
        """Milliseconds added to every answer; may be changed while serving."""
        return self._state.latency_ms

    @latency_ms.setter
    def latency_ms(self, value: int) -> None:
        self._state.latency_ms = value

    @property
    def connections_opened(self) -> int:
        """TCP connections accepted since the server started (keep-alive reuses them)."""
        return self._loopback.connections.opened

    @property
    def port(self) -> int:
        return self._loopback.port

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}{API_PREFIX}"

    def start(self) -> SandboxServer:
        self._state.port = self._loopback.start(GithubApp(self._state), self._requested_port)
        self._state.renderers.clear()
        return self
