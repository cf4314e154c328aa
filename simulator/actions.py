"""GitHub Actions runs of a simulated repository, derived from its deployment event log.

Every repository deploys from Actions: each deployment (staging and production, failed
attempts, retries, rollbacks) is the run of a deploy workflow, with the same id, sha and times,
so the truth stays in `Repo.deployments` (which deployment failed, what remediated it). Around
them are runs that are not deployments, for the rules to leave out: a CI run per pull request
(workflow "CI") and a cancelled deploy run just before every `CANCEL_EVERY`-th production
deployment. Nothing here draws from the generator's random numbers, so deriving runs changes no
other generated fact.

- A deployment ending `success` is a run concluding `success`, `failure` is `failure`, `error`
  is `timed_out`; the run is created with the deployment, started at its first status and
  finished (`updated_at`) at its final status.
- The deploy workflow of environment E is named `Deploy E` (file deploy-E.yml).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from simulator.model import Repo

CI_RUN_ID_BASE = 50_000_000
CANCELLED_RUN_ID_BASE = 60_000_000
CANCEL_EVERY = 5
CI_WORKFLOW_ID = 160_000
CONCLUSIONS = {"success": "success", "failure": "failure", "error": "timed_out"}


@dataclass(frozen=True)
class WorkflowRun:
    """One run as the Actions API shows it (`finished_at` None: still running at the clock)."""

    run_id: int
    workflow_id: int
    name: str
    path: str
    head_branch: str
    head_sha: str
    event: str
    actor: str
    created_at: datetime
    started_at: datetime
    finished_at: datetime
    conclusion: str


def deploy_workflow(environment: str) -> tuple[str, str]:
    """(name, path) of the workflow that deploys to `environment`."""
    return f"Deploy {environment}", f".github/workflows/deploy-{environment}.yml"


def workflow_runs(repo: Repo) -> list[WorkflowRun]:
    """Every run of `repo`, oldest first."""
    runs = []
    environments = sorted({d.environment for d in repo.deployments})
    workflow_ids = {env: CI_WORKFLOW_ID + 1 + i for i, env in enumerate(environments)}
    production = 0
    for d in repo.deployments:
        final = next((s for s in reversed(d.statuses) if s.state in CONCLUSIONS), None)
        if final is None:
            continue
        name, path = deploy_workflow(d.environment)
        started = d.statuses[0].created_at
        event = "workflow_dispatch" if d.kind == "rollback" else "push"
        runs.append(WorkflowRun(
            d.deployment_id, workflow_ids[d.environment], name, path, "main", d.sha, event,
            d.creator_login, d.created_at, started, final.created_at, CONCLUSIONS[final.state]))
        if d.production:
            production += 1
            if production % CANCEL_EVERY == 0:
                created = d.created_at - timedelta(minutes=2)
                runs.append(WorkflowRun(
                    CANCELLED_RUN_ID_BASE + production, workflow_ids[d.environment], name,
                    path, "main", d.sha, "push", d.creator_login, created, created,
                    created + timedelta(minutes=1), "cancelled"))
    for position, pr in enumerate(sorted(repo.pulls, key=lambda p: (p.created_at, p.number))):
        created = pr.created_at + timedelta(minutes=1)
        runs.append(WorkflowRun(
            CI_RUN_ID_BASE + repo.repo_id * 10_000 + position, CI_WORKFLOW_ID, "CI",
            ".github/workflows/ci.yml", pr.head_ref, pr.commit_shas[-1] if pr.commit_shas
            else repo.main_history[0], "pull_request", pr.author_login, created, created,
            created + timedelta(minutes=6), "success"))
    return sorted(runs, key=lambda r: (r.created_at, r.run_id))
