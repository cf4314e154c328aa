"""meta/sync_report: the run's verdict on GitHub ingestion, given after everything else is built.

Ingestion succeeds even when repositories fail, so that every other team's numbers are built
and published. This asset runs last (after `published/warehouse_snapshot`) and fails the run,
one line per repository, when a repository could not be synced in this run or the change set
of a production deployment became unknown; `candor run` then exits non-zero with those lines.
"""

from datetime import datetime

import dagster as dg

from connectors.github.settings import SOURCE
from pipelines.github.assets import (
    ATTEMPTED_AT,
    FAILED_REPOSITORIES,
    SYNC_STATUS_KEY,
    UNKNOWN_CHANGE_SETS,
)
from pipelines.shared.freshness import stale_repositories
from pipelines.shared.resources import CandorResource
from warehouse.sync_status import ScopeFailure, failures_of_attempt

SYNC_REPORT_KEY = dg.AssetKey(["meta", "sync_report"])


@dg.asset(
    key=SYNC_REPORT_KEY,
    deps=[dg.AssetKey(["published", "warehouse_snapshot"])],
    group_name="github",
    kinds={"duckdb"},
    pool="duckdb",
)
def sync_report(context: dg.AssetExecutionContext, candor: CandorResource):
    """Fails when a repository could not be synced in this run (its numbers use the data of its
    last successful sync, see meta.sync_status) or a production deployment's change set became
    unknown, with one line per repository naming the reason and the fix. Succeeds otherwise.
    Runs after every model is built and published, so one bad repository never holds back the
    others."""
    ingested = context.instance.get_latest_materialization_event(SYNC_STATUS_KEY)
    if ingested is None or ingested.run_id != context.run.run_id:
        return dg.MaterializeResult(metadata={"github_sync": "not part of this run"})
    facts = ingested.asset_materialization.metadata
    attempted_at = datetime.fromisoformat(facts[ATTEMPTED_AT].value)
    with candor.writer() as con:
        failures = failures_of_attempt(con, SOURCE, attempted_at)
        stale = stale_repositories(con)
    unknown: list[str] = list(facts[UNKNOWN_CHANGE_SETS].value)
    repositories = len(candor.config.github_repos())
    metadata = {
        FAILED_REPOSITORIES: dg.MetadataValue.json({f.scope: f.last_error for f in failures}),
        UNKNOWN_CHANGE_SETS: dg.MetadataValue.json(unknown),
        "stale_repositories": dg.MetadataValue.json(
            {s.repo: _since(s.last_success_at) for s in stale}
        ),
    }
    if not failures and not unknown:
        context.log.info(f"all {repositories} GitHub repositories synced")
        return dg.MaterializeResult(metadata=metadata)
    problems = []
    if failures:
        problems.append(
            f"GitHub sync failed for {len(failures)} of {repositories} repositories this run "
            "(their numbers use the data of their last successful sync)"
        )
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


def _since(moment: datetime | None) -> str:
    return "never" if moment is None else f"{moment:%Y-%m-%d %H:%M} UTC"


def _failure_line(failure: ScopeFailure) -> str:
    """`repo (last synced ...): reason and fix` for one failed repository."""
    return f"{failure.scope} (last synced: {_since(failure.last_success_at)}): {failure.last_error}"
