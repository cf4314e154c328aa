"""The `pagerduty` client as the connector uses it: one account's base URL (US, EU, or the
sandbox), the token from the environment, certificate verification always on (a private CA
may be named, never verification turned off), and the bounded retries of transport.py."""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
import pagerduty

from connectors.pagerduty.transport import RetryingTransport

US_BASE_URL = "https://api.pagerduty.com"
EU_BASE_URL = "https://api.eu.pagerduty.com"


@dataclass(frozen=True)
class PagerDutySettings:
    """How to reach one account. `token` is never printed (repr=False)."""

    token: str = field(repr=False)
    base_url: str = US_BASE_URL
    ca_path: Path | None = None  # a CA bundle to trust (a proxy's, the sandbox's); else system
    account: str = "default"  # the label every row of this account carries (the batch scope)
    attempts: int = 6  # retries of one request after a 429, 5xx or lost connection
    backoff_s: float = 1.0
    max_wait_s: float = 120.0
    timeout_s: float = 30.0
    backfill_days: int = 730  # how far back the first sync reads incidents
    deadline: float | None = None  # epoch seconds: no retry waits past it
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)


def make_client(settings: PagerDutySettings) -> tuple[pagerduty.RestApiV2Client,
                                                       RetryingTransport]:
    """A RestApiV2Client for the account, and the transport that counts its requests."""
    verify: ssl.SSLContext | bool = True  # the system's authorities
    if settings.ca_path is not None:
        verify = ssl.create_default_context(cafile=str(settings.ca_path))
    transport = RetryingTransport(
        httpx2.HTTPTransport(verify=verify), attempts=settings.attempts,
        backoff_s=settings.backoff_s, max_wait_s=settings.max_wait_s,
        deadline=settings.deadline, sleep=settings.sleep)
    client = pagerduty.RestApiV2Client(settings.token, base_url=settings.base_url,
                                       transport=transport)
    client.timeout = settings.timeout_s
    # The transport retries; the client's own network retries would repeat each failure.
    client.max_network_attempts = 0
    return client, transport
