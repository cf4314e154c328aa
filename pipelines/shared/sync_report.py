"""meta/sync_status and meta/sync_report: the health of every configured source's sync, and the
run's verdict on it, given after everything else is built.

Ingestion succeeds even when scopes (repositories) fail, so that every other team's numbers are
built and published. `meta/sync_report` runs last (after `published/warehouse_snapshot`) and
fails the run, one line per scope, when a scope of any source could not be synced in this run
or data became unknown (a GitHub change set compare refused); `candor run` then exits non-zero
with those lines.
"""


from datetime import datetime

import dagster as dg

from pipelines.shared.freshness import stale_repositories
from pipelines.shared.ingest_asset import (
    ATTEMPTED_AT,
    FAILED_REPOSITORIES,
    SCOPES,
    UNKNOWN_CHANGE_SETS,
)
from pipelines.shared.ingest_source import IngestSource
from pipelines.shared.metadata import table_metadata
from pipelines.shared.resources import CandorResource
from warehouse.sync_status import ScopeFailure, failures_of_attempt

SYNC_STATUS_KEY = dg.AssetKey(["meta", "sync_status"])
SYNC_REPORT_KEY = dg.AssetKey(["meta", "sync_report"])


def _ingested_keys(sources: list[IngestSource]) -> list[dg.AssetKey]:
    return [dg.AssetKey(table.name.split(".")) for s in sources for table in s.tables]


def sync_status_asset(sources: list[IngestSource]) -> dg.AssetsDefinition:
    """meta/sync_status, after every configured source's ingestion."""

    @dg.asset(key=SYNC_STATUS_KEY, deps=_ingested_keys(sources), group_name="meta",
              kinds={"duckdb"}, pool="duckdb")
    def sync_status(candor: CandorResource):
        """When each scope (repository) and resource of each source last synced, and why the
        last attempt failed if it did (one row per source, scope and resource)."""
        with candor.writer() as con:
            return dg.MaterializeResult(metadata=table_metadata(con, "meta.sync_status"))

    return sync_status


def sync_report_asset(sources: list[IngestSource]) -> dg.AssetsDefinition:
    """meta/sync_report over the ingestions of `sources`."""

    @dg.asset(key=SYNC_REPORT_KEY, deps=[dg.AssetKey(["published", "warehouse_snapshot"])],
              group_name="meta", kinds={"duckdb"}, pool="duckdb")
    def sync_report(context: dg.AssetExecutionContext, candor: CandorResource):
        """Fails when a repository of any source could not be synced in this run (its numbers
        use the data of its last successful sync, see meta.sync_status) or a production
        deployment's change set became unknown, with one line per repository naming the reason
        and the fix. Succeeds otherwise. Runs after every model is built and published, so one
        bad repository never holds back the others."""
        failures: list[ScopeFailure] = []
        unknown: list[str] = []
        problems: list[str] = []
        ran: list[str] = []  # titles of the sources ingested in this run
        with candor.writer() as con:
            for source in sources:
                facts = _this_run_facts(context, source)
                if facts is None:
                    continue
                ran.append(source.title)
                attempted_at = datetime.fromisoformat(facts[ATTEMPTED_AT].value)
                failed = failures_of_attempt(con, source.name, attempted_at)
                scopes = facts[SCOPES].value
                if failed:
                    problems.append(
                        f"{source.title} sync failed for {len(failed)} of {scopes} repositories "
                        "this run (their numbers use the data of their last successful sync)"
                    )
                failures += failed
                unknown += list(facts[UNKNOWN_CHANGE_SETS].value)
            stale = stale_repositories(con)
        metadata = {
            FAILED_REPOSITORIES: dg.MetadataValue.json({f.scope: f.last_error for f in failures}),
            UNKNOWN_CHANGE_SETS: dg.MetadataValue.json(unknown),
            "stale_repositories": dg.MetadataValue.json(
                {s.repo: _since(s.last_success_at) for s in stale}
            ),
        }
        if not ran:
            return dg.MaterializeResult(metadata={"sync": "no source ingested in this run"})
        if not failures and not unknown:
            context.log.info(f"every {' and '.join(ran)} repository synced")
            return dg.MaterializeResult(metadata=metadata)
        if unknown:
            problems.append(f"{len(unknown)} repositories have new unknown change sets")
        raise dg.Failure(
            description="\n".join(
                [
                    "; ".join(problems) + "; every model was built:",
                    *(_failure_line(f) for f in failures),
                    *unknown,
                ]
            ),
            metadata=metadata,
        )

    return sync_report


def _this_run_facts(context: dg.AssetExecutionContext, source: IngestSource):
    """The ingestion facts `source` recorded in this run (on its first raw table), or None."""
    key = dg.AssetKey(source.tables.tables[0].name.split("."))
    ingested = context.instance.get_latest_materialization_event(key)
    if ingested is None or ingested.run_id != context.run.run_id:
        return None
    return ingested.asset_materialization.metadata


def _since(moment: datetime | None) -> str:
    return "never" if moment is None else f"{moment:%Y-%m-%d %H:%M} UTC"


def _failure_line(failure: ScopeFailure) -> str:
    """`repo (last synced ...): reason and fix` for one failed repository."""
    return f"{failure.scope} (last synced: {_since(failure.last_success_at)}): {failure.last_error}"
