"""Pure functions from GitHub REST JSON objects to the connector's records.

One function per record type of `records.py`. They read only the dict they are given (no HTTP),
so DORA edge cases are pinned by unit tests over fixture JSON. Conventions:
- timestamps become timezone-aware UTC datetimes; GitHub sends `Z` for most objects but commit
  dates keep the author's offset (`2012-05-27T00:33:23-07:00` is 07:33:23 UTC);
- a user (`user`, `creator`, commit `author`) may be `null` (deleted account, unlinked e-mail):
  the login is then None;
- labels become a tuple of names.
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


def _required_time(obj: Json, key: str) -> datetime:
    value = parse_time(obj.get(key))
    if value is None:
        raise ValueError(f"GitHub object {obj.get('url', '?')} has no {key!r}.")
    return value


def login_of(user: Json | None) -> str | None:
    """The login of a GitHub user object, or None for a missing (null) user."""
    return user.get("login") if user else None


def label_names(obj: Json) -> tuple[str, ...]:
    """Names of an issue's or PR's labels, in the order GitHub lists them."""
    return tuple(label["name"] for label in obj.get("labels") or ())


def is_pull_request(issue: Json) -> bool:
    """True for items of the issues list that are pull requests (they carry `pull_request`)."""
    return "pull_request" in issue


def deployment(repo: str, raw: Json) -> Deployment:
    """A deployment from GET /repos/{o}/{r}/deployments."""
    return Deployment(
        repo=repo,
        deployment_id=raw["id"],
        environment=raw["environment"],
        sha=raw["sha"],
        ref=raw.get("ref"),
        task=raw.get("task"),
        creator_login=login_of(raw.get("creator")),
        created_at=_required_time(raw, "created_at"),
        payload=raw,
    )


def deployment_status(repo: str, deployment_id: int, raw: Json) -> DeploymentStatus:
    """A status from GET .../deployments/{id}/statuses (the status does not carry the id)."""
    return DeploymentStatus(
        repo=repo,
        deployment_id=deployment_id,
        status_id=raw["id"],
        state=raw["state"],
        created_at=_required_time(raw, "created_at"),
        payload=raw,
    )


def deployment_commit(repo: str, deployment_id: int, base_sha: str, raw: Json) -> DeploymentCommit:
    """A commit of a deployment's change set, from the `commits` of GET .../compare/{b}...{h}."""
    commit = raw.get("commit") or {}
    return DeploymentCommit(
        repo=repo,
        deployment_id=deployment_id,
        base_sha=base_sha,
        sha=raw["sha"],
        authored_at=parse_time((commit.get("author") or {}).get("date")),
        committed_at=parse_time((commit.get("committer") or {}).get("date")),
        author_login=login_of(raw.get("author")),
        message=commit.get("message"),
    )


def pull_request(repo: str, raw: Json) -> PullRequest:
    """A pull request from GET /repos/{o}/{r}/pulls (list items carry the merge fields too)."""
    head = raw.get("head") or {}
    base = raw.get("base") or {}
    return PullRequest(
        repo=repo,
        number=raw["number"],
        title=raw.get("title"),
        author_login=login_of(raw.get("user")),
        state=raw["state"],
        head_ref=head.get("ref"),
        base_ref=base.get("ref"),
        head_sha=head.get("sha"),
        merge_commit_sha=raw.get("merge_commit_sha"),
        labels=label_names(raw),
        created_at=_required_time(raw, "created_at"),
        updated_at=_required_time(raw, "updated_at"),
        closed_at=parse_time(raw.get("closed_at")),
        merged_at=parse_time(raw.get("merged_at")),
        payload=raw,
    )


def pull_commit(repo: str, pr_number: int, raw: Json) -> PullCommit:
    """A commit from GET .../pulls/{n}/commits; authored_at is `commit.author.date` in UTC."""
    commit = raw.get("commit") or {}
    return PullCommit(
        repo=repo,
        pr_number=pr_number,
        sha=raw["sha"],
        authored_at=parse_time((commit.get("author") or {}).get("date")),
        committed_at=parse_time((commit.get("committer") or {}).get("date")),
        author_login=login_of(raw.get("author")),
        message=commit.get("message"),
    )


def pull_review(repo: str, pr_number: int, raw: Json) -> PullReview:
    """A review from GET .../pulls/{n}/reviews (a PENDING review has no submitted_at)."""
    return PullReview(
        repo=repo,
        pr_number=pr_number,
        review_id=raw["id"],
        reviewer_login=login_of(raw.get("user")),
        state=raw.get("state"),
        submitted_at=parse_time(raw.get("submitted_at")),
        payload=raw,
    )


def review_comment(repo: str, pr_number: int, raw: Json) -> ReviewComment:
    """A line comment on a PR diff from GET .../pulls/{n}/comments."""
    return ReviewComment(
        repo=repo,
        pr_number=pr_number,
        comment_id=raw["id"],
        author_login=login_of(raw.get("user")),
        created_at=parse_time(raw.get("created_at")),
        payload=raw,
    )


def issue(repo: str, raw: Json) -> Issue | None:
    """An issue from GET /repos/{o}/{r}/issues, or None if the item is a pull request."""
    if is_pull_request(raw):
        return None
    return Issue(
        repo=repo,
        number=raw["number"],
        title=raw.get("title"),
        body=raw.get("body"),
        author_login=login_of(raw.get("user")),
        state=raw["state"],
        labels=label_names(raw),
        created_at=_required_time(raw, "created_at"),
        updated_at=_required_time(raw, "updated_at"),
        closed_at=parse_time(raw.get("closed_at")),
        payload=raw,
    )
