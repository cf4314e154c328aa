"""How much of the machine a run's DuckDB session may use: `warehouse.memory_limit`, `threads`.

DuckDB's own default is 80% of the machine's memory, so a warehouse that grows tenfold can take
a shared scheduler host with it. A run sets a ceiling instead; DuckDB then spills large joins
and sorts to a temporary folder next to the database file and stays within it.
"""

from __future__ import annotations

import duckdb

DEFAULT_MEMORY_LIMIT = "1GB"


def check_memory_limit(value: str) -> str:
    """`value` if DuckDB accepts it as a memory_limit; ValueError with DuckDB's reason if not."""
    reason = _refusal(value)
    if reason is not None:
        raise ValueError(f"is not a memory size DuckDB accepts ({reason}); e.g. 1GB or 512MiB")
    return value


def _refusal(value: str) -> str | None:
    # Only the message leaves: an exception kept alive in a ValidationError's context would
    # keep the throwaway connection alive past the interpreter's shutdown.
    engine = duckdb.connect()
    try:
        engine.execute("set memory_limit = ?", [value])
    except duckdb.Error as exc:
        return str(exc).split(": ", 1)[-1]
    finally:
        engine.close()
    return None


def limit_session(con: duckdb.DuckDBPyConnection, memory_limit: str | None,
                  threads: int | None) -> None:
    """Apply the configured ceiling to an open session (values bound, never formatted)."""
    if memory_limit:
        con.execute("set memory_limit = ?", [memory_limit])
    if threads:
        con.execute("set threads = ?", [threads])
