"""Deployments of a repository that deploys from a GitHub Actions workflow.

The repository's Actions runs are listed by `created` window (run_windows.py) from the cursor
on; the runs of the deploy workflow (name or file path matches the rule, on the rule's branch)
are kept, the others (CI, linters) dropped. SQL classifies the kept runs again
(int_production_deployment_attempts): a completed run with conclusion `success` is a deployment
of `head_sha` finished at `updated_at`; failure, timed_out, startup_failure are failed attempts;
cancelled, skipped and the rest are ignored.

Each workflow (by name) is a chain, like an environment: a successful deploy run gets the change
set compare(previous successful run of the workflow ... this one), by change_sets.py and the
same chain rules as Deployments-API deployments (deployments.py). Runs not completed yet are
listed again on the next sync (the cursor starts at the oldest of them).

A pass that left no deploy run unfinished keeps in the cursor the ETag of the next pass's first
probe (its own probe's when the window's start did not move, else one more small request), and
the next pass sends it: a 304 then costs no rate limit and reads nothing, as the other lists'
conditional first pages do, and a no-change run leaves the cursor exactly as a clean run does.
With a run unfinished no ETag is kept: its completion would not change the probe (one run a
page, the newest), so the window is listed again.
"""

from __future__ import annotations

from datetime import datetime

from github.Requester import Requester

from connectors.github import normalize_signals
from connectors.github.deployment_cursor import PendingDeployment
from connectors.github.deployments import RESOURCE, add_change_set, retry_unknown_change_sets
from connectors.github.normalize import parse_time
from connectors.github.paging import RequestCounter
from connectors.github.progress import CHUNK_DEPLOYMENTS, RepoProgress
from connectors.github.records import Cursor, WorkflowRun
from connectors.github.run_windows import ListedRuns, list_runs, window_etag
from connectors.github.settings import EARLIEST_RUN, SOURCE
from connectors.github.shape import reading
from connectors.github.signal_cursor import SignalCursor
from connectors.github.signals import RepoSignal, WorkflowRule

SIGNAL = "workflow"


def chain_name(run: WorkflowRun) -> str:
    """The `environment` of a deploy run: its workflow's name (its file path if unnamed)."""
    return run.name or run.path or ""


def sync_workflow_runs(
    requester: Requester,
    progress: RepoProgress,
    previous: Cursor | None,
    signal: RepoSignal,
    counter: RequestCounter,
) -> Cursor:
    """Add the repo's new and unfinished deploy runs and their change sets to `progress`;
    return the cursor of the finished pass (the caller checkpoints it).

    Chunked, the change sets are committed every `CHUNK_DEPLOYMENTS` successful runs with a
    cursor whose chain has moved but whose `created_since` has not: a run that stops there
    lists the same runs again next time and skips those already chained (the chain rule below).
    """
    repo = progress.repo
    rule = WorkflowRule(signal, repo)
    state = SignalCursor.from_json(previous.cursor if previous else None, SIGNAL)
    listed_since = state.created_since
    since = state.created_since or parse_time(EARLIEST_RUN)
    listed = list_runs(requester, repo, counter, since, signal.branch,
                       etag=previous.etag if previous else None)
    if listed.not_modified:
        # nothing new and nothing unfinished in the window; change sets still unknown are
        # asked for again, as on every pass
        retry_unknown_change_sets(requester, progress.batch, state.chain, counter)
        return Cursor(source=SOURCE, scope=repo, resource=RESOURCE, cursor=state.to_json(),
                      etag=listed.probe_etag)
    with reading(f"/repos/{repo}/actions/runs"):
        runs = [normalize_signals.workflow_run(repo, raw) for raw in listed.runs]
    deploy_runs = {
        r.run_id: r for r in runs if rule.is_deploy_run(r.name, r.path, r.head_branch)
    }
    progress.batch.workflow_runs.extend(deploy_runs.values())

    chain = state.chain
    retry_unknown_change_sets(requester, progress.batch, chain, counter)
    succeeded = sorted(
        (r for r in deploy_runs.values() if r.status == "completed" and r.conclusion == "success"),
        key=lambda r: (r.updated_at, r.run_id),
    )
    for position, run in enumerate(succeeded, start=1):
        base = chain.last_success.get(chain_name(run).lower())
        if base is not None and (run.updated_at, run.run_id) <= (base.at, base.deployment_id):
            continue  # already chained by an earlier sync (runs are listed again), or late
        deployment = PendingDeployment(run.run_id, chain_name(run), run.head_sha)
        add_change_set(requester, progress.batch, chain, deployment, run.updated_at, counter)
        if position % CHUNK_DEPLOYMENTS == 0 and position < len(succeeded):
            so_far = SignalCursor(SIGNAL, chain, listed_since, dict(state.resolved))
            progress.checkpoint(Cursor(source=SOURCE, scope=repo, resource=RESOURCE,
                                       cursor=so_far.to_json(), etag=None), finished=False)

    unfinished = [r.created_at for r in deploy_runs.values() if r.status != "completed"]
    if unfinished:
        state.created_since = min(unfinished)
    elif runs:
        state.created_since = max(r.created_at for r in runs)
    return Cursor(
        source=SOURCE, scope=repo, resource=RESOURCE, cursor=state.to_json(),
        etag=None if unfinished else _next_probe_etag(requester, repo, counter, since, state,
                                                      listed, signal.branch),
    )


def _next_probe_etag(requester: Requester, repo: str, counter: RequestCounter,
                     since: datetime, state: SignalCursor, listed: ListedRuns,
                     branch: str | None) -> str | None:
    """The ETag the next pass's first probe sends: this pass's own when it starts at the same
    moment, else asked for (one request, made only after new runs were found)."""
    next_since = state.created_since or parse_time(EARLIEST_RUN)
    if next_since == since:
        return listed.probe_etag
    return window_etag(requester, repo, counter, next_since, branch)
