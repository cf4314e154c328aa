"""Constants of the GitHub connector, each with the API limit or reason behind its value.

Sources: GitHub REST docs (pagination, rate limits, conditional requests) as summarised in the
project's connector reference, and PyGithub 2.10's `GithubRetry`.
"""

from __future__ import annotations

SOURCE = "github"
"""Value of `Cursor.source` for every cursor this connector returns."""

DEFAULT_BASE_URL = "https://api.github.com"
"""github.com REST root; GitHub Enterprise Server uses `https://HOST/api/v3`."""

DEFAULT_TOKEN_ENV = "GITHUB_TOKEN"
"""Environment variable named in error messages when the config does not name another one."""

PER_PAGE = 100
"""Items per list page. GitHub accepts 1..100 (default 30); 100 means the fewest requests."""

MAX_PER_PAGE = 100

RETRY_TOTAL = 5
"""Retries per request for 5xx, 429 and rate-limited 403 answers and dropped connections.

Bounded so a broken server fails the run in minutes instead of hanging it (PyGithub's own
default is 10)."""

BACKOFF_FACTOR = 0.5
"""urllib3 exponential backoff between retries without `Retry-After`: 0 s, 1 s, 2 s, 4 s, ..."""

SECONDARY_RATE_WAIT_S = 60.0
"""Wait after a secondary rate limit without `Retry-After`: GitHub asks for at least 1 minute."""

MAX_RATE_LIMIT_WAIT_S = 900.0
"""Longest sleep for a rate-limit reset (`Retry-After` or `X-RateLimit-Reset`) before giving up.

The primary limit (5,000 requests/h per user) resets within the hour; a nightly job should wait
out a short reset but not sit for most of an hour holding the warehouse lock."""

TIMEOUT_S = 30
"""Seconds to wait for a connection or a response (PyGithub default: 15)."""

SECONDS_BETWEEN_REQUESTS: float | None = None
"""Pause between requests of one client. GitHub advises serial requests to stay clear of the
secondary limits; parallelism is already bounded by MAX_WORKERS, so no extra pause by default."""

MAX_WORKERS = 4
"""Repositories fetched at once, one client each. GitHub's secondary limit allows at most 100
concurrent requests and 900 points per minute per endpoint; 4 stays far below both."""

BODY_RETRIES = 2
"""Extra attempts when a response body arrives cut off or is not JSON. urllib3's retry only
covers failures before the status line, not a body that breaks off mid-read."""

MAX_PAGES = 5_000
"""Most pages one listing may take before it is refused as endless (500,000 items at 100 per page).

Far above the issues plus pull requests of the largest public repositories (a few hundred
thousand), and exactly the hourly primary rate limit of a user token (5,000 requests): a listing
that needs more is a server whose `Link: rel="next"` never ends, and would otherwise spend the
whole budget, and hold the warehouse lock, before anything failed. A link back to a page already
read is refused at once, whatever this limit."""

COMPARE_RETRY_RUNS = 3
"""Later runs on which a compare GitHub refused (404, 422) is asked again before its change set
is kept unknown for good.

A refusal can pass (a sha GitHub has not indexed yet, a compare that timed out); a history
rewrite or an orphan deploy commit answers the same forever, and costs one request per run
until the retries are spent."""

PULL_COMMITS_CAP = 250
"""GET /pulls/{n}/commits returns at most 250 commits; a PR at the cap may be missing some."""

TERMINAL_DEPLOYMENT_STATES = frozenset({"success", "failure", "error", "inactive"})
"""Deployment states after which the connector stops re-polling a deployment's statuses.

success/failure/error end a deployment. `inactive` is included because GitHub only sets it on a
deployment another one has superseded, which never changes again; without it a deployment
that never reported success would be re-polled on every run forever."""

WORKFLOW_RUNS_CAP = 1_000
"""Most runs GET /actions/runs returns for one filtered query (GitHub's documented cap: "up to
1,000 results for each search"). A `created` window holding more is split in two until each
half fits; `total_count` still reports the full number."""

EARLIEST_RUN = "2008-01-01T00:00:00Z"
"""Start of the first `created` window of a repository never synced: before GitHub existed."""
