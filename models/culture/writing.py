"""Replace the three culture tables in one transaction.

Readers see either the previous build or the new one, never a half-written mix in which, say, a
team is suppressed in one table and not yet in another.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from models.culture.inputs import SQL_DIR
from models.culture.rows import OrgWaveRow, ReliabilityRow, TeamWaveRow, as_columns


def _insert(con: duckdb.DuckDBPyConnection, sql_file: str, rows: Sequence) -> None:
    if rows:
        con.execute((SQL_DIR / sql_file).read_text(), as_columns(rows))


def replace_culture_tables(
    con: duckdb.DuckDBPyConnection,
    team_rows: Sequence[TeamWaveRow],
    org_rows: Sequence[OrgWaveRow],
    reliability_rows: Sequence[ReliabilityRow],
) -> None:
    """Recreate marts.culture_team_wave, marts.culture_org_wave and analysis.reliability."""
    con.execute("begin transaction")
    try:
        con.execute((SQL_DIR / "culture_tables.sql").read_text())
        _insert(con, "insert_culture_team_wave.sql", team_rows)
        _insert(con, "insert_culture_org_wave.sql", org_rows)
        _insert(con, "insert_reliability.sql", reliability_rows)
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")
