"""Reading the whole warehouse once before a run writes to it, so a damaged file is refused.

DuckDB keeps a checksum in every block of the file and verifies it whenever it reads the block
from disk, but it reads a block only when a query needs it: a file with a damaged data block
opens, answers every query that does not touch that block, and accepts writes, so a run would
build marts over a file that can no longer be read whole (and write more into it). DuckDB 2.0
has no statement that verifies a file (no `PRAGMA integrity_check`; `CHECKPOINT` and
`pragma_database_size` read no data blocks), so the check is the read itself: every column of
every table of the file, each value hashed so that DuckDB cannot skip a column or answer from
statistics. A block that fails its checksum (or does not decode) makes that read fail, and the
run is refused with the file, the table and the fix.

Blocks already in memory were verified when they were read, so a connection that has just been
opened (only the catalog and the migrations' tables read) gives the same answer as a cold one.
Index blocks are read lazily by DuckDB and are not part of this read.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.errors import WarehouseError
from warehouse.publish import snapshot_path
from warehouse.sql_text import quote_identifier


class WarehouseCorruptError(WarehouseError):
    """The warehouse file cannot be read whole: a block is damaged. Nothing was written."""

    def __init__(self, path: Path, table: str, detail: str) -> None:
        super().__init__(
            f"The warehouse {path} is damaged: reading {table} failed ({detail}). Nothing was "
            "written to it. Restore the file from a backup, or move it aside and rebuild it "
            f"with `candor run --full-refresh`; readers keep the published copy "
            f"{snapshot_path(path)} meanwhile."
        )
        self.path = path
        self.table = table


@dataclass(frozen=True)
class IntegrityReport:
    """What one integrity read covered and how long it took."""

    path: Path
    tables: int
    seconds: float


def _stored_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(schema, table) of every table stored in the connection's database file."""
    return con.execute(
        """
        select schema_name, table_name from duckdb_tables()
        where database_name = current_database() and not temporary
        order by schema_name, table_name
        """
    ).fetchall()


def check_integrity(con: duckdb.DuckDBPyConnection, path: str | Path) -> IntegrityReport:
    """Read every stored table of `con`'s database in full; raise WarehouseCorruptError naming
    `path` (the file `con` has open) and the first table that cannot be read."""
    path = Path(path)
    started = time.perf_counter()
    tables = _stored_tables(con)
    for schema, table in tables:
        name = f"{quote_identifier(schema)}.{quote_identifier(table)}"
        try:
            # Only identifiers from the catalog are written into this statement.
            con.execute(f"select max(hash(columns(*))) from {name}").fetchall()
        except duckdb.Error as error:
            raise WarehouseCorruptError(path, f"{schema}.{table}", str(error)) from None
    return IntegrityReport(path, len(tables), time.perf_counter() - started)


_verified: dict[Path, str] = {}
_verified_lock = threading.Lock()


def check_once_per_run(
    con: duckdb.DuckDBPyConnection, path: str | Path, run_id: str
) -> IntegrityReport | None:
    """`check_integrity` the first time a run (`run_id`) opens `path` in this process; None
    (no read) when this run already checked it: its own writes since are what it read."""
    path = Path(path).absolute()
    with _verified_lock:
        if _verified.get(path) == run_id:
            return None
    report = check_integrity(con, path)
    with _verified_lock:
        _verified[path] = run_id
    return report
