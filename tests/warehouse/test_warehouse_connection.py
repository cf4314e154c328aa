"""Where the warehouse file is, read-only access, and the message when another process holds it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from warehouse.connection import connect, connect_read_only, warehouse_path
from warehouse.errors import WarehouseError, WarehouseLockedError, WarehouseNotFoundError


def test_environment_overrides_the_configured_path(tmp_path, monkeypatch):
    monkeypatch.setenv("CANDOR_WAREHOUSE", str(tmp_path / "env" / "w.duckdb"))

    path = warehouse_path(str(tmp_path / "configured.duckdb"))

    assert path == tmp_path / "env" / "w.duckdb"
    assert path.parent.is_dir()


def test_configured_path_then_default_relative_to_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("CANDOR_WAREHOUSE", raising=False)
    monkeypatch.chdir(tmp_path)

    assert warehouse_path("data/w.duckdb") == tmp_path / "data" / "w.duckdb"
    assert warehouse_path(None) == tmp_path / ".candor" / "warehouse.duckdb"
    assert (tmp_path / ".candor").is_dir()


def test_sessions_run_in_utc(con):
    assert con.execute("select current_setting('TimeZone')").fetchone()[0] == "UTC"


def test_read_only_connection_reads_but_refuses_writes(warehouse_file):
    writer = connect(warehouse_file)
    writer.execute("insert into meta.settings values ('benchmark_year', '2024')")
    writer.close()

    reader = connect_read_only(warehouse_file)
    try:
        assert reader.execute("select value from meta.settings").fetchall() == [("2024",)]
        with pytest.raises(duckdb.Error, match="read-only"):
            reader.execute("insert into meta.settings values ('anonymity_minimum', '5')")
    finally:
        reader.close()


def test_read_only_connection_to_a_missing_file_says_how_to_create_it(tmp_path):
    with pytest.raises(WarehouseNotFoundError, match=r"missing\.duckdb.*candor run"):
        connect_read_only(tmp_path / "missing.duckdb")
    assert not (tmp_path / "missing.duckdb").exists()


def test_a_file_held_by_another_process_gives_a_clear_error(warehouse_file: Path):
    connect(warehouse_file).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
            "sys.stdin.read()",
            str(warehouse_file),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        for open_it, advice in [(connect, "try again"), (connect_read_only, "read-only copy")]:
            with pytest.raises(WarehouseLockedError) as locked:
                open_it(warehouse_file)
            message = str(locked.value)
            assert str(warehouse_file) in message
            assert f"process {holder.pid}" in message
            assert advice in message
    finally:
        holder.communicate(input="", timeout=30)
    connect(warehouse_file).close()  # free again once the other process is gone


def test_opening_read_only_beside_an_open_writer_in_this_process_is_explained(warehouse_file):
    writer = connect(warehouse_file)
    try:
        with pytest.raises(WarehouseError, match=r"already open in this process.*close"):
            connect_read_only(warehouse_file)
    finally:
        writer.close()
