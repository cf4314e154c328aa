"""The demo (config/demo.yaml) at a chosen number of teams, and ways to fill a warehouse with it.

`demo_at(teams)` builds the configuration and the simulated organization the way `candor demo`
does (pipelines.shared.sandbox), with only `sandbox.teams` changed. `fill_in_process` runs the
real connector against the simulator's own WSGI app inside this process: the records, payloads
and cursors are those of a run over HTTP, without the sockets, the threads sharing one GIL with
the server, or PyGithub's per-request overhead, so 10x the demo loads in minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb
from werkzeug.test import Client

from connectors.github.settings import PER_PAGE
from connectors.github.sync import sync_repo
from connectors.github.tables import GITHUB_TABLES
from pipelines.config import CandorConfig, load_config
from pipelines.shared.sandbox import sandbox_org, with_sandbox_defaults
from simulator.http_app import API_PREFIX, AppState, GithubApp
from simulator.model import Org
from simulator.ratelimit import RateLimiter
from simulator.server import HOST
from warehouse.loading import write_batch

DEMO_CONFIG = Path(__file__).resolve().parents[2] / "config" / "demo.yaml"
DEMO_TEAMS = 6
UNLIMITED = 10**12  # requests per rate-limit window: the benchmarks measure work, not waiting


def demo_at(teams: int) -> tuple[CandorConfig, Org]:
    """config/demo.yaml with `sandbox.teams` set to `teams`, and its simulated organization."""
    demo = load_config(DEMO_CONFIG)
    assert demo.sandbox is not None, f"{DEMO_CONFIG} has no sandbox: section"
    sized = demo.model_copy(update={"sandbox": demo.sandbox.model_copy(update={"teams": teams})})
    config = with_sandbox_defaults(sized)
    assert config.sandbox is not None
    return config, sandbox_org(config.sandbox)


def github_repos(config: CandorConfig) -> list[tuple[str, str]]:
    """(repo, production environment regex) of every configured repository, as ingestion reads."""
    return [(repo, config.production_environment_for(repo)) for _, repo in config.github_repos()]


class InProcessGitHub:
    """Stands in for a PyGithub client: `requester.requestJson` answers from the simulator's app.

    The connector needs nothing else of the client: it pages lists itself (connectors/github/
    paging.py) through `requester.requestJson`, posts GraphQL queries to `graphql_url` the same
    way, and reads `requester.per_page`.
    """

    per_page = PER_PAGE
    graphql_url = f"http://{HOST}/api/graphql"  # where PyGithub posts queries (the app's path)

    def __init__(self, org: Org) -> None:
        token = "ghs_in_process"
        self.state = AppState(org=org, token=token, host=HOST, port=0, clock=org.end,
                              limiter=RateLimiter(UNLIMITED, 3600.0),
                              graphql_limiter=RateLimiter(UNLIMITED, 3600.0, "graphql"))
        self._client = Client(GithubApp(self.state))
        self._auth = {"Authorization": f"token {token}"}

    @property
    def requester(self) -> InProcessGitHub:
        return self

    def requestJson(  # PyGithub's name and signature
        self, verb: str, url: str, parameters: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None, input: Any = None,
    ) -> tuple[int, dict[str, str], str]:
        # Relative paths are relative to the API root; next-page URLs from `Link` are absolute.
        parts = urlsplit(url)
        path = parts.path if parts.scheme else API_PREFIX + parts.path
        response = self._client.open(path, method=verb, query_string=parts.query or parameters,
                                     headers={**(headers or {}), **self._auth},
                                     **({} if input is None else {"json": input}))
        answer_headers = {name.lower(): value for name, value in response.headers.items()}
        return response.status_code, answer_headers, response.get_data(as_text=True)


@dataclass(frozen=True)
class Fill:
    """What a full in-process sync asked of the simulated API."""

    requests: int  # answered, GraphQL queries included
    by_route: dict[str, int]  # requests per simulated endpoint ("graphql": the queries)
    graphql_points: int  # what the GraphQL queries cost, from their own budget

    @property
    def rest_requests(self) -> int:
        return self.requests - self.by_route.get("graphql", 0)

    def budget_hours(self) -> float:
        return budget_hours(self.rest_requests, self.graphql_points)


def budget_hours(rest_requests: int, graphql_points: int) -> float:
    """Hours of GitHub's budgets a sync needs: 5,000 REST requests and 5,000 GraphQL points an
    hour, two budgets spent side by side, so the larger one sets the time."""
    return max(rest_requests, graphql_points) / 5000


def fill_in_process(con: duckdb.DuckDBPyConnection, config: CandorConfig, org: Org) -> Fill:
    """Full sync of every configured repository, each batch written as a run writes it."""
    github = InProcessGitHub(org)
    for repo, production_environment in github_repos(config):
        batch = sync_repo(github, repo, {}, production_environment)  # type: ignore[arg-type]
        write_batch(con, GITHUB_TABLES, batch)
    stats = github.state.stats.snapshot()
    return Fill(stats["total"], stats["by_route"], github.state.graphql_limiter.used)
