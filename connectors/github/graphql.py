"""One GitHub GraphQL query: sent, checked and paid for like a REST request.

A query is a POST to the GraphQL endpoint PyGithub derives from the base URL
(`https://ghe.example.com/api/v3` -> `/api/graphql`; github.com: `api.github.com/graphql`) through
the same `requestJson` as every REST call, so the token header, the bounded retries (5xx,
429, rate-limited 403: connectors/github/retry.py retries POSTs too, because every query the
connector sends reads) and the run's deadline apply unchanged (paging.request_json).

GraphQL answers errors with HTTP 200: `errors` of type NOT_FOUND leave that node null and are
the caller's to handle (a PR deleted after it was listed); RATE_LIMITED, or a budget the last
answer said is spent, raises RateLimitSpent, which stops the run like a spent REST budget (what
was committed is kept; the pass resumes on the next run); any other error raises
GitHubRequestError naming the endpoint and GitHub's message. Each answer's
`rateLimit { cost remaining }` is added to the run's RequestCounter (`graphql_points`,
`graphql_remaining`), so the benchmarks and logs can say what a sync cost in points.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlparse

from github.Requester import Requester

from connectors.github.paging import (
    GitHubRequestError,
    RateLimitSpent,
    RequestCounter,
    request_json,
)
from connectors.github.shape import ApiObject, MalformedObject, reading

log = logging.getLogger(__name__)

Json = dict[str, Any]
RATE_LIMIT_FIELDS = "rateLimit { cost remaining resetAt }"
"""Selected at the end of every query the connector sends: what it cost and what is left."""


def run_query(requester: Requester, query: str, variables: Json, counter: RequestCounter
              ) -> tuple[Json, list[Json]]:
    """(data, NOT_FOUND errors) of one query; any other error raises (module docstring)."""
    url = requester.graphql_url
    path = urlparse(url).path
    if counter.graphql_remaining == 0:
        raise RateLimitSpent(path, None, "the GraphQL rate limit is spent (0 points left after "
                             "the last query); what was committed is kept and the next run "
                             "continues where it stopped")
    _, _, body = request_json(requester, "POST", url, counter, None, {},
                              {"query": query, "variables": variables})
    if not isinstance(body, dict):
        raise GitHubRequestError(path, 200, "the GraphQL answer is not a JSON object")
    errors = body.get("errors") or []
    if not isinstance(errors, list):
        raise GitHubRequestError(path, 200, "the GraphQL answer's `errors` is not a list")
    limited = [e for e in errors if isinstance(e, dict) and e.get("type") == "RATE_LIMITED"]
    if limited:
        counter.graphql_remaining = 0
        raise RateLimitSpent(path, 200, f"GraphQL rate limit: {_message(limited[0])}; what was "
                             "committed is kept and the next run continues where it stopped")
    missing = [e for e in errors if isinstance(e, dict) and e.get("type") == "NOT_FOUND"]
    others = [e for e in errors if not (isinstance(e, dict) and e.get("type") == "NOT_FOUND")]
    if others:
        raise GitHubRequestError(path, 200, f"the GraphQL query was refused: {_message(others[0])}")
    data = body.get("data")
    if not isinstance(data, dict):
        raise GitHubRequestError(path, 200, "the GraphQL answer has no `data` object")
    _count_points(data.get("rateLimit"), counter)
    return data, missing


def query_nodes(requester: Requester, repo: str, query: str, ids: list[str],
                counter: RequestCounter, rest_cost: str) -> list[Any] | None:
    """The `nodes(ids:)` answer of `query`, one entry per id (null where NOT_FOUND); None when
    the server answers the GraphQL endpoint 404 (a proxy passing only `/api/v3`): then the
    repository's sync reads over REST from here on (`counter.graphql_unavailable`), with a
    warning saying what that costs (`rest_cost`, e.g. "pull request details come over REST
    (two requests a PR)")."""
    try:
        data, _ = run_query(requester, query, {"ids": ids}, counter)
    except GitHubRequestError as err:
        if err.status != 404:
            raise
        log.warning("%s: GitHub answered 404 to the GraphQL endpoint; %s.", repo, rest_cost)
        counter.graphql_unavailable = True
        return None
    nodes = data.get("nodes")
    with reading(urlparse(requester.graphql_url).path):
        if not isinstance(nodes, list) or len(nodes) != len(ids):
            raise MalformedObject(f"`nodes` does not hold one entry per id asked for "
                                  f"({len(ids)})")
    return nodes


def has_next_page(connection: ApiObject) -> bool:
    """Whether a connection's `pageInfo` says more nodes follow the ones answered."""
    info = connection.child("pageInfo")
    return bool(info is not None and info.flag("hasNextPage"))


def connection_nodes(connection: ApiObject) -> list[Any]:
    """A connection's `nodes` list."""
    nodes = connection.raw.get("nodes")
    if not isinstance(nodes, list):
        raise MalformedObject(f"{connection.label}: `nodes` is not a list")
    return nodes


def _count_points(rate: Any, counter: RequestCounter) -> None:
    if not isinstance(rate, dict):
        return
    cost, remaining = rate.get("cost"), rate.get("remaining")
    if isinstance(cost, int) and not isinstance(cost, bool):
        counter.graphql_points += cost
    if isinstance(remaining, int) and not isinstance(remaining, bool):
        counter.graphql_remaining = remaining


def _message(error: Any) -> str:
    text = error.get("message") if isinstance(error, dict) else None
    return str(text)[:200] if text else "no message"
