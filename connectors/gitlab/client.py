"""The python-gitlab client as the connector uses it: one GitLab (gitlab.com or self-hosted)
by its root URL, the token from the environment, the bounded retries of retry.py in place of
the client's own, and a count of the requests made."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gitlab
import requests
from requests.adapters import HTTPAdapter

from connectors.gitlab.errors import GitLabPastDeadline
from connectors.gitlab.retry import BoundedGitLabRetry
from connectors.gitlab.settings import GITLAB_COM, PAGE


@dataclass(frozen=True)
class GitLabSettings:
    """How to reach one GitLab. `token` is never printed (repr=False)."""

    token: str = field(repr=False)
    url: str = GITLAB_COM  # the root URL; python-gitlab appends /api/v4
    attempts: int = 6  # retries of one request after a 429, 5xx or lost connection
    backoff_s: float = 1.0
    max_wait_s: float = 120.0
    timeout_s: float = 30.0
    deadline: float | None = None  # epoch seconds: no retry waits past it
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)


class _Counted(gitlab.Gitlab):
    """python-gitlab with its own retries off (urllib3 retries under it, bounded), a count of
    the requests made, and no request after the run's deadline."""

    requests_made = 0
    deadline: float | None = None

    def http_request(self, verb: str, path: str, *args: Any, **kwargs: Any):
        if self.deadline is not None and time.time() >= self.deadline:
            raise GitLabPastDeadline(
                "the run's deadline (schedule.max_run_minutes) passed before the project was "
                "read whole; nothing of it was stored, and the next run reads it again")
        kwargs.update(max_retries=0, obey_rate_limit=False, retry_transient_errors=False)
        self.requests_made += 1
        return super().http_request(verb, path, *args, **kwargs)


def make_client(settings: GitLabSettings) -> _Counted:
    retry = BoundedGitLabRetry(total=settings.attempts, max_wait_s=settings.max_wait_s,
                               deadline=settings.deadline, backoff_s=settings.backoff_s,
                               sleeper=settings.sleep)
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    # keep_base_url: follow `Link` pages on the configured host even when GitLab's
    # external_url differs (a proxy in front of a self-hosted GitLab)
    client = _Counted(settings.url, private_token=settings.token, per_page=PAGE,
                      timeout=settings.timeout_s, session=session, keep_base_url=True)
    client.deadline = settings.deadline
    return client
