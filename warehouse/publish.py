"""Publishing a read-only snapshot of the warehouse for readers (DESIGN §8).

While a run writes, DuckDB keeps every other process out of the warehouse file, readers
included. After the run, the writer copies the file to a snapshot that notebooks, `candor sql`
and the report can open read-only at any time. The copy is written beside the target and
renamed over it, so a reader sees the old snapshot or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

import duckdb

from warehouse.connection import open_database
from warehouse.errors import WarehouseError, WarehouseNotFoundError
from warehouse.queries import query

_READ_ONLY_MODE = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


def publish_read_only_copy(
    source: duckdb.DuckDBPyConnection | str | Path, target_path: str | Path
) -> Path:
    """Copy the warehouse (an open writer connection, or a file path) to `target_path`.

    The source is checkpointed first so that the file holds every committed change (nothing
    left in the write-ahead log). Pass the run's own connection while it is open: opening the
    path instead would fail while any other process holds the file. Returns the target path.
    """
    target = Path(target_path).absolute()
    if isinstance(source, duckdb.DuckDBPyConnection):
        database = _checkpointed_file(source)
    else:
        database = Path(source).absolute()
        if not database.is_file():
            raise WarehouseNotFoundError(f"Cannot publish {database}: no such warehouse file.")
        con = open_database(database, read_only=False)
        try:
            _checkpointed_file(con)
        finally:
            con.close()
    if database == target:
        raise WarehouseError(
            f"The read-only copy {target} is the warehouse itself; publish to another path."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.close(handle)
    try:
        shutil.copyfile(database, temporary)
        os.chmod(temporary, _READ_ONLY_MODE)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return target


def _checkpointed_file(con: duckdb.DuckDBPyConnection) -> Path:
    """Write `con`'s committed changes into its database file and return the file's path."""
    path = con.execute(query("catalog.sql", "database_path")).fetchone()[0]
    if not path:
        raise WarehouseError(
            "Cannot publish an in-memory warehouse: connect to a warehouse file instead."
        )
    con.execute("checkpoint")
    return Path(path).absolute()
