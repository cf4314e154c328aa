"""Compare facts of production deployment pairs (raw.github_deployment_compares), and change
sets GitHub refuses to compute (404 "No common ancestor", 422): unknown, and the sync goes on.

The chain of test_github_sync_deployments.py is reused; expected facts are read off its canned
compares by hand.
"""

from __future__ import annotations

import json

import pytest
from github_deployment_chain import compare, deployment_routes
from github_fake_api import PROD, REPO, Answer, FakeGithub, by_resource
from github_sandbox_truth import latest_records, repo_rules, true_keys

from connectors.github.client import GitHubClientSettings
from connectors.github.errors import GitHubDataError, GitHubSyncError
from connectors.github.records import DeploymentCompare
from connectors.github.settings import COMPARE_RETRY_RUNS
from connectors.github.sync import RepoFailure, sync_each_repo, sync_repo
from simulator.generator import generate_org
from simulator.server import SandboxServer

S1_S3 = f"/repos/{REPO}/compare/s1...s3"
S3_S1 = f"/repos/{REPO}/compare/s3...s1"
S1_S4 = f"/repos/{REPO}/compare/s1...s4"
NO_ANCESTOR = {
    "message": "No common ancestor between s1 and s3.",
    "documentation_url": "https://docs.github.com/rest/commits/commits#compare-two-commits",
    "status": "404",
}


def facts(batch) -> dict[int, tuple]:
    return {
        c.deployment_id: (c.base_deployment_id, c.base_sha, c.head_sha, c.status, c.ahead_by,
                          c.behind_by, c.change_set_known)
        for c in batch.deployment_compares
    }


def test_every_production_pair_gets_a_compare_fact():
    batch = sync_repo(FakeGithub(deployment_routes()), REPO, {}, PROD)
    # 101 is the baseline (no row); 104 adds s2, s3; 105 redeploys s3 (identical, no request);
    # 106 rolls back to s1 (behind by 2, empty change set); 103 failed, 102 is staging, 107 has
    # not finished: no rows.
    assert facts(batch) == {
        104: (101, "s1", "s3", "ahead", 2, 0, True),
        105: (104, "s3", "s3", "identical", 0, 0, True),
        106: (105, "s3", "s1", "behind", 0, 2, True),
    }
    assert {c.deployment_id for c in batch.deployment_commits} == {104}
    assert all(c.unknown_reason is None for c in batch.deployment_compares)


@pytest.mark.parametrize("status", [404, 422])
def test_a_refused_compare_is_an_unknown_change_set_and_the_sync_goes_on(status):
    routes = deployment_routes()
    routes[S1_S3] = Answer(json.dumps({**NO_ANCESTOR, "status": str(status)}), status)
    routes[f"/repos/{REPO}/issues"] = [{
        "id": 1, "number": 1, "state": "open", "labels": [], "created_at": "2024-03-01T00:00:00Z",
        "updated_at": "2024-03-01T00:00:00Z",
    }]
    batch = sync_repo(FakeGithub(routes), REPO, {}, PROD)

    unknown = batch.deployment_compares[0]
    assert unknown == DeploymentCompare(
        REPO, 104, 101, "s1", "s3", "unknown", None, None, False,
        f"GitHub answered {status} to GET {S1_S3}: No common ancestor between s1 and s3.",
    )
    assert batch.deployment_commits == []  # nothing of 104's range is known
    # The chain goes on from 104: 105 redeploys its sha, 106 is compared with it.
    assert facts(batch)[106][:4] == (105, "s3", "s1", "behind")
    assert [i.number for i in batch.issues] == [1]  # the rest of the repository synced
    cursor = json.loads(by_resource(batch)["deployments"].cursor)
    assert cursor["unknown"] == [
        {"id": 104, "base_id": 101, "base_sha": "s1", "sha": "s3",
         "retries_left": COMPARE_RETRY_RUNS}
    ]


def test_an_unknown_change_set_is_filled_in_when_a_later_compare_succeeds():
    routes = deployment_routes()
    routes[S1_S3] = Answer(json.dumps(NO_ANCESTOR), 404)
    gh = FakeGithub(routes)
    first = sync_repo(gh, REPO, {}, PROD)

    routes[S1_S3] = compare("ahead", "s2", "s3")  # GitHub answers now
    gh.requester.log.clear()
    second = sync_repo(gh, REPO, by_resource(first), PROD)
    assert facts(second) == {104: (101, "s1", "s3", "ahead", 2, 0, True)}
    shipped = {(c.deployment_id, c.sha) for c in second.deployment_commits}
    assert shipped == {(104, "s2"), (104, "s3")}
    assert "unknown" not in json.loads(by_resource(second)["deployments"].cursor)
    assert [p for p in gh.requester.paths() if "/compare/" in p] == [S1_S3]


def test_a_compare_refused_on_every_retry_is_given_up():
    routes = deployment_routes()
    routes[S1_S3] = Answer(json.dumps(NO_ANCESTOR), 404)
    gh = FakeGithub(routes)
    batch = sync_repo(gh, REPO, {}, PROD)
    retries = 0
    while "unknown" in json.loads(by_resource(batch)["deployments"].cursor):
        batch = sync_repo(gh, REPO, by_resource(batch), PROD)
        # A still-refused pair is not written again: its stored row already says unknown.
        assert batch.deployment_compares == []
        retries += 1
    assert retries == COMPARE_RETRY_RUNS
    gh.requester.log.clear()
    sync_repo(gh, REPO, by_resource(batch), PROD)
    assert not [p for p in gh.requester.paths() if "/compare/" in p]


def test_a_compare_failing_otherwise_fails_the_repository():
    routes = deployment_routes()
    routes[S1_S3] = Answer(json.dumps({"message": "Server Error"}), 502)
    with pytest.raises(GitHubSyncError, match="502"):
        sync_repo(FakeGithub(routes), REPO, {}, PROD)


def test_a_compare_with_an_unknown_status_is_malformed():
    routes = deployment_routes()
    routes[S1_S3] = {**compare("ahead", "s2", "s3"), "status": "sideways"}
    with pytest.raises(GitHubDataError) as caught:
        sync_repo(FakeGithub(routes), REPO, {}, PROD)
    assert (
        f"GET {S1_S3}: compare: field 'status' is 'sideways', expected one of ahead, behind, "
        "identical, diverged"
    ) in caught.value.reason


@pytest.fixture(scope="module")
def org():
    return generate_org(seed=5, teams=2, months=2)


def test_no_common_ancestor_over_http_leaves_the_other_repositories_as_a_clean_sync(org):
    rules = repo_rules(org)
    broken = rules[0][0]
    with SandboxServer(org) as server:
        settings = GitHubClientSettings(token=server.token, base_url=server.base_url)
        clean = list(sync_each_repo(settings, rules, {}))
        server.faults.repos.no_common_ancestor(broken)
        faulted = list(sync_each_repo(settings, rules, {}))
        server.faults.clear()
        cursors = {(c.scope, c.resource): c for b in faulted for c in b.cursors}
        retried = list(sync_each_repo(settings, rules, cursors))
    assert not any(isinstance(o, RepoFailure) for o in [*clean, *faulted, *retried])
    others = latest_records(b for b in faulted if b.repo != broken)
    assert others == latest_records(b for b in clean if b.repo != broken)
    (batch,) = [b for b in faulted if b.repo == broken]
    assert batch.deployment_compares and batch.deployment_commits == []
    assert all(c.status == "unknown" for c in batch.deployment_compares)
    # Every pair is compared again next time, and the change sets equal the org's truth.
    (again,) = [b for b in retried if b.repo == broken]
    assert {c.deployment_id for c in again.deployment_compares} == {
        c.deployment_id for c in batch.deployment_compares
    }
    commits = {(c.repo, c.deployment_id, c.sha) for c in again.deployment_commits}
    truth = {k for k in true_keys(org, org.end).tables["deployment_commits"] if k[0] == broken}
    assert commits == truth
