"""Fixtures for the simulator tests: one default org per session, a fresh server per test."""

from __future__ import annotations

import github
import pytest

from simulator.generator import generate_org
from simulator.model import Org
from simulator.server import SandboxServer


@pytest.fixture(scope="session")
def org() -> Org:
    """The default demo org (seed 7, 6 teams, 12 months); about a second to generate."""
    return generate_org(seed=7)


@pytest.fixture
def server(org: Org):
    with SandboxServer(org) as srv:
        yield srv


def _client(srv: SandboxServer, per_page: int = 100, total_retries: int = 3) -> github.Github:
    """PyGithub configured as the connector does, without pacing."""
    return github.Github(base_url=srv.base_url, auth=github.Auth.Token(srv.token),
                         per_page=per_page, retry=github.GithubRetry(total=total_retries),
                         seconds_between_requests=None, seconds_between_writes=None)


@pytest.fixture
def make_client():
    """A factory: make_client(srv, per_page=100, total_retries=3) -> github.Github."""
    return _client


@pytest.fixture
def client(server: SandboxServer) -> github.Github:
    gh = _client(server)
    yield gh
    gh.close()
