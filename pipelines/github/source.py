"""The GitHub source as the pipeline plugs it in (registered in pipelines/sources.py)."""

from __future__ import annotations

import dataclasses

from connectors.github.settings import SOURCE
from connectors.github.tables import GITHUB_TABLES
from pipelines.config import CandorConfig
from pipelines.github.ingest import ingest_github, repo_signal
from pipelines.github.resources import GitHubResource
from pipelines.shared.ingest_source import IngestReport, IngestRun, IngestSource
from warehouse.sync_state import read_cursors


def _ingest(run: IngestRun) -> IngestReport:
    config = run.config
    source = config.sources.github
    assert source is not None  # only configured sources are ingested
    repos = [(repo, repo_signal(config, repo)) for _, repo in config.github_repos()]
    resource = run.resource
    assert isinstance(resource, GitHubResource)
    with resource.client_settings(config) as client_settings:
        return ingest_github(
            run.con,
            dataclasses.replace(client_settings, deadline=run.deadline,
                                deadline_minutes=config.schedule.max_run_minutes),
            repos,
            {} if run.full_refresh else read_cursors(run.con, SOURCE),
            full_refresh=run.full_refresh,
            max_workers=source.max_workers,
            status_repoll_days=source.status_repoll_days,
            progress=run.log,
        )


def _configured(config: CandorConfig) -> bool:
    return config.sources.github is not None


GITHUB = IngestSource(
    name=SOURCE,
    title="GitHub",
    tables=GITHUB_TABLES,
    description=(
        "Fetch deployments, statuses, change sets, workflow runs, releases, pull requests "
        "(commits, reviews, review comments) and issues of every repository in candor.yaml, "
        "incrementally. A repository that cannot be synced keeps its data and is listed in "
        "`failed_repositories`."
    ),
    resource_key="github",
    resource=GitHubResource,
    configured=_configured,
    ingest=_ingest,
)
