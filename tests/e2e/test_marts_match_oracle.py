"""End to end: the marts built by the real pipeline (simulated API → connector over HTTP →
DuckDB → SQL models, under Dagster) agree with the oracle, which recomputes every metric in
Python straight from the generator's event log, for every team and every month and week."""

from __future__ import annotations

import math
from datetime import date

import pytest
import yaml
from oracle import OracleRules, evaluate, recompute

from pipelines.cli.execution import run_pipeline
from pipelines.config.schema import SandboxConfig
from pipelines.shared.sandbox import sandbox_org
from warehouse.connection import connect_read_only

SANDBOX = {"seed": 23, "teams": 3, "months": 5}
COMPARED = (
    "deployments",
    "deploy_days",
    "failed_deploy_attempts",
    "changes",
    "lead_time_median_hours",
    "lead_time_p90_hours",
    "failed_deployments",
    "change_failure_rate",
    "recovered_failures",
    "recovery_median_hours",
    "incidents",
    "time_to_restore_median_hours",
    "rework_deployments",
    "rework_rate",
)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    directory = tmp_path_factory.mktemp("oracle")
    config = directory / "candor.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "warehouse": {"path": str(directory / "warehouse.duckdb")},
                "sandbox": SANDBOX,
                "sources": {"github": {"base_url": "sandbox", "org": "acme", "max_workers": 3}},
            }
        )
    )
    assert run_pipeline(str(config), quiet=True).success
    return directory / "warehouse.duckdb"


def marts_rows(path, table: str, period_column: str) -> dict[tuple[str, date], dict]:
    con = connect_read_only(path)
    try:
        cursor = con.execute(
            f"select team, {period_column}, {', '.join(COMPARED)} from marts.{table}"
        )
        return {
            (row[0], row[1]): dict(zip(COMPARED, row[2:], strict=True)) for row in cursor.fetchall()
        }
    finally:
        con.close()


def demo_rules(org) -> OracleRules:
    """The rules of the demo config: its repos deploy by environment, workflow and release."""
    return OracleRules.from_config(org.demo_config()["rules"])


def same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)


@pytest.mark.parametrize(
    ("table", "period_column", "period"),
    [("dora_team_month", "month_start", "month"), ("dora_team_week", "week_start", "week")],
)
def test_marts_agree_with_the_event_log_for_every_team_and_period(
    warehouse, table, period_column, period
):
    org = sandbox_org(SandboxConfig(**SANDBOX))
    expected = recompute(org, demo_rules(org), period=period)
    actual = marts_rows(warehouse, table, period_column)
    assert set(actual) == set(expected)
    mismatches = [
        (key, field, actual[key][field], getattr(expected[key], field))
        for key in sorted(expected)
        for field in COMPARED
        if not same(actual[key][field], getattr(expected[key], field))
    ]
    assert mismatches == []
    # The comparison is not vacuous: the organization deploys, fails and recovers.
    assert sum(row.failed_deployments for row in expected.values()) > 0
    assert sum(row.recovered_failures for row in expected.values()) > 0


def test_every_deployment_signal_is_covered_deployment_for_deployment(warehouse):
    """Repos of each kind are in the demo, and each repo's production deployments in
    marts.deployments (ids, shas, finish times, failed flags) are the oracle's."""
    org = sandbox_org(SandboxConfig(**SANDBOX))
    rules = demo_rules(org)
    found = evaluate(org, rules)
    expected = {(d.repo, d.deployment_id): (d.sha, d.finished_at, bool(d.failed))
                for d in found.deployments}
    con = connect_read_only(warehouse)
    try:
        rows = con.execute(
            "select repo, deployment_id, sha, finished_at, is_failed from marts.deployments"
        ).fetchall()
    finally:
        con.close()
    actual = {(repo, i): (sha, at, failed) for repo, i, sha, at, failed in rows}
    assert actual == expected
    signals = {repo: rules.signal(repo) for repo in org.repos}
    by_signal = {kind: sum(1 for repo, _ in actual if signals[repo] == kind)
                 for kind in ("environment", "workflow", "release")}
    # each kind deploys, and the workflow and release repos fail and are remediated too
    assert min(by_signal.values()) > 0, by_signal
    failed_kinds = {signals[d.repo] for d in found.deployments if d.failed}
    assert failed_kinds == {"environment", "workflow", "release"}
    attempts = {signals[a.repo] for a in found.attempts}
    assert "workflow" in attempts and "release" not in attempts
