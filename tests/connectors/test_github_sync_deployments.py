"""Deployment rules of `sync_repo` over an in-memory GitHub (github_fake_api.py): statuses,
pending re-polls and production change sets.

Every expected count below is derived by hand from the canned data: the fake pages lists by
`per_page=2`, so a list of n items costs ceil(n / 2) requests (an empty list still costs one).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from github_deployment_chain import compare, deployment, deployment_routes, statuses
from github_fake_api import PROD, REPO, FakeGithub, by_resource, day, etag_of

from connectors.github.deployment_cursor import DeploymentCursor
from connectors.github.sync import sync_repo


def test_change_sets_of_a_production_chain():
    routes = deployment_routes()
    gh = FakeGithub(routes)
    batch = sync_repo(gh, REPO, {}, PROD)

    assert sorted(d.deployment_id for d in batch.deployments) == list(range(101, 108))
    # 2 + 1 + 1 + 2 + 1 + 1 + 1 statuses.
    assert len(batch.deployment_statuses) == 9
    # 101 is the baseline; 103 failed; 105 redeploys s3 (empty, no compare request); 106 rolls
    # back to s1 (compare says behind); 102 is staging; 107 has not finished. Only 104 has a
    # change set: s1...s3 = s2, s3.
    assert {(c.deployment_id, c.base_sha, c.sha) for c in batch.deployment_commits} == {
        (104, "s1", "s2"),
        (104, "s1", "s3"),
    }
    compares = [p for p in gh.requester.paths() if "/compare/" in p]
    assert compares == [f"/repos/{REPO}/compare/s1...s3", f"/repos/{REPO}/compare/s3...s1"]
    # 7 deployments: 4 list pages; 7 status lists; 2 compares; empty review-comment, PR and
    # issue lists: 1 each.
    assert batch.requests == 4 + 7 + 2 + 1 + 1 + 1
    assert batch.not_modified == 0

    cursor = json.loads(by_resource(batch)["deployments"].cursor)
    assert cursor["max_id"] == 107
    # with the ETag of 107's statuses list, which the next run's re-poll sends
    statuses_etag = etag_of(routes[f"/repos/{REPO}/deployments/107/statuses"])
    assert cursor["pending"] == [
        {"id": 107, "environment": "production", "sha": "s4", "etag": statuses_etag}
    ]
    # "Production" and "production" are one GitHub environment; 106 succeeded last (day 5).
    assert cursor["last_success"] == {
        "production": {"id": 106, "sha": "s1", "at": "2024-03-05T13:00:00+00:00"}
    }


def test_second_run_reads_first_pages_and_repolls_pending_deployments():
    routes = deployment_routes()
    gh = FakeGithub(routes)
    first = sync_repo(gh, REPO, {}, PROD)

    gh.requester.log.clear()
    second = sync_repo(gh, REPO, by_resource(first), PROD)
    # Deployments, review comments, PRs and issues first pages answer 304; 107 (in progress) is
    # re-polled with the ETag of its last read, and its unchanged list answers 304 too.
    assert second.requests == 4 + 1
    assert second.not_modified == 4 + 1
    assert [r.status for r in gh.requester.log] == [304, 304, 304, 304, 304]
    assert gh.requester.log[1].path == f"/repos/{REPO}/deployments/107/statuses"
    assert gh.requester.log[1].if_none_match == etag_of(
        routes[f"/repos/{REPO}/deployments/107/statuses"])
    assert (second.deployments, second.deployment_commits, second.deployment_statuses) == (
        [], [], [])
    assert json.loads(by_resource(second)["deployments"].cursor)["pending"][0]["id"] == 107

    # 107 finishes later: the deployment list is unchanged (304), the re-poll sees the success
    # and its change set is compare(s1 of 106, the last success ... s4).
    routes[f"/repos/{REPO}/deployments/107/statuses"] = statuses(
        107, ("in_progress", day(6, 13)), ("success", day(6, 14))
    )
    third = sync_repo(gh, REPO, by_resource(second), PROD)
    # 4 first pages (304), the re-poll and the compare.
    assert third.requests == 4 + 1 + 1
    assert {(c.deployment_id, c.base_sha, c.sha) for c in third.deployment_commits} == {
        (107, "s1", "s3b"),
        (107, "s1", "s4"),
    }
    cursor = json.loads(by_resource(third)["deployments"].cursor)
    assert cursor["pending"] == []
    assert cursor["last_success"]["production"]["id"] == 107


def test_change_sets_follow_first_success_time_not_deployment_id():
    d = f"/repos/{REPO}/deployments"
    routes = {
        d: [
            deployment(203, "production", "s3", day(3)),
            deployment(202, "production", "s2", day(2)),
            deployment(201, "production", "s1", day(1)),
        ],
        f"{d}/201/statuses": statuses(201, ("success", day(1, 13))),
        # 202 was created before 203 but finished after it.
        f"{d}/202/statuses": statuses(202, ("in_progress", day(2, 13)), ("success", day(4))),
        f"{d}/203/statuses": statuses(203, ("success", day(3, 13))),
        f"/repos/{REPO}/compare/s1...s3": compare("ahead", "s2", "s3"),
        f"/repos/{REPO}/compare/s3...s2": compare("behind", behind_by=1),
        f"/repos/{REPO}/pulls": [],
        f"/repos/{REPO}/issues": [],
    }
    gh = FakeGithub(routes)
    batch = sync_repo(gh, REPO, {}, PROD)
    compares = [p.split("/compare/")[1] for p in gh.requester.paths() if "/compare/" in p]
    assert compares == ["s1...s3", "s3...s2"]
    assert {(c.deployment_id, c.sha) for c in batch.deployment_commits} == {
        (203, "s2"),
        (203, "s3"),
    }


def test_deployment_cursor_round_trips_and_refuses_garbage():
    text = (
        '{"max_id": 7, "pending": [{"id": 6, "environment": "prod-eu", "sha": "ab"}], '
        '"last_success": {"prod-eu": {"id": 5, "sha": "cd", "at": "2024-03-01T10:00:00+00:00"}}}'
    )
    cursor = DeploymentCursor.from_json(text)
    assert cursor.max_id == 7
    assert cursor.pending[6].environment == "prod-eu"
    assert cursor.last_success["prod-eu"].at == datetime(2024, 3, 1, 10, tzinfo=UTC)
    assert json.loads(cursor.to_json()) == json.loads(text)
    assert DeploymentCursor.from_json(None) == DeploymentCursor()
    with pytest.raises(ValueError, match="--full-refresh"):
        DeploymentCursor.from_json('{"max_id": 7, "pending": [{"id": 6}]}')


def test_unchained_successes_round_trip_and_an_empty_list_is_left_out():
    text = (
        '{"max_id": 9, "pending": [], "last_success": {}, '
        '"unchained": [{"id": 8, "environment": "production", "sha": "ef", '
        '"at": "2024-03-02T08:30:00+00:00"}]}'
    )
    cursor = DeploymentCursor.from_json(text)
    assert cursor.unchained[8].at == datetime(2024, 3, 2, 8, 30, tzinfo=UTC)
    assert json.loads(cursor.to_json()) == json.loads(text)
    cursor.unchained = {}
    assert "unchained" not in json.loads(cursor.to_json())  # older cursors read and write alike
    with pytest.raises(ValueError, match=r"unchained\[0\]\.at"):
        DeploymentCursor.from_json(text.replace("2024-03-02T08:30:00+00:00", "yesterday"))
