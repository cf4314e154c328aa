"""Fingerprints: equal for equal content in any order, different for any content change."""

from __future__ import annotations

import duckdb
import pytest

from warehouse.errors import WarehouseError
from warehouse.fingerprint import table_fingerprint, warehouse_fingerprint
from warehouse.migrations import apply_migrations

ROWS = [("a", "1"), ("b", None), ("c", "3")]


def settings_db(rows) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    apply_migrations(con)
    con.execute("create table meta.kv (name varchar, value varchar)")
    con.executemany("insert into meta.kv values (?, ?)", rows)
    return con


def test_row_order_does_not_matter():
    assert table_fingerprint(settings_db(ROWS), "meta.kv") == table_fingerprint(
        settings_db(list(reversed(ROWS))), "meta.kv"
    )


@pytest.mark.parametrize(
    "changed",
    [
        [("a", "1"), ("b", ""), ("c", "3")],  # NULL became an empty string
        [("a", "1"), ("b", None)],  # a row less
        [("a", "1"), ("b", None), ("c", "3"), ("c", "3")],  # a duplicate row more
        [("a", "1"), ("b", None), ("c", "4")],  # one value changed
    ],
)
def test_any_content_change_changes_the_fingerprint(changed):
    assert table_fingerprint(settings_db(ROWS), "meta.kv") != table_fingerprint(
        settings_db(changed), "meta.kv"
    )


def test_volatile_columns_are_ignored():
    con = settings_db(ROWS)
    con.execute("insert into meta.sync_state values ('github', 'acme/web', 'issues', '1', null, "
                "'2025-01-01 00:00:00+00')")
    before = warehouse_fingerprint(con)
    con.execute("update meta.sync_state set synced_at = synced_at + interval 1 day")
    con.execute("update meta.schema_migrations set applied_at = applied_at + interval 1 day")

    assert warehouse_fingerprint(con) == before
    con.execute("update meta.sync_state set cursor = '2'")
    assert warehouse_fingerprint(con)["meta.sync_state"] != before["meta.sync_state"]


def test_views_are_fingerprinted_and_unknown_tables_refused():
    con = settings_db(ROWS)
    con.execute("create view marts.kv_view as select * from meta.kv")

    fingerprints = warehouse_fingerprint(con)
    assert fingerprints["marts.kv_view"] == fingerprints["meta.kv"]
    with pytest.raises(WarehouseError, match="no_such"):
        table_fingerprint(con, "meta.no_such")


def test_ignored_columns_are_left_out_bare_everywhere_qualified_in_one_table():
    con, other = settings_db(ROWS), settings_db([("a", "9"), ("b", "9"), ("c", "9")])

    assert table_fingerprint(con, "meta.kv") != table_fingerprint(other, "meta.kv")
    assert table_fingerprint(con, "meta.kv", ignore=["value"]) == table_fingerprint(
        other, "meta.kv", ignore=["value"]
    )
    assert warehouse_fingerprint(con, ignore=["meta.kv.value"])["meta.kv"] == (
        warehouse_fingerprint(other, ignore=["meta.kv.value"])["meta.kv"]
    )
    assert warehouse_fingerprint(con, ignore=["meta.other.value"])["meta.kv"] != (
        warehouse_fingerprint(other, ignore=["meta.other.value"])["meta.kv"]
    )
