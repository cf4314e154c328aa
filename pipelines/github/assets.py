"""raw/github_*, meta/sync_status: GitHub deployments, pull requests, reviews, change sets and
issues, and the health of their sync.

One multi-asset fetches every configured repository (in parallel, bounded threads) and writes
each repository's batch together with its sync cursors in one DuckDB transaction, so a run that
is killed midway loses nothing and the next run resumes where the committed cursors point.
A repository that fails is recorded in meta.sync_status and keeps its data; the asset still
succeeds, so every model is built, and `meta/sync_report` fails the run at its end.

The sync stops at the run's deadline: `schedule.max_run_minutes` after the run started (the
Dagster run record's start time; the asset's own start when the record has none). What was
committed stays; the repositories not finished are failures of this attempt ("not refreshed
this run"), listed by `meta/sync_report`.
"""

import dataclasses
import time

import dagster as dg

from connectors.github.settings import SOURCE
from connectors.github.tables import GITHUB_TABLES
from pipelines.github.ingest import IngestReport, ingest_github, repo_signal
from pipelines.github.resources import GitHubResource
from pipelines.shared.metadata import table_metadata
from pipelines.shared.resources import CandorResource
from warehouse.comments import declared_comments
from warehouse.sync_state import read_cursors

SYNC_STATUS_KEY = dg.AssetKey(["meta", "sync_status"])
"""Written by every ingestion; its metadata carries the attempt time `meta/sync_report` reads."""

ATTEMPTED_AT = "sync_attempted_at"
FAILED_REPOSITORIES = "failed_repositories"
UNKNOWN_CHANGE_SETS = "unknown_change_sets"


class GitHubIngestConfig(dg.Config):
    """Run options for GitHub ingestion."""

    full_refresh: bool = False
    """Ignore the sync cursors and re-read every repository from the start (backfill); each
    repository's raw rows are replaced in the same transaction as its new cursors."""


@dg.multi_asset(
    name="github_ingest",
    specs=[
        *(
            dg.AssetSpec(
                table.name.split("."),
                description=declared_comments("raw")[table.name].comment,
                group_name="github",
                kinds={"github", "duckdb"},
            )
            for table in GITHUB_TABLES
        ),
        dg.AssetSpec(
            SYNC_STATUS_KEY,
            description="When each repository and resource last synced, and why the last "
            "attempt failed if it did (one row per source, repository and resource).",
            group_name="github",
            kinds={"duckdb"},
        ),
    ],
    pool="duckdb",
)
def github_ingest(
    context: dg.AssetExecutionContext,
    config: GitHubIngestConfig,
    candor: CandorResource,
    github: GitHubResource,
):
    """Fetch deployments, statuses, change sets, pull requests (commits, reviews, review
    comments) and issues of every repository in candor.yaml, incrementally. A repository that
    cannot be synced keeps its data and is listed in `failed_repositories`."""
    candor_yaml = candor.config
    repos = [(r, repo_signal(candor_yaml, r)) for _, r in candor_yaml.github_repos()]
    minutes = candor_yaml.schedule.max_run_minutes
    deadline = _run_started_at(context) + minutes * 60
    with candor.writer() as con, github.client_settings(candor_yaml) as client_settings:
        report = ingest_github(
            con,
            dataclasses.replace(client_settings, deadline=deadline, deadline_minutes=minutes),
            repos,
            {} if config.full_refresh else read_cursors(con, SOURCE),
            full_refresh=config.full_refresh,
            max_workers=candor_yaml.sources.github.max_workers,
            status_repoll_days=candor_yaml.sources.github.status_repoll_days,
            progress=context.log.info,
        )
        for failed, reason in sorted(report.failures.items()):
            context.log.warning(f"github {failed} not synced this run: {reason}")
        shared = _report_metadata(report)
        for table in GITHUB_TABLES:
            yield dg.MaterializeResult(
                asset_key=table.name.split("."),
                metadata={**table_metadata(con, table.name), **shared},
            )
        yield dg.MaterializeResult(
            asset_key=SYNC_STATUS_KEY,
            metadata={**table_metadata(con, "meta.sync_status"), **shared},
        )


def _run_started_at(context: dg.AssetExecutionContext) -> float:
    """Epoch seconds when this run started, from the instance's run record; now if unknown."""
    record = context.instance.get_run_record_by_id(context.run.run_id)
    started = record.start_time if record is not None else None
    return started if started is not None else time.time()


def _report_metadata(report: IngestReport) -> dict[str, dg.MetadataValue]:
    return {
        "requests": dg.MetadataValue.int(report.requests),
        "not_modified_304": dg.MetadataValue.int(report.not_modified),
        "chunks_committed": dg.MetadataValue.int(report.chunks),
        ATTEMPTED_AT: dg.MetadataValue.text(report.attempted_at.isoformat()),
        FAILED_REPOSITORIES: dg.MetadataValue.json(dict(sorted(report.failures.items()))),
        UNKNOWN_CHANGE_SETS: dg.MetadataValue.json(report.unknown_change_sets),
    }
