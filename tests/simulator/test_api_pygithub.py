"""PyGithub 2.10 against the simulated API over real HTTP; expectations come from the model."""

from __future__ import annotations

import math
from datetime import timedelta

from simulator.model import Org, Repo
from simulator.server import SandboxServer


def _busiest(org: Org) -> Repo:
    return max(org.repos.values(), key=lambda r: len(r.pulls))


def _ancestors(repo: Repo, sha: str) -> set[str]:
    seen, stack = set(), [sha]
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(repo.commits[current].parents)
    return seen


def test_pulls_paginate_over_several_pages_newest_first(org: Org, server: SandboxServer,
                                                       make_client) -> None:
    repo = _busiest(org)
    gh = make_client(server, per_page=50)
    numbers = [p.number for p in gh.get_repo(repo.full_name).get_pulls(state="all")]
    # default sort is created, descending; every PR created by the clock (= end) is listed
    expected = [p.number for p in sorted(repo.pulls, key=lambda p: p.created_at, reverse=True)]
    assert numbers == expected
    pages = math.ceil(len(expected) / 50)
    assert pages >= 3
    assert server.stats.by_route["pulls"] == pages


def test_pull_request_fields_match_the_model(org: Org, client) -> None:
    repo = _busiest(org)
    squash = next(p for p in repo.pulls if p.merge_method == "squash")
    pr = client.get_repo(repo.full_name).get_pull(squash.number)
    assert pr.merged and pr.state == "closed"
    assert pr.merged_at == squash.merged_at and pr.merge_commit_sha == squash.merge_commit_sha
    assert (pr.head.ref, pr.head.sha, pr.base.ref) == (squash.head_ref, squash.head_sha, "main")
    assert pr.user.login == squash.author_login
    commits = list(pr.get_commits())
    assert [c.sha for c in commits] == squash.commit_shas
    assert [c.commit.author.date for c in commits] == [
        repo.commits[s].authored_at for s in squash.commit_shas]
    assert [(r.user.login, r.state) for r in pr.get_reviews()] == [
        (v.reviewer_login, v.state) for v in squash.reviews]
    assert len(list(pr.get_review_comments())) == len(squash.comments)


def test_hotfix_pull_request_has_label_and_branch(org: Org, client) -> None:
    repo, hotfix = next((r, p) for r in org.repos.values() for p in r.pulls
                        if p.kind == "hotfix")
    pr = client.get_repo(repo.full_name).get_pull(hotfix.number)
    assert [label.name for label in pr.labels] == ["hotfix"]
    assert pr.head.ref.startswith("hotfix/")


def test_deployments_newest_first_with_statuses(org: Org, client) -> None:
    repo = _busiest(org)
    listed = list(client.get_repo(repo.full_name).get_deployments(environment="staging"))
    staging = [d for d in repo.deployments if d.environment == "staging"]
    assert [d.id for d in listed] == sorted((d.deployment_id for d in staging), reverse=True)
    model = next(d for d in repo.deployments if d.production and len(d.statuses) == 3)
    deployment = client.get_repo(repo.full_name).get_deployment(model.deployment_id)
    states = [(s.state, s.created_at) for s in deployment.get_statuses()]
    # newest first: inactive (superseded), success (the deploy time), in_progress
    assert [s for s, _ in states] == ["inactive", "success", "in_progress"]
    assert states[1][1] == model.finished_at


def test_compare_two_production_deployments_gives_the_commits_in_between(org: Org,
                                                                       client) -> None:
    repo = _busiest(org)
    chain = [d for d in repo.deployments if d.environment == "production" and d.succeeded]
    base, head = chain[10], chain[11]
    # by hand: reachable from head and not from base (walking parents, not main's order)
    expected = _ancestors(repo, head.sha) - _ancestors(repo, base.sha)
    comparison = client.get_repo(repo.full_name).compare(base.sha, head.sha)
    shas = [c.sha for c in comparison.commits]
    assert comparison.status == "ahead" and comparison.behind_by == 0
    assert comparison.total_commits == len(expected) == len(shas)
    assert set(shas) == expected
    seen: set[str] = set()
    for sha in shas:  # oldest first: parents inside the range come before their children
        assert all(p in seen or p not in expected for p in repo.commits[sha].parents)
        seen.add(sha)
    back = client.get_repo(repo.full_name).compare(head.sha, base.sha)
    assert (back.status, back.ahead_by, back.behind_by) == ("behind", 0, len(expected))


def test_compare_diverged_with_an_unmerged_branch(org: Org, client) -> None:
    repo = _busiest(org)
    closed = next(p for p in repo.pulls if p.closed_at and not p.merged_at)
    comparison = client.get_repo(repo.full_name).compare("main", closed.head_sha)
    assert comparison.status == "diverged"
    assert [c.sha for c in comparison.commits] == closed.commit_shas


def test_compare_pages_commits_with_link_headers(org: Org, server: SandboxServer,
                                                make_client) -> None:
    repo = _busiest(org)
    first, last = repo.main_history[0], repo.main_history[120]
    comparison = make_client(server).get_repo(repo.full_name).compare(
        first, last, comparison_commits_per_page=50)
    assert [c.sha for c in comparison.commits] == repo.main_history[1:121]
    assert comparison.total_commits == 120


def test_issues_filter_by_label_and_since(org: Org, client) -> None:
    repo = _busiest(org)
    incidents = [i for i in repo.issues if "incident" in i.labels]
    api_repo = client.get_repo(repo.full_name)
    listed = list(api_repo.get_issues(state="all", labels=["incident"]))
    assert sorted(i.number for i in listed) == sorted(i.number for i in incidents)
    since = org.end - timedelta(days=60)
    recent = list(api_repo.get_issues(state="all", labels=["incident"], since=since))
    # an issue's updated_at is its close time if closed, else its creation time
    expected = [i.number for i in incidents if (i.closed_at or i.created_at) >= since]
    assert sorted(i.number for i in recent) == sorted(expected)


def test_issue_list_includes_pull_requests_like_github(org: Org, client) -> None:
    repo = _busiest(org)
    items = list(client.get_repo(repo.full_name).get_issues(state="all"))
    with_pr_key = [i for i in items if i.pull_request is not None]
    assert len(with_pr_key) == len(repo.pulls)
    assert len(items) == len(repo.pulls) + len(repo.issues)


def test_releases_newest_first(org: Org, client) -> None:
    repo = _busiest(org)
    tags = [r.tag_name for r in client.get_repo(repo.full_name).get_releases()]
    assert tags == [r.tag_name for r in sorted(repo.releases, key=lambda r: r.created_at,
                                               reverse=True)]


def test_repeated_first_page_answers_304_without_spending_budget(org: Org, server,
                                                                make_client) -> None:
    repo = _busiest(org)
    gh = make_client(server)
    url = f"/repos/{repo.full_name}/deployments"
    status, headers, _ = gh.requester.requestJson("GET", url, parameters={"per_page": 100})
    assert status == 200
    remaining = int(headers["x-ratelimit-remaining"])
    status, again, body = gh.requester.requestJson(
        "GET", url, parameters={"per_page": 100}, headers={"If-None-Match": headers["etag"]})
    assert (status, body) == (304, "")
    assert int(again["x-ratelimit-remaining"]) == remaining
    assert server.stats.not_modified == 1
