"""Deployment statuses over GraphQL (connectors/github/deployment_statuses.py).

Over real HTTP against the simulated organization: a backfill reads the statuses of its
deployments older than the re-poll horizon a window of them to a query (100 in production), and
stores what the REST path stores (a server with GraphQL against one without), apart from REST's
numeric id, which GraphQL does not have. Over the in-memory fake: a deployment whose statuses
have a next page, or whose node is null, is read over REST; GraphQL's upper-case states become
REST's words.
"""

from __future__ import annotations

import json
import math
from datetime import timedelta
from pathlib import Path

import pytest
from github_deployment_chain import deployment
from github_fake_api import PROD, REPO, Answer, FakeGithub, day
from github_sandbox_truth import repo_rules

from connectors.github import deployments
from connectors.github.client import GitHubClientSettings
from connectors.github.deployments import STATUS_REPOLL_DAYS
from connectors.github.progress import CHUNK_PULLS
from connectors.github.settings import SOURCE
from connectors.github.sync import sync_repo
from pipelines.github.ingest import ingest_github
from simulator.generator import generate_org
from simulator.github_json import node_id
from simulator.server import SandboxServer
from warehouse.connection import connect
from warehouse.fingerprint import warehouse_fingerprint
from warehouse.sync_state import read_cursors


@pytest.fixture(scope="module")
def org():
    return generate_org(seed=5, teams=2, months=3)


def ingest(server: SandboxServer, warehouse: Path, rules) -> None:
    con = connect(warehouse)
    try:
        settings = GitHubClientSettings(token=server.token, base_url=server.base_url,
                                        backoff_factor=0.01)
        report = ingest_github(con, settings, rules, read_cursors(con, SOURCE), max_workers=1,
                               progress=lambda line: None)
        assert report.failures == {}
    finally:
        con.close()


def stored(warehouse: Path) -> tuple[dict[str, str], set[tuple]]:
    """(fingerprints of the raw tables without payloads and REST's status ids, the keys of
    statuses stored without a numeric id)."""
    con = connect(warehouse)
    try:
        prints = warehouse_fingerprint(con, ("raw",), ignore=("payload", "status_id"))
        without_id = set(con.execute(
            "select repo, node_id from raw.github_deployment_statuses where status_id is null"
        ).fetchall())
    finally:
        con.close()
    return {t: p for t, p in prints.items() if t.startswith("raw.github")}, without_id


def test_a_backfill_reads_old_deployments_statuses_in_windows_of_queries(
        org, tmp_path, monkeypatch):
    # 10 deployments a query instead of 100, so that repositories here need several
    window = 10
    monkeypatch.setattr(deployments, "PAGE", window)
    rules = repo_rules(org)
    with SandboxServer(org, rate_limit=1_000_000, graphql=False) as rest_only:
        ingest(rest_only, tmp_path / "rest.duckdb", rules)
        rest_routes = rest_only.stats.snapshot()["by_route"]
    with SandboxServer(org, rate_limit=1_000_000) as server:
        ingest(server, tmp_path / "graphql.duckdb", rules)
        routes = server.stats.snapshot()["by_route"]
    rest_tables, rest_without_id = stored(tmp_path / "rest.duckdb")
    tables, without_id = stored(tmp_path / "graphql.duckdb")
    assert tables == rest_tables
    assert rest_without_id == set()

    # By hand from the org's model: the server's clock (its Date) is org.end; a deployment
    # created before end - 30 days is read once, through GraphQL; the younger ones are re-polled
    # later and need REST's ETag. No deployment here has 100 statuses, so none needs REST.
    horizon = org.end - timedelta(days=STATUS_REPOLL_DAYS)
    visible = {name: [d for d in repo.deployments if d.created_at <= org.end]
               for name, repo in org.repos.items()}
    old = {name: [d for d in ds if d.created_at < horizon] for name, ds in visible.items()}
    assert max(map(len, old.values())) > 2 * window  # some repository needs three queries
    assert without_id == {
        (name, node_id("status", s.status_id))
        for name, ds in old.items() for d in ds for s in d.statuses if s.created_at <= org.end}
    assert rest_routes["deployment_statuses"] == sum(map(len, visible.values()))
    assert routes["deployment_statuses"] == sum(
        len(visible[n]) - len(old[n]) for n in visible)
    pull_queries = sum(math.ceil(sum(p.created_at <= org.end for p in repo.pulls) / CHUNK_PULLS)
                       for repo in org.repos.values())
    status_queries = sum(math.ceil(len(ds) / window) for ds in old.values())
    assert routes["graphql"] == pull_queries + status_queries


# The in-memory fake: no Date header, so the horizon is 30 days before now and the fake's
# deployments of March 2024 are all old.


def listed(dep_id: int) -> dict:
    return {**deployment(dep_id, "production", f"s{dep_id}", day(dep_id)),
            "node_id": f"DE_{dep_id}"}


def status_node(status_id: int, state: str, at: str) -> dict:
    return {"id": f"DES_{status_id}", "state": state, "createdAt": at,
            "description": "", "environmentUrl": "", "creator": {"login": "deployer"}}


def deployment_node(dep_id: int, *statuses: dict, next_page: bool = False) -> dict:
    return {"databaseId": dep_id, "statuses": {
        "totalCount": len(statuses), "pageInfo": {"hasNextPage": next_page},
        "nodes": list(statuses)}}


def rest_statuses(dep_id: int) -> list[dict]:
    return [{"id": dep_id * 10, "node_id": f"DES_{dep_id * 10}", "state": "success",
             "created_at": day(dep_id, 13)}]


def fake(graphql_answer: dict) -> FakeGithub:
    d = f"/repos/{REPO}/deployments"
    routes = {
        d: [listed(3), listed(2), listed(1)],
        f"/repos/{REPO}/issues": [],
        f"/repos/{REPO}/pulls": [],
        "/api/graphql": Answer(json.dumps(graphql_answer)),
    }
    for n in (1, 2, 3):
        routes[f"{d}/{n}/statuses"] = rest_statuses(n)
        routes[f"/repos/{REPO}/compare/s{n - 1}...s{n}"] = {
            "status": "ahead", "ahead_by": 0, "behind_by": 0, "commits": []}
    return FakeGithub(routes, per_page=100)


RATE = {"cost": 1, "remaining": 4999, "resetAt": day(9)}


def test_a_next_page_or_a_null_node_is_read_over_rest_and_states_are_rest_words():
    gh = fake({
        "data": {"nodes": [
            deployment_node(1, status_node(11, "SUCCESS", day(1, 13)),
                            status_node(12, "IN_PROGRESS", day(1, 12))),
            deployment_node(2, status_node(21, "SUCCESS", day(2, 13)), next_page=True),
            None,
        ], "rateLimit": RATE},
        "errors": [{"type": "NOT_FOUND", "path": ["nodes", 2],
                    "message": "Could not resolve to a node with the global id of 'DE_3'"}]})
    batch = sync_repo(gh, REPO, {}, PROD)
    got = {(s.deployment_id, s.node_id, s.status_id, s.state) for s in batch.deployment_statuses}
    assert got == {
        (1, "DES_11", None, "success"), (1, "DES_12", None, "in_progress"),  # GraphQL
        (2, "DES_20", 20, "success"), (3, "DES_30", 30, "success"),  # REST
    }
    paths = gh.requester.paths()
    assert paths.count("/api/graphql") == 1  # one query for the three deployments
    assert f"/repos/{REPO}/deployments/1/statuses" not in paths
    assert f"/repos/{REPO}/deployments/2/statuses" in paths
    assert f"/repos/{REPO}/deployments/3/statuses" in paths
    # deployment 1's first success came from GraphQL and still starts the chain: 2 and 3 are
    # compared with their predecessors
    assert f"/repos/{REPO}/compare/s1...s2" in paths
    assert f"/repos/{REPO}/compare/s2...s3" in paths
