"""What `candor run` prints about repositories: one line per failed repository even when the
run failed before meta/sync_report, and a warning per repository whose data is stale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import dagster as dg

from models.runner import model_order, run_all
from pipelines.cli.execution import failure_messages
from pipelines.cli.run import _stale_warnings
from pipelines.cli.summary import stale_repository_lines
from pipelines.shared.ingest_asset import FAILED_REPOSITORIES
from warehouse.connection import connect
from warehouse.sync_status import record_failure, record_success


def test_failed_repositories_are_listed_when_the_report_never_ran():
    @dg.asset(name="github_ingest")
    def ingest():
        return dg.MaterializeResult(
            metadata={FAILED_REPOSITORIES: dg.MetadataValue.json({"acme/api": "answered 500"})}
        )

    @dg.asset(deps=[ingest])
    def model():
        raise RuntimeError("a model broke")

    result = dg.materialize([ingest, model], raise_on_error=False)
    assert failure_messages(result) == [
        "model: a model broke",
        "github_ingest: 1 repositories were not synced this run:",
        "  acme/api: answered 500",
    ]


def test_stale_repositories_get_one_warning_each(tmp_path):
    # Staleness is marts.source_freshness's verdict at build time (limit 48 h): built here from
    # sync rows 3 days, 20 hours and never before now.
    now = datetime.now(UTC)
    con = connect(tmp_path / "w.duckdb")
    try:
        con.execute(
            "insert into meta.team_repos values ('a', 'github', 'acme/api', '.'), "
            "('a', 'github', 'acme/web', '.'), ('a', 'github', 'acme/new', '.')"
        )
        con.execute("insert into meta.settings values ('stale_after_hours', '48')")
        resources = ["deployments", "pull_requests", "issues"]
        record_success(con, "github", "acme/api", resources, now - timedelta(days=3))
        record_failure(con, "github", "acme/api", resources, "GitHub answered 401", now)
        record_success(con, "github", "acme/web", resources, now - timedelta(hours=20))
        wanted = {"staging.stg_meta_settings", "staging.stg_scope_owners",
                  "marts.source_freshness"}
        run_all(con, [m for m in model_order() if m.name in wanted])
        lines = stale_repository_lines(con)
    finally:
        con.close()
    on = f"{now - timedelta(days=3):%Y-%m-%d}"
    assert lines == [
        f"Warning: acme/api last synced successfully 3.0 days ago ({on}), so its numbers "
        "are stale; last error: GitHub answered 401",
        "Warning: acme/new has never synced successfully, so its numbers are stale",
    ]


def test_before_the_marts_are_built_nothing_is_called_stale(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    try:
        assert stale_repository_lines(con) == []
    finally:
        con.close()


def test_no_warehouse_means_no_warnings(tmp_path):
    assert _stale_warnings(tmp_path / "missing.duckdb") == []
