"""Reading a GitHub list: conditional first page, `Link rel="next"` paging, early stop.

Requests go through `Github.requester.requestJson`, so PyGithub's token header and retry policy
apply, but unlike PyGithub's `PaginatedList` the first page can carry `If-None-Match` (GitHub
answers 304, free of primary rate-limit cost, when the list is unchanged) and paging can stop
as soon as items fall behind a watermark. Page URLs always come from the `Link` header.

Paging is bounded: a `rel="next"` link to a page this listing already read (a loop), or more
than `settings.MAX_PAGES` pages, is a MalformedAnswer for the endpoint, not an endless loop.
A 200 answer whose body is not JSON (an HTML page from a proxy), or not the list the endpoint
documents, is a MalformedAnswer too.

A sync may carry a deadline (`RequestCounter.deadline`, from `schedule.max_run_minutes`): no
request is sent after it; RunDeadlineReached stops the repository instead, and what it had
committed stays committed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl, urlparse

import requests
from github.GithubException import GithubException, RateLimitExceededExceedsMaxWait
from github.Requester import Requester

from connectors.github import settings as limits
from connectors.github.retry import RetryPastDeadline
from connectors.github.shape import MalformedAnswer, json_type, reading

Json = dict[str, Any]

_BODY_FAILURES = (
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


class GitHubRequestError(RuntimeError):
    """GitHub refused or failed a request. `status` is None when no answer arrived.

    The message names the method, URL path and status, never request headers (the token).
    """

    stops_run = False
    """True when no further request of this run can succeed (the run's deadline passed, or the
    rate limit is spent for longer than the run may wait): the sync stops every repository."""

    def __init__(self, path: str, status: int | None, detail: str) -> None:
        self.path = path
        self.status = status
        answer = f"answered {status}" if status is not None else "gave no usable answer"
        verb = "POST" if path.endswith("/graphql") else "GET"  # GraphQL queries are POSTs
        super().__init__(f"GitHub {answer} to {verb} {path}: {detail}")


class RateLimitSpent(GitHubRequestError):
    """The rate limit is spent and resets later than the run may wait (max_rate_limit_wait_s,
    or the time left before the run's deadline)."""

    stops_run = True


class RunDeadlineReached(GitHubRequestError):
    """The run's deadline (`schedule.max_run_minutes`) passed before this request was sent."""

    stops_run = True

    def __init__(self, path: str | None, minutes: float | None, retrying: bool = False) -> None:
        limit = f"schedule.max_run_minutes = {minutes:g}" if minutes else "its deadline"
        before = (f"while GET {path} was being retried" if retrying and path
                  else f"before GET {path} was sent" if path else "before this repository started")
        self.path = path or ""
        self.status = None
        RuntimeError.__init__(
            self,
            f"the run reached {limit} {before}; what this repository had committed is kept "
            "and the next run continues where it stopped (raise schedule.max_run_minutes if "
            "runs often stop here)",
        )


@dataclass
class RequestCounter:
    """Requests one repository sync sent, and how many were answered 304.

    A response whose body broke off and was asked for again counts twice. Retries urllib3 makes
    inside one request (5xx, 429, dropped connection) are not visible here; the server's own
    request count includes them.
    """

    requests: int = 0
    not_modified: int = 0
    pages: int = 0  # 2xx answers: pages of lists and single objects
    rate_remaining: int | None = None  # x-ratelimit-remaining of the latest answer
    graphql_points: int = 0  # GraphQL rate-limit points the answers said they cost
    graphql_remaining: int | None = None  # GraphQL points left, from the latest answer
    graphql_unavailable: bool = False  # the GraphQL endpoint answered 404: details over REST
    deadline: float | None = None  # epoch seconds after which no request is sent
    deadline_minutes: float | None = None  # the setting behind `deadline`, for messages


@dataclass(frozen=True)
class FetchedList:
    """Items of a list read up to its end or to the first item the caller did not keep."""

    items: list[Any]  # as decoded: each is checked to be an object when it is normalized
    etag: str | None  # ETag of the first page, to send back next time
    not_modified: bool  # first page answered 304: `items` is empty, nothing changed
    first_page: Any  # decoded body of the first page (compare's `status` lives there)
    path: str = ""  # the endpoint, for messages
    served_at: datetime | None = None  # the `Date` of the first answer: the API's "now"


def fetch_list(
    requester: Requester,
    path: str,
    counter: RequestCounter,
    *,
    params: dict[str, Any] | None = None,
    etag: str | None = None,
    keep: Callable[[Any], bool] | None = None,
    items_key: str | None = None,
) -> FetchedList:
    """Read the list at `path` (relative to the base URL, e.g. `/repos/o/r/pulls`).

    `etag` is sent as `If-None-Match` on the first page. `keep` is the early stop: paging ends at
    the first item for which it is false (that item is not returned), so the list must be sorted
    with the newest first. `items_key` names the array inside an object body (`commits` of a
    compare); otherwise the body itself is the array.
    """
    headers = {"If-None-Match": etag} if etag else {}
    status, response_headers, body = _get_json(requester, path, counter, params, headers)
    served_at = _served_at(response_headers)
    if status == 304:
        counter.not_modified += 1
        return FetchedList(items=[], etag=etag, not_modified=True, first_page=None, path=path,
                           served_at=served_at)
    first_etag = response_headers.get("etag")
    first_page = body
    items: list[Any] = []
    read = {_page_key(requester, path, params)}
    while True:
        with reading(path):
            for item in _page_items(body, items_key, path, len(read)):
                if keep is not None and not keep(item):
                    return FetchedList(items, first_etag, False, first_page, path, served_at)
                items.append(item)
        next_url = next_page_url(response_headers.get("link"))
        if next_url is None:
            return FetchedList(items, first_etag, False, first_page, path, served_at)
        _check_next_page(requester, path, next_url, read)
        status, response_headers, body = _get_json(requester, next_url, counter, None, {})


def fetch_object(requester: Requester, path: str, counter: RequestCounter) -> Any:
    """GET one object at `path` (e.g. a git ref), decoded; non-2xx raises GitHubRequestError."""
    _, _, body = _get_json(requester, path, counter, None, {})
    return body


def _page_items(body: Any, items_key: str | None, path: str, page: int) -> list[Any]:
    """The items of one page; the page must be the list (or object with a list) documented."""
    where = f"page {page}" if page > 1 else "the answer"
    if items_key is None:
        if not isinstance(body, list):
            raise MalformedAnswer(path, f"{where} is {_describe(body)}, expected a list")
        return body
    if not isinstance(body, dict):
        raise MalformedAnswer(
            path, f"{where} is {_describe(body)}, expected an object with a {items_key!r} list"
        )
    items = body.get(items_key)
    if not isinstance(items, list):
        raise MalformedAnswer(
            path, f"field {items_key!r} of {where} is {json_type(items)}, expected a list"
        )
    return items


def _describe(body: Any) -> str:
    """A decoded answer's type, with GitHub's `message` when it sent one."""
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return f"an object with the message {body['message'][:100]!r}"
    return json_type(body)


def _page_key(requester: Requester, url: str, params: dict[str, Any] | None) -> tuple:
    """What identifies a page of a listing: its path under the API root and its query, with
    GitHub's default `page=1` filled in, so a link back to the first page is recognised."""
    parsed = urlparse(url)
    path = parsed.path
    root = urlparse(getattr(requester, "base_url", "") or "").path.rstrip("/")
    if parsed.scheme and root and path.startswith(root + "/"):
        path = path[len(root) :]
    query = dict(parse_qsl(parsed.query))
    query.update({key: str(value) for key, value in (params or {}).items()})
    query.setdefault("page", "1")
    return path, tuple(sorted(query.items()))


def _check_next_page(requester: Requester, path: str, next_url: str, read: set[tuple]) -> None:
    """Refuse a `rel="next"` link that loops back, leaves the API host or pages beyond
    MAX_PAGES; remember it as read."""
    host = urlparse(next_url).netloc
    api_host = urlparse(getattr(requester, "base_url", "") or "").netloc
    if host and api_host and host != api_host:
        # PyGithub refuses other hosts with a bare AssertionError; say what happened instead.
        raise MalformedAnswer(
            path, f'the Link header points rel="next" to another host ({host}), not {api_host}'
        )
    key = _page_key(requester, next_url, None)
    if key in read:
        page = dict(key[1]).get("page", "1")
        raise MalformedAnswer(
            path,
            f'the Link header of page {len(read)} points rel="next" back to page {page}, '
            "which this listing already read; stopped instead of paging forever",
        )
    if len(read) >= limits.MAX_PAGES:
        raise MalformedAnswer(
            path,
            f'the Link header still points rel="next" after {limits.MAX_PAGES} pages, more '
            "than any real listing has (settings.MAX_PAGES); stopped instead of paging on",
        )
    read.add(key)


def next_page_url(link_header: str | None) -> str | None:
    """The `rel="next"` URL of a `Link` header, or None on the last page."""
    if not link_header:
        return None
    for link in requests.utils.parse_header_links(link_header):
        if link.get("rel") == "next":
            return link["url"]
    return None


def _get_json(
    requester: Requester,
    url: str,
    counter: RequestCounter,
    params: dict[str, Any] | None,
    headers: dict[str, str],
) -> tuple[int, dict[str, Any], Any]:
    """One GET, decoded; 304 passes through, any other non-2xx raises GitHubRequestError."""
    return request_json(requester, "GET", url, counter, params, headers)


def request_json(
    requester: Requester,
    verb: str,
    url: str,
    counter: RequestCounter,
    params: dict[str, Any] | None,
    headers: dict[str, str],
    body: Any = None,
) -> tuple[int, dict[str, Any], Any]:
    """One request (GET, or the POST of a GraphQL query with its JSON `body`), decoded: the
    deadline, retries of a broken body and every error message are the same for both; 304
    passes through, any other non-2xx raises GitHubRequestError."""
    path = urlparse(url).path
    for attempt in range(limits.BODY_RETRIES + 1):
        if counter.deadline is not None and time.time() >= counter.deadline:
            raise RunDeadlineReached(path, counter.deadline_minutes)
        counter.requests += 1
        try:
            extra = {} if body is None else {"input": body}
            status, response_headers, text = requester.requestJson(
                verb, url, parameters=params, headers=dict(headers), **extra
            )
            if verb == "GET":  # a GraphQL answer's x-ratelimit-* count points, not requests
                counter.rate_remaining = _remaining(response_headers, counter.rate_remaining)
            if status == 304:
                return status, response_headers, None
            if not 200 <= status < 300:
                raise GitHubRequestError(path, status, _error_detail(text))
            counter.pages += 1
            return status, response_headers, _decode(text)
        except _NotJson as err:
            # A proxy's error page or a body cut short can be passing: ask again before giving up.
            if attempt == limits.BODY_RETRIES:
                raise MalformedAnswer(path, str(err)) from None
        except _BODY_FAILURES as err:
            if attempt == limits.BODY_RETRIES:
                raise GitHubRequestError(
                    path, None, f"the response body was cut off ({err})"
                ) from err
        except RetryPastDeadline as err:
            raise RunDeadlineReached(path, counter.deadline_minutes, retrying=True) from err
        except RateLimitExceededExceedsMaxWait as err:
            raise RateLimitSpent(
                path,
                err.status,
                f"rate limited for another {err.wait:.0f} s, more than the configured "
                "max_rate_limit_wait_s or the time left before schedule.max_run_minutes; what "
                "was committed is kept and the next run continues where it stopped",
            ) from err
        except GithubException as err:
            raise GitHubRequestError(path, err.status, _error_detail(err.data)) from err
        except requests.exceptions.RequestException as err:
            raise GitHubRequestError(path, None, _transport_problem(err)) from err
    raise AssertionError("unreachable: the last attempt returns or raises")


def _served_at(headers: dict[str, Any] | None) -> datetime | None:
    """The answer's `Date` header (any case) as an aware datetime, or None without a usable one.

    The API's own clock: a simulated organization served "as of" a moment says that moment."""
    for name, value in (headers or {}).items():
        if name.lower() == "date":
            try:
                moment = parsedate_to_datetime(value)
            except (TypeError, ValueError):
                return None
            return moment if moment.tzinfo is not None else None
    return None


def _remaining(headers: dict[str, Any] | None, previous: int | None) -> int | None:
    """The rate-limit budget left after an answer, from its header (any case)."""
    for name, value in (headers or {}).items():
        if name.lower() == "x-ratelimit-remaining":
            try:
                return int(value)
            except (TypeError, ValueError):
                return previous
    return previous


def _transport_problem(err: requests.exceptions.RequestException) -> str:
    """What went wrong below HTTP, in words with the fix; never urllib3's own text."""
    if isinstance(err, requests.exceptions.SSLError):
        return ("the TLS handshake failed (certificate not trusted or wrong host): check "
                "sources.github.base_url and the machine's CA certificates")
    if isinstance(err, requests.exceptions.ConnectTimeout):
        return ("no answer to the connection within the timeout: check sources.github.base_url "
                "and that the network or proxy lets the host through")
    if isinstance(err, requests.exceptions.ConnectionError):
        return ("could not connect to the GitHub API (connection refused or host not found, "
                "after retries): check sources.github.base_url and the network")
    if isinstance(err, requests.exceptions.Timeout):
        return "the API stopped answering mid-request (read timeout, after retries); run again"
    return f"the request failed below HTTP ({type(err).__name__}); run again"


class _NotJson(ValueError):
    """A 2xx body that is not JSON the warehouse can hold."""


def _refuse_constant(name: str) -> Any:
    raise _NotJson(f"answered 200 with {name} in its JSON, which is not a JSON number")


def _decode(text: Any) -> Any:
    """The JSON body of a 2xx answer; _NotJson says what it is instead."""
    if not isinstance(text, str) or not text.strip():
        raise _NotJson("answered 200 with an empty body, expected JSON")
    try:
        body = json.loads(text, parse_constant=_refuse_constant)
    except _NotJson:
        raise
    except ValueError as err:  # JSONDecodeError, or an integer too long to convert
        start = text.lstrip()[:40]
        if start.startswith("<"):
            raise _NotJson(
                f"answered 200 with an HTML page ({start!r}...), not JSON: a proxy, login or "
                "maintenance page?"
            ) from None
        raise _NotJson(f"answered 200 with a body that is not JSON ({err})") from None
    if "\\ud" in text.lower():
        # An escaped lone UTF-16 surrogate decodes to a str no database can store as text.
        try:
            json.dumps(body, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise _NotJson(
                "answered 200 with JSON holding a lone UTF-16 surrogate (\\ud800-\\udfff), "
                "which is not text"
            ) from None
    return body


def _error_detail(body: Any) -> str:
    """GitHub's `message` from an error body, shortened; the body never holds the token."""
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except json.JSONDecodeError:
            return body[:200] or "empty body"
    if isinstance(body, dict) and body.get("message"):
        return str(body["message"])[:200]
    return str(body)[:200] or "empty body"
