"""raw/github_*, meta/sync_status: GitHub deployments, pull requests, reviews, change sets and
issues, and the health of their sync.

One multi-asset fetches every configured repository (in parallel, bounded threads) and writes
each repository's batch together with its sync cursors in one DuckDB transaction, so a run that
is killed midway loses nothing and the next run resumes where the committed cursors point.
A repository that fails is recorded in meta.sync_status and keeps its data; the asset still
succeeds, so every model is built, and `meta/sync_report` fails the run at its end.
"""

import dagster as dg

from connectors.github.settings import SOURCE
from pipelines.github.ingest import IngestReport, ingest_github, repo_signal
from pipelines.github.resources import GitHubResource
from pipelines.shared.metadata import table_metadata
from pipelines.shared.resources import CandorResource
from warehouse.raw_tables import RAW_GITHUB_TABLES
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
                description=table.description,
                group_name="github",
                kinds={"github", "duckdb"},
            )
            for table in RAW_GITHUB_TABLES
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
    with candor.writer() as con, github.client_settings(candor_yaml) as client_settings:
        report = ingest_github(
            con,
            client_settings,
            repos,
            {} if config.full_refresh else read_cursors(con, SOURCE),
            full_refresh=config.full_refresh,
            max_workers=candor_yaml.sources.github.max_workers,
            progress=context.log.info,
        )
        for failed, reason in sorted(report.failures.items()):
            context.log.warning(f"github {failed} not synced this run: {reason}")
        shared = _report_metadata(report)
        for table in RAW_GITHUB_TABLES:
            yield dg.MaterializeResult(
                asset_key=table.name.split("."),
                metadata={**table_metadata(con, table.name), **shared},
            )
        yield dg.MaterializeResult(
            asset_key=SYNC_STATUS_KEY,
            metadata={**table_metadata(con, "meta.sync_status"), **shared},
        )


def _report_metadata(report: IngestReport) -> dict[str, dg.MetadataValue]:
    return {
        "requests": dg.MetadataValue.int(report.requests),
        "not_modified_304": dg.MetadataValue.int(report.not_modified),
        ATTEMPTED_AT: dg.MetadataValue.text(report.attempted_at.isoformat()),
        FAILED_REPOSITORIES: dg.MetadataValue.json(dict(sorted(report.failures.items()))),
        UNKNOWN_CHANGE_SETS: dg.MetadataValue.json(report.unknown_change_sets),
    }
