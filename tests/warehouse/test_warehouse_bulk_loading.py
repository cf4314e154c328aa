"""write_fresh_batches: many repositories into a new warehouse in one transaction, storing
exactly what write_batch stores for the same batches, and nothing at all on any error."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from warehouse_batches import make_batch

from connectors.github.tables import GITHUB_TABLES
from warehouse.connection import connect
from warehouse.errors import WarehouseLoadError
from warehouse.fingerprint import warehouse_fingerprint
from warehouse.loading import write_batch, write_fresh_batches

REPOS = ("acme/web", "acme/api")


def test_a_bulk_load_stores_what_writing_each_batch_stores(tmp_path: Path) -> None:
    per_repo, bulk = connect(tmp_path / "per_repo.duckdb"), connect(tmp_path / "bulk.duckdb")
    try:
        for repo in REPOS:
            write_batch(per_repo, GITHUB_TABLES, make_batch(repo, 3))
        written = write_fresh_batches(bulk, GITHUB_TABLES, (make_batch(repo, 3) for repo in REPOS))
        # raw rows, cursors and sync status (their write times aside) alike
        assert warehouse_fingerprint(bulk) == warehouse_fingerprint(per_repo)
        # make_batch: 3 pull commits per unit, 1 row of every other kind; 2 repos x 3 units
        expected = {table.name: 6 for table in GITHUB_TABLES}
        expected["raw.github_pull_commits"] = 18
        assert written == expected
        cursors = bulk.execute("select count(*) from meta.sync_state").fetchone()[0]
        assert cursors == sum(len(make_batch(repo, 3).cursors) for repo in REPOS)
    finally:
        per_repo.close()
        bulk.close()


def test_a_warehouse_that_holds_rows_is_refused_and_left_alone(con) -> None:
    write_batch(con, GITHUB_TABLES, make_batch("acme/web", 2))
    before = warehouse_fingerprint(con)
    with pytest.raises(WarehouseLoadError, match=r"raw\.github_\w+: it already holds rows"):
        write_fresh_batches(con, GITHUB_TABLES, [make_batch("acme/api", 2)])
    assert warehouse_fingerprint(con) == before


def test_two_batches_of_one_repository_are_refused(con) -> None:
    with pytest.raises(WarehouseLoadError, match="acme/web: it has two batches"):
        twice = [make_batch("acme/web", 1), make_batch("acme/web", 1)]
        write_fresh_batches(con, GITHUB_TABLES, twice)


def test_a_refused_row_stores_nothing_of_any_batch(con) -> None:
    empty = warehouse_fingerprint(con)
    broken = make_batch("acme/api", 2)
    # created_at is NOT NULL in raw.github_pull_requests
    broken.pull_requests[1] = dataclasses.replace(broken.pull_requests[1], created_at=None)
    with pytest.raises(WarehouseLoadError, match=r"raw\.github_pull_requests"):
        write_fresh_batches(con, GITHUB_TABLES, [make_batch("acme/web", 2), broken])
    assert warehouse_fingerprint(con) == empty


def test_a_failing_batch_source_stores_nothing(con) -> None:
    empty = warehouse_fingerprint(con)

    def batches():
        yield make_batch("acme/web", 2)
        raise RuntimeError("the sync of acme/api failed")

    with pytest.raises(RuntimeError, match="acme/api failed"):
        write_fresh_batches(con, GITHUB_TABLES, batches())
    assert warehouse_fingerprint(con) == empty
