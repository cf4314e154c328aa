"""Event-log dataclasses of the delivery side: deployments, their statuses, issues, releases.

Part of `simulator.model` (import them from there); timestamps are whole-second UTC datetimes.
Fields marked "truth" are causal facts the generator planted; the API never serves them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class DeploymentStatus:
    """A deployment status. state: in_progress, success, failure, error or inactive."""

    status_id: int
    state: str
    created_at: datetime
    description: str
    creator_login: str


@dataclass
class Deployment:
    """A GitHub deployment of `sha` to `environment`, with its statuses oldest first.

    Served facts: repo, deployment_id, environment, sha, ref (branch name, or the sha itself
    for rollbacks), task ("deploy"), creator_login, created_at, statuses. The first `success`
    status marks the deploy finish; a `failure`/`error` status with no success is a failed
    attempt. Earlier successful deployments of an environment get an `inactive` status when a
    newer one succeeds (GitHub's auto_inactive).

    Truth fields:
    - production: environment is one of the repo's production environments.
    - kind: "release" (routine), "retry" (re-run after a failed attempt, `retry_of` = that
      attempt), "rollback" (re-deploys an older good sha), "revert" or "hotfix" (deploys main
      with the revert/hotfix PR merged).
    - change_failure: this successful deployment shipped a defect. `remediation` says how it was
      handled: "rollback", "revert", "hotfix" (a dedicated deployment, `remediated_by` = its id)
      or "fix_forward" (an incident was worked and routine deploys went on; `remediated_by` None).
      `remediated_by` is also None when the remediation would fall after the window's end.
    - remediates: for rollback/revert/hotfix deployments, the failed deployment they fix.
    - incident_numbers: incident issues (same repo) this deployment caused.
    """

    repo: str
    deployment_id: int
    environment: str
    sha: str
    ref: str
    task: str
    creator_login: str
    created_at: datetime
    statuses: list[DeploymentStatus]
    production: bool
    kind: str = "release"
    retry_of: int | None = None
    change_failure: bool = False
    remediation: str | None = None
    remediated_by: int | None = None
    remediates: int | None = None
    incident_numbers: list[int] = field(default_factory=list)

    @property
    def finished_at(self) -> datetime | None:
        """Created_at of the first success status (the deploy time), None for failed attempts."""
        return next((s.created_at for s in self.statuses if s.state == "success"), None)

    @property
    def succeeded(self) -> bool:
        return self.finished_at is not None


@dataclass
class Issue:
    """A GitHub issue (not a PR).

    kind (truth): "incident", "near-miss", "bug" or "proactive" (labelled enhancement or
    tech-debt). For incidents caused by a deployment, `caused_by_deployment_ids` lists every
    production deployment that shipped the defect (one per production environment, in finish
    order) and `mentions_sha` says whether the body names the deployment's short sha (an
    explicit reference). Incidents with an empty list are unrelated to any deployment. Closed
    incidents close at recovery.
    """

    repo: str
    number: int
    issue_id: int
    title: str
    body: str
    author_login: str
    labels: list[str]
    created_at: datetime
    closed_at: datetime | None
    kind: str
    caused_by_deployment_ids: list[int] = field(default_factory=list)
    mentions_sha: bool = False


@dataclass
class Release:
    """A published GitHub release (tag on main at `target_sha`)."""

    repo: str
    release_id: int
    tag_name: str
    name: str
    target_sha: str
    author_login: str
    created_at: datetime
    published_at: datetime
