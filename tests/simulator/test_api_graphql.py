"""The simulated GraphQL endpoint over HTTP: where PyGithub posts, what it answers, what it costs.

Expected values are derived here from the org's own records (a PR's commits and reviews) and
from GitHub's documented pricing rule, not from the endpoint's code.
"""

from __future__ import annotations

import base64

import pytest
import requests

from simulator.model import Org
from simulator.server import SandboxServer

QUERY = """query($ids: [ID!]!, $first: Int!, $after: String) { nodes(ids: $ids) {
  ... on PullRequest { number
    commits(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
      nodes { commit { oid authoredDate message author { user { login } } } } }
    reviews(first: 100) { nodes { databaseId state submittedAt author { login } } } } }
  rateLimit { cost remaining limit } }"""


def _post(srv: SandboxServer, body: object, token: str | None = "valid") -> requests.Response:
    headers = {"Authorization": f"bearer {srv.token}"} if token == "valid" else {}
    graphql_url = srv.base_url.removesuffix("/v3") + "/graphql"  # PyGithub's derivation
    return requests.post(graphql_url, json=body, headers=headers, timeout=10)


def _busiest(org: Org):
    repo = max(org.repos.values(), key=lambda r: len(r.pulls))
    pull = max((p for p in repo.pulls if p.created_at <= org.end and p.merged_at),
               key=lambda p: len(p.commit_shas))
    return repo, pull


def test_a_pull_request_node_holds_its_commits_and_reviews_paged_by_cursor(org, server):
    repo, pull = _busiest(org)
    assert len(pull.commit_shas) >= 2
    first = _post(server, {"query": QUERY, "variables": {"ids": [f"PR_{pull.pr_id}"],
                                                          "first": 1}})
    assert first.status_code == 200 and "errors" not in first.json()
    node = first.json()["data"]["nodes"][0]
    assert node["number"] == pull.number
    commits = node["commits"]
    assert commits["totalCount"] == len(pull.commit_shas)
    assert commits["pageInfo"]["hasNextPage"] is True
    assert commits["nodes"][0]["commit"]["oid"] == pull.commit_shas[0]
    assert commits["nodes"][0]["commit"]["message"] == repo.commits[pull.commit_shas[0]].message
    assert [r["databaseId"] for r in node["reviews"]["nodes"]] == [
        v.review_id for v in pull.reviews if v.submitted_at <= org.end]
    after = commits["pageInfo"]["endCursor"]
    second = _post(server, {"query": QUERY, "variables": {"ids": [f"PR_{pull.pr_id}"],
                                                           "first": 1, "after": after}})
    assert second.json()["data"]["nodes"][0]["commits"]["nodes"][0]["commit"]["oid"] == (
        pull.commit_shas[1])


def test_cost_follows_githubs_rule_and_comes_from_a_budget_of_its_own(org, server):
    repo, _ = _busiest(org)
    ids = [f"PR_{p.pr_id}" for p in repo.pulls[:60] if p.created_at <= org.end]
    assert len(ids) == 60
    # By GitHub's rule: 1 (the query) + 60 x 2 connections = 121 requests / 100 -> 1 point;
    # with `first: 100` for both, 60 PRs still ask 121 requests.
    answer = _post(server, {"query": QUERY, "variables": {"ids": ids, "first": 100}})
    rate = answer.json()["data"]["rateLimit"]
    assert (rate["cost"], rate["limit"], rate["remaining"]) == (1, 5000, 4999)
    assert answer.headers["x-ratelimit-resource"] == "graphql"
    assert answer.headers["x-ratelimit-remaining"] == "4999"
    assert server.limiter.used == 0  # the REST budget is untouched
    ids_150 = (ids * 3)[:150]  # 1 + 150 x 2 = 301 requests -> 3 points
    again = _post(server, {"query": QUERY, "variables": {"ids": ids_150, "first": 100}})
    assert again.json()["data"]["rateLimit"]["cost"] == 3


def test_errors_come_back_with_200_as_on_github(org, server):
    _, pull = _busiest(org)
    unknown = _post(server, {"query": QUERY, "variables": {"ids": ["PR_nope", f"PR_{pull.pr_id}"],
                                                            "first": 5}})
    body = unknown.json()
    assert unknown.status_code == 200
    assert body["data"]["nodes"][0] is None and body["data"]["nodes"][1]["number"] == pull.number
    assert [e["type"] for e in body["errors"]] == ["NOT_FOUND"]
    refused = _post(server, {"query": "{ nodes(ids: []) { ... on PullRequest { nope } } }"})
    assert refused.status_code == 200 and "nope" in refused.json()["errors"][0]["message"]
    assert "data" not in refused.json()
    too_many = _post(server, {"query": QUERY, "variables": {"ids": [f"PR_{pull.pr_id}"],
                                                             "first": 101}})
    assert "exceeds the `first` limit of 100" in too_many.json()["errors"][0]["message"]
    assert _post(server, {"query": QUERY}, token=None).status_code == 401


def test_a_spent_budget_is_rate_limited_with_200_and_a_rest_only_server_answers_404(org):
    _, pull = _busiest(org)
    body = {"query": QUERY, "variables": {"ids": [f"PR_{pull.pr_id}"], "first": 5}}
    with SandboxServer(org) as srv:
        srv.graphql_limiter.limit = 1
        assert "errors" not in _post(srv, body).json()
        limited = _post(srv, body)
        assert limited.status_code == 200
        assert limited.json()["errors"][0]["type"] == "RATE_LIMITED"
        assert limited.headers["x-ratelimit-remaining"] == "0"
    with SandboxServer(org, graphql=False) as rest_only:
        assert _post(rest_only, body).status_code == 404


@pytest.mark.parametrize("cursor", ["not-base64!", base64.b64encode(b"cursor:v2:x").decode()])
def test_a_bad_cursor_is_refused(org, server, cursor):
    _, pull = _busiest(org)
    answer = _post(server, {"query": QUERY, "variables": {"ids": [f"PR_{pull.pr_id}"],
                                                           "first": 1, "after": cursor}})
    assert "valid cursor" in answer.json()["errors"][0]["message"]
