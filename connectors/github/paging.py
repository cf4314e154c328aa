"""Reading a GitHub list: conditional first page, `Link rel="next"` paging, early stop.

Requests go through `Github.requester.requestJson`, so PyGithub's token header and retry policy
apply, but unlike PyGithub's `PaginatedList` the first page can carry `If-None-Match` (GitHub
answers 304, free of primary rate-limit cost, when the list is unchanged) and paging can stop
as soon as items fall behind a watermark. Page URLs always come from the `Link` header.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import requests
from github.GithubException import GithubException, RateLimitExceededExceedsMaxWait
from github.Requester import Requester

from connectors.github.settings import BODY_RETRIES

Json = dict[str, Any]

_BODY_FAILURES = (
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
    json.JSONDecodeError,
)


class GitHubRequestError(RuntimeError):
    """GitHub refused or failed a request. `status` is None when no answer arrived.

    The message names the method, URL path and status, never request headers (the token).
    """

    def __init__(self, path: str, status: int | None, detail: str) -> None:
        self.path = path
        self.status = status
        answer = f"answered {status}" if status is not None else "gave no usable answer"
        super().__init__(f"GitHub {answer} to GET {path}: {detail}")


@dataclass
class RequestCounter:
    """Requests one repository sync sent, and how many were answered 304.

    A response whose body broke off and was asked for again counts twice. Retries urllib3 makes
    inside one request (5xx, 429, dropped connection) are not visible here; the server's own
    request count includes them.
    """

    requests: int = 0
    not_modified: int = 0


@dataclass(frozen=True)
class FetchedList:
    """Items of a list read up to its end or to the first item the caller did not keep."""

    items: list[Json]
    etag: str | None  # ETag of the first page, to send back next time
    not_modified: bool  # first page answered 304: `items` is empty, nothing changed
    first_page: Any  # decoded body of the first page (compare's `status` lives there)


def fetch_list(
    requester: Requester,
    path: str,
    counter: RequestCounter,
    *,
    params: dict[str, Any] | None = None,
    etag: str | None = None,
    keep: Callable[[Json], bool] | None = None,
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
    if status == 304:
        counter.not_modified += 1
        return FetchedList(items=[], etag=etag, not_modified=True, first_page=None)
    first_etag = response_headers.get("etag")
    first_page = body
    items: list[Json] = []
    while True:
        for item in body[items_key] if items_key else body:
            if keep is not None and not keep(item):
                return FetchedList(items, first_etag, False, first_page)
            items.append(item)
        next_url = next_page_url(response_headers.get("link"))
        if next_url is None:
            return FetchedList(items, first_etag, False, first_page)
        status, response_headers, body = _get_json(requester, next_url, counter, None, {})


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
    path = urlparse(url).path
    for attempt in range(BODY_RETRIES + 1):
        counter.requests += 1
        try:
            status, response_headers, text = requester.requestJson(
                "GET", url, parameters=params, headers=dict(headers)
            )
            if status == 304:
                return status, response_headers, None
            if not 200 <= status < 300:
                raise GitHubRequestError(path, status, _error_detail(text))
            return status, response_headers, json.loads(text)
        except _BODY_FAILURES as err:
            if attempt == BODY_RETRIES:
                raise GitHubRequestError(
                    path, None, f"the response body was cut off or not JSON ({err})"
                ) from err
        except RateLimitExceededExceedsMaxWait as err:
            raise GitHubRequestError(
                path,
                err.status,
                f"rate limited for another {err.wait:.0f} s, more than the "
                "configured max_rate_limit_wait_s",
            ) from err
        except GithubException as err:
            raise GitHubRequestError(path, err.status, _error_detail(err.data)) from err
        except requests.exceptions.RequestException as err:
            raise GitHubRequestError(path, None, f"{type(err).__name__}: {err}") from err
    raise AssertionError("unreachable: the last attempt returns or raises")


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
