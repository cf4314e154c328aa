"""The SQL asset checks find what they promise to find."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.metrics.checks import all_checks, evaluate


def check(name: str, table: str):
    return next(c for c in all_checks() if c.name == name and c.table == table)


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("create schema marts; create schema meta")
    yield con
    con.close()


def test_every_check_file_is_readable():
    # That each names an asset that exists: tests/pipelines/test_definitions.py.
    checks = all_checks()
    assert len(checks) >= 8
    assert all(c.table.count(".") == 1 and c.name and c.description for c in checks)


def test_duplicate_deployment_is_reported(con):
    con.execute(
        "create table marts.deployments(source varchar, repo varchar, deployment_id bigint)"
    )
    # The same repository name and id on another source is another deployment.
    con.execute(
        "insert into marts.deployments values ('github', 'acme/a', 1), ('github', 'acme/a', 1),"
        " ('github', 'acme/a', 2), ('gitlab', 'acme/a', 2)"
    )
    count, sample = evaluate(con, check("unique_deployment", "marts.deployments"))
    assert count == 1 and "acme/a" in sample


def test_change_without_deployment_is_an_orphan(con):
    con.execute("create schema staging")
    con.execute(
        "create table staging.int_production_deployments(source varchar, repo varchar,"
        " deployment_id bigint)"
    )
    con.execute(
        "create table marts.changes(source varchar, repo varchar, kind varchar, pr_number int,"
        " sha varchar, deployment_id bigint)"
    )
    con.execute("insert into staging.int_production_deployments values ('github', 'acme/a', 1)")
    con.execute(
        "insert into marts.changes values ('github', 'acme/a', 'pull_request', 7, 'abc', 1),"
        " ('github', 'acme/a', 'pull_request', 8, 'def', 99),"
        " ('gitlab', 'acme/a', 'pull_request', 9, 'fed', 1)"
    )
    count, _ = evaluate(con, check("no_orphans", "marts.changes"))
    # PR 8 points at deployment 99, which does not exist; MR 9 at GitLab's deployment 1, which
    # does not exist either (GitHub's deployment 1 is another one)
    assert count == 2


def test_rates_outside_zero_to_one_or_numerator_above_denominator(con):
    # One check of the one definition both DORA marts project (week and month grains).
    con.execute("create schema staging")
    con.execute(
        "create table staging.int_dora_team_period(grain varchar, team varchar,"
        " period_start date, deployments int, failed_deployments int, rework_deployments int,"
        " change_failure_rate double, rework_rate double)"
    )
    con.execute(
        "insert into staging.int_dora_team_period values"
        " ('month', 'a', '2026-01-01', 4, 1, 0, 0.25, 0.0),"  # consistent
        " ('month', 'a', '2026-02-01', 2, 3, 0, 1.5, 0.0),"  # 3 failures of 2 deployments
        " ('month', 'b', '2026-01-01', 0, 0, 0, null, null),"  # empty month: NULL rates fine
        " ('week', 'a', '2026-01-05', 2, 0, 1, 0.0, 0.5),"  # same team, other grain: fine
        " ('week', 'b', '2026-01-05', 1, 0, 2, 0.0, 2.0)"  # 2 rework of 1 deployment
    )
    count, sample = evaluate(con, check("consistent_rates", "staging.int_dora_team_period"))
    assert count == 2 and "2026, 2, 1" in sample and "2026, 1, 5" in sample


def test_stale_team_is_a_warning(con):
    con.execute("create table meta.sync_state(source varchar, synced_at timestamptz)")
    con.execute("create table meta.settings(name varchar, value varchar)")
    con.execute(
        "create table marts.deployments(team varchar, source varchar, finished_at timestamptz)"
    )
    con.execute("insert into meta.sync_state values ('github', '2026-11-20 02:00:00+00')")
    con.execute(
        "insert into marts.deployments values ('fresh', 'github', '2026-11-19 10:00:00+00'),"
        " ('stale', 'github', '2026-09-01 10:00:00+00')"
    )
    fresh_check = check("fresh_data", "marts.deployments")
    count, sample = evaluate(con, fresh_check)
    assert count == 1 and "stale" in sample
    assert fresh_check.severity.value == "WARN"


def test_freshness_is_measured_on_the_data_clock_when_a_sandbox_sets_one(con):
    # Synced on 2026-12-20 (wall clock), but the simulated data end on 2026-10-31: against the
    # data's clock, a deployment of 2026-10-15 is 16 days old (fresh), one of 2026-09-01 is 60
    # days old (stale, over the 30-day limit); against the wall clock both would be stale.
    con.execute("create table meta.sync_state(source varchar, synced_at timestamptz)")
    con.execute("create table meta.settings(name varchar, value varchar)")
    con.execute(
        "create table marts.deployments(team varchar, source varchar, finished_at timestamptz)"
    )
    con.execute("insert into meta.sync_state values ('github', '2026-12-20 02:00:00+00')")
    con.execute("insert into meta.settings values ('data_clock', '2026-10-31T00:00:00+00:00')")
    con.execute(
        "insert into marts.deployments values ('fresh', 'github', '2026-10-15 10:00:00+00'),"
        " ('stale', 'github', '2026-09-01 10:00:00+00')"
    )
    count, sample = evaluate(con, check("fresh_data", "marts.deployments"))
    assert count == 1 and "stale" in sample and "'fresh'" not in sample
