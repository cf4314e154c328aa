"""write_batch: idempotent upserts, one transaction per batch, full-refresh replacement."""

from __future__ import annotations

import dataclasses
import json

import duckdb
import pytest
from warehouse_batches import ROWS_PER_UNIT, make_batch

from connectors.github.tables import GITHUB_TABLES
from warehouse.errors import WarehouseLoadError
from warehouse.fingerprint import warehouse_fingerprint
from warehouse.loading import primary_keys, write_batch

REPO = "acme/web"


def count(con: duckdb.DuckDBPyConnection, table: str, repo: str = REPO) -> int:
    return con.execute(f"select count(*) from {table} where repo = ?", [repo]).fetchone()[0]


def test_every_table_gets_its_records(con):
    written = write_batch(con, GITHUB_TABLES, make_batch(REPO, 4))

    # make_batch builds 3 pull commits per unit and 1 row of every other kind.
    expected = {table.name: 4 for table in GITHUB_TABLES}
    expected["raw.github_pull_commits"] = 12
    assert written == expected
    assert {table: count(con, table) for table in expected} == expected
    assert sum(expected.values()) == 4 * ROWS_PER_UNIT


def test_fields_map_to_columns_payload_to_json_labels_to_list(con):
    batch = make_batch(REPO, 1)
    write_batch(con, GITHUB_TABLES, batch)

    labels, payload_login, kind = con.execute(
        "select labels, payload->>'$.user.login', typeof(payload) "
        "from raw.github_pull_requests where repo = ? and number = 1",
        [REPO],
    ).fetchone()
    assert labels == ["feature"]
    assert payload_login == "alice"
    assert kind == "JSON"
    pr = batch.pull_requests[0]
    stored = con.execute(
        "select merge_commit_sha, created_at, closed_at from raw.github_pull_requests"
    ).fetchone()
    assert stored == (pr.merge_commit_sha, pr.created_at, pr.closed_at)
    issue_closed = con.execute("select closed_at from raw.github_issues").fetchone()[0]
    assert issue_closed is None


def test_writing_the_same_batch_twice_changes_nothing(con):
    write_batch(con, GITHUB_TABLES, make_batch(REPO, 5))
    once = warehouse_fingerprint(con)
    write_batch(con, GITHUB_TABLES, make_batch(REPO, 5))

    assert warehouse_fingerprint(con) == once


def test_a_changed_record_replaces_the_old_one(con):
    write_batch(con, GITHUB_TABLES, make_batch(REPO, 3))
    write_batch(con, GITHUB_TABLES, make_batch(REPO, 1, first=2, title="Retitled"))

    titles = con.execute("select number, title from raw.github_pull_requests order by number")
    assert titles.fetchall() == [(1, "Add feature 1"), (2, "Retitled 2"), (3, "Add feature 3")]


def test_later_record_of_the_same_key_in_one_batch_wins(con):
    batch = make_batch(REPO, 1)
    first = batch.pull_requests[0]
    batch.pull_requests.append(dataclasses.replace(first, title="Fetched again", state="open"))
    written = write_batch(con, GITHUB_TABLES, batch)

    assert written["raw.github_pull_requests"] == 1
    row = con.execute("select title, state from raw.github_pull_requests").fetchall()
    assert row == [("Fetched again", "open")]


def test_a_failing_batch_writes_nothing_and_moves_no_cursor(con):
    write_batch(con, GITHUB_TABLES, make_batch(REPO, 2))
    before = warehouse_fingerprint(con)

    failing = make_batch(REPO, 3, title="Changed")  # changes 2 rows, adds 1, moves cursors
    # raw.github_issues is the table written last, so every other table was already written
    # inside the transaction when this record fails.
    assert GITHUB_TABLES.tables[-1].name == "raw.github_issues"
    failing.issues[2] = dataclasses.replace(failing.issues[2], created_at=None)
    with pytest.raises(WarehouseLoadError) as failure:
        write_batch(con, GITHUB_TABLES, failing)

    message = str(failure.value)
    assert "raw.github_issues" in message
    assert "created_at" in message
    assert "number=100003" in message  # make_batch numbers issues 100_000 + n
    assert warehouse_fingerprint(con) == before


def test_full_refresh_removes_rows_no_longer_present_and_keeps_other_repos(con):
    write_batch(con, GITHUB_TABLES, make_batch(REPO, 5))
    write_batch(con, GITHUB_TABLES, make_batch("acme/api", 2))
    write_batch(con, GITHUB_TABLES, make_batch(REPO, 3), replace=True)

    for table in GITHUB_TABLES:
        per_unit = 3 if table.name == "raw.github_pull_commits" else 1
        assert count(con, table.name) == 3 * per_unit, table.name
        assert count(con, table.name, "acme/api") == 2 * per_unit, table.name
    numbers = con.execute("select list(number order by number) from raw.github_pull_requests "
                          "where repo = ?", [REPO]).fetchone()[0]
    assert numbers == [1, 2, 3]


def test_full_refresh_that_fails_keeps_the_old_rows(con):
    write_batch(con, GITHUB_TABLES, make_batch(REPO, 5))
    before = warehouse_fingerprint(con)
    failing = make_batch(REPO, 1)
    failing.issues[0] = dataclasses.replace(failing.issues[0], state=None)

    with pytest.raises(WarehouseLoadError, match=r"raw\.github_issues.*state"):
        write_batch(con, GITHUB_TABLES, failing, replace=True)

    assert warehouse_fingerprint(con) == before


def test_a_record_of_another_repository_is_refused(con):
    batch = make_batch(REPO, 1)
    batch.issues.append(dataclasses.replace(batch.issues[0], repo="acme/other"))

    with pytest.raises(WarehouseLoadError, match="acme/other"):
        write_batch(con, GITHUB_TABLES, batch)
    assert count(con, "raw.github_pull_requests") == 0


def test_mapping_covers_every_field_and_every_raw_github_table(con):
    columns = dict(
        con.execute(
            "select schema_name || '.' || table_name, list(column_name order by column_index) "
            "from duckdb_columns() where schema_name = 'raw' and table_name like 'github_%' "
            "group by all"
        ).fetchall()
    )
    assert {table.name: list(table.columns) for table in GITHUB_TABLES} == columns
    keys = primary_keys(con, GITHUB_TABLES)
    assert keys["raw.github_pull_commits"] == ("repo", "pr_number", "sha")


def test_empty_payload_is_json_and_missing_payload_is_null(con):
    batch = make_batch(REPO, 2)
    batch.deployments[0] = dataclasses.replace(batch.deployments[0], payload={})
    batch.deployments[1] = dataclasses.replace(batch.deployments[1], payload=None)
    write_batch(con, GITHUB_TABLES, batch)

    payloads = con.execute("select payload from raw.github_deployments order by deployment_id")
    assert [row[0] if row[0] is None else json.loads(row[0]) for row in payloads.fetchall()] == [
        {},
        None,
    ]
