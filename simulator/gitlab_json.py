"""GitLab REST v4 JSON shapes of the org's objects as seen at a clock.

Field names follow GitLab (api-examples/gitlab/, apis.md section 2); times are UTC with
milliseconds and `Z`. What happened after the clock is not shown: a later status, merge, close,
review or comment is simply not there yet, so a deployment `running` at one clock is `success`
at a later one. How GitHub facts become GitLab facts:

- deployment status: the latest visible status, `inactive` ignored (GitLab has none, so a
  superseded success stays `success`): none yet -> created, in_progress -> running,
  success -> success, failure/error -> failed; `updated_at` is that status's time;
- merge request landed commit: merge -> `merge_commit_sha`; squash -> `squash_commit_sha`
  (`merge_commit_sha` null); rebase (fast-forward) -> both null and `sha` is the last rebased
  copy. So merge_commit_sha, else squash_commit_sha, else sha is the Org's merge_commit_sha;
- reviews are notes: APPROVED and CHANGES_REQUESTED system notes, COMMENTED a plain note, each
  inline review comment a DiffNote with its position;
- issues labelled `incident` are of issue_type incident (the label itself is not shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from simulator.gitlab_world import BOT, GitLabWorld, GlUser
from simulator.model import Commit, Deployment, Issue, PullRequest, Repo

GITLAB_STATUS = {"in_progress": "running", "success": "success", "failure": "failed",
                 "error": "failed"}
INCIDENT_LABEL = "incident"


def iso(moment: datetime | None) -> str | None:
    """`2026-01-05T10:00:00.000Z`, GitLab's form of a time."""
    if moment is None:
        return None
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class DeploymentView:
    """A deployment at a clock: GitLab's one status and the times it implies."""

    deployment: Deployment
    status: str  # created, running, success, failed
    updated_at: datetime
    started_at: datetime | None  # the first in_progress status
    finished_at: datetime | None  # the success / failure status that ended it


def deployment_at(d: Deployment, clock: datetime) -> DeploymentView:
    seen = [s for s in d.statuses if s.created_at <= clock and s.state != "inactive"]
    status = GITLAB_STATUS[seen[-1].state] if seen else "created"
    started = next((s.created_at for s in seen if s.state == "in_progress"), None)
    finished = seen[-1].created_at if status in ("success", "failed") else None
    updated = seen[-1].created_at if seen else d.created_at
    return DeploymentView(d, status, updated, started, finished)


@dataclass(frozen=True)
class MergeRequestView:
    """A merge request at a clock: its state and what was visible of it."""

    pr: PullRequest
    state: str  # opened, closed, merged
    merged_at: datetime | None
    closed_at: datetime | None  # closed without merging
    updated_at: datetime
    commits: list[str]  # branch commits pushed by the clock, oldest first


def merge_request_at(repo: Repo, pr: PullRequest, clock: datetime) -> MergeRequestView:
    merged = pr.merged_at if pr.merged_at is not None and pr.merged_at <= clock else None
    closed = None
    if merged is None and pr.closed_at is not None and pr.closed_at <= clock:
        closed = pr.closed_at
    state = "merged" if merged else "closed" if closed else "opened"
    commits = [s for s in pr.commit_shas if repo.commits[s].committed_at <= clock] or [
        pr.commit_shas[0]]
    moments = [pr.created_at, *(m for m in (merged, closed) if m is not None),
               *(v.submitted_at for v in pr.reviews if v.submitted_at <= clock),
               *(c.created_at for c in pr.comments if c.created_at <= clock)]
    return MergeRequestView(pr, state, merged, closed, max(moments), commits)


def issue_updated_at(issue: Issue, clock: datetime) -> datetime:
    closed = issue.closed_at is not None and issue.closed_at <= clock
    return issue.closed_at if closed else issue.created_at  # type: ignore[return-value]


class GitLabJson:
    """Renders for one server origin (`web`, e.g. http://127.0.0.1:8765)."""

    def __init__(self, world: GitLabWorld, web: str) -> None:
        self.world = world
        self.web = web

    # ------------------------------------------------------------------------------ small parts
    def user(self, login: str | GlUser | None) -> dict[str, Any] | None:
        user = login if isinstance(login, GlUser) else self.world.user(login)
        if user is None:
            return None
        return {"id": user.user_id, "username": user.username, "name": user.name,
                "state": "active", "locked": False, "avatar_url": None,
                "web_url": f"{self.web}/{user.username}"}

    def current_user(self) -> dict[str, Any]:
        return {**self.user(BOT), "bot": True, "is_admin": False}  # type: ignore[dict-item]

    def project(self, repo: Repo) -> dict[str, Any]:
        org = self.world.org
        group = {"id": org.org_id, "name": org.name, "path": org.name, "kind": "group",
                 "full_path": org.name, "parent_id": None, "web_url": f"{self.web}/{org.name}"}
        return {
            "id": repo.repo_id, "description": f"{repo.team} team service", "name": repo.name,
            "name_with_namespace": f"{org.name} / {repo.name}", "path": repo.name,
            "path_with_namespace": repo.full_name, "created_at": iso(repo.created_at),
            "default_branch": repo.default_branch, "visibility": "private", "archived": False,
            "web_url": f"{self.web}/{repo.full_name}",
            "http_url_to_repo": f"{self.web}/{repo.full_name}.git", "namespace": group,
        }

    def commit(self, repo: Repo, commit: Commit) -> dict[str, Any]:
        """A commit as MR commits and compare list it: git names and e-mails, no usernames."""
        author = self.world.org.people.get(commit.author_login)
        committer = self.world.org.people.get(commit.committer_login)
        return {
            "id": commit.sha, "short_id": commit.sha[:8],
            "title": commit.message.split("\n", 1)[0], "message": commit.message,
            "author_name": author.name if author else commit.author_login,
            "author_email": author.email if author else "",
            "authored_date": iso(commit.authored_at),
            "committer_name": committer.name if committer else "GitLab",
            "committer_email": committer.email if committer else "noreply@gitlab.com",
            "committed_date": iso(commit.committed_at), "created_at": iso(commit.committed_at),
            "parent_ids": list(commit.parents), "trailers": {}, "extended_trailers": {},
            "web_url": f"{self.web}/{repo.full_name}/-/commit/{commit.sha}",
        }

    # ------------------------------------------------------------------------------ deployments
    def deployment(self, repo: Repo, view: DeploymentView) -> dict[str, Any]:
        d, world = view.deployment, self.world
        environment = {"id": world.environment_id(repo, d.environment), "name": d.environment,
                       "external_url": f"https://{d.environment}.{repo.name}.example.com"}
        return {
            "id": d.deployment_id, "iid": world.deployment_iid(repo, d.deployment_id),
            "ref": d.ref, "sha": d.sha, "created_at": iso(d.created_at),
            "updated_at": iso(view.updated_at), "status": view.status,
            "user": self.user(d.creator_login), "environment": environment,
            "deployable": None if world.api_created(d.deployment_id) else self._job(repo, view),
        }

    def _job(self, repo: Repo, view: DeploymentView) -> dict[str, Any]:
        d = view.deployment
        commit = repo.commits.get(d.sha)
        pipeline_id = self.world.pipeline_ids[d.deployment_id]
        return {
            "id": self.world.job_ids[d.deployment_id], "status": view.status, "stage": "deploy",
            "name": "deploy", "ref": d.ref, "tag": False, "coverage": None,
            "created_at": iso(d.created_at), "started_at": iso(view.started_at),
            "finished_at": iso(view.finished_at),
            "commit": None if commit is None else {
                "id": commit.sha, "short_id": commit.sha[:8],
                "title": commit.message.split("\n", 1)[0], "message": commit.message,
                "created_at": iso(commit.committed_at)},
            "pipeline": {"id": pipeline_id, "sha": d.sha, "ref": d.ref, "status": view.status,
                         "created_at": iso(d.created_at), "updated_at": iso(view.updated_at),
                         "web_url": f"{self.web}/{repo.full_name}/-/pipelines/{pipeline_id}"},
            "user": self.user(d.creator_login),
        }

    # ------------------------------------------------------------------------------ merge requests
    def merge_request(self, repo: Repo, view: MergeRequestView) -> dict[str, Any]:
        pr = view.pr
        merged = view.merged_at is not None
        landed = pr.merge_commit_sha if merged else None
        sha = landed if merged and pr.merge_method == "rebase" else view.commits[-1]
        return {
            "id": pr.pr_id, "iid": pr.number, "project_id": repo.repo_id, "title": pr.title,
            "description": pr.body, "state": view.state, "created_at": iso(pr.created_at),
            "updated_at": iso(view.updated_at), "merged_at": iso(view.merged_at),
            "closed_at": iso(view.closed_at), "author": self.user(pr.author_login),
            "merged_by": self.user(pr.merged_by) if merged else None,
            "merge_user": self.user(pr.merged_by) if merged else None,
            "closed_by": self.user(pr.author_login) if view.closed_at else None,
            "source_branch": pr.head_ref, "target_branch": pr.base_ref,
            "source_project_id": repo.repo_id, "target_project_id": repo.repo_id,
            "labels": list(pr.labels), "draft": False, "work_in_progress": False,
            "squash": pr.merge_method == "squash", "sha": sha,
            "merge_commit_sha": landed if pr.merge_method == "merge" else None,
            "squash_commit_sha": landed if pr.merge_method == "squash" else None,
            "references": self._references(repo, "!", pr.number),
            "web_url": f"{self.web}/{repo.full_name}/-/merge_requests/{pr.number}",
        }

    def notes(self, view: MergeRequestView, clock: datetime) -> list[dict[str, Any]]:
        """The MR's notes at the clock, oldest first: one per review and review comment."""
        pr, world = view.pr, self.world
        notes = []
        for review in (v for v in pr.reviews if v.submitted_at <= clock):
            system = review.state != "COMMENTED"
            body = {"APPROVED": "approved this merge request",
                    "CHANGES_REQUESTED": "requested changes"}.get(
                review.state, review.body or "Reviewed.")
            notes.append(self._note(pr, world.note_id_of_review(review.review_id), body,
                                    review.reviewer_login, review.submitted_at, system))
        for comment in (c for c in pr.comments if c.created_at <= clock):
            note = self._note(pr, world.note_id_of_comment(comment.comment_id), comment.body,
                              comment.author_login, comment.created_at, False)
            note.update({"type": "DiffNote", "resolvable": True, "resolved": False,
                         "position": {"base_sha": pr.base_sha, "start_sha": pr.base_sha,
                                      "head_sha": comment.commit_id, "position_type": "text",
                                      "new_path": comment.path, "new_line": comment.line,
                                      "old_path": comment.path, "old_line": None}})
            notes.append(note)
        return sorted(notes, key=lambda note: (note["created_at"], note["id"]))

    def _note(self, pr: PullRequest, note_id: int, body: str, login: str, at: datetime,
              system: bool) -> dict[str, Any]:
        return {"id": note_id, "type": None, "body": body, "author": self.user(login),
                "created_at": iso(at), "updated_at": iso(at), "system": system,
                "noteable_id": pr.pr_id, "noteable_type": "MergeRequest",
                "noteable_iid": pr.number, "resolvable": False, "internal": False,
                "confidential": False, "attachment": None}

    # ------------------------------------------------------------------------------ issues
    def issue(self, repo: Repo, issue: Issue, clock: datetime) -> dict[str, Any]:
        closed = issue.closed_at if issue.closed_at and issue.closed_at <= clock else None
        incident = INCIDENT_LABEL in issue.labels
        return {
            "id": issue.issue_id, "iid": issue.number, "project_id": repo.repo_id,
            "title": issue.title, "description": issue.body,
            "state": "closed" if closed else "opened", "created_at": iso(issue.created_at),
            "updated_at": iso(issue_updated_at(issue, clock)), "closed_at": iso(closed),
            "closed_by": self.user(issue.author_login) if closed else None,
            "labels": [label for label in issue.labels if label != INCIDENT_LABEL],
            "issue_type": "incident" if incident else "issue",
            "type": "INCIDENT" if incident else "ISSUE", "author": self.user(issue.author_login),
            "assignees": [], "severity": "UNKNOWN", "confidential": False,
            "references": self._references(repo, "#", issue.number),
            "web_url": f"{self.web}/{repo.full_name}/-/issues/{issue.number}",
        }

    def _references(self, repo: Repo, marker: str, number: int) -> dict[str, str]:
        return {"short": f"{marker}{number}", "relative": f"{marker}{number}",
                "full": f"{repo.full_name}{marker}{number}"}
