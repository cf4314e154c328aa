"""Writers wait for the warehouse file, and runs for each other, for a bounded time, saying once
who they wait for: another process holds the file (or the run lock) for about a second here."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from warehouse.connection import connect
from warehouse.errors import WarehouseLockedError
from warehouse.run_lock import one_run_at_a_time, run_lock_path

HOLD_S = 1.0
PROGRAM = Path(sys.executable).resolve()

# Opens the warehouse read-only (what a `candor sql --live` or a notebook does), says so, keeps
# it HOLD_S seconds (or until its input closes), then lets go.
HOLD_FILE = (
    "import sys, time, duckdb; c = duckdb.connect(sys.argv[1], read_only=True); "
    "print('ready', flush=True); time.sleep(float(sys.argv[2])); c.close()"
)
# Takes the run lock as a run does, says so, keeps it HOLD_S seconds.
HOLD_RUN_LOCK = (
    "import sys, time; from pathlib import Path; "
    "from warehouse.run_lock import one_run_at_a_time\n"
    "with one_run_at_a_time(Path(sys.argv[1]), 0, print):\n"
    "    print('ready', flush=True); time.sleep(float(sys.argv[2]))"
)


def hold(script: str, path: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", script, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "ready"
    return holder


def test_a_writer_waits_for_a_reader_and_says_once_who_it_is(warehouse_file: Path):
    connect(warehouse_file).close()
    holder = hold(HOLD_FILE, warehouse_file, HOLD_S)
    said: list[str] = []
    started = time.monotonic()
    try:
        con = connect(warehouse_file, lock_wait_s=30, on_wait=said.append)
    finally:
        holder.wait(timeout=30)
    waited = time.monotonic() - started
    con.close()
    # It could only open once the holder let go (HOLD_S after 'ready'), and long before 30 s.
    assert HOLD_S * 0.8 <= waited < 10
    assert said == [
        # DuckDB names the holder's program by its real path (the interpreter behind the link).
        f"Waiting for the warehouse {warehouse_file}: process {holder.pid} ({PROGRAM}) "
        "has it open; trying again for up to 30 s (warehouse.lock_wait_s)"
    ]


def test_a_writer_gives_up_after_its_wait_naming_the_holder_and_the_setting(warehouse_file):
    connect(warehouse_file).close()
    holder = hold(HOLD_FILE, warehouse_file, 5)
    said: list[str] = []
    started = time.monotonic()
    try:
        with pytest.raises(WarehouseLockedError) as locked:
            connect(warehouse_file, lock_wait_s=0.4, on_wait=said.append)
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert 0.4 <= waited < 3
    assert len(said) == 1
    message = str(locked.value)
    assert f"process {holder.pid}" in message
    assert message.endswith("Waited 0.4 s for it (warehouse.lock_wait_s in candor.yaml).")


def test_without_a_wait_a_locked_file_fails_at_once(warehouse_file: Path):
    connect(warehouse_file).close()
    holder = hold(HOLD_FILE, warehouse_file, 5)
    said: list[str] = []
    try:
        started = time.monotonic()
        with pytest.raises(WarehouseLockedError, match="try again"):
            connect(warehouse_file, on_wait=said.append)
        assert time.monotonic() - started < 1
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert said == []


def test_a_second_run_waits_for_the_first_naming_its_pid(warehouse_file: Path):
    holder = hold(HOLD_RUN_LOCK, warehouse_file, HOLD_S)
    said: list[str] = []
    started = time.monotonic()
    try:
        with one_run_at_a_time(warehouse_file, 30, said.append):
            waited = time.monotonic() - started
            # The lock file now names this process, for whoever waits next.
            assert run_lock_path(warehouse_file).read_text().strip() == str(os.getpid())
    finally:
        holder.wait(timeout=30)
    assert HOLD_S * 0.8 <= waited < 10
    assert said[0] == (
        f"Waiting for run PID {holder.pid} to finish with {warehouse_file} (runs take turns); "
        "waiting up to 30 s (warehouse.run_wait_s)..."
    )
    assert said[1].startswith(f"Run PID {holder.pid} finished after ")
    assert len(said) == 2


def test_a_run_gives_up_when_the_other_outlasts_its_wait(warehouse_file: Path):
    holder = hold(HOLD_RUN_LOCK, warehouse_file, 5)
    try:
        with (
            pytest.raises(WarehouseLockedError) as locked,
            one_run_at_a_time(warehouse_file, 0.3, lambda line: None),
        ):
            pytest.fail("ran while the other run held the lock")
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert str(locked.value) == (
        f"Run PID {holder.pid} was still running on {warehouse_file} after 0.3 s; let it finish "
        "(or stop it) and run again, or raise warehouse.run_wait_s in candor.yaml."
    )


def test_a_killed_run_leaves_no_lock_behind(warehouse_file: Path):
    holder = hold(HOLD_RUN_LOCK, warehouse_file, 60)
    holder.kill()  # as `kill -9`: the operating system lets go of the lock with the process
    holder.wait(timeout=30)
    said: list[str] = []
    with one_run_at_a_time(warehouse_file, 0, said.append):
        pass
    assert said == []

