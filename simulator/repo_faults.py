"""Faults of single repositories (`srv.faults.repos`): what one bad repository looks like.

Unlike the scripted and random faults (any request), these hit every request of one repository,
so a test can check that the others are synced as if nothing happened:

    srv.faults.repos.fail("acme/api", 500)             # every answer of acme/api is a 500
    srv.faults.repos.fail("acme/api", 403, "Resource not accessible by personal access token")
                                                       # GitHub's refusal, not a rate limit
    srv.faults.repos.no_common_ancestor("acme/api")    # its compares answer 404
    srv.faults.repos.link_loop("acme/api")             # its lists link back to page 1
    srv.faults.repos.malformed("acme/api", "html")     # its answers are malformed (MALFORMED)

`route` (an endpoint name of simulator/routes.py, e.g. "issues") narrows a loop or a malformed
answer to one endpoint. `srv.faults.clear()` removes these too.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

MALFORMED = {
    "html": "200 with an HTML page instead of JSON (a proxy or login page)",
    "invalid_json": "200 with JSON cut short in the middle of an object",
    "object_for_list": "a list endpoint answers an object holding the list",
    "string_labels": "labels are a list of strings, not of label objects",
    "missing_id": "list items have no `id`",
    "huge_id": "list items have the id 2^63, one beyond a 64-bit signed integer",
}
"""Kinds of malformed answers, for `RepoFaults.malformed`."""

NO_COMMON_ANCESTOR_DOCS = "https://docs.github.com/rest/commits/commits#compare-two-commits"

HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head>"
    b"<body><p>Your session has expired. Please sign in again.</p></body></html>\n"
)


class RepoFaults:
    """Per-repository faults; thread-safe, read by the app for every request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._status: dict[str, int] = {}
        self._message: dict[str, str] = {}
        self._no_ancestor: set[str] = set()
        self._loops: dict[str, str | None] = {}
        self._malformed: dict[str, tuple[str, str | None]] = {}

    def fail(self, repo: str, status: int = 500, message: str | None = None) -> None:
        """Answer every request of `repo` with `status` (a 4xx or 5xx).

        Without `message`, a 403 or 429 is a spent rate limit (GitHub's message and headers)
        and other codes carry a stock message; with it, the answer is GitHub's plain error body
        `{"message": message}` and no rate-limit headers: e.g. 403 "Resource not accessible by
        personal access token" (a token without access) or 404 "Not Found" (a hidden repo)."""
        if not 400 <= status <= 599:
            raise ValueError(f"faults.repos.fail: {status} is not a 4xx/5xx status code.")
        with self._lock:
            self._status[repo] = status
            if message is None:
                self._message.pop(repo, None)
            else:
                self._message[repo] = message

    def no_common_ancestor(self, repo: str) -> None:
        """Answer every compare of `repo` with GitHub's 404 "No common ancestor between X and
        Y." (orphan deploy commits, or history rewritten between two deployments)."""
        with self._lock:
            self._no_ancestor.add(repo)

    def link_loop(self, repo: str, route: str | None = None) -> None:
        """Give the last page of every list of `repo` (or of `route`) a `Link: rel="next"` back
        to its first page: a client that follows it blindly pages forever."""
        with self._lock:
            self._loops[repo] = route

    def malformed(self, repo: str, kind: str, route: str | None = None) -> None:
        """Answer the requests of `repo` (or of its `route`) malformed; `kind` in MALFORMED."""
        if kind not in MALFORMED:
            raise ValueError(
                f"faults.repos.malformed: {kind!r} is not one of {', '.join(MALFORMED)}."
            )
        with self._lock:
            self._malformed[repo] = (kind, route)

    def clear(self) -> None:
        with self._lock:
            self._status.clear()
            self._message.clear()
            self._no_ancestor.clear()
            self._loops.clear()
            self._malformed.clear()

    # ---------------------------------------------------------------- read by the app

    def status_for(self, repo: str | None) -> int | None:
        with self._lock:
            return self._status.get(repo) if repo else None

    def message_for(self, repo: str | None) -> str | None:
        """The error message `fail` was given for `repo`, if any."""
        with self._lock:
            return self._message.get(repo) if repo else None

    def refuses_compare(self, repo: str | None, route: str) -> bool:
        with self._lock:
            return route == "compare" and repo in self._no_ancestor

    def loops(self, repo: str | None, route: str) -> bool:
        with self._lock:
            if repo not in self._loops:
                return False
            only = self._loops[repo]
            return only is None or only == route

    def malformation(self, repo: str | None, route: str) -> str | None:
        with self._lock:
            kind, only = self._malformed.get(repo, (None, None)) if repo else (None, None)
        return kind if kind is not None and (only is None or only == route) else None


def no_common_ancestor_body(basehead: str) -> dict[str, str]:
    """GitHub's 404 answer to a compare of two commits without a common ancestor."""
    base, _, head = basehead.partition("...")
    return {
        "message": f"No common ancestor between {base} and {head}.",
        "documentation_url": NO_COMMON_ANCESTOR_DOCS,
        "status": "404",
    }


def loop_link(url: str, args: MultiDict, per_page: int, link: str | None) -> str:
    """`link` with a rel="next" back to page 1 when it has no next page of its own."""
    if link and 'rel="next"' in link:
        return link
    other = [(k, v) for k, v in args.items(multi=True) if k not in ("page", "per_page")]
    first = f"{url}?{urlencode([*other, ('per_page', per_page), ('page', 1)])}"
    return ", ".join(part for part in (link, f'<{first}>; rel="next"') if part)


def malform(kind: str, body: Any) -> Any:
    """The decoded `body` changed as `kind` says (bytes for the kinds that are not JSON).

    Items are copied before they change: the renderer caches some objects it returns.
    """
    if kind == "html":
        return HTML_PAGE
    if kind == "invalid_json":
        return b'[{"id": 1, "environment": "production", "sha": '
    if kind == "object_for_list":
        return {"total_count": len(body), "items": body} if isinstance(body, list) else body
    if isinstance(body, list):
        return [_malform_item(kind, item) for item in body]
    return _malform_item(kind, body)


def _malform_item(kind: str, item: Any) -> Any:
    if not isinstance(item, dict):
        return item
    item = dict(item)
    if kind == "string_labels" and isinstance(item.get("labels"), list):
        item["labels"] = [label.get("name") for label in item["labels"]]
    elif kind == "missing_id":
        item.pop("id", None)
    elif kind == "huge_id" and "id" in item:
        item["id"] = 2**63
    return item
