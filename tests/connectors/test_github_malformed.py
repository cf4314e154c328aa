"""Malformed GitHub answers fail only their repository, with a message naming the repository,
the endpoint, the record and the field (over the in-memory GitHub of github_fake_api.py)."""

from __future__ import annotations

import json

import pytest
from github_fake_api import PROD, REPO, Answer, FakeGithub, day

from connectors.github import normalize
from connectors.github.errors import GitHubDataError
from connectors.github.shape import MalformedObject
from connectors.github.sync import sync_repo


def issue(number: int, **fields) -> dict:
    return {
        "id": 5000 + number,
        "number": number,
        "state": "open",
        "title": f"Issue {number}",
        "user": {"login": "dev"},
        "labels": [{"name": "incident"}],
        "created_at": day(1),
        "updated_at": day(2),
        **fields,
    }


def routes(**overrides) -> dict:
    base = {
        f"/repos/{REPO}/deployments": [],
        f"/repos/{REPO}/pulls": [],
        f"/repos/{REPO}/issues": [issue(1)],
    }
    return {**base, **{f"/repos/{REPO}/{path}": value for path, value in overrides.items()}}


def failure(**overrides) -> str:
    """`repo: reason` of the sync of REPO over `routes(**overrides)`."""
    with pytest.raises(GitHubDataError) as caught:
        sync_repo(FakeGithub(routes(**overrides)), REPO, {}, PROD)
    assert caught.value.repo == REPO
    return f"{caught.value.repo}: {caught.value.reason}"


def test_labels_as_a_string_name_repo_endpoint_record_and_field():
    message = failure(issues=[issue(1), issue(2, id=123, labels="bug")])
    assert message.startswith(
        f"{REPO}: GET /repos/{REPO}/issues: issue id 123: field 'labels' is a string, "
        "expected a list. "
    )
    assert "nothing of the failed chunk was written" in message  # what a re-run resumes from


def test_labels_as_strings_in_a_list_name_the_item():
    message = failure(issues=[issue(3, labels=["bug"])])
    assert "issue id 5003: field 'labels' item 0 is a string, expected a label object" in message


def test_an_object_where_a_list_is_expected():
    moved = {"message": "Moved Permanently", "url": "https://x"}
    message = failure(deployments=Answer(json.dumps(moved)))
    assert (
        f"GET /repos/{REPO}/deployments: the answer is an object with the message "
        "'Moved Permanently', expected a list"
    ) in message


def test_a_missing_id():
    deployment = {"environment": "production", "sha": "s1", "created_at": day(1)}
    message = failure(deployments=[deployment])
    assert f"GET /repos/{REPO}/deployments: deployment: field 'id' is missing" in message


def test_an_id_beyond_bigint_names_the_field_and_the_column():
    deployment = {"id": 2**63, "environment": "production", "sha": "s1", "created_at": day(1)}
    message = failure(deployments=[deployment])
    assert f"deployment id {2**63}: field 'id' is {2**63}, beyond the largest value" in message
    assert "BIGINT" in message


def test_an_issue_number_beyond_integer_is_refused():
    message = failure(issues=[issue(2**31)])
    assert f"field 'number' is {2**31}" in message and "INTEGER" in message


def test_an_html_page_with_status_200():
    page = Answer("<!DOCTYPE html><html><body>Sign in</body></html>", 200)
    message = failure(pulls=page)
    assert f"{REPO}: GET /repos/{REPO}/pulls: answered 200 with an HTML page" in message


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ('[{"id": 1,', "not JSON"),
        ("[NaN]", "NaN"),
        ("", "empty body"),
        ('["\\ud800"]', "surrogate"),
        ("[" + "9" * 5000 + "]", "not JSON"),
    ],
)
def test_bodies_that_are_not_json_the_warehouse_can_hold(body, fragment):
    message = failure(issues=Answer(body))
    assert f"GET /repos/{REPO}/issues: " in message and fragment in message


def test_a_timestamp_that_is_not_iso_8601():
    message = failure(issues=[issue(4, updated_at="yesterday")])
    assert "issue id 5004: field 'updated_at' is 'yesterday', not an ISO 8601 timestamp" in message


def test_a_nested_field_is_named_by_its_path():
    pull = {
        "number": 7, "state": "closed", "created_at": day(1), "updated_at": day(2),
        "head": {"ref": "x", "sha": "h"}, "base": {"ref": "main"}, "labels": [],
    }
    bad_commit = {"sha": "c1", "commit": {"author": {"date": 17}}}
    message = failure(pulls=[pull], **{"pulls/7/commits": [bad_commit], "pulls/7/reviews": []})
    assert (
        f"GET /repos/{REPO}/pulls/7/commits: commit c1: field 'commit.author.date' is a number"
    ) in message


def test_normalizers_raise_only_malformed_object():
    with pytest.raises(MalformedObject, match="issue id 9: field 'labels' is a string"):
        normalize.issue(REPO, issue(1, id=9, labels="bug"))
    with pytest.raises(MalformedObject, match="deployment is a list, expected an object"):
        normalize.deployment(REPO, [])
    with pytest.raises(MalformedObject, match="field 'id' is a boolean"):
        normalize.pull_review(REPO, 1, {"id": True})
