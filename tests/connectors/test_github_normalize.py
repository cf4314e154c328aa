"""Normalizer unit tests: fixture JSON (tests/fixtures/github/) to records, no HTTP.

Expected values are read off the fixture text by hand; offsets are converted in the comments.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from connectors.github import normalize

FIXTURES = Path(__file__).parent.parent / "fixtures" / "github"
REPO = "candor-test/payments-api"


def load(name: str):
    return json.loads((FIXTURES / name).read_text())


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_parse_time_converts_offsets_to_utc():
    assert normalize.parse_time("2024-03-05T09:58:00Z") == utc(2024, 3, 5, 9, 58)
    # 00:33:23 at UTC-7 is 07:33:23 UTC.
    parsed = normalize.parse_time("2012-05-27T00:33:23-07:00")
    assert parsed == utc(2012, 5, 27, 7, 33, 23)
    assert parsed.utcoffset() == timedelta(0)
    assert normalize.parse_time(None) is None


def test_parse_time_refuses_a_timestamp_without_offset():
    with pytest.raises(ValueError, match="no UTC offset"):
        normalize.parse_time("2024-03-05T09:58:00")


def test_deployments_keep_environment_sha_and_creator():
    newest, older = (normalize.deployment(REPO, raw) for raw in load("deployments.json"))
    assert (newest.deployment_id, newest.environment, newest.ref) == (9002, "Production", "main")
    assert newest.sha == "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"
    assert newest.creator_login == "deploy-bot"
    assert newest.created_at == utc(2024, 3, 5, 9, 58)
    assert newest.payload["production_environment"] is True
    # A rollback deploys a sha as ref; its creator is null; 17:30:12+01:00 is 16:30:12 UTC.
    assert older.ref == older.sha
    assert older.creator_login is None
    assert older.created_at == utc(2024, 3, 4, 16, 30, 12)


def test_deployment_statuses_include_inactive_and_give_the_first_success():
    statuses = [
        normalize.deployment_status(REPO, 9002, raw) for raw in load("deployment_statuses.json")
    ]
    assert [(s.node_id, s.status_id, s.state) for s in statuses] == [
        ("DES_kwDOtest77004", 77004, "inactive"),
        ("DES_kwDOtest77003", 77003, "success"),
        ("DES_kwDOtest77002", 77002, "in_progress"),
    ]
    assert all(s.deployment_id == 9002 for s in statuses)
    # in_progress at 11:59:30+02:00 = 09:59:30 UTC, before the success at 10:07:45 UTC.
    assert statuses[2].created_at == utc(2024, 3, 5, 9, 59, 30)
    first_success = min(s.created_at for s in statuses if s.state == "success")
    assert first_success == utc(2024, 3, 5, 10, 7, 45)


def test_squash_merged_pull_request():
    pr = normalize.pull_request(REPO, load("pull_squash_merged.json"))
    commits = [normalize.pull_commit(REPO, 42, raw) for raw in load("pull_commits.json")]
    assert pr.number == 42
    assert pr.state == "closed"
    assert pr.author_login == "alice-p"
    assert pr.labels == ("hotfix", "payments")
    assert (pr.head_ref, pr.base_ref) == ("hotfix/capture-timeouts", "main")
    assert pr.head_sha == "c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3"
    assert pr.merged_at == utc(2024, 3, 5, 9, 30)
    assert pr.updated_at == utc(2024, 3, 5, 12, 1, 9)
    # Squash merge: the shipped commit is not one of the PR's own commits.
    assert pr.merge_commit_sha == "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"
    assert pr.merge_commit_sha not in {c.sha for c in commits}
    # the description is stored in its own column (migration 010), as the fixture writes it
    assert pr.body == "Fixes #40"


def test_pull_commits_earliest_authored_time_survives_offsets():
    commits = [normalize.pull_commit(REPO, 42, raw) for raw in load("pull_commits.json")]
    by_sha = {c.sha[:2]: c for c in commits}
    # 23:10:05-07:00 on Mar 4 is 06:10:05 UTC on Mar 5; 14:15+05:30 is 08:45 UTC.
    assert by_sha["a1"].authored_at == utc(2024, 3, 5, 6, 10, 5)
    assert by_sha["c3"].authored_at == utc(2024, 3, 5, 8, 45)
    earliest = min(c.authored_at for c in commits)
    assert earliest == by_sha["a1"].authored_at
    # Lead time to merge: 09:30:00 - 06:10:05 = 3 h 19 min 55 s.
    assert utc(2024, 3, 5, 9, 30) - earliest == timedelta(hours=3, minutes=19, seconds=55)
    assert by_sha["a1"].committed_at == utc(2024, 3, 5, 6, 20)
    assert by_sha["a1"].message == "Add capture retry with backoff"
    # A commit whose e-mail is linked to no account has a null author: no login.
    assert by_sha["c3"].author_login is None
    assert by_sha["b2"].author_login == "alice-p"


def test_reviews_with_null_user_and_pending_review():
    reviews = [normalize.pull_review(REPO, 42, raw) for raw in load("pull_reviews.json")]
    assert [(r.review_id, r.reviewer_login, r.state) for r in reviews] == [
        (550001, "bob-k", "COMMENTED"),
        (550002, None, "APPROVED"),
        (550003, "carol-m", "PENDING"),
    ]
    assert reviews[0].submitted_at == utc(2024, 3, 5, 8, 5)
    assert reviews[2].submitted_at is None


def test_review_comment():
    (comment,) = [normalize.review_comment(REPO, 42, raw) for raw in load("review_comments.json")]
    assert (comment.comment_id, comment.pr_number, comment.author_login) == (660001, 42, "bob-k")
    # 09:04:59+01:00 is 08:04:59 UTC.
    assert comment.created_at == utc(2024, 3, 5, 8, 4, 59)
    assert comment.body == "Should this log the gateway request id?"


def test_issue_list_drops_pull_requests():
    raw_items = load("issues_with_pull.json")
    assert [normalize.is_pull_request(raw) for raw in raw_items] == [False, True, False]
    issues = [normalize.issue(REPO, raw) for raw in raw_items]
    assert issues[1] is None
    incident, older = issues[0], issues[2]
    assert incident.number == 43
    assert incident.labels == ("incident", "sev2")
    assert incident.author_login is None
    assert incident.closed_at == utc(2024, 3, 5, 13, 15)
    assert incident.body == "Started after 0a1b2c3 reached production."
    assert older.state == "open"
    assert older.closed_at is None
    assert older.body is None
    assert older.labels == ()
    # 16:00-05:00 on Feb 28 is 21:00 UTC.
    assert older.created_at == utc(2024, 2, 28, 21)


def test_deployment_commits_from_compare():
    body = load("compare_ahead.json")
    base = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0"
    commits = [normalize.deployment_commit(REPO, 9002, base, raw) for raw in body["commits"]]
    assert [c.sha[:4] for c in commits] == ["d4d4", "0a1b"]
    assert all(c.base_sha == base and c.deployment_id == 9002 for c in commits)
    # 05:00+09:00 on Mar 5 is 20:00 UTC on Mar 4.
    assert commits[0].authored_at == utc(2024, 3, 4, 20)
    assert commits[1].author_login == "alice-p"
    assert commits[1].message == "Retry card captures on gateway timeouts (#42)"
