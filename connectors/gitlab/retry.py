"""Bounded retries for the GitLab client, in urllib3 under its requests session.

python-gitlab's own retry loop waits whatever `Retry-After` says, for up to ten attempts of
every request, with no notion of a run's deadline. The connector turns it off (client.py) and
retries here instead, where each wait is known before it is slept:

- a 429 waits its `Retry-After`, else until its `RateLimit-Reset` (epoch seconds), else the
  backoff; a wait longer than `max_wait_s` fails the sync at once (GitLabRateLimitTooLong);
- a 5xx or a lost connection waits the exponential backoff (`backoff_s`, doubling);
- no wait may end after `deadline` (GitLabRetryPastDeadline);
- after `total` retries the last answer is handed back, and the client raises its HTTP error.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from urllib3 import BaseHTTPResponse, Retry

from connectors.gitlab.errors import GitLabRateLimitTooLong, GitLabRetryPastDeadline

RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})


class BoundedGitLabRetry(Retry):
    """urllib3's Retry that honours GitLab's rate-limit headers within a maximum wait and the
    run's deadline."""

    def __init__(self, *, max_wait_s: float = 120.0, deadline: float | None = None,
                 backoff_s: float = 1.0, sleeper: Callable[[float], None] = time.sleep,
                 **kwargs: Any) -> None:
        kwargs.setdefault("status_forcelist", RETRIED_STATUSES)
        kwargs.setdefault("allowed_methods", frozenset({"GET"}))
        # hand the last error answer back: the client names its status in its own error
        kwargs.setdefault("raise_on_status", False)
        # urllib3's backoff is factor * 2^(n-1) from the 2nd retry (none before): with the
        # first wait set below, 1, 2, 4, ... s
        kwargs.setdefault("backoff_factor", backoff_s)
        super().__init__(**kwargs)
        self.max_wait_s = max_wait_s
        self.deadline = deadline
        self.backoff_s = backoff_s
        self.sleeper = sleeper

    def new(self, **kw: Any) -> Retry:
        retry = super().new(**kw)
        for name in ("max_wait_s", "deadline", "backoff_s", "sleeper"):
            setattr(retry, name, getattr(self, name))
        return retry

    def wait_for(self, response: BaseHTTPResponse | None) -> float:
        """Seconds to wait before the next attempt after `response` (None: no answer)."""
        if response is not None and response.status == 429:
            after = self.get_retry_after(response)
            if after is not None:
                return after
            reset = response.headers.get("RateLimit-Reset", "")
            if reset.isdigit():
                return max(int(reset) - time.time(), 0.0)
        # the first retry waits backoff_s (urllib3 alone would not wait at all)
        errors = len(self.history)
        return self.backoff_s if errors <= 1 else self.get_backoff_time()

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        wait = self.wait_for(response)
        if response is not None and response.status == 429 and wait > self.max_wait_s:
            raise GitLabRateLimitTooLong(
                f"GitLab asked to wait {wait:.0f} s before the next request (429), longer than "
                f"sources.gitlab.max_rate_limit_wait_s ({self.max_wait_s:.0f} s)")
        if self.deadline is not None and time.time() + wait >= self.deadline:
            raise GitLabRetryPastDeadline(
                f"a retry in {wait:.0f} s would end after the run's deadline "
                "(schedule.max_run_minutes)")
        if wait > 0:
            self.sleeper(wait)
