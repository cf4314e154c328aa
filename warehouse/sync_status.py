"""Sync health (meta.sync_status): when each repository and resource last synced, and why not.

One row per (source, scope, resource). A success is recorded in the transaction that writes the
repository's batch and cursors (loading.write_batch), so the row never claims data that
was not committed; a failure in a transaction of its own that touches nothing else, so the
failed repository's rows and cursors stay exactly as its last success left them. Every row of
one run carries the same `last_attempt_at` (the start of that run's sync), which is how a run
finds its own failures (`failures_of_attempt`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import duckdb

from warehouse.queries import query
from warehouse.transaction import transaction


@dataclass(frozen=True)
class SyncStatus:
    """One row of meta.sync_status."""

    source: str
    scope: str
    resource: str
    last_attempt_at: datetime
    last_success_at: datetime | None
    last_error: str | None
    consecutive_failures: int


@dataclass(frozen=True)
class ScopeFailure:
    """A repository (scope) whose sync failed in one attempt, with the reason and the fix."""

    scope: str
    last_error: str
    last_success_at: datetime | None  # None: never synced successfully
    consecutive_failures: int


def record_success(
    con: duckdb.DuckDBPyConnection,
    source: str,
    scope: str,
    resources: Iterable[str],
    at: datetime,
) -> None:
    """Mark `resources` of `scope` synced as of `at`. Runs in the caller's transaction: the
    caller commits it with the rows and cursors it covers."""
    statement = query("sync_status.sql", "record_success")
    for resource in resources:
        con.execute(
            statement, {"source": source, "scope": scope, "resource": resource, "at": at}
        )


def record_failure(
    con: duckdb.DuckDBPyConnection,
    source: str,
    scope: str,
    resources: Iterable[str],
    error: str,
    at: datetime,
) -> None:
    """Record that the attempt started at `at` failed for `resources` of `scope`, because of
    `error`, in a transaction of its own. The last success is kept; nothing else is written."""
    statement = query("sync_status.sql", "record_failure")
    with transaction(con):
        for resource in resources:
            con.execute(
                statement,
                {"source": source, "scope": scope, "resource": resource, "error": error, "at": at},
            )


def read_sync_status(con: duckdb.DuckDBPyConnection, source: str) -> list[SyncStatus]:
    """Every row of `source`, by scope and resource."""
    rows = con.execute(query("sync_status.sql", "read_status"), {"source": source}).fetchall()
    return [SyncStatus(*row) for row in rows]


def failures_of_attempt(
    con: duckdb.DuckDBPyConnection, source: str, at: datetime
) -> list[ScopeFailure]:
    """The repositories whose sync failed in the attempt (run) started at `at`."""
    rows = con.execute(
        query("sync_status.sql", "failures_of_attempt"), {"source": source, "at": at}
    ).fetchall()
    return [ScopeFailure(*row) for row in rows]

