"""HTTP behaviour of the simulated API: auth, rate limits, ETags, faults, Link, the clock."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import requests

from simulator.model import Org
from simulator.server import SandboxServer


def _get(srv: SandboxServer, path: str, token: str | None = "valid", **headers: str):
    if token == "valid":
        headers["Authorization"] = f"token {srv.token}"
    elif token is not None:
        headers["Authorization"] = token
    return requests.get(f"{srv.base_url}{path}", headers=headers, timeout=10)


def _repo_name(org: Org) -> str:
    return max(org.repos.values(), key=lambda r: len(r.pulls)).full_name


def test_requests_without_a_valid_token_get_401(org: Org, server: SandboxServer) -> None:
    path = f"/repos/{_repo_name(org)}"
    missing = _get(server, path, token=None)
    assert missing.status_code == 401
    assert missing.json()["message"] == "Requires authentication"
    wrong = _get(server, path, token="token not-the-token")
    assert (wrong.status_code, wrong.json()["message"]) == (401, "Bad credentials")
    bearer = _get(server, path, token=f"Bearer {server.token}")
    assert bearer.status_code == 200


def test_rate_limit_headers_count_down_and_304_is_free(org: Org, server) -> None:
    path = f"/repos/{_repo_name(org)}/pulls"
    first = _get(server, path)
    assert first.headers["x-ratelimit-limit"] == "5000"
    assert first.headers["x-ratelimit-remaining"] == "4999"
    assert first.headers["x-ratelimit-used"] == "1"
    assert first.headers["x-ratelimit-resource"] == "core"
    assert int(first.headers["x-ratelimit-reset"]) > time.time()
    second = _get(server, path)
    assert second.headers["x-ratelimit-remaining"] == "4998"
    cached = _get(server, path, **{"If-None-Match": second.headers["ETag"]})
    assert (cached.status_code, cached.content) == (304, b"")
    assert cached.headers["x-ratelimit-remaining"] == "4998"
    rate = _get(server, "/rate_limit")
    assert rate.json()["rate"]["remaining"] == 4998  # /rate_limit costs nothing either
    assert server.stats.by_status == {200: 3, 304: 1}


def test_exhausted_budget_answers_403_until_the_window_resets(org: Org) -> None:
    with SandboxServer(org, rate_limit=2, rate_window_s=1.0) as srv:
        path = f"/repos/{_repo_name(org)}"
        assert [_get(srv, path).status_code for _ in range(2)] == [200, 200]
        blocked = _get(srv, path)
        assert blocked.status_code == 403
        assert blocked.json()["message"].startswith("API rate limit exceeded")
        assert blocked.headers["x-ratelimit-remaining"] == "0"
        time.sleep(float(blocked.headers["x-ratelimit-reset"]) - time.time() + 0.05)
        assert _get(srv, path).status_code == 200


def test_pygithub_waits_for_the_rate_limit_reset(org: Org, make_client) -> None:
    with SandboxServer(org, rate_limit=1, rate_window_s=1.0) as srv:
        gh = make_client(srv)
        gh.get_repo(_repo_name(org))
        started = time.monotonic()
        assert gh.get_repo(_repo_name(org)).name  # 403 first, then retried after the reset
        assert time.monotonic() - started >= 0.5
        assert srv.stats.by_status[403] >= 1


def test_burst_of_500s_is_retried_by_github_retry(org: Org, server, make_client) -> None:
    server.faults.script([500, 502, 503])
    repo = make_client(server, total_retries=3).get_repo(_repo_name(org))
    assert repo.full_name == _repo_name(org)
    assert server.stats.by_status == {500: 1, 502: 1, 503: 1, 200: 1}


@pytest.mark.parametrize("status", [429, 403])
def test_rate_limited_answer_with_retry_after_then_success(org: Org, server, make_client,
                                                           status: int) -> None:
    server.faults.script([status])
    started = time.monotonic()
    repo = make_client(server).get_repo(_repo_name(org))
    assert repo.full_name == _repo_name(org)
    assert time.monotonic() - started >= 0.9  # Retry-After: 1 was honoured
    assert server.stats.by_status[status] == 1


def test_scripted_fault_carries_retry_after_and_zero_remaining(org: Org, server) -> None:
    server.faults.script([429, "drop", "truncate"])
    limited = _get(server, f"/repos/{_repo_name(org)}")
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "1"
    assert limited.headers["x-ratelimit-remaining"] == "0"
    with pytest.raises(requests.ConnectionError):
        _get(server, f"/repos/{_repo_name(org)}")
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        _get(server, f"/repos/{_repo_name(org)}/pulls")
    assert _get(server, f"/repos/{_repo_name(org)}").status_code == 200


def test_random_faults_are_reproducible_and_clearable(org: Org, server) -> None:
    path = f"/repos/{_repo_name(org)}"
    server.faults.random(error_rate=0.5, seed=3)
    first = [_get(server, path).status_code for _ in range(12)]
    server.faults.random(error_rate=0.5, seed=3)
    assert [_get(server, path).status_code for _ in range(12)] == first
    assert 200 in first and {500, 502, 503} & set(first)
    server.faults.clear()
    assert {_get(server, path).status_code for _ in range(5)} == {200}


def test_link_header_names_first_prev_next_last_on_the_base_url(org: Org, server) -> None:
    path = f"/repos/{_repo_name(org)}/pulls?state=all&per_page=20&page=2"
    links = requests.utils.parse_header_links(_get(server, path).headers["Link"])
    by_rel = {link["rel"]: link["url"] for link in links}
    assert set(by_rel) == {"prev", "next", "last", "first"}
    assert by_rel["next"].startswith(f"{server.base_url}/repos/")
    assert "state=all" in by_rel["next"] and "page=3" in by_rel["next"]


def test_routes_are_also_served_at_the_root(org: Org, server) -> None:
    root = server.base_url.removesuffix("/api/v3")
    answer = requests.get(f"{root}/repos/{_repo_name(org)}",
                          headers={"Authorization": f"token {server.token}"}, timeout=10)
    assert answer.status_code == 200
    assert answer.json()["url"] == f"{root}/repos/{_repo_name(org)}"


def test_clock_hides_later_events_and_reveals_them_when_advanced(org: Org, server) -> None:
    repo = org.repos[_repo_name(org)]
    merged = [p for p in repo.pulls if p.merged_at]
    pr = merged[-30]
    clock = pr.merged_at - timedelta(seconds=1)
    server.set_clock(clock)
    seen = _get(server, f"/repos/{repo.full_name}/pulls/{pr.number}").json()
    assert (seen["state"], seen["merged_at"], seen["merge_commit_sha"]) == ("open", None, None)
    deployments = _get(server, f"/repos/{repo.full_name}/deployments?per_page=100").json()
    # newest first: the first listed is the last deployment created at or before the clock
    expected = max(d.deployment_id for d in repo.deployments if d.created_at <= clock)
    assert deployments[0]["id"] == expected
    later = [p for p in repo.pulls if p.created_at > clock]
    assert later
    assert _get(server, f"/repos/{repo.full_name}/pulls/{later[0].number}").status_code == 404
    server.set_clock(org.end)
    since = clock.strftime("%Y-%m-%dT%H:%M:%SZ")
    updated = _get(server, f"/repos/{repo.full_name}/issues?state=all&per_page=100"
                           f"&sort=updated&direction=asc&since={since}").json()
    assert all(item["updated_at"] >= since for item in updated)
    assert pr.number in {item["number"] for item in updated}


def test_servers_start_and_stop_fast_and_release_the_port(org: Org) -> None:
    started = time.monotonic()
    for _ in range(3):
        with SandboxServer(org) as srv:
            assert srv.base_url.startswith("http://127.0.0.1:")
            assert _get(srv, "/rate_limit").status_code == 200
            port = srv.port
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/rate_limit", timeout=2)
    assert time.monotonic() - started < 3  # three start/request/stop cycles


def test_added_latency_delays_every_answer(org: Org) -> None:
    with SandboxServer(org, latency_ms=150) as srv:
        started = time.monotonic()
        _get(srv, "/rate_limit")
        assert time.monotonic() - started >= 0.15
        srv.latency_ms = 0
        started = time.monotonic()
        _get(srv, "/rate_limit")
        assert time.monotonic() - started < 0.15
