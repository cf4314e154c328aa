"""A model that fails leaves the previous version readable, with the same rows and comments.

Each test builds a good version of a model file in a temporary SQL root, rewrites the same file
into a version DuckDB accepts at CREATE time but cannot compute (errors raised only while rows
are computed), runs it again, and reads the warehouse the way a reader would afterwards.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from models.runner import ModelRunError, run_all, run_model
from models.sql_files import discover_models, read_model

# raw.items holds the two rows below; the good model passes them through, so the rows a reader
# must still see after a failure are exactly these (written here, not read from the code).
RAW_ROWS = [(1, "a", "[a-z]"), (2, "b", "(")]
GOOD_ROWS = [(1, "a"), (2, "b")]


def header(table: str, kind: str) -> str:
    return (
        f"-- staging.{table}: Items as the source lists them.\n"
        "-- grain: one row per id\n"
        f"-- materialized: {kind}\n"
        "-- columns:\n"
        "--   id: the item's number\n"
        "--   name: the item's name\n"
    )


def write_model(root: Path, table: str, select: str, kind: str = "view") -> Path:
    path = root / "staging" / f"{table}.sql"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header(table, kind) + select, encoding="utf-8")
    return path


def new_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(path)
    con.execute("create schema raw")
    con.execute("create schema staging")
    con.execute("create table raw.items (id integer, name varchar, pattern varchar)")
    con.executemany("insert into raw.items values (?, ?, ?)", RAW_ROWS)
    return con


def rows(con: duckdb.DuckDBPyConnection, name: str) -> list[tuple]:
    return con.execute(f"select id, name from {name} order by id").fetchall()


def catalog_state(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Every staging object with its kind, comment and column comments."""
    objects = con.execute(
        """
        select view_name, 'view', comment, sql from duckdb_views() where schema_name = 'staging'
        union all
        select table_name, 'table', comment, null from duckdb_tables()
        where schema_name = 'staging'
        order by 1
        """
    ).fetchall()
    columns = con.execute(
        "select table_name, column_name, comment from duckdb_columns() "
        "where schema_name = 'staging' order by table_name, column_index"
    ).fetchall()
    return objects + columns


GOOD = "select id, name from raw.items"
# Each SELECT binds (CREATE VIEW succeeds) but fails for some row when it is computed.
FAILING = {
    # '[a-z]x' is not an integer: a conversion error raised per row, only while scanning
    "cast error": (
        "select cast(name || 'x' as integer) as id, name from raw.items",
        "Could not convert string",
    ),
    # the pattern comes from the row, so RE2 compiles it (and rejects '(') at execution
    "RE2 error": (
        "select id, name from raw.items where regexp_matches(name, pattern)",
        "missing )",
    ),
    # an error only in a column a `count(*)` would prune away
    "error in one row": (
        "select id, case when id = 2 then error('item 2 is broken') else name end as name "
        "from raw.items",
        "item 2 is broken",
    ),
}


@pytest.mark.parametrize("case", sorted(FAILING))
def test_view_failing_while_computing_rows_keeps_the_previous_view(tmp_path, case):
    select, duckdb_message = FAILING[case]
    warehouse = tmp_path / "w.duckdb"
    con = new_warehouse(warehouse)
    path = write_model(tmp_path / "sql", "stg_items", GOOD)
    run_model(con, read_model(path))
    assert rows(con, "staging.stg_items") == GOOD_ROWS
    before = catalog_state(con)

    write_model(tmp_path / "sql", "stg_items", select)
    with pytest.raises(ModelRunError) as raised:
        run_model(con, read_model(path))
    message = str(raised.value)
    assert message.startswith(f"{path}: DuckDB could not build staging.stg_items")
    assert "previous version was kept" in message
    assert duckdb_message in message

    # same connection, then a new one on the committed file: old rows, definition, comments,
    # and no candidate object left next to it
    assert rows(con, "staging.stg_items") == GOOD_ROWS
    assert catalog_state(con) == before
    con.close()
    reader = duckdb.connect(warehouse, read_only=True)
    assert rows(reader, "staging.stg_items") == GOOD_ROWS
    assert catalog_state(reader) == before
    reader.close()


def test_a_failing_upstream_view_keeps_the_dependant_reading_the_old_rows(tmp_path):
    """stg_named reads stg_items; when stg_items' new version fails, neither is replaced and
    the dependant still computes from the old stg_items. After a good rebuild, the dependant
    reads the new definition through the swapped-in view."""
    con = new_warehouse(tmp_path / "w.duckdb")
    root = tmp_path / "sql"
    write_model(root, "stg_items", GOOD)
    write_model(root, "stg_named", "select id, upper(name) as name from staging.stg_items")
    run_all(con, discover_models(root))
    assert rows(con, "staging.stg_named") == [(1, "A"), (2, "B")]

    write_model(root, "stg_items", FAILING["cast error"][0])
    with pytest.raises(ModelRunError, match=r"stg_items\.sql: DuckDB could not build"):
        run_all(con, discover_models(root))
    assert rows(con, "staging.stg_named") == [(1, "A"), (2, "B")]

    # a good new version: ids shifted by 10, so the dependant's rows show which one it reads
    write_model(root, "stg_items", "select id + 10 as id, name from raw.items")
    run_all(con, discover_models(root))
    assert rows(con, "staging.stg_named") == [(11, "A"), (12, "B")]


def test_a_failing_table_keeps_the_previous_table_and_its_rows(tmp_path):
    con = new_warehouse(tmp_path / "w.duckdb")
    path = write_model(tmp_path / "sql", "stg_items", GOOD, kind="table")
    run_model(con, read_model(path))
    con.execute("delete from raw.items where id = 1")  # the old table keeps its copy of row 1
    before = catalog_state(con)

    write_model(tmp_path / "sql", "stg_items", FAILING["error in one row"][0], kind="table")
    with pytest.raises(ModelRunError, match="item 2 is broken"):
        run_model(con, read_model(path))
    assert rows(con, "staging.stg_items") == GOOD_ROWS
    assert catalog_state(con) == before


def test_a_failing_view_that_was_a_table_keeps_the_table(tmp_path):
    """Changing materialization drops the old kind only inside the swap that fails too."""
    con = new_warehouse(tmp_path / "w.duckdb")
    path = write_model(tmp_path / "sql", "stg_items", GOOD, kind="table")
    run_model(con, read_model(path))
    before = catalog_state(con)
    write_model(tmp_path / "sql", "stg_items", FAILING["RE2 error"][0], kind="view")
    with pytest.raises(ModelRunError, match="missing \\)"):
        run_model(con, read_model(path))
    assert catalog_state(con) == before
    assert rows(con, "staging.stg_items") == GOOD_ROWS
