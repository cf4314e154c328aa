"""Persistent connections of the sandbox server (simulator/http_handler.py).

A client's requests share one TCP connection, as on GitHub, whatever the answer (200, 304, 404,
HEAD); faults that end a connection still end it; a stopped server closes idle connections.
Connections are counted by the server (`connections_opened`), not inferred from timings.
"""

from __future__ import annotations

import http.client
import socket

import pytest
import requests

from connectors.github.client import GitHubClientSettings
from connectors.github.sync import sync_repos
from simulator.generator import generate_org
from simulator.model import Org
from simulator.server import SandboxServer


@pytest.fixture(scope="module")
def small_org() -> Org:
    return generate_org(seed=5, teams=2, months=2)


@pytest.fixture
def srv(small_org: Org):
    with SandboxServer(small_org) as server:
        yield server


def _session(server: SandboxServer) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"token {server.token}"
    return session


def _repo(server: SandboxServer) -> str:
    return sorted(server.org.repos)[0]


def test_one_session_sends_every_request_over_one_connection(srv: SandboxServer) -> None:
    session = _session(srv)
    pulls = f"{srv.base_url}/repos/{_repo(srv)}/pulls"
    statuses = [session.get(pulls, params={"state": "all"}).status_code for _ in range(30)]
    etag = session.get(pulls, params={"state": "all"}).headers["ETag"]
    unchanged = session.get(pulls, params={"state": "all"}, headers={"If-None-Match": etag})
    missing = session.get(f"{srv.base_url}/repos/{_repo(srv)}/nothing-here")
    head = session.head(f"{srv.base_url}/repos/{_repo(srv)}")
    after = session.get(f"{srv.base_url}/repos/{_repo(srv)}")
    session.close()

    assert statuses == [200] * 30
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert missing.status_code == 404 and missing.json()["message"] == "Not Found"
    # The length announced is the body's: the next answer on the connection starts after it.
    assert int(missing.headers["Content-Length"]) == len(missing.content)
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["Content-Length"]) == len(after.content)
    assert after.status_code == 200
    assert srv.connections_opened == 1


def test_a_dropped_connection_is_dropped_and_the_client_reconnects(srv: SandboxServer) -> None:
    session = _session(srv)
    repo_url = f"{srv.base_url}/repos/{_repo(srv)}"
    assert session.get(repo_url).status_code == 200
    srv.faults.script(["drop"])
    with pytest.raises(requests.exceptions.ConnectionError):
        session.get(repo_url)
    assert session.get(repo_url).status_code == 200
    session.close()
    assert srv.connections_opened == 2


def test_a_truncated_body_announces_its_full_length_then_closes(srv: SandboxServer) -> None:
    session = _session(srv)
    pulls = f"{srv.base_url}/repos/{_repo(srv)}/pulls"
    whole = session.get(pulls, params={"state": "all"}).content
    srv.faults.script(["truncate"])
    with pytest.raises(requests.exceptions.ChunkedEncodingError) as caught:
        session.get(pulls, params={"state": "all"})
    # Half the body arrived (integer halving, as the fault does), the full length was announced.
    assert f"{len(whole) // 2} bytes read, {len(whole) - len(whole) // 2} more expected" in str(
        caught.value
    )
    assert session.get(pulls, params={"state": "all"}).content == whole
    session.close()
    assert srv.connections_opened == 2


def test_stopping_the_server_closes_idle_connections(small_org: Org) -> None:
    server = SandboxServer(small_org).start()
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port)
        connection.sock = sock
        connection.request("GET", f"/api/v3/repos/{_repo(server)}",
                           headers={"Authorization": f"token {server.token}"})
        answer = connection.getresponse()
        answer.read()
        assert answer.status == 200 and not answer.will_close  # the connection stays open
        server.stop()
        assert sock.recv(1) == b""  # closed by the server, not left waiting for a request
    finally:
        sock.close()
        server.stop()


@pytest.mark.parametrize("workers", [1, 2])
def test_the_connector_opens_one_connection_per_worker(small_org: Org, workers: int) -> None:
    with SandboxServer(small_org) as server:
        settings = GitHubClientSettings(token=server.token, base_url=server.base_url)
        repos = [(repo, "(?i)^production$") for repo in sorted(small_org.repos)]
        batches = list(sync_repos(settings, repos, {}, max_workers=workers))
        requests_sent = server.stats.total
        opened = server.connections_opened
    assert len(batches) == len(small_org.repos) >= 2
    assert requests_sent > 50  # dozens of requests ...
    assert 1 <= opened <= workers  # ... over one persistent connection per worker thread
