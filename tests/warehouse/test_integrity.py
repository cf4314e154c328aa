"""A warehouse file with a damaged data block is refused before a run writes to it.

The damage is made by hand: a small migrated warehouse gets a table large enough to fill its
own data blocks, DuckDB's catalog (`pragma_storage_info`) says which blocks hold it, and bytes in
the middle of one of them are overwritten. Where a block sits in the file follows DuckDB's
single-file layout: three 4 KiB headers, then block n at 12288 + n * block_size; the test checks
that layout against the file's size before relying on it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.shared.resources import CandorResource
from warehouse import integrity
from warehouse.connection import WAREHOUSE_ENV, connect
from warehouse.integrity import WarehouseCorruptError, check_integrity, check_once_per_run

HEADERS = 3 * 4096  # DuckDB's main header and its two database headers


def build_warehouse(path: Path) -> int:
    """A migrated warehouse plus raw.filler (200,000 rows); return the file offset of one data
    block of raw.filler's text column."""
    con = connect(path)
    con.execute("create table raw.filler as select i, 'row ' || i as t from range(200000) r(i)")
    con.execute("checkpoint")
    block_size, total_blocks = con.execute(
        "select block_size, total_blocks from pragma_database_size()"
    ).fetchone()
    block_id = con.execute(
        "select min(block_id) from pragma_storage_info('raw.filler') "
        "where column_name = 't' and segment_type = 'VARCHAR' and block_id >= 0"
    ).fetchone()[0]
    con.close()
    assert path.stat().st_size == HEADERS + total_blocks * block_size  # the layout assumed
    return HEADERS + block_id * block_size


def damage(path: Path, offset: int) -> None:
    with path.open("r+b") as file:
        file.seek(offset + 1000)  # inside the block, past its 8-byte checksum
        file.write(b"\xff" * 64)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    damage(path, build_warehouse(path))
    return path


def test_a_sound_warehouse_is_read_whole(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    build_warehouse(path)
    con = connect(path)
    stored = con.execute(
        "select count(*) from duckdb_tables() where database_name = current_database()"
    ).fetchone()[0]
    report = check_integrity(con, path)
    con.close()
    assert report.tables == stored and report.tables > 1  # the migrations' tables and filler


def test_duckdb_alone_opens_and_writes_a_damaged_file(damaged):
    """Why the check exists: without it, nothing warns until the damaged block is read."""
    con = duckdb.connect(str(damaged))
    assert con.execute("select count(*) from raw.filler").fetchone() == (200000,)
    con.execute("create table raw.written as select 1 as x")  # accepted
    with pytest.raises(duckdb.Error, match="Corrupt database file"):
        con.execute("select max(hash(t)) from raw.filler").fetchall()
    con.close()


def test_the_integrity_read_names_the_file_the_table_and_the_fix(damaged):
    con = connect(damaged)
    with pytest.raises(WarehouseCorruptError) as raised:
        check_integrity(con, damaged)
    con.close()
    message = str(raised.value)
    assert message.startswith(f"The warehouse {damaged} is damaged: reading raw.filler failed")
    assert "checksum" in message  # DuckDB's own words about the block
    assert "Nothing was written to it" in message
    assert "Restore the file from a backup" in message
    assert "`candor run --full-refresh`" in message
    assert str(damaged.with_name("warehouse.readonly.duckdb")) in message
    assert raised.value.table == "raw.filler"


def test_a_run_refuses_the_damaged_file_before_writing(damaged, monkeypatch):
    """Through the resource every asset writes with: the first writer of the run raises, and
    the file is byte for byte what it was."""
    monkeypatch.setenv(WAREHOUSE_ENV, str(damaged))
    before = digest(damaged)

    @dg.asset
    def writes(candor: CandorResource) -> None:
        with candor.writer() as con:
            con.execute("create table raw.should_not_exist as select 1 as x")

    result = dg.materialize([writes], resources={"candor": CandorResource()},
                            raise_on_error=False)
    assert not result.success
    failure = result.get_step_failure_events()[0].step_failure_data.error.cause
    assert failure.cls_name == "WarehouseCorruptError"
    assert f"The warehouse {damaged} is damaged" in failure.message
    assert digest(damaged) == before


def test_the_file_is_read_once_per_run(tmp_path, monkeypatch):
    path = tmp_path / "warehouse.duckdb"
    build_warehouse(path)
    monkeypatch.setenv(WAREHOUSE_ENV, str(path))
    reads: list[Path] = []
    real = integrity.check_integrity

    def counted(con, checked):
        reads.append(Path(checked))
        return real(con, checked)

    monkeypatch.setattr(integrity, "check_integrity", counted)

    @dg.asset
    def first(candor: CandorResource) -> None:
        with candor.writer():
            pass

    @dg.asset(deps=[first])
    def second(candor: CandorResource) -> None:
        with candor.writer():
            pass

    for _ in range(2):  # two runs of two writing steps each: one read per run
        assert dg.materialize([first, second], resources={"candor": CandorResource()}).success
    assert reads == [path, path]

    con = connect(path)
    assert check_once_per_run(con, path, "run-a") is not None
    assert check_once_per_run(con, path, "run-a") is None
    assert check_once_per_run(con, path, "run-b") is not None
    con.close()


def test_the_integrity_read_comes_before_any_migration(damaged, monkeypatch):
    # a migration pending on a damaged file would write into it: the read must refuse first
    from warehouse import connection

    applied = []
    monkeypatch.setattr(connection, "apply_migrations", lambda con, path: applied.append(path))
    with pytest.raises(WarehouseCorruptError):
        connect(damaged, before_migrations=lambda con: check_integrity(con, damaged))
    assert applied == []
