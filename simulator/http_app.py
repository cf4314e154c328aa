"""The WSGI application of the simulated GitHub API.

Per request, in order: latency, authentication (401), injected fault, the faults of the
request's repository (simulator/repo_faults.py), routing (404), the primary rate limit (403 when
the budget is spent), the handler, then ETag / If-None-Match (304, free of budget). Every answer
carries the x-ratelimit-* headers and a `Date` header saying the simulated clock. Routes are
served both under `/api/v3` (GitHub Enterprise style, the advertised base URL) and at the root.
GraphQL is `POST /api/graphql` (where PyGithub sends it for that base URL) or `POST /graphql`,
with its own budget of points (simulator/graphql_api.py) and no ETags, as on GitHub.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from werkzeug.exceptions import HTTPException
from werkzeug.http import http_date
from werkzeug.wrappers import Request, Response

from simulator.api_types import Call, Document, Invalid, Listing, NotFound
from simulator.compare import RepoGraph
from simulator.faults import FaultInjector, break_connection
from simulator.github_json import GithubJson
from simulator.graphql_api import GraphqlApi, rate_limit_value
from simulator.model import Org, Repo
from simulator.pagination import PageRequest, link_header
from simulator.ratelimit import RATE_LIMIT_DOCS, RATE_LIMIT_MESSAGE, RateLimiter
from simulator.repo_faults import loop_link, malform, no_common_ancestor_body
from simulator.routes import HANDLERS, URL_MAP
from simulator.stats import RequestStats

API_PREFIX = "/api/v3"
GRAPHQL_PATHS = frozenset({"/api/graphql", "/graphql"})  # GHE style, and at the root
DOCS = "https://docs.github.com/rest"
SERVER_ERROR_MESSAGES = {500: "Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
                         504: "Gateway Timeout"}


@dataclass
class AppState:
    """Everything the app reads; the server owns it and may change `clock` at any time."""

    org: Org
    token: str
    host: str
    port: int
    clock: datetime
    limiter: RateLimiter
    graphql_limiter: RateLimiter = field(
        default_factory=lambda: RateLimiter(5000, 3600.0, "graphql"))
    stats: RequestStats = field(default_factory=RequestStats)
    faults: FaultInjector = field(default_factory=FaultInjector)
    latency_ms: int = 0
    graphql_served: bool = True  # False: POST /api/graphql answers 404 (REST-only server)
    graphs: dict[str, RepoGraph] = field(default_factory=dict)
    renderers: dict[str, GithubJson] = field(default_factory=dict)
    _graphql: GraphqlApi | None = None

    @property
    def graphql(self) -> GraphqlApi:
        if self._graphql is None:
            self._graphql = GraphqlApi(self.org)
        return self._graphql

    def graph(self, repo: Repo) -> RepoGraph:
        if repo.full_name not in self.graphs:
            self.graphs[repo.full_name] = RepoGraph(repo)
        return self.graphs[repo.full_name]

    def renderer(self, prefix: str) -> GithubJson:
        if prefix not in self.renderers:
            web = f"http://{self.host}:{self.port}"
            self.renderers[prefix] = GithubJson(self.org, f"{web}{prefix}", web)
        return self.renderers[prefix]


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body, separators=(",", ":")), status=status,
                    headers=headers or {}, content_type="application/json; charset=utf-8")


def _error(status: int, message: str) -> Response:
    return _json(status, {"message": message, "documentation_url": DOCS, "status": str(status)})


class GithubApp:
    def __init__(self, state: AppState) -> None:
        self.state = state

    def __call__(self, environ: dict, start_response):
        request = Request(environ)
        state = self.state
        delay = state.latency_ms or state.faults.latency_ms
        if delay:
            time.sleep(delay / 1000)
        path = request.path
        prefix = API_PREFIX if path == API_PREFIX or path.startswith(f"{API_PREFIX}/") else ""
        if path in GRAPHQL_PATHS:
            route, values = "graphql", {}
            response, fault = self._answer_graphql(request)
            limiter = state.graphql_limiter
        else:
            route, values = self._match(path[len(prefix):] or "/")
            response, fault = self._answer(request, prefix, route, values)
            limiter = state.limiter
        for name, value in limiter.headers().items():
            response.headers.setdefault(name, value)
        response.headers["Date"] = http_date(state.clock)
        state.stats.record(route, 0 if fault == "drop" else response.status_code)
        break_connection(fault, environ, response)
        return response(environ, start_response)

    def _match(self, path: str) -> tuple[str, dict[str, Any]]:
        try:
            endpoint, values = URL_MAP.bind("sandbox").match(path, method="GET")
        except HTTPException:
            return "not_found", {}
        return endpoint, values

    def _authorized(self, request: Request) -> bool:
        scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() in ("token", "bearer") and credential.strip() == self.state.token

    def _admit(self, request: Request) -> tuple[Response | None, str | int | None]:
        """What every request meets first, REST or GraphQL: authentication (401), then the
        injected fault; (None, the fault to apply later, if any) when it may go on."""
        if not self._authorized(request):
            has_header = "Authorization" in request.headers
            return _error(401, "Bad credentials" if has_header else "Requires authentication"
                          ), None
        fault = self.state.faults.next_fault()
        if isinstance(fault, int):
            return self._fault_response(fault), fault
        return None, fault

    def _answer(self, request: Request, prefix: str, route: str, values: dict[str, Any]
                ) -> tuple[Response, str | int | None]:
        state = self.state
        refused, fault = self._admit(request)
        if refused is not None:
            return refused, fault
        repo = _repo_of(values)
        broken = state.faults.repos.status_for(repo)
        if broken is not None:
            message = state.faults.repos.message_for(repo)
            if message is not None:
                return _error(broken, message), broken
            return self._fault_response(broken), broken
        if state.faults.repos.refuses_compare(repo, route):
            return _json(404, no_common_ancestor_body(values["basehead"])), 404
        if request.method not in ("GET", "HEAD") or route == "not_found":
            return _error(404, "Not Found"), fault
        if route == "rate_limit":  # costs no budget, like GitHub's
            rate = state.limiter.snapshot()
            resources = {"core": rate, "search": {**rate, "limit": 30, "remaining": 30},
                         "graphql": rate}
            return _json(200, {"resources": resources, "rate": rate}), fault
        if state.limiter.exhausted():
            return _json(403, {"message": RATE_LIMIT_MESSAGE,
                               "documentation_url": RATE_LIMIT_DOCS}), fault
        try:
            response = self._render(request, prefix, route, values)
        except NotFound:
            return _error(404, "Not Found"), fault
        except Invalid as problem:
            return _json(422, {"message": "Validation Failed", "errors": [str(problem)],
                               "documentation_url": DOCS, "status": "422"}), fault
        etag = response.headers["ETag"]
        if etag in _etags(request.headers.get("If-None-Match", "")):
            return Response(status=304, headers={"ETag": etag}), fault
        if not state.limiter.try_consume():
            return _json(403, {"message": RATE_LIMIT_MESSAGE,
                               "documentation_url": RATE_LIMIT_DOCS}), fault
        return response, fault

    def _answer_graphql(self, request: Request) -> tuple[Response, str | int | None]:
        """`POST /api/graphql`: authentication and injected faults as for REST, then the query
        priced and paid from the GraphQL budget before it runs (simulator/graphql_api.py)."""
        state = self.state
        refused, fault = self._admit(request)
        if refused is not None:
            return refused, fault
        if request.method != "POST" or not state.graphql_served:
            return _error(404, "Not Found"), fault
        try:
            body = json.loads(request.get_data() or b"null")
        except ValueError:
            body = None
        api = state.graphql
        priced = api.price(body)
        if not isinstance(priced, int):
            return _json(priced.status, priced.body), fault
        limiter = state.graphql_limiter
        if not limiter.try_consume(priced):
            reset = datetime.fromtimestamp(int(limiter.headers()["x-ratelimit-reset"]), UTC)
            refused = api.rate_limited(reset)
            return _json(refused.status, refused.body), fault
        snapshot = limiter.snapshot()
        rate = rate_limit_value(priced, snapshot["limit"], snapshot["remaining"],
                                snapshot["used"], datetime.fromtimestamp(snapshot["reset"], UTC))
        answer = api.execute(body, state.clock, rate)
        return _json(answer.status, answer.body), fault

    def _fault_response(self, status: int) -> Response:
        if status in (403, 429):
            response = _json(status, {"message": RATE_LIMIT_MESSAGE,
                                      "documentation_url": RATE_LIMIT_DOCS})
            response.headers.update({"Retry-After": "1", "x-ratelimit-remaining": "0",
                                     "x-ratelimit-reset": str(int(time.time()) + 1)})
            return response
        return _error(status, SERVER_ERROR_MESSAGES.get(status, "Injected fault"))

    def _render(self, request: Request, prefix: str, route: str, values: dict[str, Any]
                ) -> Response:
        state = self.state
        render = state.renderer(prefix)
        url = f"{render.web}{request.path}"
        call = Call(state.org, request.args, values, state.clock, render, url, state.graph)
        answer = HANDLERS[route](call)
        headers: dict[str, str] = {}
        repo, faults = _repo_of(values), state.faults.repos
        if isinstance(answer, Listing):
            page = PageRequest.from_args(request.args, answer.default_per_page,
                                         answer.max_per_page)
            body: Any = [answer.render(item) for item in page.slice(answer.items)]
            link = link_header(url, request.args, page, len(answer.items))
            if faults.loops(repo, route):
                link = loop_link(url, request.args, page.per_page, link)
        else:
            assert isinstance(answer, Document)
            body, link = answer.body, answer.link
        if link:
            headers["Link"] = link
        kind = faults.malformation(repo, route)
        if kind is not None:
            body = malform(kind, body)
        content_type = "application/json; charset=utf-8"
        if isinstance(body, bytes):
            data = body
            if data.startswith(b"<"):
                content_type = "text/html; charset=utf-8"
        else:
            data = json.dumps(body, separators=(",", ":")).encode()
        # Hash the body without this server's origin, so an ETag stays valid when the sandbox is
        # started again on another port (GitHub's ETags do not change while the data doesn't).
        portable = data.replace(render.web.encode(), b"")
        headers["ETag"] = f'"{hashlib.sha256(portable).hexdigest()[:40]}"'
        return Response(data, status=200, headers=headers, content_type=content_type)


def _repo_of(values: dict[str, Any]) -> str | None:
    """Full name of the repository a request is about, from its URL; None for other routes."""
    if "owner" in values and "name" in values:
        return f"{values['owner']}/{values['name']}"
    return None


def _etags(header: str) -> set[str]:
    """The entity tags of an If-None-Match header, weak prefixes dropped."""
    return {t.strip().removeprefix("W/") for t in header.split(",") if t.strip()}
