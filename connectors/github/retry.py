"""PyGithub's `GithubRetry`, bounded for unattended runs and taught GitHub's 429 answers.

`GithubRetry` already retries 5xx answers and rate-limited 403s, sleeping until
`X-RateLimit-Reset` and refusing waits longer than `max_rate_limit_wait`. Two gaps remain that
matter for a nightly job, and this subclass closes them:

- GitHub also signals rate limits with **429** (primary: `x-ratelimit-remaining: 0` plus
  `x-ratelimit-reset`; secondary: `retry-after`). `GithubRetry` only inspects 403s, so a 429
  without `Retry-After` would be retried on the short exponential backoff and burn the retries.
- A `Retry-After` header is honoured by urllib3 with no upper bound, so a `Retry-After: 3600`
  would stall the run for an hour. Here it is capped by `max_rate_limit_wait` like the reset.

With a `deadline` (epoch seconds, the end of the run from `schedule.max_run_minutes`), no
rate-limit wait may end after it either: the wait that would is refused at once, like one longer
than `max_rate_limit_wait`, so a run never sleeps past its deadline on a rate limit. Nor does any
other retry (a 5xx, a dropped or unanswered connection): one whose backoff would end after the
deadline raises `RetryPastDeadline` instead of sleeping, so a request being retried overruns
the deadline by at most the attempt in flight (one socket timeout), not by its whole retry
budget (127 s of 5xx backoff, or several timeouts).
"""

from __future__ import annotations

import time
from typing import Any

from github import GithubRetry
from github.GithubException import GithubException, RateLimitExceededExceedsMaxWait
from urllib3 import BaseHTTPResponse, Retry

RETRIED_STATUSES = (429, *range(500, 600))
"""Retried statuses on top of the rate-limited 403s that `GithubRetry` adds itself."""


class RetryPastDeadline(GithubException):
    """A retry's backoff would end after the run's deadline: the request is given up.

    A GithubException, so that it leaves urllib3 and PyGithub as GithubRetry's own
    RateLimitExceededExceedsMaxWait does; the connector reports it as the run's deadline."""

    def __init__(self, status: int | None, backoff: float) -> None:
        super().__init__(status or 0, None, None, f"a retry in {backoff:.0f} s would end after "
                         "the run's deadline")
        self.backoff = backoff


class BoundedGithubRetry(GithubRetry):
    """`GithubRetry` that also waits out 429 rate limits and caps every rate-limit wait."""

    def __init__(self, *, deadline: float | None = None, **kwargs: Any) -> None:
        self.deadline = deadline
        kwargs.setdefault("status_forcelist", list(RETRIED_STATUSES))
        # urllib3 never retries a POST by default; the connector's only POSTs are GraphQL
        # queries, which read, so retrying one is as safe as retrying a GET.
        kwargs.setdefault("allowed_methods", Retry.DEFAULT_ALLOWED_METHODS | {"POST"})
        # Hand the last error response back instead of raising urllib3's MaxRetryError, so the
        # connector can name the status and URL path in its own error message.
        kwargs.setdefault("raise_on_status", False)
        super().__init__(**kwargs)

    # GithubRetry reads `max_rate_limit_wait` itself for rate-limited 403s: as a property, the
    # deadline caps those waits too.
    @property
    def max_rate_limit_wait(self) -> float | None:
        configured = self._max_rate_limit_wait
        if self.deadline is None:
            return configured
        left = max(self.deadline - time.time(), 0.0)
        return left if configured is None else min(configured, left)

    @max_rate_limit_wait.setter
    def max_rate_limit_wait(self, value: float | None) -> None:
        self._max_rate_limit_wait = value

    def new(self, **kw: Any) -> Retry:
        # urllib3 makes a new Retry per attempt from the constructor's arguments: keep the
        # configured wait (not the capped one) and the deadline.
        kw.setdefault("deadline", self.deadline)
        retry = super().new(**kw)
        retry.max_rate_limit_wait = self._max_rate_limit_wait
        return retry

    def increment(  # type: ignore[override]
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: Any = None,
        _stacktrace: Any = None,
    ) -> Retry:
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        if response is not None and response.status == 429 and not response.headers.get(
                "Retry-After"):
            reset_wait = seconds_until_reset(response.headers)
            if reset_wait is not None:
                self._refuse_long_wait(response, reset_wait)
                backoff = max(reset_wait, retry.get_backoff_time())
                retry.get_backoff_time = lambda: backoff  # type: ignore[method-assign]
        self._refuse_retry_past_deadline(response, retry)
        return retry

    def _refuse_retry_past_deadline(self, response: BaseHTTPResponse | None,
                                    retry: Retry) -> None:
        if self.deadline is None:
            return
        # urllib3 sleeps the larger of the backoff and a Retry-After before the next attempt
        wait = retry.get_backoff_time()
        if response is not None:
            wait = max(wait, super().get_retry_after(response) or 0.0)
        if time.time() + wait >= self.deadline:
            raise RetryPastDeadline(None if response is None else response.status, wait)

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        seconds = super().get_retry_after(response)
        if seconds is not None:
            self._refuse_long_wait(response, seconds)
        return seconds

    def _refuse_long_wait(self, response: BaseHTTPResponse, seconds: float) -> None:
        if self.max_rate_limit_wait is not None and seconds > self.max_rate_limit_wait:
            raise RateLimitExceededExceedsMaxWait(
                response.status, None, dict(response.headers), wait=seconds
            )


def seconds_until_reset(headers: Any) -> float | None:
    """Seconds until the primary rate limit resets, plus 1 s, if the answer says it is spent.

    GitHub sends `x-ratelimit-reset` as epoch seconds; the extra second covers not knowing when in
    that second the reset happens (the same margin `GithubRetry` uses for 403s).
    """
    if headers.get("X-RateLimit-Remaining") != "0":
        return None
    reset = headers.get("X-RateLimit-Reset")
    if reset is None or not reset.isdigit():
        return None
    return max(int(reset) - time.time(), 0.0) + 1.0
