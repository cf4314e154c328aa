"""raw/github_*: GitHub deployments, pull requests, reviews, change sets and issues.

One multi-asset fetches every configured repository (in parallel, bounded threads) and writes
each repository's batch together with its sync cursors in one DuckDB transaction, so a run that
is killed midway loses nothing and the next run resumes where the committed cursors point.
"""

import dagster as dg

from connectors.github.sync import sync_repos
from pipelines.github.resources import GitHubResource
from pipelines.shared.metadata import table_metadata
from pipelines.shared.resources import CandorResource
from warehouse.loading import write_repo_batch
from warehouse.raw_tables import RAW_GITHUB_TABLES
from warehouse.sync_state import read_cursors


class GitHubIngestConfig(dg.Config):
    """Run options for GitHub ingestion."""

    full_refresh: bool = False
    """Ignore the sync cursors and re-read every repository from the start (backfill); each
    repository's raw rows are replaced in the same transaction as its new cursors."""


@dg.multi_asset(
    name="github_ingest",
    specs=[
        dg.AssetSpec(
            table.name.split("."),
            description=table.description,
            group_name="github",
            kinds={"github", "duckdb"},
        )
        for table in RAW_GITHUB_TABLES
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
    comments) and issues of every repository in candor.yaml, incrementally."""
    candor_yaml = candor.config
    repos = [(r, candor_yaml.production_environment_for(r)) for _, r in candor_yaml.github_repos()]
    requests = not_modified = 0
    with candor.writer() as con, github.client_settings(candor_yaml) as client_settings:
        cursors = {} if config.full_refresh else read_cursors(con, "github")
        batches = sync_repos(
            client_settings,
            repos,
            cursors,
            full_refresh=config.full_refresh,
            max_workers=candor_yaml.sources.github.max_workers,
        )
        for done, batch in enumerate(batches, start=1):
            write_repo_batch(con, batch, replace=config.full_refresh)
            requests += batch.requests
            not_modified += batch.not_modified
            context.log.info(
                f"github {batch.repo}: {len(batch.deployments)} deployments, "
                f"{len(batch.pull_requests)} pull requests, {len(batch.issues)} issues; "
                f"{batch.requests} requests ({batch.not_modified} not modified) "
                f"[{done}/{len(repos)} repositories]"
            )
        for table in RAW_GITHUB_TABLES:
            metadata = table_metadata(con, table.name)
            metadata["requests"] = dg.MetadataValue.int(requests)
            metadata["not_modified_304"] = dg.MetadataValue.int(not_modified)
            yield dg.MaterializeResult(asset_key=table.name.split("."), metadata=metadata)
