"""Deployments from Actions runs, over real HTTP against the simulated GitHub.

Truth comes from the generator's event log: every deployment of the simulated repos is also a
run of the workflow `Deploy <environment>` with the deployment's id and sha (simulator/
actions.py). So a deploy-workflow sync is right when its runs are exactly the production
deployments that had a final status (plus the simulator's cancelled deploy runs).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from connectors.github import run_windows, settings
from connectors.github.client import GitHubClientSettings
from connectors.github.signals import RepoSignal
from connectors.github.sync import sync_repos
from simulator import actions
from simulator.actions import CANCELLED_RUN_ID_BASE
from simulator.generator import generate_org
from simulator.server import SandboxServer

DEPLOY = RepoSignal(signal="workflow", workflow_regex=r"^Deploy production$", branch="main")


@pytest.fixture(scope="module")
def org():
    # 2 teams, 3 months: a handful of repos with about a hundred deployments; < 1 s to generate.
    return generate_org(seed=5, teams=2, months=3)


@pytest.fixture
def server(org):
    with SandboxServer(org) as srv:
        yield srv


def sync(srv, org, rule, cursors=None):
    client = GitHubClientSettings(token=srv.token, base_url=srv.base_url, backoff_factor=0.01)
    repos = [(name, rule) for name, repo in org.repos.items()
             if "production" in repo.production_environments]
    return list(sync_repos(client, repos, cursors or {})), repos


def final_production(repo):
    return {d.deployment_id: d for d in repo.deployments
            if d.environment == "production"
            and any(s.state in ("success", "failure", "error") for s in d.statuses)}


def test_deploy_runs_are_the_production_deployments_and_chain_like_them(server, org):
    batches, repos = sync(server, org, DEPLOY)
    assert len(batches) == len(repos) > 0
    for batch in batches:
        truth = final_production(org.repos[batch.repo])
        # the simulator's cancelled deploy runs are kept too (SQL leaves them out)
        cancelled = [r for r in batch.workflow_runs if r.run_id >= CANCELLED_RUN_ID_BASE]
        assert {r.conclusion for r in cancelled} <= {"cancelled"}
        deploys = [r for r in batch.workflow_runs if r.run_id < CANCELLED_RUN_ID_BASE]
        assert {r.run_id for r in deploys} == set(truth)
        for run in deploys:
            d = truth[run.run_id]
            assert run.head_sha == d.sha
            success = d.statuses[-1].state == "success" or any(
                s.state == "success" for s in d.statuses)
            assert (run.conclusion == "success") == success
        # change sets: one compare per successful run after the first (ordered by finish)
        successes = [r for r in batch.workflow_runs if r.conclusion == "success"]
        assert len(batch.deployment_compares) == len(successes) - 1
        assert not batch.deployments  # the Deployments API is not read for this signal


def test_a_second_sync_from_the_cursor_adds_nothing(server, org):
    first, _ = sync(server, org, DEPLOY)
    cursors = {(c.scope, c.resource): c for b in first for c in b.cursors}
    second, _ = sync(server, org, DEPLOY, cursors)
    for batch in second:
        # only runs created at the cursor's second are read again; no change set is repeated
        assert batch.deployment_compares == []
        assert batch.deployment_commits == []


def test_windows_split_under_the_result_cap(server, org, monkeypatch):
    # With a cap of 7 runs per query, every window holding more is halved until it fits; the
    # runs read are the same as with GitHub's cap of 1,000.
    expected, _ = sync(server, org, DEPLOY)
    monkeypatch.setattr(run_windows, "WORKFLOW_RUNS_CAP", 7)
    split, _ = sync(server, org, DEPLOY)
    assert {(b.repo, r.run_id) for b in split for r in b.workflow_runs} == {
        (b.repo, r.run_id) for b in expected for r in b.workflow_runs}
    assert sum(b.requests for b in split) > sum(b.requests for b in expected)
    assert settings.WORKFLOW_RUNS_CAP == 1_000


def cursors_of(batches):
    return {(c.scope, c.resource): c for b in batches for c in b.cursors}


def test_the_sync_after_a_clean_one_is_answered_304_only(server, org):
    # The clean sync moves each cursor to its newest run and asks for that window's ETag (one
    # more probe); the next sync sends it: 304s only, nothing read, the cursors unchanged.
    first, _ = sync(server, org, DEPLOY)
    server.stats.reset()
    second, repos = sync(server, org, DEPLOY, cursors_of(first))
    answered = server.stats.snapshot()
    assert answered["by_route"]["actions_runs"] == len(repos)  # one probe per repository
    assert answered["by_status"] == {304: answered["total"]}
    assert [b.workflow_runs for b in second] == [[] for _ in second]
    # as a clean sync leaves them, ETag included, so the next no-change sync is free too
    assert cursors_of(second) == cursors_of(first)


def test_a_run_unfinished_at_one_sync_is_read_again_until_it_completes(server, org):
    # At T1 a production deploy run has started but not finished: no ETag is kept for its
    # repository (its completion would not change the one-run probe), so the sync at the same
    # moment lists it again, and the sync after it finished reads it completed.
    runs = [(name, run) for name in org.repos for run in actions.workflow_runs(org.repos[name])
            if run.name == "Deploy production"]
    name, running = next((name, run) for name, run in runs
                         if run.finished_at - run.created_at > timedelta(minutes=2))
    t1 = running.created_at + (running.finished_at - running.created_at) / 2
    server.set_clock(t1)
    first, _ = sync(server, org, DEPLOY)
    (listed,) = [r for b in first if b.repo == name for r in b.workflow_runs
                 if r.run_id == running.run_id]
    assert listed.status == "in_progress"
    assert cursors_of(first)[(name, "deployments")].etag is None
    again, _ = sync(server, org, DEPLOY, cursors_of(first))
    assert running.run_id in {r.run_id for b in again if b.repo == name for r in b.workflow_runs}
    assert cursors_of(again)[(name, "deployments")].etag is None
    server.set_clock(org.end)
    done, _ = sync(server, org, DEPLOY, cursors_of(again))
    (completed,) = [r for b in done if b.repo == name for r in b.workflow_runs
                    if r.run_id == running.run_id]
    assert completed.status == "completed" and completed.conclusion == running.conclusion
