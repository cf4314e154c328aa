"""Pull requests of one repository, with their commits, reviews and review comments.

GitHub has no `since` for pulls: the list is read with `state=all&sort=updated&direction=desc`
down to the watermark (max `updated_at` of the last sync), boundary included. For every PR read,
its commits, reviews and review comments are fetched again in full: a new review or push moves
the PR's `updated_at`, so the PR shows up above the watermark.
"""

from __future__ import annotations

import logging

from github.Requester import Requester

from connectors.github import normalize
from connectors.github.paging import RequestCounter, fetch_list
from connectors.github.records import Cursor, RepoBatch
from connectors.github.settings import PULL_COMMITS_CAP, SOURCE
from connectors.github.watermark import advance, fetch_updated_since

RESOURCE = "pull_requests"

log = logging.getLogger(__name__)


def sync_pull_requests(
    requester: Requester, batch: RepoBatch, previous: Cursor | None, counter: RequestCounter
) -> Cursor:
    """Add PRs updated since the watermark and their details to `batch`; return the cursor."""
    repo = batch.repo
    watermark, listed = fetch_updated_since(requester, f"/repos/{repo}/pulls", previous, counter)
    # A PR updated while the list is paged moves to page 1 and can be listed twice: keep the
    # first (newest) copy.
    pulls = {}
    for raw in listed.items:
        pulls.setdefault(raw["number"], normalize.pull_request(repo, raw))
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
    params = {"per_page": requester.per_page}
    base = f"/repos/{repo}/pulls/{number}"
    commits = fetch_list(requester, f"{base}/commits", counter, params=params).items
    if len(commits) >= PULL_COMMITS_CAP:
        log.warning(
            "%s#%d has %d commits, GitHub's cap for a PR's commit list: its first commit "
            "(lead time start) may be missing.",
            repo,
            number,
            len(commits),
        )
    batch.pull_commits.extend(normalize.pull_commit(repo, number, raw) for raw in commits)
    reviews = fetch_list(requester, f"{base}/reviews", counter, params=params).items
    batch.pull_reviews.extend(normalize.pull_review(repo, number, raw) for raw in reviews)
    comments = fetch_list(requester, f"{base}/comments", counter, params=params).items
    batch.review_comments.extend(normalize.review_comment(repo, number, raw) for raw in comments)
