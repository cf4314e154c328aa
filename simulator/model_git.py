"""Event-log dataclasses of the code side: commits, pull requests, reviews, review comments.

Part of `simulator.model` (import them from there); timestamps are whole-second UTC datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Commit:
    """One git commit of a repository.

    kind: "branch" (on a PR's head branch), "merge" (merge commit of a PR merged with the merge
    method), "squash" (the single commit a squash merge puts on main), "rebase" (a rebased copy
    a rebase merge puts on main; `original_sha` is the branch commit it copies), "direct" (a push
    to main without a PR). `pr_number` is the PR the commit was made for (None for direct
    pushes). `parents` lists parent shas (merge commits: [previous main head, PR head]).
    `authored_at` is git's author date (survives rebase/squash of the branch commits),
    `committed_at` the committer date.
    """

    sha: str
    repo: str
    kind: str
    author_login: str
    authored_at: datetime
    committer_login: str
    committed_at: datetime
    message: str
    parents: list[str]
    pr_number: int | None = None
    original_sha: str | None = None


@dataclass
class Review:
    """A pull-request review. state: APPROVED, CHANGES_REQUESTED or COMMENTED."""

    review_id: int
    reviewer_login: str
    state: str
    submitted_at: datetime
    commit_id: str
    body: str


@dataclass
class ReviewComment:
    """An inline review comment, attached to a review (`review_id`) of the same PR."""

    comment_id: int
    review_id: int
    author_login: str
    created_at: datetime
    body: str
    path: str
    line: int
    commit_id: str


@dataclass
class PullRequest:
    """A pull request into `base_ref` ("main").

    `commit_shas` are the head branch's commits, oldest first (`head_sha` is the last).
    merge_method: "merge", "squash", "rebase", or None if never merged. `merge_commit_sha` as on
    GitHub: merge -> the merge commit; squash -> the squash commit; rebase -> the last rebased
    copy. Closed unmerged PRs have `closed_at` and no `merged_at`; open PRs have neither.
    kind (truth): "feature", "revert", or "hotfix". `reverts_sha` (truth): for a revert PR, the
    sha it reverts. `remediates_deployment_id` (truth): for revert/hotfix PRs, the failed
    deployment it was made for.
    """

    repo: str
    number: int
    pr_id: int
    title: str
    body: str
    author_login: str
    head_ref: str
    base_ref: str
    labels: list[str]
    created_at: datetime
    closed_at: datetime | None
    merged_at: datetime | None
    merged_by: str | None
    merge_method: str | None
    merge_commit_sha: str | None
    head_sha: str
    base_sha: str
    commit_shas: list[str]
    reviews: list[Review] = field(default_factory=list)
    comments: list[ReviewComment] = field(default_factory=list)
    kind: str = "feature"
    reverts_sha: str | None = None
    remediates_deployment_id: int | None = None
