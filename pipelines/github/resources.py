"""GitHubResource: connection settings for the GitHub connector, token read from the environment."""

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

from connectors.github.client import GitHubClientSettings, GitHubConfigError
from pipelines.config import CandorConfig


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
            "token_env": source.token_env,
            "retry_total": source.retry_total,
            "max_rate_limit_wait_s": source.max_rate_limit_wait_s,
        }
        if source.base_url == "sandbox":
            sandbox = config.sandbox
            assert sandbox is not None  # guaranteed by config validation
            # Only a sandbox configuration loads the simulator (pipelines/shared/sandbox.py).
            from pipelines.shared.sandbox import sandbox_org, served_org

            with served_org(
                sandbox_org(sandbox), rate_limit=sandbox.rate_limit,
                latency_ms=sandbox.latency_ms,
            ) as server:
                yield GitHubClientSettings(base_url=server.base_url, token=server.token, **common)
            return
        try:
            settings = GitHubClientSettings.from_env(base_url=source.base_url, **common)
        except GitHubConfigError as exc:
            raise dg.Failure(str(exc)) from None
        yield settings
