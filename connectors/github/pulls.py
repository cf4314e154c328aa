"""Pull requests of one repository, with their commits and reviews.

GitHub has no `since` for pulls: the list is read with `state=all&sort=updated&direction=desc`
down to the watermark (max `updated_at` of the last sync), boundary included. For every PR read,
its commits and reviews are fetched again in full: a new review or push moves the PR's
`updated_at`, so the PR shows up above the watermark. Review comments come from the
repository-wide list instead (review_comments.py): one request per 100 comments rather than one
per PR.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from github.Requester import Requester

from connectors.github import normalize
from connectors.github.paging import RequestCounter, fetch_list
from connectors.github.records import Cursor, RepoBatch
from connectors.github.settings import PULL_COMMITS_CAP, SOURCE
from connectors.github.shape import reading
from connectors.github.watermark import advance, fetch_updated_since

RESOURCE = "pull_requests"

T = TypeVar("T")

log = logging.getLogger(__name__)


def sync_pull_requests(
    requester: Requester, batch: RepoBatch, previous: Cursor | None, counter: RequestCounter
) -> Cursor:
    """Add PRs updated since the watermark and their details to `batch`; return the cursor."""
    repo = batch.repo
    watermark, listed = fetch_updated_since(
        requester, f"/repos/{repo}/pulls", previous, counter, "pull request"
    )
    # A PR updated while the list is paged moves to page 1 and can be listed twice: keep the
    # first (newest) copy.
    pulls = {}
    with reading(listed.path):
        for raw in listed.items:
            record = normalize.pull_request(repo, raw)
            pulls.setdefault(record.number, record)
    for pr in pulls.values():
        batch.pull_requests.append(pr)
        _add_details(requester, batch, pr.number, counter)

    newest = advance(watermark, (pr.updated_at for pr in pulls.values()))
    return Cursor(
        source=SOURCE,
        scope=repo,
        resource=RESOURCE,
        cursor=newest.isoformat() if newest else None,
        etag=listed.etag,
    )


def _add_details(requester: Requester, batch: RepoBatch, number: int, counter: RequestCounter):
    repo = batch.repo
    base = f"/repos/{repo}/pulls/{number}"
    commits = _details(requester, repo, number, f"{base}/commits", normalize.pull_commit, counter)
    if len(commits) >= PULL_COMMITS_CAP:
        log.warning(
            "%s#%d has %d commits, GitHub's cap for a PR's commit list: its first commit "
            "(lead time start) may be missing.",
            repo,
            number,
            len(commits),
        )
    batch.pull_commits.extend(commits)
    batch.pull_reviews.extend(
        _details(requester, repo, number, f"{base}/reviews", normalize.pull_review, counter)
    )


def _details(
    requester: Requester,
    repo: str,
    number: int,
    path: str,
    normalizer: Callable[[str, int, Any], T],
    counter: RequestCounter,
) -> list[T]:
    """Every item of one detail list of PR `number` (commits, reviews), normalized."""
    listed = fetch_list(requester, path, counter, params={"per_page": requester.per_page})
    with reading(path):
        return [normalizer(repo, number, raw) for raw in listed.items]
