"""A run's writer connection, kept open from one step to the next for a bounded time.

Opening the warehouse costs a step 50-100 ms that is not its work: DuckDB opens the file and
loads the catalog on the first catalog question, the migrations are checked, and closing
checkpoints. The nightly job runs about 80 steps, 62 of them SQL models with 20-60 ms of work
each at the demo's size, so a run spent about a fifth of its time opening and closing.

Readers of the live file (`candor sql --live`, a notebook) must still get in between steps
(warehouse/connection.py): DuckDB lets no other process open a file a writer holds. So the
connection is let go
- when no step has asked for it for `idle_s` (the run is between phases, or done);
- at the end of the first step that ends `hold_s` or more after it was opened;
- at once when a step using it fails (its session state is then unknown).

A step that asks while another holds the connection (a nested use in the same process) gets its
own connection, opened and closed as before.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import duckdb

DEFAULT_IDLE_S = 0.25
"""Longer than the pause between two of a run's steps (40-100 ms of Dagster's bookkeeping),
short enough that a reader waiting on the file is kept out for no noticeable time."""

DEFAULT_HOLD_S = 1.0
"""How long the file is kept shut to readers, from one open, before it is let go between steps."""


class HeldWriter:
    """Hands out one read-write connection to consecutive steps (module docstring)."""

    def __init__(
        self,
        open_writer: Callable[[], duckdb.DuckDBPyConnection],
        *,
        idle_s: float = DEFAULT_IDLE_S,
        hold_s: float = DEFAULT_HOLD_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._open_writer = open_writer
        self._idle_s = idle_s
        self._hold_s = hold_s
        self._clock = clock
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._opened_at = 0.0
        self._in_use = False
        self._timer: threading.Timer | None = None
        # Which release an idle timer belongs to: a timer of an earlier release closes nothing.
        self._release = 0

    @property
    def is_open(self) -> bool:
        """Whether a connection is held now (in use or waiting for the next step)."""
        with self._lock:
            return self._con is not None

    @contextmanager
    def connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The held connection for one step, opened first if none is held (or it is too old)."""
        con, held = self._take()
        succeeded = False
        try:
            yield con
            succeeded = True
        finally:
            if held:
                self._give_back(keep=succeeded)
            else:
                con.close()

    def close(self) -> None:
        """Let go of the connection now (the run is over)."""
        with self._lock:
            self._cancel_timer()
            self._close_locked()

    def _take(self) -> tuple[duckdb.DuckDBPyConnection, bool]:
        with self._lock:
            if self._in_use:
                nested = True
            else:
                nested = False
                self._in_use = True
                self._cancel_timer()
                if self._con is not None and self._too_old():
                    self._close_locked()
                if self._con is not None:
                    return self._con, True
        if nested:
            return self._open_writer(), False
        # Opened outside the lock: it may wait for a reader of the file (warehouse.lock_wait_s).
        try:
            con = self._open_writer()
        except BaseException:
            with self._lock:
                self._in_use = False
            raise
        with self._lock:
            self._con, self._opened_at = con, self._clock()
        return con, True

    def _give_back(self, *, keep: bool) -> None:
        with self._lock:
            self._in_use = False
            if not keep or self._too_old():
                self._close_locked()
                return
            self._release += 1
            self._timer = threading.Timer(self._idle_s, self._close_if_idle, [self._release])
            self._timer.daemon = True
            self._timer.start()

    def _close_if_idle(self, release: int) -> None:
        with self._lock:
            if not self._in_use and release == self._release:
                self._close_locked()

    def _too_old(self) -> bool:
        return self._clock() - self._opened_at >= self._hold_s

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _close_locked(self) -> None:
        if self._con is not None:
            con, self._con = self._con, None
            con.close()
