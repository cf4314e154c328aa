"""The GitLab source as the pipeline plugs it in (registered in pipelines/sources.py).

Each project is synced and written in one batch of its own: its rows and cursors in one
transaction, or, when its sync fails, nothing, and a failure row per resource in
meta.sync_status (its last success kept), which `meta/sync_report` and the CLI report like a
GitHub repository's. One project's failure never stops the others."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import UTC, datetime

import gitlab

from connectors.gitlab.errors import GitLabSyncError
from connectors.gitlab.settings import RESOURCES, SOURCE
from connectors.gitlab.sync import sync_project
from connectors.gitlab.tables import GITLAB_TABLES
from pipelines.config import CandorConfig
from pipelines.gitlab.resources import GitLabResource
from pipelines.shared.ingest_source import IngestReport, IngestRun, IngestSource
from warehouse.errors import WarehouseLoadError
from warehouse.loading import write_batch
from warehouse.sync_state import read_cursors
from warehouse.sync_status import record_failure


def _ingest(run: IngestRun) -> IngestReport:
    resource = run.resource
    assert isinstance(resource, GitLabResource)
    source = run.config.sources.gitlab
    assert source is not None  # only configured sources are ingested
    repos = [repo for _, repo in run.config.gitlab_repos()]
    report = IngestReport(attempted_at=datetime.now(UTC), repositories=len(repos))
    stored = {} if run.full_refresh else read_cursors(run.con, SOURCE)
    with resource.settings(run.config, run.deadline) as settings, ThreadPoolExecutor(
            max_workers=source.max_workers, thread_name_prefix="gitlab-sync") as pool:
        # Projects are fetched side by side; each is written on this thread (the warehouse
        # connection's) as soon as it is fetched, in one transaction of its own.
        pending = {
            pool.submit(sync_project, settings, repo,
                        {name: cursor for (scope, name), cursor in stored.items()
                         if scope == repo}): repo
            for repo in repos}
        for done, future in enumerate(as_completed(pending), start=1):
            repo = pending[future]
            counted = f"[{done}/{len(repos)} repositories]"
            try:
                batch = future.result()
                rows = write_batch(run.con, GITLAB_TABLES, batch, replace=run.full_refresh,
                                   attempted_at=report.attempted_at)
            # One project's failure, whatever it is, is recorded and reported, never a stop of
            # the run: the other projects go on and every model builds on the data stored.
            except Exception as problem:
                reason = _reason(problem)
                report.failures[repo] = reason
                record_failure(run.con, SOURCE, repo, RESOURCES, reason, report.attempted_at)
                run.log(f"gitlab {repo}: FAILED, not refreshed: {reason} {counted}")
                continue
            for table, count in rows.items():
                report.rows[table] = report.rows.get(table, 0) + count
            report.requests += batch.requests
            report.chunks += 1
            run.log(f"gitlab {repo}: {len(batch.deployments)} deployments, "
                    f"{len(batch.merge_requests)} merge requests, {len(batch.issues)} issues; "
                    f"{batch.requests} requests {counted}")
    return report


def _reason(problem: Exception) -> str:
    if isinstance(problem, gitlab.GitlabError):
        # python-gitlab's message is GitLab's answer; name the status with it
        code = f"{problem.response_code} " if problem.response_code else ""
        return f"GitLab answered {code}{problem.error_message}".strip()
    if isinstance(problem, GitLabSyncError | WarehouseLoadError):
        return str(problem)
    # not a failure the connector knows: say what it was, for a bug report
    return f"{type(problem).__name__}: {problem}"


def _configured(config: CandorConfig) -> bool:
    return config.sources.gitlab is not None


GITLAB = IngestSource(
    name=SOURCE,
    title="GitLab",
    tables=GITLAB_TABLES,
    description=(
        "Fetch each GitLab project's deployments (and the change set of each successful one), "
        "merge requests with their commits and notes, and issues, incrementally by "
        "updated_after. A project that cannot be synced keeps its data and the failure is "
        "reported in `meta/sync_report`."
    ),
    resource_key="gitlab",
    resource=GitLabResource,
    configured=_configured,
    ingest=_ingest,
)
