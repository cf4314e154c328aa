"""An in-memory stand-in for `Github.requester`, for unit tests of the sync logic.

It serves canned JSON per path like GitHub does: lists in pages of `per_page` with a
`Link rel="next"` header, an ETag per first page and 304 when `If-None-Match` matches. A route
may instead hold an `Answer` (served as it is: malformed bodies, odd headers) or a function of
the request's query parameters returning one (endless or looping pages). Every request is
logged so tests can assert exactly what the connector asked for.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

BASE = "https://fake.example/api/v3"
GRAPHQL = "https://fake.example/api/graphql"
REPO = "acme/payments"
PROD = "(?i)^production$"


@dataclass
class LoggedRequest:
    path: str
    params: dict[str, str]
    if_none_match: str | None
    status: int


@dataclass
class Answer:
    """An answer served as it is: status, body text and headers."""

    body: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeRequester:
    """`routes` maps a path (`/repos/o/r/pulls`) to a JSON list, or to an object whose
    `commits` list is paged (compare)."""

    routes: dict[str, Any]
    per_page: int = 2
    log: list[LoggedRequest] = field(default_factory=list)
    base_url: str = BASE
    # A REST-only server: the GraphQL endpoint answers 404 unless a test routes it.
    graphql_url: str = GRAPHQL

    def requestJson(self, verb, url, parameters=None, headers=None, input=None):  # PyGithub
        assert verb == "GET" or (verb == "POST" and url == self.graphql_url)
        parsed = urlparse(url)
        path = parsed.path.removeprefix("/api/v3")
        params = {k: v[0] for k, v in parse_qs(parsed.query).items()}
        params.update({k: str(v) for k, v in (parameters or {}).items()})
        if_none_match = (headers or {}).get("If-None-Match")
        if path not in self.routes:
            self.log.append(LoggedRequest(path, params, if_none_match, 404))
            return 404, {}, json.dumps({"message": "Not Found"})
        content = self.routes[path]
        if callable(content):
            content = content(params)
        if isinstance(content, Answer):
            status, response_headers, body = content.status, content.headers, content.body
        else:
            status, response_headers, body = self._answer(content, path, params, if_none_match)
        self.log.append(LoggedRequest(path, params, if_none_match, status))
        return status, response_headers, body

    def _answer(self, content, path, params, if_none_match):
        items = content["commits"] if isinstance(content, dict) else content
        size = int(params.get("per_page", 30))
        page = int(params.get("page", 1))
        chunk = items[(page - 1) * size : page * size]
        body = {**content, "commits": chunk} if isinstance(content, dict) else chunk
        headers = {}
        if page == 1:
            headers["etag"] = etag_of(content)
            if if_none_match == headers["etag"]:
                return 304, headers, ""
        if page * size < len(items):
            query = {k: v for k, v in params.items() if k != "page"} | {"page": page + 1}
            headers["link"] = f'<{BASE}{path}?{urlencode(query)}>; rel="next"'
        return 200, headers, json.dumps(body)

    def paths(self) -> list[str]:
        return [r.path for r in self.log]


class FakeGithub:
    """Just enough of `github.Github` for `sync_repo`: the `requester` attribute."""

    def __init__(self, routes: dict[str, Any], per_page: int = 2) -> None:
        # A repository served with a PR list and no review-comment list has no review comments:
        # it answers the repository-wide list (review_comments.py) empty, as GitHub does. Added
        # in place: tests change `routes` between syncs.
        for path in [p for p in routes if p.endswith("/pulls")]:
            routes.setdefault(f"{path}/comments", [])
        self.requester = FakeRequester(routes, per_page)


def etag_of(content: Any) -> str:
    return '"' + hashlib.sha1(json.dumps(content, sort_keys=True).encode()).hexdigest() + '"'


# Canned JSON builders shared by the sync-logic tests.


def day(n: int, hour: int = 12) -> str:
    return f"2024-03-{n:02d}T{hour:02d}:00:00Z"


def commit(sha: str, at: str) -> dict:
    return {
        "sha": sha,
        "author": {"login": "dev"},
        "commit": {"author": {"date": at}, "committer": {"date": at}, "message": f"change {sha}"},
    }


def by_resource(batch) -> dict:
    return {c.resource: c for c in batch.cursors}
