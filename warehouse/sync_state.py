"""Sync cursors (meta.sync_state): where the next incremental fetch of each resource starts.

A cursor is only ever written in the transaction that writes the rows it covers (see
loading.write_batch), so after a crash the cursors never point past committed data.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from connectors.contract import Cursor
from warehouse.queries import query

CursorKey = tuple[str, str]  # (scope, resource), e.g. ('acme/web', 'deployments')


def read_cursors(con: duckdb.DuckDBPyConnection, source: str) -> dict[CursorKey, Cursor]:
    """Every stored cursor of `source`, keyed by (scope, resource)."""
    rows = con.execute(query("sync_state.sql", "read_cursors"), {"source": source}).fetchall()
    return {(row[1], row[2]): Cursor(*row) for row in rows}


def reset_cursors(con: duckdb.DuckDBPyConnection, source: str) -> int:
    """Forget every cursor of `source`, so its next sync reads everything; returns how many."""
    return con.execute(query("sync_state.sql", "reset_cursors"), {"source": source}).fetchone()[0]


def write_cursors(con: duckdb.DuckDBPyConnection, cursors: Iterable[Cursor]) -> None:
    """Insert or replace `cursors`, stamped with the current transaction's start time.

    Runs in the caller's transaction: the caller commits cursors together with their rows.
    """
    statement = query("sync_state.sql", "upsert_cursor")
    for cursor in cursors:
        con.execute(
            statement,
            {
                "source": cursor.source,
                "scope": cursor.scope,
                "resource": cursor.resource,
                "cursor": cursor.cursor,
                "etag": cursor.etag,
            },
        )


def forget_scope(con: duckdb.DuckDBPyConnection, source: str, scope: str) -> None:
    """Delete the cursors of one scope (repository) of `source`, in the caller's transaction."""
    con.execute(query("sync_state.sql", "forget_scope"), {"source": source, "scope": scope})
