"""GitLabResource: where the GitLab connector connects; the token read from the environment."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

from connectors.gitlab.client import GitLabSettings
from pipelines.config import CandorConfig


class GitLabResource(dg.ConfigurableResource):
    """GitLab.com or a self-hosted GitLab (`sources.gitlab.url`, its root URL) or, with
    `url: sandbox`, the simulated organization's GitLab served on 127.0.0.1.

    The token comes from the environment variable named by `sources.gitlab.token_env` (a
    personal, group or project access token with read_api); it is never logged, stored or shown
    in metadata.
    """

    @contextmanager
    def settings(self, config: CandorConfig, deadline: float | None) -> Iterator[
            GitLabSettings]:
        source = config.sources.gitlab
        if source is None:
            raise dg.Failure("candor.yaml has no `sources.gitlab:` section; add one")
        common = {"attempts": source.retry_total,
                  "max_wait_s": float(source.max_rate_limit_wait_s), "deadline": deadline}
        if source.url == "sandbox":
            assert config.sandbox is not None  # guaranteed by config validation
            # Only a sandbox configuration loads the simulator (pipelines/shared/sandbox.py).
            from pipelines.shared.sandbox import sandbox_org, served_gitlab

            projects = [repo for _, repo in config.gitlab_repos()]
            with served_gitlab(sandbox_org(config.sandbox), projects) as server:
                yield GitLabSettings(token=server.token, url=server.url, **common)
            return
        token = os.environ.get(source.token_env, "").strip()
        if not token:
            raise dg.Failure(
                f"the environment variable {source.token_env} (sources.gitlab.token_env) is "
                "not set: give it a GitLab access token with the read_api scope")
        yield GitLabSettings(token=token, url=source.url, **common)
