"""Ask DuckDB itself whether it accepts a value: a setting, a pattern (one rule, one engine)."""

from __future__ import annotations

import duckdb


def duckdb_refusal(statement: str, parameters: list[object]) -> str | None:
    """DuckDB's reason for refusing `statement` with bound `parameters`, or None if it runs.

    A throwaway in-memory DuckDB runs the statement; it never sees data. Only the message
    leaves this function: an exception kept alive (a ValidationError's context) would keep the
    connection alive past the interpreter's shutdown.
    """
    engine = duckdb.connect()
    try:
        engine.execute(statement, parameters).fetchall()
    except duckdb.Error as exc:
        return str(exc)
    finally:
        engine.close()
    return None
