"""The GitHub connector over real HTTP against the simulated organization (simulator/).

Truth comes from the org objects (github_sandbox_truth.py), never from the connector's output:
a sync is right when its key sets equal the true ones (nothing lost, nothing extra) and no row
comes twice within a batch.
"""

from __future__ import annotations

import logging
import math
import time
import traceback
from datetime import datetime

import pytest
from github_sandbox_truth import (
    TABLES,
    Keys,
    latest_records,
    pending_at,
    repo_rules,
    true_keys,
)

from connectors.github.client import GitHubClientSettings
from connectors.github.errors import GitHubSyncError
from connectors.github.sync import sync_repos
from simulator.generator import generate_org
from simulator.server import SandboxServer

FINAL_STATES = {"success", "failure", "error", "inactive"}


@pytest.fixture(scope="module")
def org():
    # 2 teams, 2 months: 5 repos, about 110 PRs and 70 deployments; generated in < 1 s.
    return generate_org(seed=5, teams=2, months=2)


@pytest.fixture
def server(org):
    with SandboxServer(org) as srv:
        yield srv


def settings_for(srv: SandboxServer, **options) -> GitHubClientSettings:
    # Short backoff: the injected faults are retried in milliseconds, not seconds.
    return GitHubClientSettings(
        token=srv.token, base_url=srv.base_url, backoff_factor=0.01, **options
    )


def sync(srv, org, cursors=None, **options):
    return list(sync_repos(settings_for(srv, **options), repo_rules(org), cursors or {}))


def cursors_of(batches):
    return {(c.scope, c.resource): c for b in batches for c in b.cursors}


def assert_matches_truth(batches, org, clock: datetime) -> None:
    fetched, truth = Keys.of_batches(batches), true_keys(org, clock)
    assert fetched.duplicates == 0
    for table in TABLES:
        lost = truth.tables[table] - fetched.tables[table]
        extra = fetched.tables[table] - truth.tables[table]
        assert (table, lost, extra) == (table, set(), set())


def debug_logging(caplog) -> None:
    """Capture DEBUG logs, PyGithub's too (its `github` logger is pinned to INFO on import)."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="github")


def in_progress_moments(org) -> list[datetime]:
    """Moments when some deployment had started but not finished, in time order."""
    moments = []
    for repo in org.repos.values():
        for d in repo.deployments:
            started = d.statuses[0]
            final = next((s for s in d.statuses if s.state in FINAL_STATES), None)
            if (
                started.state not in FINAL_STATES
                and final
                and final.created_at > started.created_at
            ):
                moments.append(started.created_at + (final.created_at - started.created_at) / 2)
    return sorted(moments)


def test_full_sync_over_several_pages_matches_the_org(server, org):
    batches = sync(server, org, per_page=5)
    assert_matches_truth(batches, org, org.end)
    # Hand count of the PR list pages: ceil(PRs / 5) per repo, one page for an empty list.
    pull_pages = sum(max(1, math.ceil(len(r.pulls) / 5)) for r in org.repos.values())
    assert max(len(r.pulls) for r in org.repos.values()) > 3 * 5
    assert server.stats.by_route["pulls"] == pull_pages
    assert sum(b.requests for b in batches) == server.stats.total
    # Served under the GitHub Enterprise prefix: object URLs carry the base URL's /api/v3.
    assert all(
        pr.payload["url"].startswith(f"{server.base_url}/repos/")
        for b in batches
        for pr in b.pull_requests
    )


def test_second_sync_makes_only_first_page_requests_answered_304(server, org):
    clock = in_progress_moments(org)[0]
    server.set_clock(clock)
    first = sync(server, org)
    assert_matches_truth(first, org, clock)
    server.stats.reset()

    second = sync(server, org, cursors_of(first))
    repos, pending = len(org.repos), pending_at(org, clock)
    assert pending >= 1
    # 4 first pages per repo (deployments, review comments, PRs, issues), plus one status
    # re-poll per deployment without a final status, conditional on the ETag of its last
    # read: all 304, as the clock has not moved.
    assert sum(b.requests for b in second) == 4 * repos + pending
    assert sum(b.not_modified for b in second) == 4 * repos + pending
    assert server.stats.by_status == {304: 4 * repos + pending}
    assert not any(b.deployments or b.pull_requests or b.issues for b in second)


def test_incremental_syncs_add_up_to_one_full_sync(server, org):
    moments = in_progress_moments(org)
    clocks = [moments[len(moments) // 3], moments[2 * len(moments) // 3], org.end]
    runs, cursors = [], {}
    for clock in clocks:
        server.set_clock(clock)
        batches = sync(server, org, cursors)
        runs.extend(batches)
        cursors = cursors_of(batches)
    full = sync(server, org)

    union, whole = latest_records(runs), latest_records(full)
    for table in TABLES:
        if table == "deployment_statuses":
            continue
        # Same keys, and the newest copy of every row equals the full sync's (payload aside).
        assert union[table] == whole[table], table
    # Statuses: finished deployments are not re-polled, so only the `inactive` status GitHub
    # adds when a later deployment supersedes one can be missing (never a metric input).
    missing = whole["deployment_statuses"].keys() - union["deployment_statuses"].keys()
    assert {whole["deployment_statuses"][k].state for k in missing} <= {"inactive"}
    assert union["deployment_statuses"].keys() <= whole["deployment_statuses"].keys()


def test_rate_limited_429_is_retried(server, org):
    server.faults.script([429])  # answered with Retry-After: 1
    batches = sync(server, org)
    assert server.stats.by_status[429] == 1
    assert_matches_truth(batches, org, org.end)


def test_burst_of_server_errors_and_broken_connections_is_retried(server, org):
    server.faults.script([500, 502, 503, "drop", "truncate"])
    # A dropped connection is only noticed at the read timeout: keep it short.
    batches = sync(server, org, retry_total=4, timeout_s=1)
    assert server.stats.by_status[500] == server.stats.by_status[503] == 1
    assert_matches_truth(batches, org, org.end)


def test_errors_beyond_the_retry_budget_name_the_repo_and_request(server, org):
    server.faults.script([500, 500, 500])
    rules = repo_rules(org)[:1]
    with pytest.raises(GitHubSyncError) as caught:
        list(sync_repos(settings_for(server, retry_total=2), rules, {}))
    message = str(caught.value)
    assert rules[0][0] in message
    assert f"GitHub answered 500 to GET /repos/{rules[0][0]}/deployments" in message
    assert "run again later" in message


def test_wrong_token_fails_without_leaking_it(server, org, caplog):
    wrong = "ghp_wrongTokenValue0123456789abcdefABCDEF"
    settings = GitHubClientSettings(
        token=wrong, base_url=server.base_url, token_env="CANDOR_TEST_GITHUB_TOKEN"
    )
    debug_logging(caplog)
    with pytest.raises(GitHubSyncError) as caught:
        list(sync_repos(settings, repo_rules(org), {}))
    message = str(caught.value)
    assert "401" in message
    assert "CANDOR_TEST_GITHUB_TOKEN" in message
    # Every repository failed the same way: all are named, the cause is said once.
    assert all(name in message for name in org.repos)
    assert message.count("401") == 1
    everything = "".join(traceback.format_exception(caught.value)) + caplog.text + repr(settings)
    assert wrong not in everything
    assert server.token not in everything


def test_debug_logs_of_a_sync_hold_no_token(server, org, caplog):
    debug_logging(caplog)
    sync(server, org)
    # PyGithub logged every request with its headers, the Authorization header masked.
    assert "token (oauth token removed)" in caplog.text
    assert server.token not in caplog.text


def test_one_failing_repo_does_not_stop_the_others(server, org):
    rules = [*repo_rules(org)[:2], ("acme/no-such-repo", "(?i)^production$")]
    done = []
    with pytest.raises(GitHubSyncError, match="acme/no-such-repo") as caught:
        for batch in sync_repos(settings_for(server), rules, {}, max_workers=2):
            done.append(batch.repo)
    assert sorted(done) == sorted(name for name, _ in rules[:2])
    assert "404" in str(caught.value)
    assert "Check the repository name" in str(caught.value)


def test_spent_rate_limit_with_a_distant_reset_stops_with_advice(org):
    # 5 requests per hour: the 6th answer is GitHub's primary-limit 403 with a reset ~1 h away.
    with SandboxServer(org, rate_limit=5) as srv:
        rules = repo_rules(org)[:1]
        with pytest.raises(GitHubSyncError) as caught:
            list(sync_repos(settings_for(srv, max_rate_limit_wait_s=5), rules, {}))
    message = str(caught.value)
    assert "403" in message
    assert "max_rate_limit_wait_s" in message
    assert ".." not in message  # one full stop between the cause and the advice


def test_a_retry_that_would_end_after_the_deadline_is_not_slept(server, org):
    # Every answer a 500, retried with a backoff of 4, 8, 16 ... s; the run has 2 s left. Without
    # the deadline the first repository alone would sleep 4 + 8 + 16 + 32 s before failing.
    server.faults.script([500] * 10)
    rules = repo_rules(org)[:1]
    options = {"retry_total": 5, "deadline": time.time() + 2.0, "deadline_minutes": 0.5}
    started = time.monotonic()
    with pytest.raises(GitHubSyncError) as caught:
        list(sync_repos(GitHubClientSettings(token=server.token, base_url=server.base_url,
                                             backoff_factor=2.0, **options), rules, {}))
    assert time.monotonic() - started < 2.0  # no backoff was slept
    message = str(caught.value)
    assert "schedule.max_run_minutes = 0.5" in message
    assert f"while GET /repos/{rules[0][0]}/deployments was being retried" in message
    assert server.stats.by_status[500] <= 2  # given up at the first backoff that cannot fit
