"""One repository's failure is its own (over real HTTP against the simulator): a repository
whose every answer is a 500, or whose answers are malformed, or whose sync hits a bug, is
reported as a RepoFailure naming it and the reason, and every other repository's batch equals
the batch of a sync without the fault."""

from __future__ import annotations

import pytest
from github_sandbox_truth import latest_records, repo_rules

from connectors.github import normalize
from connectors.github.client import GitHubClientSettings
from connectors.github.errors import GitHubSyncError
from connectors.github.sync import RepoFailure, sync_each_repo, sync_repos
from simulator.generator import generate_org
from simulator.repo_faults import MALFORMED
from simulator.server import SandboxServer


@pytest.fixture(scope="module")
def org():
    return generate_org(seed=5, teams=2, months=2)


@pytest.fixture(scope="module")
def rules(org):
    return repo_rules(org)[:3]  # three repositories keep each sync around half a second


@pytest.fixture(scope="module")
def server(org):
    with SandboxServer(org) as srv:
        yield srv


@pytest.fixture(scope="module")
def clean(server, rules):
    """Every repository's records from a sync without faults."""
    batches = list(sync_each_repo(settings_for(server), rules, {}))
    assert not any(isinstance(b, RepoFailure) for b in batches)
    return {b.repo: latest_records([b]) for b in batches}


@pytest.fixture(autouse=True)
def _no_faults_left(server):
    yield
    server.faults.clear()


def settings_for(srv: SandboxServer) -> GitHubClientSettings:
    return GitHubClientSettings(
        token=srv.token, base_url=srv.base_url, backoff_factor=0.01, retry_total=1
    )


def outcomes(server, rules) -> dict[str, object]:
    return {o.repo: o for o in sync_each_repo(settings_for(server), rules, {}, max_workers=2)}


def assert_others_equal_clean(result, broken, clean) -> None:
    for repo, outcome in result.items():
        if repo != broken:
            assert not isinstance(outcome, RepoFailure), outcome
            assert latest_records([outcome]) == clean[repo], repo


def test_a_repository_answering_500_fails_alone(server, rules, clean):
    broken = rules[1][0]
    server.faults.repos.fail(broken, 500)
    result = outcomes(server, rules)
    failure = result[broken]
    assert isinstance(failure, RepoFailure)
    assert failure.reason.startswith(f"GitHub answered 500 to GET /repos/{broken}/deployments")
    assert "run again later" in failure.reason
    assert_others_equal_clean(result, broken, clean)


@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_a_repository_answering_malformed_json_fails_alone(server, rules, clean, kind):
    broken = rules[0][0]
    # Labels are only on pull requests and issues: point that fault at the pulls list.
    server.faults.repos.malformed(broken, kind, route="pulls" if kind == "string_labels" else None)
    result = outcomes(server, rules)
    failure = result[broken]
    assert isinstance(failure, RepoFailure), kind
    assert failure.reason.startswith(f"GET /repos/{broken}/"), failure.reason
    assert_others_equal_clean(result, broken, clean)


def test_a_bug_in_one_repository_is_reported_as_such_and_stops_no_other(
    server, rules, clean, monkeypatch
):
    broken = rules[2][0]
    real = normalize.issue

    def buggy(repo, raw):
        if repo == broken:
            raise ZeroDivisionError("division by zero")
        return real(repo, raw)

    monkeypatch.setattr(normalize, "issue", buggy)
    result = outcomes(server, rules)
    failure = result[broken]
    assert isinstance(failure, RepoFailure)
    assert failure.reason.startswith("unexpected ZeroDivisionError: division by zero")
    assert "Candor bug" in failure.reason
    assert isinstance(failure.error.__cause__, ZeroDivisionError)
    assert_others_equal_clean(result, broken, clean)


def test_a_repository_name_that_is_not_owner_slash_name_fails_alone(server, rules, clean):
    result = outcomes(server, [*rules, ("not a repo", "(?i)^production$")])
    assert "owner/name" in result["not a repo"].reason
    assert_others_equal_clean(result, "not a repo", clean)


def test_sync_repos_yields_the_others_then_raises_for_the_failed_one(server, rules):
    broken = rules[0][0]
    server.faults.repos.fail(broken, 503)
    done = []
    with pytest.raises(GitHubSyncError, match=broken) as caught:
        for batch in sync_repos(settings_for(server), rules, {}):
            done.append(batch.repo)
    assert sorted(done) == sorted(r for r, _ in rules[1:])
    assert caught.value.repo == broken
