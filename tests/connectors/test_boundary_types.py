"""Ids, numbers and timestamps are checked at the API boundary, never rounded or coerced.

Each case is an answer GitHub's documented types rule out: a pull request number 1.5 (which
DuckDB's INTEGER column would round to 2, overwriting PR #2), a deployment id sent as a string
(which would end up in the deployments cursor), a timestamp without a UTC offset. Each must fail
only its own repository's sync, with a message naming the repository, the endpoint, the record's
id and the field; the other repository's batch is complete; no cursor is written from such a
value, and a stored cursor holding one is refused with the fix. The expected messages are
written from the rule (the field's name, the value as sent), not copied from a run.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from github_fake_api import PROD, FakeGithub, by_resource, day

from connectors.github import sync
from connectors.github.client import GitHubClientSettings
from connectors.github.cursor_values import UncheckedCursorValue
from connectors.github.deployment_cursor import DeploymentCursor
from connectors.github.errors import GitHubDataError
from connectors.github.records import PullRequest, RecordValueError
from connectors.github.sync import RepoFailure, sync_each_repo, sync_repo
from connectors.github.tables import GITHUB_TABLES
from warehouse.connection import connect
from warehouse.loading import write_batch
from warehouse.sync_state import read_cursors

BAD, GOOD = "acme/payments", "acme/web"


def pull(number, title: str = "a change") -> dict:
    return {
        "number": number, "state": "open", "title": title, "created_at": day(1),
        "updated_at": day(2), "head": {"ref": "x", "sha": "h"}, "base": {"ref": "main"},
        "labels": [],
    }


def deployment(deployment_id, **fields) -> dict:
    return {"id": deployment_id, "environment": "production", "sha": "s1", "created_at": day(1),
            **fields}


def repo_routes(repo: str, **overrides) -> dict:
    """An empty repository, with `overrides` (path under /repos/{repo}/ -> answer)."""
    base = {"deployments": [], "pulls": [], "issues": []}
    return {f"/repos/{repo}/{path}": answer for path, answer in {**base, **overrides}.items()}


def with_pull_lists(repo: str, *numbers: int) -> dict:
    return {f"pulls/{n}/{kind}": [] for n in numbers for kind in ("commits", "reviews")}


def failure_of(routes: dict, repo: str = BAD, cursors: dict | None = None) -> str:
    with pytest.raises(GitHubDataError) as caught:
        sync_repo(FakeGithub(routes), repo, cursors or {}, PROD)
    return str(caught.value)


class ClosableFake(FakeGithub):
    def close(self) -> None:
        pass


def each_repo(monkeypatch, routes: dict, cursors: dict | None = None) -> dict:
    """sync_each_repo over BAD and GOOD, served from `routes` in memory."""
    FakeGithub(routes)  # adds the review-comment lists the fake serves beside each PR list
    monkeypatch.setattr(sync, "make_github", lambda settings: ClosableFake(routes))
    settings = GitHubClientSettings(token="test-token", base_url="https://fake.example/api/v3")
    repos = [(BAD, PROD), (GOOD, PROD)]
    return {o.repo: o for o in sync_each_repo(settings, repos, cursors or {}, max_workers=1)}


# ---------------------------------------------------------------- PR number 1.5


def test_a_fractional_pr_number_fails_its_repository_naming_it(monkeypatch):
    routes = {
        **repo_routes(BAD, pulls=[pull(2), pull(1.5)], **with_pull_lists(BAD, 2)),
        **repo_routes(GOOD, pulls=[pull(2), pull(3)], **with_pull_lists(GOOD, 2, 3)),
    }
    outcomes = each_repo(monkeypatch, routes)
    failed = outcomes[BAD]
    assert isinstance(failed, RepoFailure)
    assert failed.reason.startswith(
        f"GET /repos/{BAD}/pulls: pull request number 1.5: field 'number' is the number 1.5, "
        "expected an integer. "
    )
    assert "Candor bug" not in failed.reason
    # the other repository is untouched by it: both its PRs are in its batch
    assert sorted(pr.number for pr in outcomes[GOOD].pull_requests) == [2, 3]


def test_pr_2_keeps_its_row_when_a_later_answer_holds_1_5(tmp_path, monkeypatch):
    con = connect(tmp_path / "w.duckdb")
    first = repo_routes(BAD, pulls=[pull(2, "the real #2")], **with_pull_lists(BAD, 2))
    write_batch(con, GITHUB_TABLES, sync_repo(FakeGithub(first), BAD, {}, PROD))
    cursors = read_cursors(con, "github")  # what the next run starts from
    again = repo_routes(BAD, pulls=[pull(1.5, "not #2")], **with_pull_lists(BAD, 2))
    outcome = each_repo(monkeypatch, {**again, **repo_routes(GOOD)}, cursors)[BAD]
    assert isinstance(outcome, RepoFailure)
    assert con.execute(
        "select number, title from raw.github_pull_requests where repo = ?", [BAD]
    ).fetchall() == [(2, "the real #2")]
    con.close()


def test_a_record_refuses_a_float_where_an_int_belongs():
    now = datetime(2024, 3, 1, tzinfo=UTC)
    with pytest.raises(RecordValueError, match=r"PullRequest of acme/payments: field 'number' "
                                               r"is 1\.5, expected an integer"):
        PullRequest(repo=BAD, number=1.5, title=None, author_login=None, state="open",
                    head_ref=None, base_ref=None, head_sha=None, merge_commit_sha=None,
                    labels=(), created_at=now, updated_at=now, closed_at=None, merged_at=None)


# ---------------------------------------------------------------- string deployment id


def test_a_string_deployment_id_fails_the_sync_and_never_reaches_the_cursor():
    one = repo_routes(BAD, deployments=[deployment(7)], **{"deployments/7/statuses": []})
    stored = by_resource(sync_repo(FakeGithub(one), BAD, {}, PROD))["deployments"]
    assert json.loads(stored.cursor)["max_id"] == 7

    # the next answer holds "8": the sync fails naming it, so the stored cursor stays at 7
    two = repo_routes(BAD, deployments=[deployment("8"), deployment(7)],
                      **{"deployments/7/statuses": []})
    message = failure_of(two, cursors={"deployments": stored})
    assert message.startswith(
        f"GitHub sync of {BAD} failed: GET /repos/{BAD}/deployments: deployment id '8': "
        "field 'id' is the string '8', expected an integer. "
    )
    # ...and the run after it, with GitHub's answer right again, is incremental from 7
    three = repo_routes(BAD, deployments=[deployment(8), deployment(7)],
                        **{"deployments/8/statuses": [], "deployments/7/statuses": []})
    batch = sync_repo(FakeGithub(three), BAD, {"deployments": stored}, PROD)
    assert [d.deployment_id for d in batch.deployments] == [8]
    assert json.loads(by_resource(batch)["deployments"].cursor)["max_id"] == 8


def test_a_cursor_is_never_written_from_an_unchecked_id():
    with pytest.raises(UncheckedCursorValue, match="max_id is the string '8', expected a GitHub"):
        DeploymentCursor(max_id="8").to_json()


def test_a_stored_cursor_with_a_string_id_is_refused_with_the_fix(monkeypatch):
    poisoned = json.dumps({"max_id": "7", "pending": [], "last_success": {}})
    stored = by_resource(sync_repo(FakeGithub(repo_routes(BAD)), BAD, {}, PROD))["deployments"]
    cursors = {(BAD, "deployments"): type(stored)(stored.source, BAD, "deployments", poisoned,
                                                  None)}
    outcomes = each_repo(monkeypatch, {**repo_routes(BAD), **repo_routes(GOOD)}, cursors)
    assert outcomes[BAD].reason == (
        "The stored GitHub deployments cursor (meta.sync_state) is unreadable: max_id is the "
        "string '7', expected a GitHub id; run once with --full-refresh to rebuild it."
    )
    assert not isinstance(outcomes[GOOD], RepoFailure)
    # --full-refresh ignores the stored cursor, as the message says
    refreshed = sync_repo(FakeGithub(repo_routes(BAD)), BAD,
                          {"deployments": cursors[BAD, "deployments"]}, PROD, full_refresh=True)
    assert json.loads(by_resource(refreshed)["deployments"].cursor)["max_id"] is None


# ---------------------------------------------------------------- timestamps


@pytest.mark.parametrize(
    ("sent", "problem"),
    [
        ("2024-03-01T12:00:00", "is '2024-03-01T12:00:00', a time without a UTC offset"),
        ("2024-13-01T12:00:00Z", "is '2024-13-01T12:00:00Z', not an ISO 8601 timestamp"),
        (1709294400, "is a number, expected an ISO 8601 timestamp"),
    ],
)
def test_a_bad_status_timestamp_names_the_endpoint_the_status_and_the_field(sent, problem):
    statuses = [{"id": 31, "node_id": "DES_31", "state": "success", "created_at": sent}]
    routes = repo_routes(BAD, deployments=[deployment(7)], **{"deployments/7/statuses": statuses})
    message = failure_of(routes)
    assert message.startswith(
        f"GitHub sync of {BAD} failed: GET /repos/{BAD}/deployments/7/statuses: "
        f"deployment status id 31: field 'created_at' {problem}. "
    )


def test_a_stored_watermark_that_is_not_a_time_is_refused_with_the_fix(monkeypatch):
    stored = by_resource(sync_repo(FakeGithub(repo_routes(BAD)), BAD, {}, PROD))["issues"]
    cursors = {(BAD, "issues"): type(stored)(stored.source, BAD, "issues", "yesterday", None)}
    outcomes = each_repo(monkeypatch, {**repo_routes(BAD), **repo_routes(GOOD)}, cursors)
    assert outcomes[BAD].reason == (
        "The stored GitHub updated_at watermark cursor (meta.sync_state) is unreadable: the "
        "watermark is the string 'yesterday', expected an ISO 8601 time with a UTC offset; run "
        "once with --full-refresh to rebuild it."
    )
    assert not isinstance(outcomes[GOOD], RepoFailure)
