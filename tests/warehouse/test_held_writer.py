"""A run's writer connection is shared by consecutive steps and let go between them."""

from __future__ import annotations

import time

import duckdb
import pytest

from warehouse.held_writer import HeldWriter


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def opened(tmp_path):
    """Every connection the writer under test opened, in order."""
    return []


def held_writer(tmp_path, opened, **options) -> HeldWriter:
    def open_writer() -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(str(tmp_path / "w.duckdb"))
        opened.append(con)
        return con

    return HeldWriter(open_writer, **options)


def is_closed(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        con.execute("select 1")
    except duckdb.ConnectionException:
        return True
    return False


def test_consecutive_steps_share_one_connection_until_it_is_idle(tmp_path, opened):
    writer = held_writer(tmp_path, opened, idle_s=0.2, hold_s=60)
    with writer.connection() as con:
        con.execute("create table t (x integer)")
    with writer.connection() as con:
        con.execute("insert into t values (1)")
    assert len(opened) == 1 and writer.is_open
    # no step asks for it: let go after idle_s, so another process could open the file
    deadline = time.monotonic() + 5
    while writer.is_open and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not writer.is_open and is_closed(opened[0])
    with writer.connection() as con:
        assert con.execute("select x from t").fetchall() == [(1,)]
    assert len(opened) == 2
    writer.close()
    assert is_closed(opened[1])


def test_a_connection_older_than_hold_s_is_let_go_at_the_end_of_the_step(tmp_path, opened):
    clock = Clock()
    writer = held_writer(tmp_path, opened, idle_s=60, hold_s=1.0, clock=clock)
    with writer.connection():
        clock.now = 0.5
    assert writer.is_open  # 0.5 s old: kept for the next step
    with writer.connection():
        clock.now = 1.0
    # the step ended 1.0 s after the open: closed at once, not after idle_s
    assert not writer.is_open and is_closed(opened[0])
    with writer.connection():
        pass
    assert len(opened) == 2
    writer.close()


def test_a_held_connection_found_too_old_when_a_step_starts_is_replaced(tmp_path, opened):
    clock = Clock()
    writer = held_writer(tmp_path, opened, idle_s=60, hold_s=1.0, clock=clock)
    with writer.connection():
        pass
    clock.now = 2.0  # e.g. the idle timer has not run yet
    with writer.connection():
        pass
    assert len(opened) == 2 and is_closed(opened[0])
    writer.close()


def test_a_failing_step_closes_the_connection_and_the_next_gets_a_new_one(tmp_path, opened):
    writer = held_writer(tmp_path, opened, idle_s=60, hold_s=60)
    with pytest.raises(RuntimeError, match="step failed"), writer.connection() as con:
        con.execute("begin")  # left open by the failing step
        raise RuntimeError("step failed")
    assert not writer.is_open and is_closed(opened[0])
    with writer.connection() as con:
        con.execute("create table t (x integer)")  # no transaction of the failed step around
    assert len(opened) == 2
    writer.close()


def test_a_nested_use_gets_its_own_connection_and_the_held_one_stays(tmp_path, opened):
    writer = held_writer(tmp_path, opened, idle_s=60, hold_s=60)
    with writer.connection() as outer:
        with writer.connection() as inner:
            assert inner is not outer
        assert is_closed(inner) and not is_closed(outer)
    assert writer.is_open and len(opened) == 2
    writer.close()
    assert is_closed(outer)


def test_a_failed_open_leaves_nothing_held_and_the_next_step_tries_again(tmp_path):
    attempts = []

    def open_writer() -> duckdb.DuckDBPyConnection:
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("file busy")
        return duckdb.connect(str(tmp_path / "w.duckdb"))

    writer = HeldWriter(open_writer, idle_s=60, hold_s=60)
    with pytest.raises(OSError, match="file busy"), writer.connection():
        pass
    with writer.connection() as con:
        assert con.execute("select 1").fetchall() == [(1,)]
    assert len(attempts) == 2
    writer.close()
    assert not writer.is_open
