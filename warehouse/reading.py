"""What readers open (`candor sql`, notebooks, the demo's report): the published copy by
default, the live warehouse only when asked, and a sentence saying which one and how fresh.

The published copy (`warehouse.publish`) is replaced atomically at the end of every run, so a
reader of it never waits for a run and never makes one wait. The live file is the writer's: a
read-only connection to it works only between a run's steps (DuckDB keeps everyone out while a
step writes, and consecutive steps share the file for up to a second: warehouse/held_writer.py)
and makes the next step wait while it is open (`warehouse.lock_wait_s`), so it is
for raw and respondent-level tables, which the copy does not hold, and for short queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from warehouse.connection import connect_read_only
from warehouse.errors import WarehouseNotFoundError
from warehouse.publish import snapshot_path
from warehouse.queries import query


@dataclass(frozen=True)
class Reading:
    """An open read-only connection, the file behind it and whether that is the live file."""

    con: duckdb.DuckDBPyConnection
    path: Path
    live: bool

    def describe(self, now: datetime | None = None) -> str:
        """`Reading the published copy PATH (published 2026-12-03 07:00 UTC, 4 min ago; latest
        sync 2026-12-03 06:58 UTC)`, or the same for the live warehouse (`last written`)."""
        now = now or datetime.now(UTC)
        written = _last_written(self.path)
        what = "the live warehouse" if self.live else "the published copy"
        verb = "last written" if self.live else "published"
        synced = _latest_sync(self.con)
        sync = f"; latest sync {synced:%Y-%m-%d %H:%M} UTC" if synced else "; nothing synced yet"
        return (
            f"Reading {what} {self.path} ({verb} {written:%Y-%m-%d %H:%M} UTC, "
            f"{_age(now - written)}{sync})"
        )

    def close(self) -> None:
        self.con.close()


def open_for_reading(warehouse_file: Path, *, live: bool = False,
                     live_hint: str = "--live") -> Reading:
    """Open the published copy of `warehouse_file` read-only, or with `live` the file itself.

    Raises WarehouseNotFoundError saying what creates the file; `live_hint` is how the caller
    asks for the live file (a flag, an environment variable), named when only that exists.
    Raises WarehouseLockedError if `live` and a run is writing the file right now.
    """
    target = warehouse_file if live else snapshot_path(warehouse_file)
    if not target.is_file():
        if warehouse_file.is_file():
            raise WarehouseNotFoundError(
                f"No published copy at {target} yet: `candor run` publishes it at the end of a "
                f"run (or read the live warehouse with {live_hint})."
            )
        raise WarehouseNotFoundError(
            f"No warehouse at {warehouse_file}: run `candor run` or `make demo` first."
        )
    return Reading(connect_read_only(target), target, live)


def _last_written(path: Path) -> datetime:
    # A live file's latest writes may still be in its write-ahead log, beside it.
    times = [p.stat().st_mtime for p in (path, path.with_name(path.name + ".wal")) if p.exists()]
    return datetime.fromtimestamp(max(times), UTC)


def _latest_sync(con: duckdb.DuckDBPyConnection) -> datetime | None:
    try:
        # fetchall: a result left unfinished would block the caller's next query on `con`.
        [(latest,)] = con.execute(query("reading.sql", "latest_sync")).fetchall()
        return latest
    except duckdb.CatalogException:
        return None  # a file from before meta.sync_state was published


def _age(elapsed) -> str:
    seconds = max(0, int(elapsed.total_seconds()))
    if seconds < 60:
        return f"{seconds} s ago"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 172_800:
        return f"{seconds / 3600:.1f} h ago"
    return f"{seconds / 86_400:.1f} days ago"
