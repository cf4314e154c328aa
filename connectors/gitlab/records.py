"""The GitLab source's records: one frozen dataclass per raw table (connectors/contract.py),
and the batch one sync of a project hands the warehouse.

No GitLab record keeps the API's answer whole (`payload`), unlike GitHub's: GitLab embeds
people's names and e-mail addresses in deployments (`deployable.commit.author_email`), merge
requests and commits, and those never reach the warehouse. Every field here is one GitLab
gives by username or id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from connectors.contract import Cursor


@dataclass(frozen=True)
class Project:
    repo: str  # path_with_namespace, e.g. acme/platform/web
    project_id: int
    name: str
    default_branch: str | None
    web_url: str | None
    created_at: datetime | None


@dataclass(frozen=True)
class Deployment:
    repo: str
    deployment_id: int
    iid: int
    environment: str
    status: str  # created, running, success, failed, canceled, blocked, skipped
    sha: str
    ref: str | None
    username: str | None  # who deployed
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None  # deployable.finished_at: NULL for API-created deployments


@dataclass(frozen=True)
class DeploymentCompare:
    """How a successful deployment relates to the previous successful deployment of its
    environment (GitLab's repository compare), or why that is unknown."""

    repo: str
    deployment_id: int
    base_deployment_id: int
    base_sha: str
    head_sha: str
    status: str  # ahead, behind, identical, unknown
    ahead_by: int | None
    behind_by: int | None  # NULL when not asked (head has new commits)
    change_set_known: bool
    unknown_reason: str | None


@dataclass(frozen=True)
class DeploymentCommit:
    repo: str
    deployment_id: int
    base_sha: str
    sha: str
    authored_at: datetime | None
    committed_at: datetime | None
    message: str | None


@dataclass(frozen=True)
class MergeRequest:
    repo: str
    iid: int
    mr_id: int
    title: str
    description: str | None
    author_username: str | None
    state: str  # opened, closed, merged, locked
    source_branch: str | None
    target_branch: str | None
    sha: str | None  # the source branch head; after a fast-forward merge, the landed commit
    merge_commit_sha: str | None  # NULL after fast-forward and (often) squash merges
    squash_commit_sha: str | None
    labels: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    merged_at: datetime | None
    closed_at: datetime | None  # GitLab: only when closed without merging


@dataclass(frozen=True)
class MergeRequestCommit:
    repo: str
    mr_iid: int
    sha: str
    authored_at: datetime | None
    committed_at: datetime | None
    message: str | None


@dataclass(frozen=True)
class MergeRequestNote:
    repo: str
    mr_iid: int
    note_id: int
    note_type: str | None  # NULL (a comment), DiffNote (on a line), DiscussionNote
    is_system: bool  # written by GitLab: "approved this merge request", "requested changes"
    author_username: str | None
    body: str | None
    created_at: datetime
    updated_at: datetime | None


@dataclass(frozen=True)
class Issue:
    repo: str
    iid: int
    issue_id: int
    title: str
    description: str | None
    author_username: str | None
    state: str  # opened, closed
    issue_type: str | None  # issue, incident, test_case, task
    labels: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None


@dataclass
class ProjectBatch:
    """One sync of one project: every table's records and the cursors covering them."""

    scope: str
    projects: list[Project] = field(default_factory=list)
    deployments: list[Deployment] = field(default_factory=list)
    deployment_compares: list[DeploymentCompare] = field(default_factory=list)
    deployment_commits: list[DeploymentCommit] = field(default_factory=list)
    merge_requests: list[MergeRequest] = field(default_factory=list)
    merge_request_commits: list[MergeRequestCommit] = field(default_factory=list)
    merge_request_notes: list[MergeRequestNote] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    cursors: list[Cursor] = field(default_factory=list)
    requests: int = 0
