"""One incremental sync of a GitLab project: the project, its deployments (with the change set
of each successful one), its merge requests (with their commits and notes) and its issues.

- **Now** is GitLab's clock (the `Date` of its answer to the project), not this machine's.
- **Incremental.** Deployments, merge requests and issues are listed by `updated_after` the
  last sync's clock less `OVERLAP`, oldest update first (GitLab has no keyset pagination for
  these lists); the first sync lists them all. A deployment that was running at the last sync
  is listed again when it finishes, a merge request when it is merged, reviewed or commented,
  an incident when it is closed. A listed merge request's commits and notes are read whole.
- **Change sets.** Every successful deployment, in every environment, is compared with the
  previous successful deployment of its environment (change_sets.py), in the order they
  finished; the latest success per environment travels in the cursor. No production rule is
  applied here: which environments count is decided in SQL, where the rule is applied to
  every stored deployment (GitHub's connector applies it while syncing and has to restart a
  repository when it changes).
- The cursors go into the batch, so the warehouse commits them with the rows they cover: a
  sync that fails stores nothing and moves no cursor.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

import gitlab
import requests

from connectors.contract import Cursor
from connectors.gitlab import normalize
from connectors.gitlab.change_sets import compare_pair
from connectors.gitlab.client import GitLabSettings, make_client
from connectors.gitlab.errors import GitLabSyncError, GitLabUnavailable
from connectors.gitlab.records import Deployment, ProjectBatch
from connectors.gitlab.settings import OVERLAP, SOURCE
from connectors.server_clock import server_time

REFUSED_TOKEN = ("GitLab refused the token (401): check that the environment variable named by "
                 "sources.gitlab.token_env holds a personal, group or project access token with "
                 "the read_api scope, for the GitLab at sources.gitlab.url")


@dataclass(frozen=True)
class LastSuccess:
    deployment_id: int
    sha: str
    at: datetime

    def to_json(self) -> dict[str, Any]:
        return {"id": self.deployment_id, "sha": self.sha, "at": self.at.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LastSuccess:
        return cls(int(data["id"]), str(data["sha"]), datetime.fromisoformat(data["at"]))


def sync_project(settings: GitLabSettings, repo: str, cursors: dict[str, Cursor]
                 ) -> ProjectBatch:
    """Read everything new of project `repo` (its path, e.g. `acme/web`) since `cursors` (by
    resource; empty: everything). Raises GitLabSyncError (or the client's errors, which the
    caller reports) and then stores nothing."""
    gl = make_client(settings)
    try:
        return _sync(gl, repo, cursors)
    except gitlab.GitlabAuthenticationError:
        raise GitLabSyncError(REFUSED_TOKEN) from None
    except requests.RequestException as problem:
        # a refused or dropped connection, or a timeout, after the bounded retries
        raise GitLabUnavailable(
            f"GitLab at {settings.url} did not answer ({type(problem).__name__}) after "
            f"{settings.attempts} retries") from None
    finally:
        gl.session.close()


def _sync(gl: gitlab.Gitlab, repo: str, cursors: dict[str, Cursor]) -> ProjectBatch:
    batch = ProjectBatch(scope=repo)
    try:
        answer = gl.http_request("get", f"/projects/{quote(repo, safe='')}")
    except gitlab.GitlabHttpError as problem:
        if problem.response_code == 404:
            raise GitLabSyncError(
                f"GitLab has no project {repo!r} the token can read (404): check the path "
                "under teams[].repos.gitlab (group/project, as in its URL) and the token's "
                "access") from None
        raise
    now = server_time(answer.headers.get("Date"))
    record = normalize.project(answer.json())
    if record.repo != repo:
        # GitLab answers a renamed project's old path with the project: say so, the rows
        # would otherwise be stored under a name no team lists.
        raise GitLabSyncError(f"GitLab project {repo!r} is now {record.repo!r}: rename it "
                              "under teams[].repos.gitlab")
    batch.projects = [record]
    project = gl.projects.get(record.project_id, lazy=True)

    last_success = _sync_deployments(gl, project, batch, cursors.get("deployments"))
    _sync_merge_requests(gl, project, batch, cursors.get("merge_requests"))
    batch.issues = [normalize.issue(repo, item)
                    for item in _listed(project.issues, cursors.get("issues"))]

    stamp = now.isoformat()
    batch.cursors = [
        Cursor(SOURCE, repo, "projects", stamp, None),
        Cursor(SOURCE, repo, "deployments", json.dumps({
            "updated_after": stamp,
            "last_success": {env: last.to_json() for env, last in sorted(last_success.items())},
        }), None),
        Cursor(SOURCE, repo, "merge_requests", json.dumps({"updated_after": stamp}), None),
        Cursor(SOURCE, repo, "issues", json.dumps({"updated_after": stamp}), None),
    ]
    batch.requests = gl.requests_made
    return batch


def _sync_deployments(gl: gitlab.Gitlab, project: Any, batch: ProjectBatch,
                      cursor: Cursor | None) -> dict[str, LastSuccess]:
    repo = batch.scope
    listed: dict[int, Deployment] = {}
    for item in _listed(project.deployments, cursor):
        record = normalize.deployment(repo, item)
        listed[record.deployment_id] = record  # a later page may repeat an updated one
    batch.deployments = sorted(listed.values(), key=lambda d: d.deployment_id)

    state = _cursor_data(cursor).get("last_success", {})
    last_success = {env: LastSuccess.from_json(data) for env, data in state.items()}
    times = {d.deployment_id: normalize.finished_at(d) for d in batch.deployments}
    finished = sorted(((times[d.deployment_id], d) for d in batch.deployments
                       if times[d.deployment_id] is not None),
                      key=lambda pair: (pair[0], pair[1].deployment_id))
    for at, deployment in finished:
        base = last_success.get(deployment.environment)
        if base is not None and (at, deployment.deployment_id) <= (base.at, base.deployment_id):
            # listed again inside the overlap, or finished before the success already
            # recorded as latest: its predecessor is not known here
            continue
        last_success[deployment.environment] = LastSuccess(deployment.deployment_id,
                                                           deployment.sha, at)
        if base is None:
            continue  # the baseline of the environment
        fact, commits = compare_pair(gl, repo, deployment.deployment_id, deployment.sha,
                                     base.deployment_id, base.sha)
        batch.deployment_compares.append(fact)
        batch.deployment_commits.extend(commits)
    return last_success


def _sync_merge_requests(gl: gitlab.Gitlab, project: Any, batch: ProjectBatch,
                         cursor: Cursor | None) -> None:
    repo = batch.scope
    listed = {}
    for item in _listed(project.mergerequests, cursor, state="all"):
        record = normalize.merge_request(repo, item)
        listed[record.iid] = record
    batch.merge_requests = sorted(listed.values(), key=lambda m: m.iid)
    for mr in batch.merge_requests:
        path = f"/projects/{project.id}/merge_requests/{mr.iid}"
        commits = {}
        for item in gl.http_list(f"{path}/commits", iterator=True):
            record = normalize.merge_request_commit(repo, mr.iid, item)
            commits[record.sha] = record
        batch.merge_request_commits.extend(commits.values())
        notes = {}
        for item in gl.http_list(f"{path}/notes", iterator=True, sort="asc",
                                 order_by="created_at"):
            record = normalize.merge_request_note(repo, mr.iid, item)
            notes[record.note_id] = record
        batch.merge_request_notes.extend(notes.values())


def _listed(manager: Any, cursor: Cursor | None, **filters: Any) -> Iterator[dict[str, Any]]:
    """Every object of a project list updated since the cursor, oldest update first."""
    after = _cursor_data(cursor).get("updated_after")
    if after is not None:
        filters["updated_after"] = (datetime.fromisoformat(after) - OVERLAP).isoformat()
    for obj in manager.list(iterator=True, order_by="updated_at", sort="asc", **filters):
        yield obj.asdict()


def _cursor_data(cursor: Cursor | None) -> dict[str, Any]:
    if cursor is None or not cursor.cursor:
        return {}
    try:
        data = json.loads(cursor.cursor)
    except ValueError:
        raise GitLabSyncError(f"the stored GitLab {cursor.resource} cursor of {cursor.scope} "
                              "is not JSON; run with --full-refresh") from None
    return data if isinstance(data, dict) else {}

