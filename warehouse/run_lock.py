"""Runs on one warehouse take turns: a lock file beside it, held for the whole of a run.

DuckDB lets one process write the file, and a run opens and closes it once per step, so two
runs at once would take it from each other between steps until one step's wait ran out. The
run lock makes the second run wait at its start instead, saying for which run and how long it
will wait, and then run on a warehouse nobody else writes. It is an operating-system lock
(`flock`, through `filelock`): a run that is killed lets go of it with its process, so a crash
never leaves a lock behind to be removed by hand. The lock file holds the PID of the run that
has it, for the message of the one that waits; it is never deleted (a waiter may hold it open).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from warehouse.errors import WarehouseLockedError

RUN_WAIT_SETTING = "warehouse.run_wait_s"
_POLL_S = 0.25  # a waiting run notices the end of the other within a quarter of a second


def run_lock_path(warehouse_file: Path) -> Path:
    """The lock file of runs on `warehouse_file`: `<name>.duckdb.run.lock` beside it."""
    return warehouse_file.with_name(f"{warehouse_file.name}.run.lock")


@contextmanager
def one_run_at_a_time(
    warehouse_file: Path, wait_s: float, say: Callable[[str], None]
) -> Iterator[None]:
    """Hold the run lock of `warehouse_file` for the body. If another run holds it, `say` that
    this run waits for it (its PID, and for how long at most), wait up to `wait_s` seconds, and
    `say` when it may start; raise WarehouseLockedError, naming the other run and the setting,
    if it is still running then."""
    path = run_lock_path(warehouse_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path, preserve_lock_file=True, on_acquired=_write_holder)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        holder = _holder(path)
        opening = holder[0].upper() + holder[1:]  # the holder begins a sentence
        say(
            f"Waiting for {holder} to finish with {warehouse_file} (runs take turns); waiting up "
            f"to {wait_s:g} s ({RUN_WAIT_SETTING})..."
        )
        started = time.monotonic()
        try:
            lock.acquire(timeout=wait_s, poll_interval=_POLL_S)
        except Timeout:
            raise WarehouseLockedError(
                f"{opening} was still running on {warehouse_file} after {wait_s:g} s; "
                f"let it finish (or stop it) and run again, or raise {RUN_WAIT_SETTING} in "
                "candor.yaml.",
                holder,
            ) from None
        say(f"{opening} finished after {time.monotonic() - started:.0f} s; starting.")
    try:
        yield
    finally:
        lock.release()


def _write_holder(descriptor: int) -> None:
    # Called by filelock with the lock held, before acquire returns: the file says who has it.
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)


def _holder(path: Path) -> str:
    """`run PID N` from the lock file, or `another run` if it cannot say (just being taken)."""
    try:
        pid = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        pid = ""
    return f"run PID {pid}" if pid.isdigit() else "another run"
