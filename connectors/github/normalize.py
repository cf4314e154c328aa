"""Pure functions from GitHub REST JSON objects to the connector's records.

One function per record type of `records.py`. They read only the dict they are given (no HTTP),
so DORA edge cases are pinned by unit tests over fixture JSON. Conventions:
- timestamps become timezone-aware UTC datetimes; GitHub sends `Z` for most objects but commit
  dates keep the author's offset (`2012-05-27T00:33:23-07:00` is 07:33:23 UTC);
- a user (`user`, `creator`, commit `author`) may be `null` (deleted account, unlinked e-mail):
  the login is then None;
- labels become a tuple of names;
- every field is read through `shape.ApiObject`, so a malformed object raises MalformedObject
  naming the object and the field (never KeyError or TypeError), and ids and numbers are
  refused when they do not fit the warehouse column.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from connectors.github.records import (
    Deployment,
    DeploymentCommit,
    DeploymentStatus,
    Issue,
    PullCommit,
    PullRequest,
    PullReview,
    ReviewComment,
)
from connectors.github.shape import ApiObject

Json = dict[str, Any]


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 timestamp as a UTC datetime; None stays None.

    A timestamp without an offset is refused rather than guessed: GitHub always sends one.
    """
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"GitHub timestamp {value!r} has no UTC offset; cannot place it in time.")
    return parsed.astimezone(UTC)


def is_pull_request(issue: Json) -> bool:
    """True for items of the issues list that are pull requests (they carry `pull_request`)."""
    return "pull_request" in issue


def updated_at(raw: Any, kind: str) -> datetime:
    """`updated_at` of a pull request or issue list item: the watermark of newest-first lists."""
    return ApiObject(raw, kind).time("updated_at")


def deployment_id(raw: Any) -> int:
    """The id of a deployment list item (the list is read down to the highest known id)."""
    return ApiObject(raw, "deployment").id()


def deployment(repo: str, raw: Any) -> Deployment:
    """A deployment from GET /repos/{o}/{r}/deployments."""
    obj = ApiObject(raw, "deployment")
    return Deployment(
        repo=repo,
        deployment_id=obj.id(),
        environment=obj.text("environment"),
        sha=obj.text("sha"),
        ref=obj.text("ref", required=False),
        task=obj.text("task", required=False),
        creator_login=obj.login("creator"),
        created_at=obj.time("created_at"),
        payload=obj.raw,
    )


def deployment_status(repo: str, deployment_id: int, raw: Any) -> DeploymentStatus:
    """A status from GET .../deployments/{id}/statuses (the status does not carry the id)."""
    obj = ApiObject(raw, "deployment status")
    return DeploymentStatus(
        repo=repo,
        deployment_id=deployment_id,
        node_id=obj.text("node_id"),
        status_id=obj.id(),
        state=obj.text("state"),
        created_at=obj.time("created_at"),
        payload=obj.raw,
    )


CommitFields = tuple[str, datetime | None, datetime | None, str | None, str | None]


def _commit_fields(raw: Any) -> CommitFields:
    """(sha, authored_at, committed_at, author login, message) of a REST commit object."""
    obj = ApiObject(raw, "commit", "sha")
    commit = obj.child("commit")
    author = commit.child("author") if commit else None
    committer = commit.child("committer") if commit else None
    return (
        obj.text("sha"),
        author.time("date", required=False) if author else None,
        committer.time("date", required=False) if committer else None,
        obj.login("author"),
        commit.text("message", required=False) if commit else None,
    )


def deployment_commit(repo: str, deployment_id: int, base_sha: str, raw: Any) -> DeploymentCommit:
    """A commit of a deployment's change set, from the `commits` of GET .../compare/{b}...{h}."""
    sha, authored_at, committed_at, author_login, message = _commit_fields(raw)
    return DeploymentCommit(
        repo=repo,
        deployment_id=deployment_id,
        base_sha=base_sha,
        sha=sha,
        authored_at=authored_at,
        committed_at=committed_at,
        author_login=author_login,
        message=message,
    )


def pull_request(repo: str, raw: Any) -> PullRequest:
    """A pull request from GET /repos/{o}/{r}/pulls (list items carry the merge fields too)."""
    obj = ApiObject(raw, "pull request", "number")
    head = obj.child("head")
    base = obj.child("base")
    return PullRequest(
        repo=repo,
        number=obj.number(),
        title=obj.text("title", required=False),
        author_login=obj.login("user"),
        state=obj.text("state"),
        head_ref=head.text("ref", required=False) if head else None,
        base_ref=base.text("ref", required=False) if base else None,
        head_sha=head.text("sha", required=False) if head else None,
        merge_commit_sha=obj.text("merge_commit_sha", required=False),
        labels=obj.labels(),
        created_at=obj.time("created_at"),
        updated_at=obj.time("updated_at"),
        closed_at=obj.time("closed_at", required=False),
        merged_at=obj.time("merged_at", required=False),
        payload=obj.raw,
        body=obj.text("body", required=False),
    )


def pull_commit(repo: str, pr_number: int, raw: Any) -> PullCommit:
    """A commit from GET .../pulls/{n}/commits; authored_at is `commit.author.date` in UTC."""
    sha, authored_at, committed_at, author_login, message = _commit_fields(raw)
    return PullCommit(
        repo=repo,
        pr_number=pr_number,
        sha=sha,
        authored_at=authored_at,
        committed_at=committed_at,
        author_login=author_login,
        message=message,
    )


def pull_review(repo: str, pr_number: int, raw: Any) -> PullReview:
    """A review from GET .../pulls/{n}/reviews (a PENDING review has no submitted_at)."""
    obj = ApiObject(raw, "review")
    return PullReview(
        repo=repo,
        pr_number=pr_number,
        review_id=obj.id(),
        reviewer_login=obj.login("user"),
        state=obj.text("state", required=False),
        submitted_at=obj.time("submitted_at", required=False),
        payload=obj.raw,
    )


def review_comment(repo: str, pr_number: int, raw: Any) -> ReviewComment:
    """A line comment on a PR diff from GET .../pulls/{n}/comments."""
    obj = ApiObject(raw, "review comment")
    return ReviewComment(
        repo=repo,
        pr_number=pr_number,
        comment_id=obj.id(),
        author_login=obj.login("user"),
        created_at=obj.time("created_at", required=False),
        payload=obj.raw,
        body=obj.text("body", required=False),
    )


def issue(repo: str, raw: Any) -> Issue | None:
    """An issue from GET /repos/{o}/{r}/issues, or None if the item is a pull request."""
    obj = ApiObject(raw, "issue")
    if is_pull_request(obj.raw):
        return None
    return Issue(
        repo=repo,
        number=obj.number(),
        title=obj.text("title", required=False),
        body=obj.text("body", required=False),
        author_login=obj.login("user"),
        state=obj.text("state"),
        labels=obj.labels(),
        created_at=obj.time("created_at"),
        updated_at=obj.time("updated_at"),
        closed_at=obj.time("closed_at", required=False),
        payload=obj.raw,
    )
