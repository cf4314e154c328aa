"""Publishing a read-only snapshot of the warehouse for readers."""

from __future__ import annotations

import stat

import duckdb
import pytest
from warehouse_batches import make_batch

from warehouse.connection import connect, connect_read_only
from warehouse.errors import WarehouseError
from warehouse.fingerprint import warehouse_fingerprint
from warehouse.loading import write_repo_batch
from warehouse.publish import publish_read_only_copy


def snapshot_fingerprint(path):
    reader = connect_read_only(path)
    try:
        return warehouse_fingerprint(reader), reader.execute(
            "select count(*) from raw.github_pull_requests"
        ).fetchone()[0]
    finally:
        reader.close()


def test_the_copy_holds_every_committed_row_and_comment(con, tmp_path):
    write_repo_batch(con, make_batch("acme/web", 3))
    target = tmp_path / "published" / "warehouse.duckdb"

    assert publish_read_only_copy(con, target) == target

    fingerprint, prs = snapshot_fingerprint(target)
    assert fingerprint == warehouse_fingerprint(con)
    assert prs == 3
    assert not stat.S_IMODE(target.stat().st_mode) & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def test_publishing_again_replaces_the_snapshot_and_leaves_no_temporary_file(con, tmp_path):
    target = tmp_path / "published.duckdb"
    write_repo_batch(con, make_batch("acme/web", 1))
    publish_read_only_copy(con, target)
    write_repo_batch(con, make_batch("acme/web", 4))
    publish_read_only_copy(con, target)

    assert snapshot_fingerprint(target)[1] == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["published.duckdb", "warehouse.duckdb"]


def test_a_closed_warehouse_can_be_published_by_path(warehouse_file, tmp_path):
    con = connect(warehouse_file)
    write_repo_batch(con, make_batch("acme/web", 2))
    con.close()

    publish_read_only_copy(warehouse_file, tmp_path / "copy.duckdb")

    assert snapshot_fingerprint(tmp_path / "copy.duckdb")[1] == 2


def test_an_in_memory_warehouse_or_the_warehouse_itself_cannot_be_a_copy(con, warehouse_file):
    with pytest.raises(WarehouseError, match="in-memory"):
        publish_read_only_copy(duckdb.connect(), warehouse_file.with_name("x.duckdb"))
    with pytest.raises(WarehouseError, match="is the warehouse itself"):
        publish_read_only_copy(con, warehouse_file)
