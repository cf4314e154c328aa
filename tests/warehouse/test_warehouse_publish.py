"""Publishing a read-only snapshot of the warehouse for readers."""

from __future__ import annotations

import stat

import duckdb
import pytest
from warehouse_batches import make_batch

from connectors.github.tables import GITHUB_TABLES
from warehouse.connection import connect, connect_read_only
from warehouse.errors import WarehouseError
from warehouse.fingerprint import warehouse_fingerprint
from warehouse.loading import write_batch
from warehouse.publish import publish_read_only_copy

RESPONDENT_KEY = "k-3f9a1c77e2b54d0e"


def add_reader_and_private_objects(con) -> None:
    """A mart with comments, a survey answer keyed by respondent, a staging view."""
    con.execute("create schema if not exists marts")
    con.execute("create or replace table marts.team_count (team varchar primary key, n integer)")
    con.execute("insert into marts.team_count values ('payments', 7), ('search', 5)")
    con.execute("comment on table marts.team_count is 'A team''s count.'")
    con.execute("comment on column marts.team_count.n is 'How many.'")
    con.execute(
        "insert into raw.survey_answers values ('2026-Q1', 'westrum', 'payments', ?, 'w1', 6)",
        [RESPONDENT_KEY],
    )
    con.execute("create schema if not exists staging")
    con.execute("create or replace view staging.stg_x as select * from raw.github_pull_requests")


def published_objects(path) -> list[str]:
    reader = connect_read_only(path)
    try:
        return [
            f"{schema}.{name}"
            for schema, name in reader.execute(
                "select schema_name, table_name from duckdb_tables() "
                "union all select schema_name, view_name from duckdb_views() where not internal "
                "order by 1, 2"
            ).fetchall()
        ]
    finally:
        reader.close()


def reader_fingerprint(path):
    reader = connect_read_only(path)
    try:
        return warehouse_fingerprint(reader)
    finally:
        reader.close()


def test_the_copy_holds_the_reader_objects_with_their_rows_and_comments_and_nothing_else(
    con, tmp_path
):
    write_batch(con, GITHUB_TABLES, make_batch("acme/web", 3))
    add_reader_and_private_objects(con)
    target = tmp_path / "published" / "warehouse.duckdb"

    assert publish_read_only_copy(con, target) == target

    # What the migrations and this test created, less raw.*, staging.* and meta.team_members.
    assert published_objects(target) == [
        "marts.team_count",
        "meta.settings",
        "meta.survey_items",
        "meta.sync_state",
        "meta.team_repos",
    ]
    published = reader_fingerprint(target)
    assert published == {k: v for k, v in warehouse_fingerprint(con).items() if k in published}
    reader = connect_read_only(target)
    try:
        assert reader.execute(
            "select comment from duckdb_tables() where table_name = 'team_count'"
        ).fetchone() == ("A team's count.",)
        assert reader.execute(
            "select comment from duckdb_columns() where table_name = 'team_count' "
            "and column_name = 'n'"
        ).fetchone() == ("How many.",)
        # The key survives: the copy has the warehouse's own CREATE statement.
        with pytest.raises(duckdb.Error):
            reader.execute("insert into marts.team_count values ('x', 1)")
    finally:
        reader.close()
    assert RESPONDENT_KEY.encode() not in target.read_bytes()
    assert not stat.S_IMODE(target.stat().st_mode) & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def test_publishing_again_replaces_the_snapshot_and_leaves_no_temporary_file(con, tmp_path):
    target = tmp_path / "published.duckdb"
    add_reader_and_private_objects(con)
    publish_read_only_copy(con, target)
    con.execute("insert into marts.team_count values ('mobile', 9)")
    publish_read_only_copy(con, target)

    reader = connect_read_only(target)
    try:
        assert reader.execute("select count(*) from marts.team_count").fetchone() == (3,)
    finally:
        reader.close()
    # Only the copy and the writer's own files (the warehouse and its write-ahead log).
    assert {p.name for p in tmp_path.iterdir()} - {"warehouse.duckdb.wal"} == {
        "published.duckdb",
        "warehouse.duckdb",
    }


def test_a_closed_warehouse_can_be_published_by_path(warehouse_file, tmp_path):
    con = connect(warehouse_file)
    add_reader_and_private_objects(con)
    con.close()

    publish_read_only_copy(warehouse_file, tmp_path / "copy.duckdb")

    assert "marts.team_count" in published_objects(tmp_path / "copy.duckdb")


def test_an_in_memory_warehouse_or_the_warehouse_itself_cannot_be_a_copy(con, warehouse_file):
    with pytest.raises(WarehouseError, match="in-memory"):
        publish_read_only_copy(duckdb.connect(), warehouse_file.with_name("x.duckdb"))
    with pytest.raises(WarehouseError, match="is the warehouse itself"):
        publish_read_only_copy(con, warehouse_file)
