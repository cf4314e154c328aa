"""`GitLabSandbox`: serves repositories of an `Org` as GitLab projects over http on 127.0.0.1.

    with GitLabSandbox(org, projects=["acme/web"]) as gl:
        client = gitlab.Gitlab(gl.url, private_token=gl.token, per_page=100)
        client.projects.get("acme/web").deployments.list(iterator=True)

`url` is the root (python-gitlab appends /api/v4). The token is random per start. The clock
defaults to the org's end; `set_clock(dt)` hides everything after `dt`, so a deployment running
at one clock has succeeded at a later one.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from simulator.gitlab_app import GitLabApp, GitLabState
from simulator.gitlab_world import GitLabWorld, gitlab_world
from simulator.loopback import HOST, LoopbackServer, ServedApi
from simulator.model import Org
from simulator.ratelimit import RateLimiter

GITLAB_RATE_LIMIT = 2000  # authenticated API requests a minute per user (GitLab.com)


class GitLabSandbox(ServedApi):
    """A threaded http server for `projects` (repo full names; None: every repo) of `org`."""

    def __init__(self, org: Org, projects: Iterable[str] | None = None, port: int = 0,
                 rate_limit: int = GITLAB_RATE_LIMIT) -> None:
        self.world: GitLabWorld = gitlab_world(org, None if projects is None else list(projects))
        self._requested_port = port
        self._state = GitLabState(world=self.world, token="", base_url="", clock=org.end,
                                  limiter=RateLimiter(rate_limit, 60.0))
        self._loopback = LoopbackServer("sandbox-gitlab")

    @property
    def token(self) -> str:
        if not self._state.token:
            raise RuntimeError("GitLabSandbox: not started; use it as a context manager.")
        return self._state.token

    @property
    def url(self) -> str:
        """The root URL, e.g. http://127.0.0.1:8765 (the API is under /api/v4)."""
        return f"http://{HOST}:{self._loopback.port}"

    @property
    def limiter(self) -> RateLimiter:
        return self._state.limiter

    @property
    def requests(self) -> list[str]:
        """Path and query of every request answered with data, in order."""
        return self._state.requests

    def start(self) -> GitLabSandbox:
        self._state.token = f"glpat-sandbox{secrets.token_hex(10)}"
        self._loopback.start(GitLabApp(self._state), self._requested_port)
        self._state.base_url = self.url
        return self
