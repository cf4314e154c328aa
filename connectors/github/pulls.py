"""Pull requests of one repository, with their commits and reviews.

GitHub has no `since` for pulls: the list is read with `state=all&sort=updated&direction=desc`
down to the watermark (max `updated_at` of the last sync), boundary included; over REST, so that
a nightly with nothing new costs one conditional request answered 304 (free). For every PR read,
its commits and reviews are fetched again in full: a new review or push moves the PR's
`updated_at`, so the PR shows up above the watermark. The details of `progress.CHUNK_PULLS` PRs
come from one GraphQL query (pull_details.py: 1 point, where REST spends two requests a PR).
Review comments come from the repository-wide list instead (review_comments.py): one request
per 100 comments rather than one per PR.

A backfill can still need more than a rate-limit window holds. The pass is therefore committed
in chunks of `progress.CHUNK_PULLS` fully detailed PRs, newest first, each with a cursor saying
how far the pass got (pull_pass.py); a pass stopped for any reason (rate limit, deadline, a
failed request, `kill -9`) resumes there on the next run. `detail_limit` ends a pass early on
purpose: the sync's first round details at most one page of PRs per repository, so every
repository is fresh before any long backfill goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from github.Requester import Requester

from connectors.github import normalize
from connectors.github.paging import RequestCounter, fetch_list
from connectors.github.progress import CHUNK_PULLS, RepoProgress
from connectors.github.pull_details import details_by_graphql
from connectors.github.pull_pass import PullPass, read_cursor
from connectors.github.records import Cursor, PullCommit, PullRequest, PullReview, RepoBatch
from connectors.github.settings import PULL_COMMITS_CAP, SOURCE
from connectors.github.shape import reading
from connectors.github.watermark import advance, fetch_updated_since

RESOURCE = "pull_requests"

T = TypeVar("T")

log = logging.getLogger(__name__)


def sync_pull_requests(
    requester: Requester,
    batch: RepoBatch | RepoProgress,
    previous: Cursor | None,
    counter: RequestCounter,
    *,
    detail_limit: int | None = None,
) -> Cursor:
    """Add PRs updated since the watermark and their details; return the cursor.

    With a RepoProgress, the records go into its chunks and a checkpoint follows every
    CHUNK_PULLS detailed PRs (and the PRs detailed before a failure are checkpointed before it
    propagates). `detail_limit` stops the pass after that many detailed PRs; the returned
    cursor then records an unfinished pass (`unfinished_pass(cursor)` is true).
    """
    progress = batch if isinstance(batch, RepoProgress) else _Unchunked(batch)
    repo = progress.repo
    watermark, resumed = read_cursor(previous.cursor if previous else None)
    # The list is always read down to the finished watermark; an unfinished pass sends no ETag.
    start = Cursor(
        source=SOURCE,
        scope=repo,
        resource=RESOURCE,
        cursor=watermark.isoformat() if watermark else None,
        etag=previous.etag if previous and resumed is None else None,
    )
    _, listed = fetch_updated_since(requester, f"/repos/{repo}/pulls", start, counter,
                                    "pull request")
    # A PR updated while the list is paged moves to page 1 and can be listed twice: keep the
    # first (newest) copy.
    pulls: dict[int, PullRequest] = {}
    node_ids: dict[int, str] = {}  # for the GraphQL details query (pull_details.py)
    with reading(listed.path):
        for raw in listed.items:
            record = normalize.pull_request(repo, raw)
            pulls.setdefault(record.number, record)
            if isinstance(raw.get("node_id"), str) and raw["node_id"]:
                node_ids.setdefault(record.number, raw["node_id"])
    ordered = sorted(pulls.values(), key=lambda pr: pr.updated_at, reverse=True)
    top = ordered[0].updated_at if ordered else None
    if resumed is not None:
        top = max(top, resumed.top) if top is not None else resumed.top

    def pass_cursor(reached) -> Cursor:
        """The cursor of the pass detailed down to `reached` (None: nothing new yet)."""
        if resumed is not None and (reached is None or reached > resumed.reached):
            # Still above the part an earlier run stored: its progress still stands.
            text = resumed.to_text()
        elif reached is None:
            text = start.cursor
        else:
            text = PullPass(watermark, top, reached).to_text()
        return Cursor(source=SOURCE, scope=repo, resource=RESOURCE, cursor=text, etag=None)

    # stored, with their details, by an earlier run of this pass
    todo = [pr for pr in ordered if resumed is None or not resumed.done(pr.updated_at)]
    cut_short = detail_limit is not None and len(todo) > detail_limit
    if cut_short:
        todo = todo[:detail_limit]
    since_checkpoint = 0
    reached = None
    try:
        # One GraphQL query details a chunk's PRs (pull_details.py); a chunk is committed whole.
        for start in range(0, len(todo), CHUNK_PULLS):
            group = todo[start:start + CHUNK_PULLS]
            by_graphql = details_by_graphql(requester, repo, group, node_ids, counter)
            for pr in group:
                commits, reviews = by_graphql.get(pr.number) or _details_of(
                    requester, repo, pr.number, counter)
                chunk = progress.batch
                chunk.pull_requests.append(pr)
                chunk.pull_commits.extend(commits)
                chunk.pull_reviews.extend(reviews)
                reached = pr.updated_at
                since_checkpoint += 1
                if since_checkpoint >= CHUNK_PULLS:
                    progress.checkpoint(pass_cursor(reached), finished=False)
                    since_checkpoint = 0
    except Exception:
        # Keep the PRs detailed so far: the next run goes on from them.
        if since_checkpoint:
            progress.checkpoint(pass_cursor(reached), finished=False)
        raise
    if cut_short:
        progress.checkpoint(pass_cursor(reached), finished=False)
        return pass_cursor(reached)

    newest = advance(watermark, (pr.updated_at for pr in ordered))
    if resumed is not None:
        newest = advance(newest, [resumed.top])
    final = Cursor(
        source=SOURCE,
        scope=repo,
        resource=RESOURCE,
        cursor=newest.isoformat() if newest else None,
        etag=listed.etag,
    )
    progress.checkpoint(final)
    return final


def unfinished_pass(cursor: Cursor | None) -> bool:
    """True when `cursor` records a pass over the pull-request list that has not ended."""
    return cursor is not None and read_cursor(cursor.cursor)[1] is not None


class _Unchunked:
    """A RepoProgress-like view of one plain batch: records go into it, no checkpoints."""

    def __init__(self, batch: RepoBatch) -> None:
        self.batch = batch
        self.repo = batch.repo

    def checkpoint(self, cursor: Cursor, *, finished: bool = True) -> None:
        """Nothing to hand over: the caller takes the whole batch with the returned cursor."""


def _details_of(
    requester: Requester, repo: str, number: int, counter: RequestCounter
) -> tuple[list[PullCommit], list[PullReview]]:
    """The commits and reviews of PR `number`: both fetched before either joins a chunk, so a
    chunk never holds a PR with half its details."""
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
    reviews = _details(requester, repo, number, f"{base}/reviews", normalize.pull_review, counter)
    return commits, reviews


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
