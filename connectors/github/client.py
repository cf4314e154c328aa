"""How the connector connects to GitHub: settings and the PyGithub client built from them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import urlparse

from github import Auth, Github

from connectors.github import settings as limits
from connectors.github.retry import BoundedGithubRetry


class GitHubConfigError(ValueError):
    """A GitHub connection setting is missing or unusable."""


@dataclass(frozen=True, kw_only=True)
class GitHubClientSettings:
    """Where GitHub is, how to authenticate, and how hard to retry.

    `base_url` is `https://api.github.com`, a GitHub Enterprise Server root
    (`https://HOST/api/v3`) or the simulator's loopback URL (`http://127.0.0.1:PORT/api/v3`).
    The token is kept out of `repr()` so the settings can be logged; `token_env` only names the
    variable the token came from, for error messages.
    """

    token: str = field(repr=False)
    base_url: str = limits.DEFAULT_BASE_URL
    token_env: str = limits.DEFAULT_TOKEN_ENV
    per_page: int = limits.PER_PAGE
    retry_total: int = limits.RETRY_TOTAL
    backoff_factor: float = limits.BACKOFF_FACTOR
    secondary_rate_wait_s: float = limits.SECONDARY_RATE_WAIT_S
    max_rate_limit_wait_s: float = limits.MAX_RATE_LIMIT_WAIT_S
    timeout_s: int = limits.TIMEOUT_S
    seconds_between_requests: float | None = limits.SECONDS_BETWEEN_REQUESTS
    deadline: float | None = None
    """Epoch seconds at which the run stops (schedule.max_run_minutes): no request is sent and
    no rate-limit wait ends after it. None: no deadline."""
    deadline_minutes: float | None = None
    """The `schedule.max_run_minutes` behind `deadline`, named in messages."""

    def __post_init__(self) -> None:
        if not self.token:
            raise GitHubConfigError(
                f"The GitHub token is empty: set environment variable {self.token_env}."
            )
        parsed = urlparse(self.base_url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise GitHubConfigError(
                f"sources.github.base_url {self.base_url!r} is not an http(s) URL: use "
                "https://api.github.com or https://HOST/api/v3 for GitHub Enterprise Server."
            )
        if not 1 <= self.per_page <= limits.MAX_PER_PAGE:
            raise GitHubConfigError(
                f"per_page {self.per_page} is outside GitHub's 1..{limits.MAX_PER_PAGE}."
            )
        if self.retry_total < 0:
            raise GitHubConfigError(f"retry_total {self.retry_total} must be 0 or more.")

    @classmethod
    def from_env(
        cls, token_env: str = limits.DEFAULT_TOKEN_ENV, **options: object
    ) -> GitHubClientSettings:
        """Settings with the token read from environment variable `token_env`."""
        token = os.environ.get(token_env, "")
        if not token:
            raise GitHubConfigError(
                f"Environment variable {token_env} (sources.github.token_env) is not set: "
                "export a GitHub token with read access to the configured repositories."
            )
        return cls(token=token, token_env=token_env, **options)  # type: ignore[arg-type]


def make_retry(settings: GitHubClientSettings) -> BoundedGithubRetry:
    """The retry policy every request of a client made from `settings` follows."""
    return BoundedGithubRetry(
        total=settings.retry_total,
        backoff_factor=settings.backoff_factor,
        secondary_rate_wait=settings.secondary_rate_wait_s,
        max_rate_limit_wait=settings.max_rate_limit_wait_s,
        deadline=settings.deadline,
    )


def make_github(settings: GitHubClientSettings) -> Github:
    """A PyGithub client for `settings`. Not thread-safe: make one per worker thread.

    Its requests go over one persistent connection: PyGithub keeps one `requests.Session` per
    client, whose pool (`pool_size`, default 10) keeps connections alive between requests, and a
    client sends one request at a time, so a sync opens one connection per worker thread
    (tests/simulator/test_keepalive.py counts them).
    """
    return Github(
        auth=Auth.Token(settings.token),
        base_url=settings.base_url.rstrip("/"),
        per_page=settings.per_page,
        retry=make_retry(settings),
        timeout=settings.timeout_s,
        seconds_between_requests=settings.seconds_between_requests,
        seconds_between_writes=None,
    )
