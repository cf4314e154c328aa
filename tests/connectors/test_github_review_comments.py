"""Review comments from the repository-wide list (connectors/github/review_comments.py).

Over real HTTP against the simulated organization: a clean sync stores exactly the rows the
previous per-PR path (`GET /pulls/{n}/comments` for every PR, normalized with the PR's number)
stores, payloads included; an incremental sync after new activity ends where a clean sync at
the later clock ends; a run with nothing new reads the list's first page, answered 304. Over
the in-memory fake: the watermark rule and the PR number read from `pull_request_url`.
"""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from github_fake_api import PROD, REPO, FakeGithub, by_resource, day
from github_sandbox_truth import repo_rules

from connectors.github import normalize
from connectors.github.client import GitHubClientSettings, make_github
from connectors.github.errors import GitHubDataError
from connectors.github.paging import RequestCounter, fetch_list
from connectors.github.records import Cursor, RepoBatch
from connectors.github.sync import sync_repo, sync_repos
from connectors.github.tables import GITHUB_TABLES
from simulator.generator import generate_org
from simulator.server import SandboxServer
from warehouse.connection import connect
from warehouse.loading import write_batch

ROWS = "select * from raw.github_review_comments order by repo, comment_id"


@pytest.fixture(scope="module")
def org():
    # 2 teams, 2 months: 5 repos, about 110 PRs with a few hundred review comments.
    return generate_org(seed=5, teams=2, months=2)


def per_pr_path(server: SandboxServer, org) -> list[RepoBatch]:
    """The review comments as the connector read them before: one list per PR, every PR."""
    gh = make_github(GitHubClientSettings(token=server.token, base_url=server.base_url))
    counter = RequestCounter()
    batches = []
    try:
        for name, repo in sorted(org.repos.items()):
            batch = RepoBatch(repo=name)
            for pr in repo.pulls:
                if pr.created_at > server.clock:
                    continue
                listed = fetch_list(gh.requester, f"/repos/{name}/pulls/{pr.number}/comments",
                                    counter, params={"per_page": 100})
                batch.review_comments.extend(
                    normalize.review_comment(name, pr.number, raw) for raw in listed.items
                )
            batches.append(batch)
    finally:
        gh.close()
    return batches


def store(path, batches) -> list[tuple]:
    con = connect(path)
    try:
        for batch in batches:
            write_batch(con, GITHUB_TABLES, batch)
        return con.execute(ROWS).fetchall()
    finally:
        con.close()


def sync(server: SandboxServer, org, cursors=None) -> list[RepoBatch]:
    settings = GitHubClientSettings(token=server.token, base_url=server.base_url)
    return list(sync_repos(settings, repo_rules(org), cursors or {}))


def true_comment_count(org, clock) -> dict[str, int]:
    return {name: sum(1 for pr in repo.pulls if pr.created_at <= clock
                      for c in pr.comments if c.created_at <= clock)
            for name, repo in sorted(org.repos.items())}


def test_a_clean_sync_stores_exactly_the_rows_of_the_per_pr_path(org, tmp_path):
    with SandboxServer(org) as server:
        batches = sync(server, org)
        route_requests = server.stats.by_route["review_comments"]
        server.stats.reset()
        old_rows = store(tmp_path / "per_pr.duckdb", per_pr_path(server, org))
        old_requests = server.stats.by_route["pull_comments"]
    new_rows = store(tmp_path / "repo_list.duckdb", batches)

    counts = true_comment_count(org, org.end)
    assert sum(counts.values()) > 100
    assert len(new_rows) == sum(counts.values())
    assert new_rows == old_rows  # every column, the payload's JSON text included
    # One request per page of 100 comments per repository (an empty list is one page), against
    # one per pull request before.
    assert route_requests == sum(max(1, math.ceil(n / 100)) for n in counts.values())
    assert old_requests == sum(len(r.pulls) for r in org.repos.values())
    assert route_requests < old_requests / 10


def test_an_incremental_sync_ends_where_a_clean_sync_ends(org, tmp_path):
    later = org.end
    earlier = later - timedelta(days=20)
    with SandboxServer(org) as server:
        server.set_clock(earlier)
        first = sync(server, org)
        assert sum(len(b.review_comments) for b in first) == sum(
            true_comment_count(org, earlier).values())
        server.set_clock(later)
        cursors = {(c.scope, c.resource): c for b in first for c in b.cursors}
        second = sync(server, org, cursors)
        clean = sync(server, org)
        server.stats.reset()
        cursors = {(c.scope, c.resource): c for b in second for c in b.cursors}
        third = sync(server, org, cursors)
        unchanged = server.stats.snapshot()

    # The second run reads only comments at or after the watermark, not the whole history.
    assert 0 < sum(len(b.review_comments) for b in second) < sum(
        len(b.review_comments) for b in clean)
    assert store(tmp_path / "incremental.duckdb", [*first, *second]) == store(
        tmp_path / "clean.duckdb", clean)
    # Nothing new: one first page per repository, answered 304, so nothing is read (a 200 would
    # have re-read the comments on the watermark boundary).
    assert unchanged["by_route"]["review_comments"] == len(org.repos)
    assert sum(len(b.review_comments) for b in third) == 0


def comment(comment_id: int, updated: str, pr_url: str | None = None, number: int = 3) -> dict:
    return {
        "id": comment_id,
        "user": {"login": "reviewer"},
        "created_at": updated,
        "updated_at": updated,
        "body": "why?",
        "pull_request_url": (f"https://fake.example/api/v3/repos/{REPO}/pulls/{number}"
                             if pr_url is None else pr_url),
    }


def comment_routes(comments: list[dict]) -> dict:
    return {
        f"/repos/{REPO}/deployments": [],
        f"/repos/{REPO}/pulls": [],
        f"/repos/{REPO}/issues": [],
        f"/repos/{REPO}/pulls/comments": comments,
    }


def test_comments_are_read_newest_first_down_to_the_watermark_boundary_included():
    # Sorted by updated_at, newest first, as requested; the fake pages them 2 at a time.
    listed = [comment(15, day(5), number=9), comment(14, day(4), number=8),
              comment(13, day(3), number=8), comment(12, day(2)), comment(11, day(1))]
    gh = FakeGithub(comment_routes(listed))
    stale = {"review_comments": Cursor("github", REPO, "review_comments",
                                       "2024-03-03T12:00:00+00:00", '"old"')}
    batch = sync_repo(gh, REPO, stale, PROD)

    # 13 sits on the watermark and is read again; 12 is older and ends the listing (page 2).
    assert [(c.comment_id, c.pr_number) for c in batch.review_comments] == [
        (15, 9), (14, 8), (13, 8)]
    requests = [r for r in gh.requester.log if r.path.endswith("/pulls/comments")]
    assert [r.params.get("page", "1") for r in requests] == ["1", "2"]
    assert requests[0].params == {"sort": "updated", "direction": "desc", "per_page": "2"}
    assert requests[0].if_none_match == '"old"'
    assert by_resource(batch)["review_comments"].cursor == "2024-03-05T12:00:00+00:00"


@pytest.mark.parametrize("url", [
    "https://fake.example/api/v3/repos/acme/payments/issues/3",
    "https://fake.example/api/v3/repos/acme/payments/pulls/three",
    "https://fake.example/api/v3/repos/acme/payments/pulls/0",
    "",
])
def test_a_comment_without_a_pull_request_url_is_named(url):
    gh = FakeGithub(comment_routes([comment(77, day(1), pr_url=url)]))
    with pytest.raises(GitHubDataError) as caught:
        sync_repo(gh, REPO, {}, PROD)
    assert (f"GET /repos/{REPO}/pulls/comments: review comment id 77: field "
            f"'pull_request_url' is {url!r}, expected a URL ending in /pulls/{{number}}"
            ) in caught.value.reason
