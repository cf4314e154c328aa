"""The source seam is real: a second source, defined only by files of this test folder
(toy_source.py and toy_source_sql/), flows through the neutral loader and the generated
conformed layer into marts.deployments and the DORA marts, beside GitHub data for a repository
of the same name with the same deployment ids, without either source's rows touching the
other's (issue 8 acceptance).

Expected values are derived by hand from the rollouts and deployments below.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import toy_source
from toy_source import TOY_TABLES, Rollout, ToyBatch

from connectors.contract import Cursor
from connectors.github.records import Deployment, DeploymentStatus, RepoBatch
from connectors.github.tables import GITHUB_TABLES
from models.runner import run_all
from models.sql_files import SQL_ROOT, discover_models
from pipelines.config import CandorConfig
from pipelines.reference.writing import metric_settings
from warehouse.connection import connect
from warehouse.loading import write_batch
from warehouse.reference import write_team_reference

REPO = "shop/app"  # the same name on both sources, on purpose


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


ROLLOUTS = [
    Rollout(REPO, 1, "live", "A1" * 20, at(2, 10), at(2, 10, 10), "ok"),
    Rollout(REPO, 2, "live", "a2" * 20, at(3, 10), at(3, 10, 20), "broken"),
    Rollout(REPO, 3, "live", "a3" * 20, at(4, 10), at(4, 10, 5), "ok"),
    Rollout(REPO, 4, "canary", "a3" * 20, at(4, 9), at(4, 9, 30), "ok"),
    Rollout(REPO, 5, "live", "a5" * 20, at(5, 10), None, "running"),
]


@pytest.fixture
def warehouse(tmp_path):
    con = connect(tmp_path / "warehouse.duckdb")
    # The toy source's own migration.
    con.execute(toy_source.DDL)
    written = write_batch(con, TOY_TABLES, ToyBatch(
        REPO, list(ROLLOUTS), [Cursor(toy_source.SOURCE, REPO, "rollouts", "5", None)]
    ))
    assert written == {"raw.toy_rollouts": 5}
    github = RepoBatch(repo=REPO)
    for deployment_id, day in ((1, 10), (3, 12)):
        github.deployments.append(Deployment(
            REPO, deployment_id, "production", "b" * 39 + str(deployment_id), "main", "deploy",
            "ann", at(day, 8)))
        github.deployment_statuses.append(DeploymentStatus(
            REPO, deployment_id, f"DES_{100 + deployment_id}", 100 + deployment_id, "success",
            at(day, 9)))
    write_batch(con, GITHUB_TABLES, github)
    config = CandorConfig.model_validate({"teams": [{"name": "toy-team"}, {"name": "web"}]})
    write_team_reference(
        con,
        [("toy-team", "toy", REPO, "^live$"), ("web", "github", REPO, "(?i)^production$")],
        [], metric_settings(config),
    )
    models = discover_models(SQL_ROOT, toy_source.SQL_ROOT)
    run_all(con, models)
    yield con, {m.name: m for m in models}
    con.close()


def test_the_conformed_layer_is_generated_from_the_sources_found(warehouse):
    _, models = warehouse
    assert models["staging.stg_deployments"].sources == ("github", "gitlab", "toy")
    assert models["staging.stg_deployment_statuses"].sources == ("github", "gitlab", "toy")
    # The toy source has no change requests: those conformed models read the others only.
    assert models["staging.stg_change_requests"].sources == ("github", "gitlab")


def test_toy_rollouts_become_production_deployments_keyed_by_source(warehouse):
    con, _ = warehouse
    rows = con.execute(
        "select source, team, deployment_id, environment, chain_position, "
        "previous_deployment_id, finished_at, sha from marts.deployments "
        "order by source, deployment_id"
    ).fetchall()
    # Toy: rollouts 1 and 3 are ok on live; 2 broke (a failed attempt, no deployment), 4 went
    # to canary (not production by ^live$), 5 is still running. Each source is its own chain,
    # so both second deployments are chain position 2 despite equal repo names and ids.
    assert rows == [
        ("github", "web", 1, "production", 1, None, at(10, 9), "b" * 39 + "1"),
        ("github", "web", 3, "production", 2, 1, at(12, 9), "b" * 39 + "3"),
        ("toy", "toy-team", 1, "live", 1, None, at(2, 10, 10), "a1" * 20),
        ("toy", "toy-team", 3, "live", 2, 1, at(4, 10, 5), "a3" * 20),
    ]


def test_toy_deployments_reach_the_team_dora_month(warehouse):
    con, _ = warehouse
    deployments, failed_attempts = con.execute(
        "select deployments, failed_deploy_attempts from marts.dora_team_month "
        "where team = 'toy-team' and month_start = date '2026-03-01'"
    ).fetchone()
    assert (deployments, failed_attempts) == (2, 1)
    attempts = con.execute(
        "select deployment_id, outcome from staging.int_production_deployment_attempts "
        "where source = 'toy' order by deployment_id"
    ).fetchall()
    assert attempts == [(1, "deployed"), (2, "failed_attempt"), (3, "deployed"), (5, "pending")]
