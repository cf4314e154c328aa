"""The simulated organization as GitLab shows it (simulator/gitlab_app.py serves it).

Each repository of the `Org` is a GitLab project in the group named after the org: project id
= repo id, path = repo name, namespace id = org id. Everything GitLab numbers on its own is
derived here from the Org alone, deterministically, and over the whole org (not only the
served projects), so an id never changes with which projects a sandbox serves:

- deployment iids count 1.. per project in creation order (GitLab's project-scoped numbers);
- environment ids run over the repositories in org order, each repository's environments in
  the order of their first deployment;
- every deployment ran as a CI job of a pipeline (job and pipeline ids: one sequence each over
  the org's deployments in creation order), except about one in ten, chosen by a hash of the
  deployment id, created through the Deployments API: those have no job (`deployable` null);
- note ids: one sequence over every review and review comment of the org in time order, so a
  note keeps its id whatever the clock (the org's review and comment ids are never served).

GitLab has no per-deployment status history: a deployment has one status, read at the clock
from the GitHub statuses (simulator/gitlab_json.py). A deployment's merge requests are those
whose landed commit is in its change set against the previous successful deployment of its
environment (`merge_requests_of`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from simulator.compare import RepoGraph
from simulator.model import Deployment, Org, PullRequest, Repo

API_CREATED_SHARE = 0.10  # deployments made through the API, without a CI job
JOB_BASE = 70_000_000  # first CI job id (GitLab's job ids are instance-wide)
PIPELINE_BASE = 9_000_000  # first pipeline id
NOTE_BASE = 300_000_000  # first note id
BOT_USER_ID = 77_000_001  # the token's user


@dataclass(frozen=True)
class GlUser:
    """A GitLab account: the person's GitHub user id, login and name."""

    user_id: int
    username: str
    name: str
    bot: bool = False


BOT = GlUser(BOT_USER_ID, "candor-bot", "Candor sync bot", bot=True)


@dataclass
class GitLabWorld:
    """The projects a sandbox serves and GitLab's own numbering of the whole org."""

    org: Org
    projects: list[Repo]  # served, in org order
    environment_ids: dict[tuple[str, str], int]  # (full name, environment) -> id
    deployment_iids: dict[int, int]  # deployment id -> iid in its project
    job_ids: dict[int, int]  # deployment id -> CI job id (API-created ones too, unused)
    pipeline_ids: dict[int, int]  # deployment id -> pipeline id
    review_note_ids: dict[int, int]  # review id -> note id
    comment_note_ids: dict[int, int]  # review comment id -> note id
    graphs: dict[str, RepoGraph] = field(default_factory=dict)

    # ------------------------------------------------------------------------------ lookups
    def project(self, key: str) -> Repo:
        """A served project by numeric id or by path (`acme/web`); LookupError if none."""
        for repo in self.projects:
            if key in (str(repo.repo_id), repo.full_name):
                return repo
        raise LookupError(key)

    def graph(self, repo: Repo) -> RepoGraph:
        if repo.full_name not in self.graphs:
            self.graphs[repo.full_name] = RepoGraph(repo)
        return self.graphs[repo.full_name]

    def user(self, login: str | None) -> GlUser | None:
        if login is None:
            return None
        person = self.org.people.get(login)
        if person is None:  # not a member: an id from the login, stable
            return GlUser(int(hashlib.sha256(login.encode()).hexdigest()[:7], 16), login, login)
        return GlUser(person.user_id, person.login, person.name, person.kind == "Bot")

    def deployment_iid(self, repo: Repo | str, deployment_id: int) -> int:
        """The iid GitLab shows for a deployment (`repo` is accepted for readability: ids are
        unique across the org)."""
        return self.deployment_iids[deployment_id]

    def environment_id(self, repo: Repo | str, environment: str) -> int:
        name = repo if isinstance(repo, str) else repo.full_name
        return self.environment_ids[(name, environment)]

    def api_created(self, deployment_id: int) -> bool:
        """True for the deployments created through the API: `deployable` is null."""
        return _api_created(deployment_id)

    def note_id_of_review(self, review_id: int) -> int:
        return self.review_note_ids[review_id]

    def note_id_of_comment(self, comment_id: int) -> int:
        return self.comment_note_ids[comment_id]

    # ------------------------------------------------------------------------------ change sets
    def previous_success(self, repo: Repo, deployment: Deployment, clock: datetime
                         ) -> Deployment | None:
        """The latest earlier deployment (by id) of the same environment that had succeeded by
        `clock`: the base GitLab links a deployment's merge requests against."""
        earlier = [d for d in repo.deployments
                   if d.environment == deployment.environment
                   and d.deployment_id < deployment.deployment_id and _succeeded(d, clock)]
        return max(earlier, key=lambda d: d.deployment_id, default=None)

    def merge_requests_of(self, repo: Repo, deployment: Deployment, clock: datetime
                          ) -> list[PullRequest]:
        """The merge requests a deployment shipped, as GitLab links them: only once it has
        succeeded, those merged by `clock` whose landed commit (the Org's merge_commit_sha) is
        in its change set (compare previous success..this one; the first success of an
        environment: every commit its sha reaches)."""
        if not _succeeded(deployment, clock):
            return []
        graph = self.graph(repo)
        base = self.previous_success(repo, deployment, clock)
        if base is not None:
            shipped = set(graph.compare(base.sha, deployment.sha).commits)
        else:
            shipped = _reachable(repo, deployment.sha)
        return [pr for pr in repo.pulls
                if pr.merged_at is not None and pr.merged_at <= clock
                and pr.merge_commit_sha in shipped]


def _succeeded(deployment: Deployment, clock: datetime) -> bool:
    finished = deployment.finished_at
    return finished is not None and finished <= clock


def _reachable(repo: Repo, sha: str) -> set[str]:
    """Every commit `sha` reaches through its parents (itself included)."""
    seen, stack = set(), [sha]
    while stack:
        current = stack.pop()
        if current not in seen and current in repo.commits:
            seen.add(current)
            stack.extend(repo.commits[current].parents)
    return seen


def _api_created(deployment_id: int) -> bool:
    digest = hashlib.sha256(f"gitlab-api-created:{deployment_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") < API_CREATED_SHARE * 2**32


def gitlab_world(org: Org, projects: list[str] | None = None) -> GitLabWorld:
    """The GitLab view of `org`, serving `projects` (repo full names; None: every repo)."""
    if projects is None:
        served = list(org.repos.values())
    else:
        unknown = [name for name in projects if name not in org.repos]
        if unknown:
            raise ValueError(f"gitlab_world: no such repositories in the org: {unknown}")
        served = [repo for repo in org.repos.values() if repo.full_name in set(projects)]
    environment_ids: dict[tuple[str, str], int] = {}
    deployment_iids: dict[int, int] = {}
    for repo in org.repos.values():
        ordered = sorted(repo.deployments, key=lambda d: (d.created_at, d.deployment_id))
        for iid, deployment in enumerate(ordered, start=1):
            deployment_iids[deployment.deployment_id] = iid
            key = (repo.full_name, deployment.environment)
            environment_ids.setdefault(key, len(environment_ids) + 1)
    every = sorted((d for repo in org.repos.values() for d in repo.deployments),
                   key=lambda d: (d.created_at, d.deployment_id))
    job_ids = {d.deployment_id: JOB_BASE + n for n, d in enumerate(every)}
    pipeline_ids = {d.deployment_id: PIPELINE_BASE + n for n, d in enumerate(every)}
    events = []  # (time, 0 review / 1 comment, org id)
    for repo in org.repos.values():
        for pr in repo.pulls:
            events += [(v.submitted_at, 0, v.review_id) for v in pr.reviews]
            events += [(c.created_at, 1, c.comment_id) for c in pr.comments]
    events.sort()
    review_note_ids = {i: NOTE_BASE + n for n, (_, kind, i) in enumerate(events) if kind == 0}
    comment_note_ids = {i: NOTE_BASE + n for n, (_, kind, i) in enumerate(events) if kind == 1}
    return GitLabWorld(org, served, environment_ids, deployment_iids, job_ids, pipeline_ids,
                       review_note_ids, comment_note_ids)
