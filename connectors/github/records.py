"""Plain records the GitHub connector returns: one dataclass per raw table.

They follow the contract of connectors/contract.py: each field maps 1:1 to a column of the
`raw.github_*` table that connectors/github/tables.py names for it (created by
warehouse/migrations/001_raw_github.sql, 003_sync_status.sql and 004_workflow_releases.sql).
Timestamps are timezone-aware UTC datetimes; `payload` is the JSON object the API returned.

Every record checks the types of its fields when it is made (`_Typed`): an int field holds an
int (never a float, a string or a bool), a datetime field a time with a UTC offset, a str field
a string (None is left to the warehouse's NOT NULL columns). The normalizers check GitHub's
answers field by field with better messages; this is the last check before a value reaches the
warehouse or a cursor, for values that come from elsewhere (a cursor, a URL), so a wrong one is
never rounded or coerced on the way.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from connectors.contract import Cursor


class RecordValueError(TypeError):
    """A record was made with a field of the wrong type: a Candor bug, since the normalizers
    check every value GitHub sends. The message names the record, repository and field."""


_CHECKED_TYPES: dict[str, type] = {"int": int, "str": str, "bool": bool, "datetime": datetime}


@functools.cache
def _checked_fields(cls: type) -> tuple[tuple[str, type], ...]:
    """(name, type) of each field of `cls` whose type is checked."""
    checked = []
    for item in fields(cls):
        base = str(item.type).partition(" | ")[0]
        if base in _CHECKED_TYPES:
            checked.append((item.name, _CHECKED_TYPES[base]))
    return tuple(checked)


def _type_problem(value: Any, expected: type) -> str | None:
    if expected is int and (not isinstance(value, int) or isinstance(value, bool)):
        return "expected an integer"
    if expected is datetime:
        if not isinstance(value, datetime):
            return "expected a datetime"
        if value.utcoffset() is None:
            return "a time without a UTC offset"
        return None
    if not isinstance(value, expected):
        return f"expected {expected.__name__}"
    return None


class _Typed:
    """Checks a record's field types on creation (see the module docstring)."""

    def __post_init__(self) -> None:
        for name, expected in _checked_fields(type(self)):
            value = getattr(self, name)
            # None is not coerced into anything: the warehouse's NOT NULL columns refuse it
            # with their own message, and the batch is rolled back (tests/warehouse).
            problem = None if value is None else _type_problem(value, expected)
            if problem:
                repo = getattr(self, "repo", None)
                raise RecordValueError(
                    f"{type(self).__name__} of {repo}: field {name!r} is {value!r}, {problem} "
                    "(a Candor bug: the value did not pass the normalizers' checks)"
                )


@dataclass(frozen=True)
class Deployment(_Typed):
    repo: str
    deployment_id: int
    environment: str
    sha: str
    ref: str | None
    task: str | None
    creator_login: str | None
    created_at: datetime
    payload: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)


@dataclass(frozen=True)
class DeploymentStatus(_Typed):
    """Keyed by `node_id`, which REST and GraphQL both give; `status_id` is REST's numeric id
    (GraphQL has none: None for a status read through it). `state` is lower case."""

    repo: str
    deployment_id: int
    node_id: str
    status_id: int | None
    state: str
    created_at: datetime
    payload: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)


@dataclass(frozen=True)
class DeploymentCommit(_Typed):
    """One commit of a deployment's change set (compare base_sha...deployment sha)."""

    repo: str
    deployment_id: int
    base_sha: str
    sha: str
    authored_at: datetime | None
    committed_at: datetime | None
    author_login: str | None
    message: str | None


@dataclass(frozen=True)
class DeploymentCompare(_Typed):
    """How a successful production deployment relates to the previous successful deployment of
    its environment: GitHub's compare of base_sha...head_sha, or why it is unknown.

    `status` is GitHub's (ahead, behind, identical, diverged) or `unknown` when compare was
    refused (404 "No common ancestor", 422): the change set is then not known
    (`change_set_known` false, counts None, `unknown_reason` says why).
    """

    repo: str
    deployment_id: int
    base_deployment_id: int | None
    base_sha: str | None
    head_sha: str
    status: str
    ahead_by: int | None
    behind_by: int | None
    change_set_known: bool
    unknown_reason: str | None


@dataclass(frozen=True)
class PullRequest(_Typed):
    repo: str
    number: int
    title: str | None
    author_login: str | None
    state: str
    head_ref: str | None
    base_ref: str | None
    head_sha: str | None
    merge_commit_sha: str | None
    labels: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    merged_at: datetime | None
    payload: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)
    # last: migration 010 added the column after payload
    body: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class PullCommit(_Typed):
    repo: str
    pr_number: int
    sha: str
    authored_at: datetime | None
    committed_at: datetime | None
    author_login: str | None
    message: str | None


@dataclass(frozen=True)
class PullReview(_Typed):
    repo: str
    pr_number: int
    review_id: int
    reviewer_login: str | None
    state: str | None
    submitted_at: datetime | None
    payload: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)


@dataclass(frozen=True)
class ReviewComment(_Typed):
    repo: str
    pr_number: int
    comment_id: int
    author_login: str | None
    created_at: datetime | None
    payload: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)
    # last: migration 010 added the column after payload
    body: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Issue(_Typed):
    repo: str
    number: int
    title: str | None
    body: str | None
    author_login: str | None
    state: str
    labels: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    payload: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)


@dataclass(frozen=True)
class WorkflowRun(_Typed):
    """A GitHub Actions run of a repository's deploy workflow (raw.github_workflow_runs)."""

    repo: str
    run_id: int
    workflow_id: int | None
    name: str | None
    path: str | None
    head_branch: str | None
    head_sha: str
    event: str | None
    status: str
    conclusion: str | None
    run_attempt: int | None
    actor_login: str | None
    created_at: datetime
    run_started_at: datetime | None
    updated_at: datetime
    payload: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)


@dataclass(frozen=True)
class Release(_Typed):
    """A GitHub release (raw.github_releases). `sha` is the tag's commit, resolved only for
    releases that can be deployments (published, not a prerelease, tag matching the rule)."""

    repo: str
    release_id: int
    tag_name: str
    name: str | None
    draft: bool
    prerelease: bool
    target_commitish: str | None
    sha: str | None
    author_login: str | None
    created_at: datetime
    published_at: datetime | None
    payload: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)


@dataclass
class RepoBatch:
    """Everything one sync of one repository fetched, plus the cursors that cover it.

    The warehouse writes a batch and its cursors in a single transaction, so a cursor never
    moves past data that is not committed.
    """

    repo: str
    deployments: list[Deployment] = field(default_factory=list)
    deployment_statuses: list[DeploymentStatus] = field(default_factory=list)
    deployment_commits: list[DeploymentCommit] = field(default_factory=list)
    deployment_compares: list[DeploymentCompare] = field(default_factory=list)
    pull_requests: list[PullRequest] = field(default_factory=list)
    pull_commits: list[PullCommit] = field(default_factory=list)
    pull_reviews: list[PullReview] = field(default_factory=list)
    review_comments: list[ReviewComment] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    workflow_runs: list[WorkflowRun] = field(default_factory=list)
    releases: list[Release] = field(default_factory=list)
    cursors: list[Cursor] = field(default_factory=list)
    requests: int = 0               # HTTP requests made, 304s included
    not_modified: int = 0           # of which answered 304 (no primary rate-limit cost)
    pages: int = 0                  # of which answered 2xx (pages and single objects)
    rate_remaining: int | None = None  # rate-limit budget left after the last answer

    @property
    def scope(self) -> str:
        """The scope of the batch and of its cursors (connectors.contract.Batch): the repo."""
        return self.repo
