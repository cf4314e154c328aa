"""raw/<source>_*: one ingest multi-asset per configured source, built by one factory.

Each asset fetches every scope (repository) of its source, in parallel bounded threads inside
the source's connector, and writes each scope's chunks together with their sync cursors in one
DuckDB transaction, so a run killed midway loses nothing and the next run resumes where the
committed cursors point. A scope that fails is recorded in meta.sync_status and keeps its data;
the asset still succeeds, so every model is built, and `meta/sync_report` fails the run at its
end, one line per scope.

The sync stops at the run's deadline: `schedule.max_run_minutes` after the run started (the
Dagster run record's start time; the asset's own start when the record has none). What was
committed stays; the scopes not finished are failures of this attempt ("not refreshed this
run"). A run tagged `candor/full_refresh=true` re-reads every source from the start.
"""

import time

import dagster as dg

from pipelines.shared.ingest_source import FULL_REFRESH_TAG, IngestReport, IngestRun, IngestSource
from pipelines.shared.metadata import table_metadata
from pipelines.shared.resources import CandorResource
from warehouse.comments import declared_comments

ATTEMPTED_AT = "sync_attempted_at"
FAILED_REPOSITORIES = "failed_repositories"
UNKNOWN_CHANGE_SETS = "unknown_change_sets"
SCOPES = "repositories"  # how many scopes the source has configured


def is_full_refresh(tags: dict[str, str]) -> bool:
    """Whether a run's tags ask for a full refresh of every source."""
    return tags.get(FULL_REFRESH_TAG, "").strip().lower() in ("true", "1", "yes")


def ingest_asset(source: IngestSource) -> dg.AssetsDefinition:
    """The ingest asset of `source`: one spec per raw table, described by its COMMENT ON."""
    described = declared_comments("raw")

    @dg.multi_asset(
        name=source.asset_name,
        specs=[
            dg.AssetSpec(
                table.name.split("."),
                description=described[table.name].comment,
                group_name=source.name,
                kinds={source.name, "duckdb"},
            )
            for table in source.tables
        ],
        required_resource_keys={"candor", source.resource_key},
        pool="duckdb",
        description=source.description,
    )
    def _ingest(context: dg.AssetExecutionContext):
        candor: CandorResource = context.resources.candor
        config = candor.config
        minutes = config.schedule.max_run_minutes
        full_refresh = is_full_refresh(context.run.tags)
        if full_refresh:
            context.log.info(f"{source.name}: full refresh (run tag {FULL_REFRESH_TAG})")
        with candor.writer() as con:
            report = source.ingest(
                IngestRun(
                    con=con,
                    config=config,
                    resource=getattr(context.resources, source.resource_key),
                    full_refresh=full_refresh,
                    deadline=_run_started_at(context) + minutes * 60,
                    log=context.log.info,
                )
            )
            for failed, reason in sorted(report.failures.items()):
                context.log.warning(f"{source.name} {failed} not synced this run: {reason}")
            shared = report_metadata(report)
            for table in source.tables:
                yield dg.MaterializeResult(
                    asset_key=table.name.split("."),
                    metadata={**table_metadata(con, table.name), **shared},
                )

    return _ingest


def _run_started_at(context: dg.AssetExecutionContext) -> float:
    """Epoch seconds when this run started, from the instance's run record; now if unknown."""
    record = context.instance.get_run_record_by_id(context.run.run_id)
    started = record.start_time if record is not None else None
    return started if started is not None else time.time()


def report_metadata(report: IngestReport) -> dict[str, dg.MetadataValue]:
    """What every raw table of one ingestion carries: its attempt, failures and request counts
    (`meta/sync_report` and the CLI read them)."""
    return {
        "requests": dg.MetadataValue.int(report.requests),
        "not_modified_304": dg.MetadataValue.int(report.not_modified),
        "chunks_committed": dg.MetadataValue.int(report.chunks),
        SCOPES: dg.MetadataValue.int(report.repositories),
        ATTEMPTED_AT: dg.MetadataValue.text(report.attempted_at.isoformat()),
        FAILED_REPOSITORIES: dg.MetadataValue.json(dict(sorted(report.failures.items()))),
        UNKNOWN_CHANGE_SETS: dg.MetadataValue.json(report.unknown_change_sets),
    }
