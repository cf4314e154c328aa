"""The primary rate limit: a request budget per token per window, with GitHub's headers."""

from __future__ import annotations

import math
import threading
import time

RATE_LIMIT_MESSAGE = ("API rate limit exceeded for user ID 1. If you reach out to GitHub "
                      "Support for help, please include the request ID.")
RATE_LIMIT_DOCS = ("https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
                   "#about-primary-rate-limits")


class RateLimiter:
    """`limit` requests per `window_seconds`; the window starts with the first request."""

    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self._lock = threading.Lock()
        self._used = 0
        self._reset_at = time.time() + window_seconds

    def _roll(self, now: float) -> None:
        if now >= self._reset_at:
            self._used = 0
            self._reset_at = now + self.window_seconds

    def try_consume(self) -> bool:
        """Spend one request; False (nothing spent) when the budget is exhausted."""
        with self._lock:
            self._roll(time.time())
            if self._used >= self.limit:
                return False
            self._used += 1
            return True

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
                "x-ratelimit-resource": "core",
            }

    def snapshot(self) -> dict[str, int]:
        """The `rate` object of `GET /rate_limit`."""
        headers = self.headers()
        return {"limit": self.limit, "used": int(headers["x-ratelimit-used"]),
                "remaining": int(headers["x-ratelimit-remaining"]),
                "reset": int(headers["x-ratelimit-reset"])}
