"""Paging is bounded: a Link header that loops, never ends or leaves the API host fails the
repository with a message naming repo, endpoint and why, after a bounded number of requests."""

from __future__ import annotations

import json
import time

import pytest
from github_fake_api import BASE, PROD, REPO, Answer, FakeGithub, day
from github_sandbox_truth import latest_records, repo_rules

from connectors.github import settings
from connectors.github.client import GitHubClientSettings
from connectors.github.errors import GitHubDataError
from connectors.github.sync import RepoFailure, sync_each_repo, sync_repo
from simulator.generator import generate_org
from simulator.server import SandboxServer

ISSUES = f"/repos/{REPO}/issues"


def issue(number: int) -> dict:
    return {
        "id": number, "number": number, "state": "open", "labels": [],
        "created_at": day(1), "updated_at": day(2),
    }


def pages(link_of_page) -> object:
    """An issues route whose page N links where `link_of_page(N)` says (None: last page)."""

    def answer(params: dict[str, str]) -> Answer:
        page = int(params.get("page", 1))
        link = link_of_page(page)
        headers = {"link": f'<{link}>; rel="next"'} if link else {}
        return Answer(json.dumps([issue(page)]), headers=headers)

    return answer


def with_issues(route) -> FakeGithub:
    """A repository with no deployments or pull requests and `route` as its issues list."""
    return FakeGithub({f"/repos/{REPO}/deployments": [], f"/repos/{REPO}/pulls": [], ISSUES: route})


def page_url(page: int, **query) -> str:
    params = "&".join(f"{k}={v}" for k, v in {**query, "page": page}.items())
    return f"{BASE}{ISSUES}?state=all&sort=updated&direction=desc&per_page=2&{params}"


def test_a_link_back_to_an_earlier_page_is_an_error_not_a_loop():
    gh = with_issues(pages(lambda n: page_url(n + 1) if n < 3 else page_url(2)))
    with pytest.raises(GitHubDataError) as caught:
        sync_repo(gh, REPO, {}, PROD)
    assert caught.value.reason.startswith(
        f'GET {ISSUES}: the Link header of page 3 points rel="next" back to page 2, which this '
        "listing already read; stopped instead of paging forever"
    )
    assert [r.params.get("page", "1") for r in gh.requester.log if r.path == ISSUES] == [
        "1", "2", "3",
    ]


def test_a_link_back_to_the_first_page_matches_it_without_a_page_parameter():
    # The first request has no `page`; GitHub's page 1 is the same page.
    gh = with_issues(pages(lambda n: page_url(1) if n == 2 else page_url(n + 1)))
    with pytest.raises(GitHubDataError, match="back to page 1"):
        sync_repo(gh, REPO, {}, PROD)


def test_more_pages_than_the_maximum_is_an_error(monkeypatch):
    monkeypatch.setattr(settings, "MAX_PAGES", 20)
    gh = with_issues(pages(lambda n: page_url(n + 1)))  # never ends, never repeats
    with pytest.raises(GitHubDataError, match=r"still points rel=\"next\" after 20 pages"):
        sync_repo(gh, REPO, {}, PROD)
    assert sum(1 for r in gh.requester.log if r.path == ISSUES) == 20


def test_a_link_to_another_host_is_refused():
    gh = with_issues(pages(lambda n: "https://elsewhere.example/api/v3/x?page=2"))
    with pytest.raises(GitHubDataError, match=r"to another host \(elsewhere\.example\)"):
        sync_repo(gh, REPO, {}, PROD)


@pytest.fixture(scope="module")
def org():
    return generate_org(seed=5, teams=2, months=2)


def test_a_link_loop_over_http_fails_that_repository_fast_and_no_other(org):
    rules = repo_rules(org)[:2]
    looping, clean = rules[0][0], rules[1][0]
    with SandboxServer(org) as server:
        settings_ = GitHubClientSettings(token=server.token, base_url=server.base_url)
        expected = list(sync_each_repo(settings_, rules[1:], {}))
        server.faults.repos.link_loop(looping, route="pulls")
        server.stats.reset()
        started = time.monotonic()
        outcomes = {o.repo: o for o in sync_each_repo(settings_, rules, {})}
        elapsed = time.monotonic() - started
        pull_pages = server.stats.by_route["pulls"]
    failure = outcomes[looping]
    assert isinstance(failure, RepoFailure)
    assert f"GET /repos/{looping}/pulls: the Link header of page 1 points" in failure.reason
    # One page of the looping list was read (the sandbox has fewer than 100 PRs per repo), plus
    # the clean repository's.
    assert pull_pages == 2
    assert elapsed < 30
    assert latest_records([outcomes[clean]]) == latest_records(expected)
