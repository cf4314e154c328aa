"""The PagerDuty source as the pipeline plugs it in (registered in pipelines/sources.py).

The account is synced in one batch: its services, incidents and log entries and their cursors
are written in one transaction, or, when the sync fails, nothing is written and each resource
gets a failure row in meta.sync_status (its last success kept), which `meta/sync_report` and
the CLI report like a GitHub repository's."""

from __future__ import annotations

from datetime import UTC, datetime

import pagerduty

from connectors.pagerduty.errors import PagerDutySyncError
from connectors.pagerduty.settings import RESOURCES, SOURCE
from connectors.pagerduty.sync import sync_account
from connectors.pagerduty.tables import PAGERDUTY_TABLES
from pipelines.config import CandorConfig
from pipelines.pagerduty.resources import PagerDutyResource
from pipelines.shared.ingest_source import IngestReport, IngestRun, IngestSource
from warehouse.errors import WarehouseLoadError
from warehouse.loading import write_batch
from warehouse.sync_state import read_cursors
from warehouse.sync_status import record_failure


def _ingest(run: IngestRun) -> IngestReport:
    source = run.config.sources.pagerduty
    assert source is not None  # only configured sources are ingested
    resource = run.resource
    assert isinstance(resource, PagerDutyResource)
    report = IngestReport(attempted_at=datetime.now(UTC), repositories=1)
    scope = source.account
    cursors = {} if run.full_refresh else {
        resource_name: cursor
        for (cursor_scope, resource_name), cursor in read_cursors(run.con, SOURCE).items()
        if cursor_scope == scope}
    with resource.settings(run.config, run.deadline) as settings:
        try:
            batch = sync_account(settings, cursors)
            report.rows = write_batch(run.con, PAGERDUTY_TABLES, batch,
                                      replace=run.full_refresh,
                                      attempted_at=report.attempted_at)
        # One source's failure, whatever it is, is recorded and reported, never a stop of the
        # run: every model still builds on the data already stored.
        except Exception as problem:
            reason = _reason(problem)
            report.failures[scope] = reason
            record_failure(run.con, SOURCE, scope, RESOURCES, reason, report.attempted_at)
            run.log(f"pagerduty {scope}: FAILED, not refreshed: {reason} [1/1 accounts]")
            return report
    report.requests = batch.requests
    report.chunks = 1
    run.log(f"pagerduty {scope}: {len(batch.services)} services, {len(batch.incidents)} "
            f"incidents, {len(batch.log_entries)} log entries; {batch.requests} requests in "
            f"{batch.windows} windows [1/1 accounts]")
    return report


def _reason(problem: Exception) -> str:
    if isinstance(problem, pagerduty.HttpError) and problem.response is not None:
        # The client's own message may carry part of the token: name only status and path.
        return (f"PagerDuty answered {problem.response.status_code} to "
                f"{problem.response.request.method} {problem.response.request.url.path}")
    if isinstance(problem, PagerDutySyncError | WarehouseLoadError):
        return str(problem)
    # not a failure the connector knows: say what it was, for a bug report
    return f"{type(problem).__name__}: {problem}"


def _configured(config: CandorConfig) -> bool:
    return config.sources.pagerduty is not None


PAGERDUTY = IngestSource(
    name=SOURCE,
    title="PagerDuty",
    tables=PAGERDUTY_TABLES,
    description=(
        "Fetch the PagerDuty account's services, incidents (created since the last sync, and "
        "those open at it) and their log entries, incrementally in since/until windows. When "
        "the account cannot be synced its data is kept and the failure is reported in "
        "`meta/sync_report`."
    ),
    resource_key="pagerduty",
    resource=PagerDutyResource,
    configured=_configured,
    ingest=_ingest,
)
