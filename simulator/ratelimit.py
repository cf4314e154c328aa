"""The primary rate limit: a request budget per token per window, with GitHub's headers, and
the budget a simulated organization needs (`candor sandbox` serves it)."""

from __future__ import annotations

import math
import threading
import time

RATE_LIMIT_MESSAGE = ("API rate limit exceeded for user ID 1. If you reach out to GitHub "
                      "Support for help, please include the request ID.")
RATE_LIMIT_DOCS = ("https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
                   "#about-primary-rate-limits")


class RateLimiter:
    """`limit` requests (GraphQL: points) per `window_seconds`; the window starts with the
    first request. `resource` is what `x-ratelimit-resource` says (core, graphql)."""

    def __init__(self, limit: int, window_seconds: float, resource: str = "core") -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self.resource = resource
        self._lock = threading.Lock()
        self._used = 0
        self._reset_at = time.time() + window_seconds

    def _roll(self, now: float) -> None:
        if now >= self._reset_at:
            self._used = 0
            self._reset_at = now + self.window_seconds

    def try_consume(self, points: int = 1) -> bool:
        """Spend `points` (a request: 1); False (nothing spent) when the budget lacks them."""
        with self._lock:
            self._roll(time.time())
            if self._used + points > self.limit:
                return False
            self._used += points
            return True

    def start_next_window(self) -> None:
        """Reset the budget now, as if the window had ended (a test's way to skip an hour)."""
        with self._lock:
            self._used = 0
            self._reset_at = time.time() + self.window_seconds

    @property
    def used(self) -> int:
        """Requests spent in the current window."""
        with self._lock:
            self._roll(time.time())
            return self._used

    def exhausted(self) -> bool:
        with self._lock:
            self._roll(time.time())
            return self._used >= self.limit

    def headers(self) -> dict[str, str]:
        with self._lock:
            self._roll(time.time())
            return {
                "x-ratelimit-limit": str(self.limit),
                "x-ratelimit-remaining": str(max(self.limit - self._used, 0)),
                "x-ratelimit-used": str(self._used),
                "x-ratelimit-reset": str(math.ceil(self._reset_at)),
                "x-ratelimit-resource": self.resource,
            }

    def snapshot(self) -> dict[str, int]:
        """The `rate` object of `GET /rate_limit`."""
        headers = self.headers()
        return {"limit": self.limit, "used": int(headers["x-ratelimit-used"]),
                "remaining": int(headers["x-ratelimit-remaining"]),
                "reset": int(headers["x-ratelimit-reset"])}


PAGE = 100  # the connector asks for 100 items per page, GitHub's maximum


def _pages(items: int) -> int:
    return max(1, math.ceil(items / PAGE))


def full_sync_requests(org) -> int:
    """An upper bound on the requests a full sync (backfill) of `org` makes through the GitHub
    connector: per repository one listing each of deployments, pull requests and issues, page
    by page; per deployment its statuses and at most one comparison (its change set); per pull
    request its commits, reviews and review comments, page by page (the REST-only worst case:
    with GraphQL the details of 25 PRs are one query, paid from its own budget). Measured on
    seed 5, 2
    teams, 2 months: 466 requests against a bound of 505 (tests/pipelines/test_cli_sandbox.py
    asserts the bound holds)."""
    total = 0
    for repo in org.repos.values():
        total += _pages(len(repo.deployments)) + _pages(len(repo.pulls)) + _pages(len(repo.issues))
        total += 2 * len(repo.deployments)
        for pull in repo.pulls:
            total += (_pages(len(pull.commit_shas)) + _pages(len(pull.reviews))
                      + _pages(len(pull.comments)))
    return total


def sync_budget(org) -> int:
    """The hourly request budget `candor sandbox` serves: twice `full_sync_requests`, so a
    backfill and a following incremental run fit in one window, rounded up to a thousand."""
    return math.ceil(2 * full_sync_requests(org) / 1000) * 1000
