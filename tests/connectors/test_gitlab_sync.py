"""The GitLab connector over real HTTP (the simulated GitLab, simulator/gitlab_server.py): after
each sync the warehouse holds exactly what the simulated project shows at its clock, whatever
the pagination, retries or updates between syncs.

The expected rows are derived from the organization's own objects (simulator/model.py), not
from the simulator's JSON nor from what the connector returned: a deployment's status is its
latest GitHub-style status at the clock (`inactive` is GitHub's alone), a change set the slice
of the main history between two successive successful deployments of an environment, a merge
request's landed commit the organization's merge commit."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from sleeps import Sleeps

from connectors.gitlab.client import GitLabSettings
from connectors.gitlab.errors import (
    GitLabPastDeadline,
    GitLabRateLimitTooLong,
    GitLabSyncError,
)
from connectors.gitlab.settings import SOURCE
from connectors.gitlab.sync import sync_project
from connectors.gitlab.tables import GITLAB_TABLES
from simulator.generator import generate_org
from simulator.gitlab_server import GitLabSandbox
from simulator.model import Org, Repo
from warehouse.connection import connect
from warehouse.loading import write_batch
from warehouse.sync_state import read_cursors

BIG = "acme/search-lib"  # 231 deployments, 267 merge requests: three pages of each
SMALL = "acme/payments-worker"  # 27 deployments, 35 merge requests
STATE = {"in_progress": "running", "success": "success", "failure": "failed",
         "error": "failed"}


@pytest.fixture(scope="module")
def org() -> Org:
    return generate_org(seed=3, teams=3, months=12)


@pytest.fixture
def warehouse(tmp_path):
    con = connect(tmp_path / "warehouse.duckdb")
    yield con
    con.close()



def settings_for(server: GitLabSandbox, sleeps: Sleeps | None = None, **overrides):
    return GitLabSettings(token=overrides.pop("token", server.token), url=server.url,
                          sleep=sleeps if sleeps is not None else Sleeps(), **overrides)


def sync_into(con, server: GitLabSandbox, repo: str, **overrides):
    cursors = {resource: cursor for (scope, resource), cursor in read_cursors(con, SOURCE).items()
               if scope == repo}
    batch = sync_project(settings_for(server, **overrides), repo, cursors)
    written = write_batch(con, GITLAB_TABLES, batch)
    return batch, written


# ---------------------------------------------------------------- truth from the org
def truth_deployments(repo: Repo, clock: datetime) -> dict[int, tuple]:
    """(environment, status, sha, finish) per deployment created by `clock`."""
    rows = {}
    for deployment in repo.deployments:
        if deployment.created_at > clock:
            continue
        seen = [s for s in deployment.statuses
                if s.created_at <= clock and s.state != "inactive"]
        status = STATE[seen[-1].state] if seen else "created"
        finish = seen[-1].created_at if status in ("success", "failed") else None
        rows[deployment.deployment_id] = (deployment.environment, status, deployment.sha, finish)
    return rows


def truth_change_sets(repo: Repo, clock: datetime) -> dict[int, tuple[int, list[str]]]:
    """Per successful deployment after the first of its environment: (base deployment, the
    main-history commits it added), for pairs whose shas are both on main, base before head."""
    position = {sha: i for i, sha in enumerate(repo.main_history)}
    finished = sorted(
        (row[3], deployment_id, row[0], row[2])
        for deployment_id, row in truth_deployments(repo, clock).items() if row[1] == "success")
    last: dict[str, tuple[int, str]] = {}
    pairs = {}
    for _, deployment_id, environment, sha in finished:
        base = last.get(environment)
        last[environment] = (deployment_id, sha)
        if base is None or base[1] not in position or sha not in position:
            continue
        if position[base[1]] < position[sha]:
            pairs[deployment_id] = (
                base[0], repo.main_history[position[base[1]] + 1: position[sha] + 1])
    return pairs


def truth_merge_requests(repo: Repo, clock: datetime) -> dict[int, tuple]:
    """(state, landed commit, notes) per pull request opened by `clock`."""
    rows = {}
    for pull in repo.pulls:
        if pull.created_at > clock:
            continue
        merged = pull.merged_at is not None and pull.merged_at <= clock
        closed = pull.closed_at is not None and pull.closed_at <= clock
        state = "merged" if merged else "closed" if closed else "opened"
        notes = (sum(r.submitted_at <= clock for r in pull.reviews)
                 + sum(c.created_at <= clock for c in pull.comments))
        rows[pull.number] = (state, pull.merge_commit_sha if merged else None, notes)
    return rows


def stored(con, sql: str, params: list | None = None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def assert_project_matches(con, org: Org, repo_name: str, clock: datetime) -> None:
    repo = org.repos[repo_name]
    deployments = {row[0]: row[1:] for row in stored(
        con, "select deployment_id, environment, status, sha, "
             "case when status in ('success', 'failed') then coalesce(finished_at, updated_at) "
             "end from raw.gitlab_deployments where repo = ?", [repo_name])}
    assert deployments == truth_deployments(repo, clock)
    change_sets = truth_change_sets(repo, clock)
    compares = dict(stored(con, "select deployment_id, base_deployment_id from "
                                "raw.gitlab_deployment_compares where repo = ? "
                                "and status = 'ahead'", [repo_name]))
    assert {d: compares.get(d) for d in change_sets} == {d: b for d, (b, _) in
                                                          change_sets.items()}
    for deployment_id, (_, commits) in change_sets.items():
        got = [row[0] for row in stored(
            con, "select sha from raw.gitlab_deployment_commits where repo = ? "
                 "and deployment_id = ?", [repo_name, deployment_id])]
        assert sorted(got) == sorted(commits), deployment_id
    merge_requests = {row[0]: row[1:] for row in stored(
        con, "select m.iid, m.state, case when m.state = 'merged' then "
             "coalesce(m.merge_commit_sha, m.squash_commit_sha, m.sha) end, "
             "(select count(*) from raw.gitlab_merge_request_notes n where n.repo = m.repo "
             "and n.mr_iid = m.iid) from raw.gitlab_merge_requests m where m.repo = ?",
        [repo_name])}
    assert merge_requests == truth_merge_requests(repo, clock)
    issues = dict(stored(con, "select iid, issue_type from raw.gitlab_issues where repo = ?",
                         [repo_name]))
    assert issues == {i.number: "incident" if "incident" in i.labels else "issue"
                      for i in repo.issues if i.created_at <= clock}


# ---------------------------------------------------------------- tests
def test_a_backfill_over_several_pages_stores_the_project_as_it_is(org, warehouse):
    with GitLabSandbox(org, projects=[BIG]) as server:
        batch, _ = sync_into(warehouse, server, BIG)
        pages = [r for r in server.requests if "/deployments" in r and "page=3" in r]
    assert pages, "three pages of deployments were read"
    assert_project_matches(warehouse, org, BIG, org.end)
    assert batch.requests == len(server.requests)


def test_squash_and_fast_forward_merges_keep_the_commit_that_landed(org, warehouse):
    repo = org.repos[BIG]
    with GitLabSandbox(org, projects=[BIG]) as server:
        sync_into(warehouse, server, BIG)
    rows = {iid: (merge, squash, head) for iid, merge, squash, head in stored(
        warehouse, "select iid, merge_commit_sha, squash_commit_sha, sha "
                   "from raw.gitlab_merge_requests")}
    squashed = [p for p in repo.pulls if p.merge_method == "squash"]
    rebased = [p for p in repo.pulls if p.merge_method == "rebase"]
    assert squashed and rebased
    for pull in squashed:
        assert rows[pull.number] == (None, pull.merge_commit_sha, pull.head_sha)
    for pull in rebased:
        assert rows[pull.number] == (None, None, pull.merge_commit_sha)


def test_the_next_sync_picks_up_what_changed_and_a_quiet_one_stores_nothing_new(org, warehouse):
    repo = org.repos[SMALL]
    # a clock while a deployment is running: created, not finished
    running = next(d for d in repo.deployments if d.finished_at is not None
                   and d.finished_at - d.created_at >= timedelta(minutes=2))
    middle = running.created_at + timedelta(minutes=1)
    with GitLabSandbox(org, projects=[SMALL]) as server:
        server.set_clock(middle)
        sync_into(warehouse, server, SMALL)
        assert_project_matches(warehouse, org, SMALL, middle)
        status = stored(warehouse, "select status from raw.gitlab_deployments "
                                   "where deployment_id = ?", [running.deployment_id])
        assert status == [("running",)]
        server.set_clock(org.end)
        sync_into(warehouse, server, SMALL)
        assert_project_matches(warehouse, org, SMALL, org.end)
        counts = {t.name: stored(warehouse, f"select count(*) from {t.name}")[0][0]
                  for t in GITLAB_TABLES}
        before = len(server.requests)
        batch, _ = sync_into(warehouse, server, SMALL)
        quiet = len(server.requests) - before
    assert {t.name: stored(warehouse, f"select count(*) from {t.name}")[0][0]
            for t in GITLAB_TABLES} == counts
    # the project and three lists, and nothing updated in the hour of overlap to re-read
    assert quiet == 4 + 2 * len(batch.merge_requests) + len(batch.deployment_compares)


def test_a_429_then_success_waits_its_retry_after(org, warehouse):
    sleeps = Sleeps()
    with GitLabSandbox(org, projects=[SMALL]) as server:
        server.faults.script([429, 429])
        sync_into(warehouse, server, SMALL, sleeps=sleeps)
    assert sleeps == [1, 1]
    assert_project_matches(warehouse, org, SMALL, org.end)


def test_a_burst_of_server_errors_backs_off_then_succeeds(org, warehouse):
    sleeps = Sleeps()
    with GitLabSandbox(org, projects=[SMALL]) as server:
        server.faults.script([500, 502, 503])
        sync_into(warehouse, server, SMALL, sleeps=sleeps)
    assert sleeps == [1.0, 2.0, 4.0]
    assert_project_matches(warehouse, org, SMALL, org.end)


def test_retries_spent_store_nothing_and_move_no_cursor(org, warehouse):
    with GitLabSandbox(org, projects=[SMALL]) as server, pytest.raises(Exception) as failed:
        server.faults.script([503] * 3)
        sync_into(warehouse, server, SMALL, attempts=2)
    assert "503" in str(failed.value)
    assert stored(warehouse, "select count(*) from raw.gitlab_deployments") == [(0,)]
    assert read_cursors(warehouse, SOURCE) == {}


def test_a_wait_longer_than_the_maximum_fails_at_once(org, warehouse):
    sleeps = Sleeps()
    with GitLabSandbox(org, projects=[SMALL]) as server, pytest.raises(
            GitLabRateLimitTooLong, match="max_rate_limit_wait_s"):
        server.faults.script([429])
        sync_into(warehouse, server, SMALL, sleeps=sleeps, max_wait_s=0.5)
    assert sleeps == []


def test_a_refused_token_names_its_setting_never_the_token(org, warehouse):
    wrong = "glpat-not-the-sandbox-token-123"
    with GitLabSandbox(org, projects=[SMALL]) as server, pytest.raises(
            GitLabSyncError) as refused:
        sync_into(warehouse, server, SMALL, token=wrong)
    assert "sources.gitlab.token_env" in str(refused.value)
    assert wrong not in str(refused.value) and wrong[-6:] not in str(refused.value)


def test_a_project_gitlab_does_not_have_says_which(org, warehouse):
    with GitLabSandbox(org, projects=[SMALL]) as server, pytest.raises(
            GitLabSyncError, match="no project 'acme/nope'"):
        sync_into(warehouse, server, "acme/nope")


def test_a_sync_past_the_runs_deadline_stores_nothing(org, warehouse):
    with GitLabSandbox(org, projects=[SMALL]) as server, pytest.raises(
            GitLabPastDeadline, match="max_run_minutes"):
        sync_into(warehouse, server, SMALL, deadline=time.time() - 1)
    assert server.requests == []
    assert stored(warehouse, "select count(*) from raw.gitlab_projects") == [(0,)]
