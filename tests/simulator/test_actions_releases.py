"""The simulated Actions runs list: `created` filters, paging with `Link`, the 1,000-result cap."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import requests

from simulator import handlers_signals
from simulator.actions import workflow_runs
from simulator.generator import generate_org
from simulator.handlers_signals import created_bounds
from simulator.server import SandboxServer


def test_created_filter_syntax():
    day_start = datetime(2026, 3, 1, tzinfo=UTC)
    day_end = datetime(2026, 3, 1, 23, 59, 59, tzinfo=UTC)
    assert created_bounds("2026-03-01") == (day_start, day_end)
    assert created_bounds(">=2026-03-01") == (day_start, None)
    assert created_bounds("<=2026-03-01") == (None, day_end)
    assert created_bounds("2026-03-01T10:00:00Z..*") == (
        datetime(2026, 3, 1, 10, tzinfo=UTC), None)
    assert created_bounds("2026-03-01..2026-03-01T12:00:00Z") == (
        day_start, datetime(2026, 3, 1, 12, tzinfo=UTC))


@pytest.fixture(scope="module")
def served():
    org = generate_org(seed=5, teams=2, months=2)
    with SandboxServer(org) as srv:
        yield org, srv


def get(srv, path, **params):
    answer = requests.get(f"{srv.base_url}{path}", params=params,
                          headers={"Authorization": f"token {srv.token}"}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer


def test_runs_are_paged_newest_first_and_filtered_by_created(served):
    org, srv = served
    name = next(iter(org.repos))
    runs = workflow_runs(org.repos[name])
    first = get(srv, f"/repos/{name}/actions/runs", per_page=5)
    body = first.json()
    assert body["total_count"] == len(runs)
    assert len(body["workflow_runs"]) == 5
    created = [r["created_at"] for r in body["workflow_runs"]]
    assert created == sorted(created, reverse=True)
    assert 'rel="next"' in first.headers["Link"]
    # the filter keeps exactly the runs created at or after the median run's creation
    middle = runs[len(runs) // 2].created_at
    since = middle.strftime("%Y-%m-%dT%H:%M:%SZ")
    filtered = get(srv, f"/repos/{name}/actions/runs", created=f">={since}", per_page=100)
    assert filtered.json()["total_count"] == sum(r.created_at >= middle for r in runs)


def test_no_more_than_the_cap_is_listed(served, monkeypatch):
    org, srv = served
    name = next(iter(org.repos))
    total = len(workflow_runs(org.repos[name]))
    monkeypatch.setattr(handlers_signals, "RESULT_CAP", 10)
    body = get(srv, f"/repos/{name}/actions/runs", per_page=4, page=3).json()
    assert body["total_count"] == total > 10
    assert len(body["workflow_runs"]) == 2  # runs 9 and 10 of the 10 listed
    assert get(srv, f"/repos/{name}/actions/runs", per_page=4, page=4).json()[
        "workflow_runs"] == []
