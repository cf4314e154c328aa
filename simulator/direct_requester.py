"""The simulated GitHub API answered in process, for the connector's list readers: no server,
socket, HTTP parsing, authentication, rate limit or pagination.

`DirectRequester` stands in for PyGithub's `Requester` where the connector calls it
(`requestJson`, `per_page`, `base_url`): each GET is routed by the simulator's own URL map to its
own endpoint handler (simulator/routes.py), a GraphQL POST to simulator/graphql_api.py; each is
rendered by the simulator's own JSON shapes and sent back as JSON text with the simulated clock
as its `Date`: a list whole (one page, no `Link` header), a compare paged as on GitHub; no ETags.
So the connector's sync functions read exactly what the HTTP sandbox serves at the same clock,
minus the transport.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.http import http_date

from simulator.api_types import Call, Document, Invalid, Listing, NotFound
from simulator.compare import RepoGraph
from simulator.github_json import GithubJson
from simulator.graphql_api import GraphqlApi, rate_limit_value
from simulator.model import Org, Repo
from simulator.routes import HANDLERS, URL_MAP

ORIGIN = "http://sandbox.invalid"
"""The origin the rendered URLs name: no server answers there (payload URLs are not followed)."""
API = f"{ORIGIN}/api/v3"


class DirectRequester:
    """Answers the connector's GETs from `org` as of `clock` (default: the org's end)."""

    per_page = 100
    base_url = API
    graphql_url = f"{ORIGIN}/api/graphql"  # where PyGithub posts queries for this base URL

    def __init__(self, org: Org, clock: datetime | None = None) -> None:
        self.org = org
        self.clock = clock or org.end
        self.render = GithubJson(org, API, ORIGIN)
        self._graphs: dict[str, RepoGraph] = {}
        self._router = URL_MAP.bind("sandbox")
        self._graphql_api: GraphqlApi | None = None

    def _graphql(self, request: Any) -> tuple[int, dict[str, str], str]:
        if self._graphql_api is None:
            self._graphql_api = GraphqlApi(self.org)
        priced = self._graphql_api.price(request)
        if isinstance(priced, int):
            # no budget here: every query is answered, as if from a fresh window
            rate = rate_limit_value(priced, 5000, 5000, 0, self.clock)
            priced = self._graphql_api.execute(request, self.clock, rate)
        return priced.status, {"Date": http_date(self.clock)}, json.dumps(priced.body)

    def graph(self, repo: Repo) -> RepoGraph:
        if repo.full_name not in self._graphs:
            self._graphs[repo.full_name] = RepoGraph(repo)
        return self._graphs[repo.full_name]

    def requestJson(  # PyGithub's name
        self, verb: str, url: str, parameters: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None, input: Any = None, **_: Any,
    ) -> tuple[int, dict[str, str], str]:
        """(status, headers, JSON text) of one GET, or of a GraphQL POST (`input` the query and
        variables, at no cost); `If-None-Match` is ignored (no ETags)."""
        parts = urlsplit(url)
        if verb == "POST" and parts.path.endswith("/graphql"):
            return self._graphql(input)
        if verb != "GET":
            return 405, {}, json.dumps({"message": f"{verb} is not served"})
        path = parts.path.removeprefix("/api/v3") or "/"
        args = MultiDict(parse_qsl(parts.query))
        args.update({key: str(value) for key, value in (parameters or {}).items()})
        try:
            endpoint, values = self._router.match(path, method="GET")
            call = Call(self.org, args, values, self.clock, self.render, f"{API}{path}",
                        self.graph)
            answer = HANDLERS[endpoint](call)
        except (HTTPException, NotFound):
            return 404, {}, json.dumps({"message": "Not Found"})
        except Invalid as problem:
            return 422, {}, json.dumps({"message": "Validation Failed", "errors": [str(problem)]})
        # the HTTP app's `Date` says the simulated clock: the connector reads the API's "now"
        # from it (the status re-poll horizon), so the cursors equal an HTTP sync's
        headers: dict[str, str] = {"Date": http_date(self.clock)}
        if isinstance(answer, Listing):
            body: Any = [answer.render(item) for item in answer.items]
        else:
            assert isinstance(answer, Document)
            body = answer.body
            if answer.link:  # compare pages its commits: the connector follows the link
                headers["link"] = answer.link
        return 200, headers, json.dumps(body, separators=(",", ":"))
