"""Stale repositories, read from marts.source_freshness for the CLI and the sync report.

The staleness rule (the limit `rules.stale_after_hours`, "as fresh as its least fresh
resource", a repository never synced is stale) lives in the SQL model only; this reads its
verdict so that the warning a platform team sees and the column a leader reads never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

STALE_SQL = Path(__file__).with_name("stale_repositories.sql")


@dataclass(frozen=True)
class StaleRepository:
    """A configured repository whose data is older than the freshness limit."""

    repo: str
    last_success_at: datetime | None  # None: never synced successfully
    last_error: str | None  # why its last attempt failed, if it did
    stale_after_hours: float
    assessed_at: datetime


def stale_repositories(con: duckdb.DuckDBPyConnection) -> list[StaleRepository]:
    """The stale repositories as of the last build of the marts; none before the first build."""
    try:
        rows = con.execute(STALE_SQL.read_text(encoding="utf-8")).fetchall()
    except duckdb.CatalogException:
        return []  # the marts were never built: nothing has been assessed yet
    return [StaleRepository(*row) for row in rows]
