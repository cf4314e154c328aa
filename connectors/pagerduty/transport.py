"""Bounded retries under the `pagerduty` client, honouring PagerDuty's rate-limit headers.

The client retries a 429 without limit on its own exponential timer and ignores
`ratelimit-reset` (reference: apis.md §3.3), which could stall a nightly run forever. This
transport sits below it: a 429 waits `Retry-After` (or `ratelimit-reset`) seconds, a 5xx or a
lost connection waits an exponential backoff, at most `attempts` times; a wait longer than
`max_wait_s`, or one that would end after the run's deadline, is refused at once. When the
retries are spent it raises (PagerDutyUnavailable), so the client's own unbounded loop never
sees the 429.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx2

from connectors.pagerduty.errors import PagerDutyRetryPastDeadline, PagerDutyUnavailable

RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})


class RetryingTransport(httpx2.BaseTransport):
    def __init__(self, inner: httpx2.BaseTransport, *, attempts: int = 6,
                 backoff_s: float = 1.0, max_wait_s: float = 120.0,
                 deadline: float | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.inner = inner
        self.attempts = attempts
        self.backoff_s = backoff_s
        self.max_wait_s = max_wait_s
        self.deadline = deadline
        self.sleep = sleep
        self.requests = 0  # requests sent, retries included
        self.retries = 0

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        path = request.url.path
        for attempt in range(self.attempts + 1):
            self.requests += 1
            try:
                response = self.inner.handle_request(request)
            except httpx2.TransportError as problem:
                if attempt == self.attempts:
                    # the cause says which: refused, timed out, or a certificate not trusted
                    raise PagerDutyUnavailable(
                        f"PagerDuty did not answer GET {path} after {attempt + 1} attempts "
                        f"({type(problem).__name__}: {problem}); check the network, "
                        "sources.pagerduty.base_url and, behind a TLS-inspecting proxy, "
                        "sources.pagerduty.ca_bundle") from None
                self._wait(self.backoff_s * 2**attempt, path, "no answer")
                continue
            if response.status_code not in RETRIED_STATUSES:
                return response
            response.read()
            response.close()
            if attempt == self.attempts:
                raise PagerDutyUnavailable(
                    f"PagerDuty answered {response.status_code} to GET {path} "
                    f"{attempt + 1} times; the account is synced again at the next run")
            self._wait(self._wait_for(response, attempt), path, str(response.status_code))
        raise AssertionError("unreachable")

    def _wait_for(self, response: httpx2.Response, attempt: int) -> float:
        if response.status_code == 429:
            for header in ("retry-after", "ratelimit-reset"):
                value = response.headers.get(header)
                if value is not None and value.strip().isdigit():
                    return float(value)
        return self.backoff_s * 2**attempt

    def _wait(self, seconds: float, path: str, why: str) -> None:
        if seconds > self.max_wait_s:
            raise PagerDutyUnavailable(
                f"PagerDuty asked to wait {seconds:.0f} s before retrying GET {path} ({why}), "
                f"longer than the {self.max_wait_s:.0f} s allowed (sources.pagerduty."
                "max_rate_limit_wait_s)")
        if self.deadline is not None and time.time() + seconds > self.deadline:
            raise PagerDutyRetryPastDeadline(
                f"a retry of GET {path} ({why}) in {seconds:.0f} s would end after the run's "
                "deadline (schedule.max_run_minutes)")
        self.retries += 1
        self.sleep(seconds)

    def close(self) -> None:
        self.inner.close()
