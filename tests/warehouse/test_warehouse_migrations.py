"""Migrations: applied once each, in order, in a transaction; newer files are refused."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from warehouse import migrations
from warehouse.connection import connect
from warehouse.errors import MigrationError
from warehouse.fingerprint import warehouse_fingerprint
from warehouse.migrations import apply_migrations, known_migrations

SHIPPED = sorted(Path(migrations.__file__).parent.joinpath("migrations").glob("[0-9]*.sql"))


def use_migrations(monkeypatch, tmp_path: Path, scripts: dict[str, str]) -> None:
    """Make the runner see `scripts` (file name -> SQL) instead of the shipped migrations."""
    folder = tmp_path / "package" / "migrations"
    folder.mkdir(parents=True)
    for name, sql in scripts.items():
        (folder / name).write_text(sql, encoding="utf-8")
    monkeypatch.setattr(migrations, "files", lambda package: folder.parent)


def test_every_shipped_migration_is_applied_once_in_order(con):
    versions = con.execute("select version, name from meta.schema_migrations order by version")

    expected = [(int(p.name[:3]), p.stem[4:]) for p in SHIPPED]
    assert versions.fetchall() == expected
    assert expected[0] == (1, "raw_github")


def test_connecting_again_applies_nothing_and_changes_nothing(warehouse_file):
    con = connect(warehouse_file)
    before = warehouse_fingerprint(con)
    con.close()

    con = connect(warehouse_file)
    try:
        assert apply_migrations(con) == []
        assert warehouse_fingerprint(con) == before
    finally:
        con.close()


def test_a_warehouse_from_a_newer_candor_is_refused(warehouse_file):
    con = connect(warehouse_file)
    newest = known_migrations()[-1].version
    con.execute("insert into meta.schema_migrations values (?, 'from_the_future', now())",
                [newest + 1])
    con.close()

    with pytest.raises(MigrationError, match=rf"{newest + 1:03d}.*newer.*upgrade Candor"):
        connect(warehouse_file)


def test_a_migration_applied_under_another_name_is_refused(warehouse_file):
    con = connect(warehouse_file)
    con.execute("update meta.schema_migrations set name = 'other_branch' where version = 1")
    con.close()

    with pytest.raises(MigrationError, match="other_branch"):
        connect(warehouse_file)


def test_pending_migrations_apply_after_earlier_ones(monkeypatch, tmp_path):
    use_migrations(monkeypatch, tmp_path, {"001_first.sql": "create schema meta2;"})
    con = duckdb.connect()
    assert [m.name for m in apply_migrations(con)] == ["first"]

    use_migrations(monkeypatch, tmp_path / "later", {
        "001_first.sql": "create schema meta2;",
        "002_second.sql": "create table meta2.t (a integer);",
    })
    assert [m.name for m in apply_migrations(con)] == ["second"]
    assert con.execute("select list(version order by version) from meta.schema_migrations"
                       ).fetchone()[0] == [1, 2]


def test_a_failing_migration_is_rolled_back_and_named(monkeypatch, tmp_path):
    use_migrations(monkeypatch, tmp_path, {
        "001_good.sql": "create schema good;",
        "002_broken.sql": "create table good.half (a integer); select * from no_such_table;",
    })
    con = duckdb.connect()

    with pytest.raises(MigrationError, match=r"002_broken\.sql.*rolled back"):
        apply_migrations(con)

    assert con.execute("select version from meta.schema_migrations").fetchall() == [(1,)]
    tables = con.execute("select count(*) from duckdb_tables() where schema_name = 'good'")
    assert tables.fetchone()[0] == 0  # good.half was rolled back with its migration


@pytest.mark.parametrize(
    ("scripts", "complaint"),
    [
        ({"1_short.sql": "select 1;"}, "not named NNN_name.sql"),
        ({"001_a.sql": "select 1;", "001_b.sql": "select 1;"}, "two migrations numbered 001"),
    ],
)
def test_badly_numbered_migration_files_are_refused(monkeypatch, tmp_path, scripts, complaint):
    use_migrations(monkeypatch, tmp_path, scripts)

    with pytest.raises(MigrationError, match=complaint):
        known_migrations()


def warehouse_at(monkeypatch, tmp_path: Path, version: int) -> duckdb.DuckDBPyConnection:
    """A warehouse migrated by the shipped migrations up to `version` only; `migrate_past`
    then applies the rest, as upgrading Candor does."""
    before = {p.name: p.read_text(encoding="utf-8") for p in SHIPPED
              if int(p.name[:3]) <= version}
    use_migrations(monkeypatch, tmp_path / f"at{version}", before)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    apply_migrations(con)
    return con


def migrate_past(monkeypatch, con: duckdb.DuckDBPyConnection, version: int) -> None:
    """Apply the shipped migrations after `version` (all of them, in order)."""
    monkeypatch.undo()
    assert [m.version for m in apply_migrations(con)] == [
        m.version for m in known_migrations() if m.version > version]


def test_migration_008_keys_existing_statuses_by_the_node_id_of_their_payload(
        monkeypatch, tmp_path):
    # A warehouse at migration 007 with one REST status, and a view over the table (as the
    # staging views are): 008 rebuilds the table under its new key and keeps the row.
    con = warehouse_at(monkeypatch, tmp_path, 7)
    payload = '{"id": 77003, "node_id": "DES_kwDOtest77003", "state": "success"}'
    con.execute("insert into raw.github_deployment_statuses values "
                "('acme/api', 9002, 77003, 'success', '2024-03-05 10:07:45+00', ?)", [payload])
    con.execute("create view staging.statuses as select * from raw.github_deployment_statuses")

    migrate_past(monkeypatch, con, 7)
    assert con.execute("select repo, deployment_id, node_id, status_id, state "
                       "from raw.github_deployment_statuses").fetchall() == [
        ("acme/api", 9002, "DES_kwDOtest77003", 77003, "success")]
    key = con.execute("select constraint_column_names from duckdb_constraints() where "
                      "table_name = 'github_deployment_statuses' and constraint_type = "
                      "'PRIMARY KEY'").fetchone()[0]
    assert key == ["repo", "node_id"]
    # a status read through GraphQL has no numeric id
    con.execute("insert into raw.github_deployment_statuses values ('acme/api', 9001, "
                "'DES_kwDOtest77001', null, 'success', '2024-03-04 10:00:00+00', '{}')")
    assert con.execute("select count(*) from staging.statuses").fetchone()[0] == 2
    con.close()


def test_migration_009_keeps_recorded_builds_without_a_definition_fingerprint(
        monkeypatch, tmp_path):
    # A warehouse at 008 with one recorded build: 009 keeps it (so its next pass compares
    # fingerprints as before), with no definition fingerprint (so a view is rebuilt once).
    con = warehouse_at(monkeypatch, tmp_path, 8)
    con.execute("insert into meta.model_builds values ('staging.a', 'f1', 3, "
                "'2026-12-01 02:00:00+00')")

    migrate_past(monkeypatch, con, 8)
    assert con.execute("select model, inputs_fingerprint, rows, definition_fingerprint "
                       "from meta.model_builds").fetchall() == [("staging.a", "f1", 3, None)]
    con.close()


def test_migration_010_gives_stored_pull_requests_and_comments_the_body_of_their_payload(
        monkeypatch, tmp_path):
    con = warehouse_at(monkeypatch, tmp_path, 9)
    con.execute("insert into raw.github_pull_requests (repo, number, state, labels, created_at, "
                "updated_at, payload) values ('acme/api', 7, 'closed', [], "
                "'2024-03-01 09:00:00+00', '2024-03-02 09:00:00+00', ?), ('acme/api', 8, "
                "'open', [], '2024-03-01 09:00:00+00', '2024-03-02 09:00:00+00', ?)",
                ['{"number": 7, "body": "Reverts #5"}', '{"number": 8, "body": null}'])
    con.execute("insert into raw.github_review_comments (repo, pr_number, comment_id, payload) "
                "values ('acme/api', 7, 70, ?)", ['{"id": 70, "body": "Why this retry?"}'])

    migrate_past(monkeypatch, con, 9)
    assert con.execute("select number, body from raw.github_pull_requests order by number"
                       ).fetchall() == [(7, "Reverts #5"), (8, None)]
    assert con.execute("select body from raw.github_review_comments").fetchall() == [
        ("Why this retry?",)]
    con.close()
