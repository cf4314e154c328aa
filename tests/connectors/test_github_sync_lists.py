"""Pull request and issue rules of `sync_repo` over an in-memory GitHub (github_fake_api.py):
watermarks, full refresh, dropped PRs in the issue list, and error messages.

Request counts are derived by hand: the fake pages lists by `per_page=2`.
"""

from __future__ import annotations

import pytest
from github_fake_api import PROD, REPO, FakeGithub, by_resource, commit, day

from connectors.github.errors import GitHubSyncError
from connectors.github.records import Cursor
from connectors.github.sync import sync_repo


def pull(number: int, updated: str) -> dict:
    return {
        "number": number,
        "state": "closed",
        "title": f"PR {number}",
        "user": {"login": "dev"},
        "head": {"ref": f"feature/{number}", "sha": f"h{number}"},
        "base": {"ref": "main"},
        "merge_commit_sha": f"m{number}",
        "labels": [],
        "created_at": day(1),
        "updated_at": updated,
        "closed_at": updated,
        "merged_at": updated,
    }


def pull_routes() -> dict:
    routes = {
        f"/repos/{REPO}/deployments": [],
        f"/repos/{REPO}/issues": [],
        # Sorted by updated_at, newest first, as requested.
        f"/repos/{REPO}/pulls": [pull(n, day(n)) for n in (5, 4, 3, 2, 1)],
    }
    for n in range(1, 6):
        routes[f"/repos/{REPO}/pulls/{n}/commits"] = [commit(f"c{n}", day(n, 9))]
        routes[f"/repos/{REPO}/pulls/{n}/reviews"] = []
    return routes


def test_pull_requests_are_read_down_to_the_watermark_boundary_included():
    gh = FakeGithub(pull_routes())
    stale = {
        "pull_requests": _cursor("pull_requests", "2024-03-03T12:00:00+00:00", etag='"old"'),
    }
    batch = sync_repo(gh, REPO, stale, PROD)
    # PR 3 sits on the watermark and is re-read; PR 2 is older and ends the listing.
    assert [p.number for p in batch.pull_requests] == [5, 4, 3]
    assert {c.sha for c in batch.pull_commits} == {"c5", "c4", "c3"}
    pulls_request = next(r for r in gh.requester.log if r.path.endswith("/pulls"))
    assert pulls_request.params == {
        "state": "all",
        "sort": "updated",
        "direction": "desc",
        "per_page": "2",
    }
    # deployments 1 + review comments 1 + issues 1 + PR list pages 1-2 + 3 PRs x (commits,
    # reviews); review comments come from the repository-wide list, not per PR.
    assert batch.requests == 1 + 1 + 1 + 2 + 3 * 2
    assert by_resource(batch)["pull_requests"].cursor == "2024-03-05T12:00:00+00:00"


def test_full_refresh_ignores_cursors():
    routes = pull_routes()
    gh = FakeGithub(routes)
    first = sync_repo(gh, REPO, {}, PROD)
    gh.requester.log.clear()
    again = sync_repo(gh, REPO, by_resource(first), PROD, full_refresh=True)
    assert all(r.if_none_match is None for r in gh.requester.log)
    assert again.not_modified == 0
    assert [p.number for p in again.pull_requests] == [5, 4, 3, 2, 1]


def test_issue_list_drops_pull_requests_and_keeps_their_time_as_watermark():
    issue = {
        "number": 7,
        "title": "Checkout down",
        "body": "after deploy",
        "user": None,
        "state": "open",
        "labels": [{"name": "incident"}],
        "created_at": day(2),
        "updated_at": day(2),
        "closed_at": None,
    }
    pr_item = {**issue, "number": 8, "updated_at": day(3), "pull_request": {"url": "x"}}
    routes = {
        f"/repos/{REPO}/deployments": [],
        f"/repos/{REPO}/pulls": [],
        f"/repos/{REPO}/issues": [pr_item, issue],
    }
    batch = sync_repo(FakeGithub(routes), REPO, {}, PROD)
    assert [(i.number, i.labels) for i in batch.issues] == [(7, ("incident",))]
    assert by_resource(batch)["issues"].cursor == "2024-03-03T12:00:00+00:00"


def test_missing_repository_names_repo_path_status_and_fix():
    with pytest.raises(GitHubSyncError) as caught:
        sync_repo(FakeGithub({}), REPO, {}, PROD, token_env="CANDOR_GH_TOKEN")
    message = str(caught.value)
    assert "acme/payments" in message
    assert "404" in message
    assert f"/repos/{REPO}/deployments" in message
    assert "CANDOR_GH_TOKEN" in message


def test_invalid_production_regex_is_a_config_error():
    with pytest.raises(ValueError, match=r"rules\.production_environment"):
        sync_repo(FakeGithub({}), REPO, {}, "(?i)^prod(")


def _cursor(resource: str, value: str | None, etag: str | None = None) -> Cursor:
    return Cursor(source="github", scope=REPO, resource=resource, cursor=value, etag=etag)
