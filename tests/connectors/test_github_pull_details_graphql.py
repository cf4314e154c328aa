"""Pull request details over GraphQL (connectors/github/pull_details.py).

Over real HTTP against the simulated organization: the GraphQL path stores exactly what the
REST path stores (a server with GraphQL against one without), asks one query per 25 PRs
instead of two requests a PR, and a GraphQL budget spent mid-pass stops the run and is
resumed by the next one. Over the in-memory fake (github_fake_api.py): a PR the query cannot
give whole (more than 100 commits, a null node) is detailed over REST, and a refused query
names the endpoint and GitHub's message.
"""

from __future__ import annotations

import json
import math
from datetime import timedelta
from pathlib import Path

import pytest
from github_fake_api import PROD, REPO, Answer, FakeGithub, commit, day
from github_sandbox_truth import repo_rules

from connectors.github.client import GitHubClientSettings
from connectors.github.deployment_statuses import PAGE as STATUS_PAGE
from connectors.github.deployments import STATUS_REPOLL_DAYS
from connectors.github.errors import GitHubSyncError
from connectors.github.progress import CHUNK_PULLS
from connectors.github.settings import SOURCE
from connectors.github.sync import sync_repo
from pipelines.github.ingest import ingest_github
from simulator.generator import generate_org
from simulator.server import SandboxServer
from warehouse.connection import connect
from warehouse.fingerprint import warehouse_fingerprint
from warehouse.sync_state import read_cursors

BUSY_REPO = "acme/payments-service"  # 72 PRs in seed 5, 2 teams, 2 months: 3 queries of 25


@pytest.fixture(scope="module")
def org():
    return generate_org(seed=5, teams=2, months=2)


def ingest(server: SandboxServer, warehouse: Path, rules, per_page: int = 100,
           status_repoll_days: float = STATUS_REPOLL_DAYS):
    con = connect(warehouse)
    try:
        settings = GitHubClientSettings(token=server.token, base_url=server.base_url,
                                        per_page=per_page, backoff_factor=0.01)
        report = ingest_github(con, settings, rules, read_cursors(con, SOURCE), max_workers=1,
                               progress=lambda line: None,
                               status_repoll_days=status_repoll_days)
        pulls = con.execute("select count(*) from raw.github_pull_requests").fetchone()[0]
        return report, pulls
    finally:
        con.close()


def raw_tables(warehouse: Path) -> dict[str, str]:
    con = connect(warehouse)
    try:
        # Payloads are the answers as they came (a GraphQL node, a REST object), and URLs
        # name each server's port; a status read through GraphQL has no numeric id (its key
        # is the node id both APIs give): everything else must be equal.
        prints = warehouse_fingerprint(con, ("raw",), ignore=("payload", "status_id"))
        return {t: p for t, p in prints.items() if t.startswith("raw.github")}
    finally:
        con.close()


def test_graphql_details_store_what_rest_stores_with_one_query_per_chunk(org, tmp_path):
    rules = repo_rules(org)
    with SandboxServer(org, rate_limit=1_000_000, graphql=False) as rest_only:
        rest_report, _ = ingest(rest_only, tmp_path / "rest.duckdb", rules)
        rest_routes = rest_only.stats.snapshot()["by_route"]
    with SandboxServer(org, rate_limit=1_000_000) as server:
        report, _ = ingest(server, tmp_path / "graphql.duckdb", rules)
        routes = server.stats.snapshot()["by_route"]
        points = server.graphql_limiter.used
    assert rest_report.failures == report.failures == {}
    assert raw_tables(tmp_path / "graphql.duckdb") == raw_tables(tmp_path / "rest.duckdb")

    # By hand: every PR has fewer than 100 commits and reviews here, and the list (per_page
    # 100) is one page for each repository, so the first round details them all: one query per
    # CHUNK_PULLS PRs of each repository, and no per-PR REST request.
    visible = {name: sum(pr.created_at <= org.end for pr in repo.pulls)
               for name, repo in org.repos.items()}
    assert max(visible.values()) < 100 and visible[BUSY_REPO] == 72
    # and the statuses of deployments older than the re-poll horizon, 100 to a query
    # (test_github_deployment_statuses_graphql.py)
    horizon = org.end - timedelta(days=STATUS_REPOLL_DAYS)
    old = [sum(d.created_at < horizon for d in repo.deployments) for repo in org.repos.values()]
    assert routes.get("graphql") == (sum(math.ceil(n / CHUNK_PULLS) for n in visible.values())
                                     + sum(math.ceil(n / STATUS_PAGE) for n in old))
    assert "pull_commits" not in routes and "pull_reviews" not in routes
    assert rest_routes["pull_commits"] == rest_routes["pull_reviews"] == sum(visible.values())
    # each query is (1 + 2 x 25) / 100 -> 1 point (GitHub's rounding), so points = queries
    assert points == routes["graphql"]


def test_a_graphql_budget_spent_mid_pass_stops_the_run_and_the_next_runs_finish(org, tmp_path):
    rules = [rule for rule in repo_rules(org) if rule[0] == BUSY_REPO]
    # Every deployment is within a year's re-poll horizon, so its statuses come over REST and
    # the GraphQL budget is the PR pass's alone.
    year = 365
    with SandboxServer(org, rate_limit=1_000_000) as server:
        one_shot, pulls = ingest(server, tmp_path / "one_shot.duckdb", rules,
                                 status_repoll_days=year)
        assert one_shot.failures == {} and pulls == 72
        server.graphql_limiter.limit = 1  # one query of 25 PRs per window
        server.graphql_limiter.start_next_window()
        resumed = tmp_path / "resumed.duckdb"
        runs = []
        for _ in range(3):
            runs.append(ingest(server, resumed, rules, status_repoll_days=year))
            server.graphql_limiter.start_next_window()
    # 72 PRs, 25 a query, one query a window. A resumed pass details again the PR it stopped
    # at (pull_pass.PullPass.done: the boundary is included, as for a watermark), so the
    # second run adds 24: 25, 49, then the last 23 and done.
    assert [pulls for _, pulls in runs] == [25, 25 + 24, 72]
    for report, _ in runs[:2]:
        assert list(report.failures) == [BUSY_REPO]
        assert "GraphQL rate limit" in report.failures[BUSY_REPO]
        assert "next run continues" in report.failures[BUSY_REPO]
    assert runs[2][0].failures == {}
    assert raw_tables(resumed) == raw_tables(tmp_path / "one_shot.duckdb")


# The in-memory fake: PRs 2 and 1 listed (newest first), with REST details for both.


def pull(number: int) -> dict:
    return {"number": number, "node_id": f"PR_node{number}", "state": "closed",
            "title": f"PR {number}", "user": {"login": "dev"},
            "head": {"ref": f"feature/{number}", "sha": f"h{number}"}, "base": {"ref": "main"},
            "merge_commit_sha": f"m{number}", "labels": [], "created_at": day(1),
            "updated_at": day(number + 1), "closed_at": day(number + 1),
            "merged_at": day(number + 1)}


def graphql_node(number: int, next_page: bool = False) -> dict:
    return {
        "number": number,
        "commits": {"totalCount": 1, "pageInfo": {"hasNextPage": next_page}, "nodes": [
            {"commit": {"oid": f"g{number}", "message": "from graphql",
                        "authoredDate": day(number, 8), "committedDate": day(number, 9),
                        "author": {"user": {"login": "dev"}}}}]},
        "reviews": {"totalCount": 1, "pageInfo": {"hasNextPage": False}, "nodes": [
            {"databaseId": 900 + number, "state": "APPROVED", "submittedAt": day(number, 10),
             "author": {"__typename": "Bot", "login": "reviewer"}}]},
    }


def fake(graphql_answer: dict) -> FakeGithub:
    routes = {
        f"/repos/{REPO}/deployments": [],
        f"/repos/{REPO}/issues": [],
        f"/repos/{REPO}/pulls": [pull(2), pull(1)],
        "/api/graphql": Answer(json.dumps(graphql_answer)),
    }
    for n in (1, 2):
        routes[f"/repos/{REPO}/pulls/{n}/commits"] = [commit(f"r{n}", day(n, 9))]
        routes[f"/repos/{REPO}/pulls/{n}/reviews"] = []
    return FakeGithub(routes, per_page=100)


def rate(cost: int = 1) -> dict:
    return {"cost": cost, "remaining": 4999, "resetAt": day(9)}


def test_a_pr_with_a_next_page_of_commits_is_detailed_over_rest():
    gh = fake({"data": {"nodes": [graphql_node(2, next_page=True), graphql_node(1)],
                        "rateLimit": rate()}})
    batch = sync_repo(gh, REPO, {}, PROD)
    assert {(c.pr_number, c.sha) for c in batch.pull_commits} == {(2, "r2"), (1, "g1")}
    # PR 1's review came from GraphQL: REST's id (databaseId) and REST's login of a bot
    assert [(r.pr_number, r.review_id, r.reviewer_login) for r in batch.pull_reviews] == [
        (1, 901, "reviewer[bot]")]
    paths = gh.requester.paths()
    assert f"/repos/{REPO}/pulls/2/commits" in paths
    assert f"/repos/{REPO}/pulls/1/commits" not in paths
    assert paths.count("/api/graphql") == 1


def test_a_null_node_is_detailed_over_rest_and_a_refused_query_names_the_endpoint():
    gh = fake({"data": {"nodes": [None, graphql_node(1)], "rateLimit": rate()},
               "errors": [{"type": "NOT_FOUND", "path": ["nodes", 0],
                           "message": "Could not resolve to a node with the global id of "
                                      "'PR_node2'"}]})
    batch = sync_repo(gh, REPO, {}, PROD)
    assert {(c.pr_number, c.sha) for c in batch.pull_commits} == {(2, "r2"), (1, "g1")}

    refused = fake({"errors": [{"message": "Field 'nope' doesn't exist on type 'PullRequest'"}]})
    with pytest.raises(GitHubSyncError) as caught:
        sync_repo(refused, REPO, {}, PROD)
    assert "POST /api/graphql" in caught.value.reason
    assert "Field 'nope' doesn't exist" in caught.value.reason
