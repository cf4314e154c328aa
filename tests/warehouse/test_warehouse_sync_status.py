"""meta.sync_status: a success is written with its batch, a failure on its own; the last
success is kept through failures; stale repositories are found; migration 003's tables."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from warehouse_batches import make_batch

from connectors.github.tables import GITHUB_TABLES
from warehouse.errors import WarehouseLoadError
from warehouse.fingerprint import warehouse_fingerprint
from warehouse.loading import write_batch
from warehouse.sync_status import (
    failures_of_attempt,
    read_sync_status,
    record_failure,
)

RESOURCES = ("deployments", "issues", "pull_requests")
T1 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
T2 = T1 + timedelta(days=1)
T3 = T2 + timedelta(days=1)


def status(con, scope="acme/web"):
    return {s.resource: s for s in read_sync_status(con, "github") if s.scope == scope}


def test_a_written_batch_records_its_resources_as_synced(con):
    write_batch(con, GITHUB_TABLES, make_batch("acme/web", 2), attempted_at=T1)
    rows = status(con)
    assert sorted(rows) == list(RESOURCES)
    for row in rows.values():
        assert (row.last_attempt_at, row.last_success_at) == (T1, T1)
        assert (row.last_error, row.consecutive_failures) == (None, 0)


def test_a_failure_keeps_the_last_success_and_counts(con):
    write_batch(con, GITHUB_TABLES, make_batch("acme/web", 2), attempted_at=T1)
    before = warehouse_fingerprint(con, ["raw"])
    record_failure(con, "github", "acme/web", RESOURCES, "GitHub answered 500 ...", T2)
    record_failure(con, "github", "acme/web", RESOURCES, "GitHub answered 502 ...", T3)

    row = status(con)["deployments"]
    assert (row.last_attempt_at, row.last_success_at) == (T3, T1)
    assert (row.last_error, row.consecutive_failures) == ("GitHub answered 502 ...", 2)
    assert warehouse_fingerprint(con, ["raw"]) == before  # nothing else was written

    write_batch(con, GITHUB_TABLES, make_batch("acme/web", 2), attempted_at=T3 + timedelta(days=1))
    row = status(con)["deployments"]
    assert (row.last_error, row.consecutive_failures) == (None, 0)


def test_a_repository_that_never_synced_has_no_last_success(con):
    record_failure(con, "github", "acme/new", RESOURCES, "401", T1)
    assert {r.last_success_at for r in status(con, "acme/new").values()} == {None}


def test_the_success_row_is_rolled_back_with_a_failing_batch(con):
    failing = make_batch("acme/web", 1)
    failing.issues[0] = dataclasses.replace(failing.issues[0], state=None)
    with pytest.raises(WarehouseLoadError):
        write_batch(con, GITHUB_TABLES, failing, attempted_at=T1)
    assert status(con) == {}


def test_failures_of_one_attempt_are_one_row_per_repository(con):
    write_batch(con, GITHUB_TABLES, make_batch("acme/web", 1), attempted_at=T1)
    write_batch(con, GITHUB_TABLES, make_batch("acme/api", 1), attempted_at=T2)
    record_failure(con, "github", "acme/web", RESOURCES, "HTML page", T2)
    record_failure(con, "github", "acme/old", RESOURCES, "earlier run", T1)

    (failure,) = failures_of_attempt(con, "github", T2)
    assert (failure.scope, failure.last_error, failure.last_success_at) == (
        "acme/web", "HTML page", T1,
    )
    assert failure.consecutive_failures == 1
    assert failures_of_attempt(con, "gitlab", T2) == []


def test_fingerprints_can_leave_out_repositories(con):
    write_batch(con, GITHUB_TABLES, make_batch("acme/web", 2), attempted_at=T1)
    without_api = warehouse_fingerprint(con, ["raw", "meta"], without_repos=["acme/api"])
    write_batch(con, GITHUB_TABLES, make_batch("acme/api", 3), attempted_at=T2)
    record_failure(con, "github", "acme/api", RESOURCES, "500", T3)

    assert warehouse_fingerprint(con, ["raw", "meta"], without_repos=["acme/api"]) == without_api
    assert warehouse_fingerprint(con, ["raw", "meta"]) != without_api


def test_migration_003_tables_have_the_documented_columns(con):
    columns = dict(
        con.execute(
            "select schema_name || '.' || table_name, list(column_name order by column_index) "
            "from duckdb_columns() where table_name in ('sync_status', "
            "'github_deployment_compares') group by all"
        ).fetchall()
    )
    assert columns == {
        "meta.sync_status": [
            "source", "scope", "resource", "last_attempt_at", "last_success_at", "last_error",
            "consecutive_failures",
        ],
        "raw.github_deployment_compares": [
            "repo", "deployment_id", "base_deployment_id", "base_sha", "head_sha", "status",
            "ahead_by", "behind_by", "change_set_known", "unknown_reason",
        ],
    }
