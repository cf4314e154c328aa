"""Publishing the reader copy of the warehouse: what leaders and notebooks open (DESIGN §5, §8).

While a run writes, DuckDB keeps every other process out of the warehouse file, readers
included. After the run, the writer builds a separate read-only file that notebooks,
`candor sql` and the report open at any time. It holds only reader objects
(`warehouse.reader_objects`): the marts, the analysis results and a few reference tables, never
raw survey answers, respondent keys or per-record staging. It is built as a new file, table by
table, rather than copied and pruned: a dropped table's pages could linger in a copied file. It
is written beside the target and renamed over it, so a reader sees the old copy or the new one,
never half of one.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

import duckdb

from warehouse.connection import open_database
from warehouse.errors import WarehouseError, WarehouseNotFoundError
from warehouse.queries import query
from warehouse.reader_objects import is_reader_object
from warehouse.sql_text import quote_identifier, sql_string_literal

_READ_ONLY_MODE = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


def snapshot_path(warehouse_file: Path) -> Path:
    """Where the read-only copy of `warehouse_file` is published."""
    return warehouse_file.with_name(f"{warehouse_file.stem}.readonly.duckdb")


def publish_read_only_copy(
    source: duckdb.DuckDBPyConnection | str | Path, target_path: str | Path
) -> Path:
    """Write the reader copy of the warehouse (an open writer connection, or a file path) to
    `target_path`, atomically. Returns the target path.

    Pass the run's own connection while it is open: opening the path instead would fail while
    any other process holds the file.
    """
    target = Path(target_path).absolute()
    if isinstance(source, duckdb.DuckDBPyConnection):
        _check_target(_database_file(source), target)
        return _publish(source, target)
    database = Path(source).absolute()
    if not database.is_file():
        raise WarehouseNotFoundError(f"Cannot publish {database}: no such warehouse file.")
    _check_target(database, target)
    con = open_database(database, read_only=False)
    try:
        return _publish(con, target)
    finally:
        con.close()


def _publish(source: duckdb.DuckDBPyConnection, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.close(handle)
    # DuckDB creates its own file: it refuses an existing empty one.
    os.unlink(temporary)
    try:
        source.execute("attach ? as reader_copy", [temporary])
        try:
            _copy_reader_tables(source)
            source.execute("checkpoint reader_copy")
        finally:
            source.execute("detach reader_copy")
        os.chmod(temporary, _READ_ONLY_MODE)
        os.replace(temporary, target)
    except BaseException:
        for leftover in (temporary, f"{temporary}.wal"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(leftover)
        raise
    return target


def _copy_reader_tables(source: duckdb.DuckDBPyConnection) -> None:
    """Create each reader table in the attached `reader_copy` from its own CREATE statement
    (types, keys and constraints as in the warehouse), copy its rows, repeat its comments."""
    warehouse = quote_identifier(source.execute("select current_database()").fetchone()[0])
    tables = source.execute(query("catalog.sql", "publishable_tables")).fetchall()
    published = [row for row in tables if is_reader_object(row[0], row[1])]
    # The catalog's CREATE statements name schema.table: run them with the copy as default.
    source.execute("use reader_copy")
    try:
        for schema, _table, create_sql, _ in published:
            source.execute(f"create schema if not exists {quote_identifier(schema)}")
            source.execute(create_sql)
    finally:
        source.execute(f"use {warehouse}")
    for schema, table, _, comment in published:
        name = f"{quote_identifier(schema)}.{quote_identifier(table)}"
        copied = f"reader_copy.{name}"
        source.execute(f"insert into {copied} select * from {warehouse}.{name}")
        if comment:
            source.execute(f"comment on table {copied} is {sql_string_literal(comment)}")
        columns = source.execute(
            query("catalog.sql", "table_column_comments"), {"schema": schema, "table": table}
        ).fetchall()
        for column, text in columns:
            if text:
                target = f"{copied}.{quote_identifier(column)}"
                source.execute(f"comment on column {target} is {sql_string_literal(text)}")


def _check_target(database: Path, target: Path) -> None:
    if database == target:
        raise WarehouseError(
            f"The read-only copy {target} is the warehouse itself; publish to another path."
        )


def _database_file(con: duckdb.DuckDBPyConnection) -> Path:
    """The file behind `con`, refusing an in-memory database."""
    path = con.execute(query("catalog.sql", "database_path")).fetchone()[0]
    if not path:
        raise WarehouseError(
            "Cannot publish an in-memory warehouse: connect to a warehouse file instead."
        )
    return Path(path).absolute()
