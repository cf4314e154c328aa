"""Production deployments, failed attempts and change sets, read from the generator's event log.

Only what the GitHub API shows is used: a deployment's environment, sha and statuses (or, for
repos that deploy by workflow or release, the Actions runs and releases the simulator serves),
and the commit graph (`Repo.main_history`, which is what compare(base...head) slices).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from oracle_rules import OracleRules

from simulator.actions import workflow_runs
from simulator.model import Org, Repo
from simulator.signals import served_releases

FAILED_STATES = ("failure", "error")
FAILED_CONCLUSIONS = ("failure", "timed_out", "startup_failure")


@dataclass
class ProductionDeployment:
    """A successful deployment to a production environment, with what the rules found.

    `chain` is (repo, environment in lower case): GitHub environment names ignore case.
    `change_set` is None for the first deployment of a chain (the baseline).
    `failed` maps provenance (rollback, revert, hotfix, incident) to the evidence: the
    deployments ("deployment <id>") or incidents ("<repo>#<number>") that marked it failed;
    `incidents` lists the linked incidents as (repo, number); `remediations` the rollback,
    revert and hotfix deployments that undid it, as (how, deployment). `rework` lists why
    this deployment counts as rework. `recovery_hours` is set for recovered failures.
    """

    repo: str
    team: str
    deployment_id: int
    environment: str
    sha: str
    finished_at: datetime
    previous: ProductionDeployment | None = None
    change_set: list[str] | None = None
    failed: dict[str, list[str]] = field(default_factory=dict)
    remediated_by: list[ProductionDeployment] = field(default_factory=list)
    remediations: list[tuple[str, ProductionDeployment]] = field(default_factory=list)
    rework: list[str] = field(default_factory=list)
    incidents: list[tuple[str, int]] = field(default_factory=list)
    recovery_hours: float | None = None

    @property
    def chain(self) -> tuple[str, str]:
        return self.repo, self.environment.lower()

    @property
    def order(self) -> tuple[datetime, int]:
        return self.finished_at, self.deployment_id

    def mark_failed(self, provenance: str, evidence: str) -> None:
        found = self.failed.setdefault(provenance, [])
        if evidence not in found:
            found.append(evidence)


@dataclass(frozen=True)
class FailedAttempt:
    """A production deployment with a failure/error status and no success status."""

    repo: str
    team: str
    deployment_id: int
    environment: str
    failed_at: datetime


def repo_teams(org: Org) -> dict[str, str]:
    """Repo full name -> owning team, as the demo config declares it (Team.repos)."""
    return {repo: team.name for team in org.teams for repo in team.repos}


def production_deployments(org: Org, rules: OracleRules) -> list[ProductionDeployment]:
    """Every production deployment of the org's team repos, in (finish, id) order, chained.

    Read from each repo's signal (docs/metrics.md §2): Deployments-API deployments, the runs of
    its deploy workflow that concluded `success` (finished at `updated_at`), or its published,
    non-prerelease releases with a matching tag (finished at `published_at`, chain `release`).
    """
    found = []
    for repo_name, team in repo_teams(org).items():
        repo = org.repos[repo_name]
        signal = rules.signal(repo_name)
        if signal == "workflow":
            found.extend(ProductionDeployment(repo_name, team, r.run_id, r.name, r.head_sha,
                                              r.finished_at)
                         for r in _deploy_runs(repo, rules) if r.conclusion == "success")
            continue
        if signal == "release":
            found.extend(ProductionDeployment(repo_name, team, r.release_id, "release",
                                              r.target_sha, r.published_at)
                         for r in served_releases(org, repo)
                         if r.published_at is not None and not r.prerelease
                         and rules.is_release_tag(repo_name, r.tag_name))
            continue
        for d in repo.deployments:
            finished = _first_success(d.statuses)
            if finished is not None and rules.is_production(repo_name, d.environment):
                found.append(ProductionDeployment(repo_name, team, d.deployment_id,
                                                  d.environment, d.sha, finished))
    found.sort(key=lambda p: p.order)
    latest: dict[tuple[str, str], ProductionDeployment] = {}
    graphs = {name: CommitGraph(org.repos[name]) for name in {d.repo for d in found}}
    for deployment in found:
        previous = latest.get(deployment.chain)
        latest[deployment.chain] = deployment
        if previous is not None:
            deployment.previous = previous
            deployment.change_set = graphs[deployment.repo].compare(previous.sha,
                                                                    deployment.sha)
    return found


def failed_attempts(org: Org, rules: OracleRules) -> list[FailedAttempt]:
    """Production deployments that failed (failure/error) and never succeeded.

    An attempt belongs to the period of its first failure/error status.
    """
    attempts = []
    for repo_name, team in repo_teams(org).items():
        signal = rules.signal(repo_name)
        if signal == "release":
            continue  # a release is published or not: it has no failed attempts
        if signal == "workflow":
            attempts.extend(FailedAttempt(repo_name, team, r.run_id, r.name, r.finished_at)
                            for r in _deploy_runs(org.repos[repo_name], rules)
                            if r.conclusion in FAILED_CONCLUSIONS)
            continue
        for d in org.repos[repo_name].deployments:
            states = [s.state for s in d.statuses]
            if "success" in states or not rules.is_production(repo_name, d.environment):
                continue
            failed_at = next((s.created_at for s in d.statuses if s.state in FAILED_STATES),
                             None)
            if failed_at is not None:
                attempts.append(FailedAttempt(repo_name, team, d.deployment_id, d.environment,
                                              failed_at))
    return attempts


class CommitGraph:
    """Answers compare(base...head) for one repo as GitHub lists it: the commits reachable
    from head and not from base. On main that is the slice of `main_history` after base up
    to head, empty when head is base or older (a re-deploy or a rollback: `identical` or
    `behind`); a sha off main falls back to walking parents."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        self.position = {sha: i for i, sha in enumerate(repo.main_history)}

    def compare(self, base: str, head: str) -> list[str]:
        if base in self.position and head in self.position:
            return self.repo.main_history[self.position[base] + 1 : self.position[head] + 1]
        ahead = self._ancestors(head) - self._ancestors(base)
        return sorted(ahead, key=lambda sha: (self.repo.commits[sha].committed_at, sha))

    def _ancestors(self, sha: str) -> set[str]:
        seen, stack = set(), [sha]
        while stack:
            current = stack.pop()
            if current not in seen and current in self.repo.commits:
                seen.add(current)
                stack.extend(self.repo.commits[current].parents)
        return seen


def _deploy_runs(repo: Repo, rules: OracleRules) -> list:
    """The completed runs of the repo's deploy workflow (the simulator serves them)."""
    return [r for r in workflow_runs(repo)
            if rules.is_deploy_run(repo.full_name, r.name, r.path, r.head_branch)]


def _first_success(statuses) -> datetime | None:
    return min((s.created_at for s in statuses if s.state == "success"), default=None)
