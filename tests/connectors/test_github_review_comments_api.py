"""The simulated `GET /repos/{o}/{r}/pulls/comments` follows GitHub's documented rules.

Expected orders and filters are derived from the org objects in the test, not from the handler:
ascending by id without `sort`; `sort` with `direction` (default desc); `since` keeps comments
updated at or after it; paging with `Link`, like every list.
"""

from __future__ import annotations

import pytest
import requests

from simulator.generator import generate_org
from simulator.github_json import iso
from simulator.server import SandboxServer


@pytest.fixture(scope="module")
def org():
    return generate_org(seed=5, teams=2, months=2)


@pytest.fixture(scope="module")
def served(org):
    with SandboxServer(org) as server:
        session = requests.Session()
        session.headers["Authorization"] = f"token {server.token}"
        yield server, session
        session.close()


def busiest(org):
    """The repository with the most review comments, and its comments as (created, id, pr)."""
    name, repo = max(org.repos.items(),
                     key=lambda item: sum(len(pr.comments) for pr in item[1].pulls))
    comments = [(c.created_at, c.comment_id, pr.number) for pr in repo.pulls for c in pr.comments]
    assert len(comments) > 30
    return name, comments


def read_all(served, name, **params) -> list[dict]:
    server, session = served
    url = f"{server.base_url}/repos/{name}/pulls/comments"
    answer = session.get(url, params={**params, "per_page": 100})
    items = []
    while True:
        assert answer.status_code == 200
        items += answer.json()
        if "next" not in answer.links:
            return items
        answer = session.get(answer.links["next"]["url"])


def test_without_sort_the_list_is_ascending_by_id_and_complete(org, served):
    name, comments = busiest(org)
    items = read_all(served, name)
    assert [c["id"] for c in items] == sorted(i for _, i, _ in comments)
    by_id = {i: number for _, i, number in comments}
    assert all(c["pull_request_url"].endswith(f"/repos/{name}/pulls/{by_id[c['id']]}")
               for c in items)


def test_sort_updated_is_newest_first_by_default_and_since_is_inclusive(org, served):
    name, comments = busiest(org)
    newest_first = sorted(comments, reverse=True)
    assert [c["id"] for c in read_all(served, name, sort="updated")] == [
        i for _, i, _ in newest_first]
    assert [c["id"] for c in read_all(served, name, sort="created", direction="asc")] == [
        i for _, i, _ in sorted(comments)]
    boundary = newest_first[len(newest_first) // 2][0]
    kept = [c["id"] for c in read_all(served, name, sort="updated", since=iso(boundary))]
    assert kept == [i for at, i, _ in newest_first if at >= boundary]


def test_one_page_of_per_page_items_with_a_next_link(org, served):
    server, session = served
    name, comments = busiest(org)
    answer = session.get(f"{server.base_url}/repos/{name}/pulls/comments", params={"per_page": 10})
    assert [c["id"] for c in answer.json()] == sorted(i for _, i, _ in comments)[:10]
    assert "page=2" in answer.links["next"]["url"]


@pytest.mark.parametrize("params", [{"sort": "popularity"}, {"sort": "updated", "direction": "up"},
                                    {"since": "last tuesday"}])
def test_unknown_parameter_values_are_refused_with_422(org, served, params):
    server, session = served
    name, _ = busiest(org)
    answer = session.get(f"{server.base_url}/repos/{name}/pulls/comments", params=params)
    assert answer.status_code == 422
    assert answer.json()["message"] == "Validation Failed"
