"""GitHubResource: connection settings for the GitHub connector, token read from the environment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

from connectors.github.client import GitHubClientSettings
from pipelines.config import CandorConfig
from pipelines.shared.sandbox import sandbox_org
from simulator.server import SandboxServer


class GitHubResource(dg.ConfigurableResource):
    """Where the GitHub connector connects: github.com, a GitHub Enterprise server, or (with
    `base_url: sandbox`) the simulated organization, started on 127.0.0.1 for the run.

    The token comes from the environment variable named by `sources.github.token_env`; it is
    never logged, stored or shown in metadata.
    """

    @contextmanager
    def client_settings(self, config: CandorConfig) -> Iterator[GitHubClientSettings]:
        source = config.sources.github
        if source is None:
            raise dg.Failure("candor.yaml has no `sources.github:` section; add one")
        common = {
            "retry_total": source.retry_total,
            "max_rate_limit_wait_s": source.max_rate_limit_wait_s,
        }
        if source.base_url == "sandbox":
            assert config.sandbox is not None  # guaranteed by config validation
            org = sandbox_org(config.sandbox)
            sandbox = config.sandbox
            with SandboxServer(
                org, rate_limit=sandbox.rate_limit, latency_ms=sandbox.latency_ms
            ) as server:
                yield GitHubClientSettings(base_url=server.base_url, token=server.token, **common)
            return
        token = os.environ.get(source.token_env, "")
        if not token:
            raise dg.Failure(
                f"environment variable {source.token_env} is not set (sources.github.token_env); "
                "export a GitHub token that can read the configured repositories"
            )
        yield GitHubClientSettings(base_url=source.base_url, token=token, **common)
