"""Ask DuckDB itself whether it accepts a value: a setting, a pattern (one rule, one engine).

The questions go to one in-memory DuckDB per process (`scratch_engine`): it never holds data,
and opening one costs 25-55 ms, which a config load paid once per rule pattern (9 times, about
0.5 s, for the demo's rules) and the model parser once more.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import duckdb

_SCRATCH_LOCK = threading.Lock()


@cache
def _scratch() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


@contextmanager
def scratch_engine() -> Iterator[duckdb.DuckDBPyConnection]:
    """The process's in-memory DuckDB, for one caller at a time (a DuckDB connection is not
    shared by threads). Only statements that leave the session as they found it run here:
    SELECTs, parsing; a `SET` would change it for every later caller."""
    with _SCRATCH_LOCK:
        yield _scratch()


def duckdb_refusal(statement: str, parameters: list[object], *,
                   changes_session: bool = False) -> str | None:
    """DuckDB's reason for refusing `statement` with bound `parameters`, or None if it runs.

    A statement that changes the session (`changes_session`, e.g. `set memory_limit = ?`) runs
    on a throwaway in-memory DuckDB, every other on the shared scratch engine. Only the message
    leaves this function: an exception kept alive (a ValidationError's context) would keep a
    throwaway connection alive past the interpreter's shutdown.
    """
    if changes_session:
        engine = duckdb.connect()
        try:
            return _reason(engine, statement, parameters)
        finally:
            engine.close()
    with scratch_engine() as engine:
        return _reason(engine, statement, parameters)


def _reason(engine: duckdb.DuckDBPyConnection, statement: str,
            parameters: list[object]) -> str | None:
    try:
        engine.execute(statement, parameters).fetchall()
    except duckdb.Error as exc:
        return str(exc)
    return None
