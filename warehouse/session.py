"""How much of the machine a run's DuckDB session may use: `warehouse.memory_limit`, `threads`.

DuckDB's own default is 80% of the machine's memory, so a warehouse that grows tenfold can take
a shared scheduler host with it. A run sets a ceiling instead; DuckDB then spills large joins
and sorts to a temporary folder next to the database file and stays within it.
"""

from __future__ import annotations

import duckdb

from warehouse.engine_check import duckdb_refusal

DEFAULT_MEMORY_LIMIT = "1GB"


def check_memory_limit(value: str) -> str:
    """`value` if DuckDB accepts it as a memory_limit; ValueError with DuckDB's reason if not."""
    reason = _refusal(value)
    if reason is not None:
        raise ValueError(f"is not a memory size DuckDB accepts ({reason}); e.g. 1GB or 512MiB")
    return value


def _refusal(value: str) -> str | None:
    reason = duckdb_refusal("set memory_limit = ?", [value], changes_session=True)
    return None if reason is None else reason.split(": ", 1)[-1]


def limit_session(con: duckdb.DuckDBPyConnection, memory_limit: str | None,
                  threads: int | None) -> None:
    """Apply the configured ceiling to an open session (values bound, never formatted)."""
    if memory_limit:
        con.execute("set memory_limit = ?", [memory_limit])
    if threads:
        con.execute("set threads = ?", [threads])
