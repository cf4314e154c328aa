"""One DuckDB transaction as a context manager: commit on success, roll back on any error."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import duckdb


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run the block in a new transaction on `con`; the connection must not be in one already.

    If the block (or the commit itself) fails, everything the block wrote is rolled back and the
    original error propagates.
    """
    con.begin()
    try:
        yield con
        con.commit()
    except BaseException:
        # A failed commit has already ended the transaction; rolling back again would raise
        # "no transaction is active" and hide the real error.
        with contextlib.suppress(duckdb.Error):
            con.rollback()
        raise
