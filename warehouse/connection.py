"""Where the warehouse file is, and the two ways to open it: read-write and read-only.

DuckDB lets one process hold a database file for writing; while it does, no other process may
open the file at all, not even read-only. Writers (a Candor run) therefore open, write and close
(consecutive steps of a run share one connection for up to a second, warehouse/held_writer.py),
and wait a bounded time (`warehouse.lock_wait_s`) for a reader of the live file to let go;
readers outside a run use the copy published by `publish_read_only_copy`
(`warehouse.reading`), or `connect_read_only` on the live file when asked to.
"""

from __future__ import annotations

import logging
import os
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from warehouse.errors import WarehouseError, WarehouseLockedError, WarehouseNotFoundError
from warehouse.migrations import apply_migrations
from warehouse.session import limit_session

WAREHOUSE_ENV = "CANDOR_WAREHOUSE"
DEFAULT_WAREHOUSE_PATH = ".candor/warehouse.duckdb"

# DuckDB's lock error ends with: `Conflicting lock is held in /usr/bin/python3 (PID 1234).`
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")

LOCK_WAIT_SETTING = "warehouse.lock_wait_s"
WAITING_PREFIX = "Waiting for the warehouse"
"""How the one line a writer logs when it starts waiting for the file begins (the CLI shows it)."""

# Pauses between attempts: short at first (a reader's query takes milliseconds), growing so a
# long wait costs little, never so long that a gap between two reader queries is missed.
_FIRST_PAUSE_S = 0.05
_LONGEST_PAUSE_S = 1.0

log = logging.getLogger(__name__)


def warehouse_path(configured: str | None) -> Path:
    """The warehouse file to use: $CANDOR_WAREHOUSE, else `configured`, else the default.

    Relative paths are taken from the current directory. The parent directory is created so
    that a first run can create the file.
    """
    chosen = os.environ.get(WAREHOUSE_ENV) or configured or DEFAULT_WAREHOUSE_PATH
    path = Path(chosen).expanduser().absolute()
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def connect(
    path: str | Path,
    *,
    lock_wait_s: float = 0.0,
    on_wait: Callable[[str], None] | None = None,
    before_migrations: Callable[[duckdb.DuckDBPyConnection], object] | None = None,
    memory_limit: str | None = None,
    threads: int | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-write (creating the file if needed) and apply pending migrations.

    `before_migrations` runs on the open connection before any migration writes (the run's
    integrity read, warehouse/integrity.py, so a damaged file is refused before it is written
    into); if it raises, the connection is closed and nothing was written.

    While another process has the file open, tries again after growing pauses (50 ms doubling
    to 1 s, jittered) for up to `lock_wait_s` seconds; `on_wait` (default: this module's
    logger, as a warning) is told once, when the wait starts, who holds the file and for how
    long this will wait. Raises WarehouseLockedError when the wait is over (at once with 0), and
    MigrationError if the file was migrated by a newer Candor. `memory_limit` and `threads`
    bound the session (warehouse/session.py); None keeps DuckDB's defaults.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _open_when_free(path, lock_wait_s, on_wait or log.warning)
    try:
        limit_session(con, memory_limit, threads)
        if before_migrations is not None:
            before_migrations(con)
        apply_migrations(con, path)
    except BaseException:
        con.close()
        raise
    return con


def _open_when_free(
    path: Path, wait_s: float, on_wait: Callable[[str], None]
) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_s
    pause = _FIRST_PAUSE_S
    waited = False
    while True:
        try:
            return open_database(path, read_only=False)
        except WarehouseLockedError as locked:
            left = deadline - time.monotonic()
            if left <= 0:
                if not waited:
                    raise
                raise WarehouseLockedError(
                    f"{locked} Waited {wait_s:g} s for it ({LOCK_WAIT_SETTING} in candor.yaml).",
                    locked.holder,
                ) from None
            if not waited:
                waited = True
                on_wait(
                    f"{WAITING_PREFIX} {path}: {locked.holder} has it open; trying again for up "
                    f"to {wait_s:g} s ({LOCK_WAIT_SETTING})"
                )
            # Jitter, so a writer does not fall into step with a reader that queries on a beat.
            time.sleep(min(left, pause * random.uniform(0.5, 1.0)))
            pause = min(pause * 2, _LONGEST_PAUSE_S)


def connect_read_only(path: str | Path) -> duckdb.DuckDBPyConnection:
    """Open an existing warehouse for reading only (`candor sql`, notebooks); writes fail."""
    path = Path(path)
    if not path.is_file():
        raise WarehouseNotFoundError(
            f"No warehouse at {path}: run `candor run` (or `make demo`) first, or point "
            f"{WAREHOUSE_ENV} at an existing file."
        )
    return open_database(path, read_only=True)


def open_database(path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    """duckdb.connect with Candor's session settings and a clear message when the file is locked.

    Every session runs in UTC so that TIMESTAMPTZ values print, cast and hash the same way on
    every machine (the metric rules are defined in UTC).
    """
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "Could not set lock" in str(exc):
            holder = _lock_holder(str(exc))
            raise WarehouseLockedError(_lock_message(path, holder, read_only), holder) from None
        raise WarehouseError(
            f"Cannot open the warehouse {path}: {exc}; check that the path is a DuckDB file "
            "this user may read and write."
        ) from exc
    except duckdb.ConnectionException as exc:
        # Same process, same file, other mode: DuckDB shares one instance per file per process.
        raise WarehouseError(
            f"The warehouse {path} is already open in this process in "
            f"{'read-write' if read_only else 'read-only'} mode: close that connection first "
            f"({exc})."
        ) from None
    con.execute("set TimeZone = 'UTC'")
    return con


def _lock_holder(duckdb_message: str) -> str:
    holder = _LOCK_HOLDER.search(duckdb_message)
    return f"process {holder['pid']} ({holder['program']})" if holder else "another process"


def _lock_message(path: Path, who: str, read_only: bool) -> str:
    if read_only:
        return (
            f"Cannot read the warehouse {path}: {who} is writing it, and DuckDB lets no other "
            "process open the file meanwhile; read the published read-only copy instead, or "
            "try again when that run has finished."
        )
    return (
        f"Cannot write to the warehouse {path}: {who} has it open (a run, `candor sql` or a "
        "notebook), and DuckDB lets only one process use the file while it is written; close "
        "or stop that process, or wait for it to finish, and try again."
    )
