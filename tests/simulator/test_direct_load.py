"""The direct loader writes a simulated org into the warehouse as an HTTP sync and survey import
would: after it, the culture scoring and the SQL models build the same marts, row for row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from pipelines.cli.execution import run_pipeline
from pipelines.config.effective import effective_config
from pipelines.shared.sandbox import sandbox_org
from simulator.direct_load import build_marts, direct_config, load_org
from simulator.generator import generate_org
from warehouse.connection import connect, connect_read_only
from warehouse.errors import WarehouseLoadError
from warehouse.fingerprint import warehouse_fingerprint

SANDBOX = {"seed": 11, "teams": 2, "months": 4}
# Payload URLs name the server's origin (a port over HTTP, sandbox.invalid directly); a direct
# load stores no ETags (nothing was served over HTTP to carry one): not the cursors' `etag`
# column, nor the `etag` of the deployments cursor's pending and recent entries (compared below
# without them).
ORIGIN_DEPENDENT = ("payload", "meta.sync_state.etag", "meta.sync_state.cursor")


def write_config(directory: Path) -> Path:
    config = {
        "warehouse": {"path": str(directory / "warehouse.duckdb")},
        "sandbox": SANDBOX,
        "sources": {"github": {"base_url": "sandbox", "org": "acme", "max_workers": 2}},
        "surveys": {"drop_folder": str(directory / "surveys")},
    }
    path = directory / "candor.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def fingerprint(path: Path) -> dict[str, str]:
    con = connect_read_only(path)
    try:
        return warehouse_fingerprint(con, ignore=ORIGIN_DEPENDENT)
    finally:
        con.close()


@pytest.fixture(autouse=True)
def _no_warehouse_override(monkeypatch):
    monkeypatch.delenv("CANDOR_WAREHOUSE", raising=False)
    monkeypatch.delenv("DAGSTER_HOME", raising=False)


def test_marts_after_a_direct_load_equal_those_after_an_http_sync(tmp_path: Path) -> None:
    over_http = tmp_path / "http"
    over_http.mkdir()
    assert run_pipeline(str(write_config(over_http)), quiet=True).success

    direct = tmp_path / "direct"
    direct.mkdir()
    config = effective_config(str(write_config(direct)))
    con = connect(direct / "warehouse.duckdb")
    try:
        report = load_org(sandbox_org(config.sandbox), con, config)
        build_marts(con, config)
    finally:
        con.close()
    assert report.repositories == len(config.github_repos())

    expected, actual = fingerprint(over_http / "warehouse.duckdb"), fingerprint(
        direct / "warehouse.duckdb")
    marts = sorted(name for name in expected if name.startswith("marts."))
    assert "marts.dora_team_month" in marts and "marts.culture_team_wave" in marts
    # meta.model_builds also records the pipeline's analysis fit, which the direct load leaves
    # out: its SQL models' rows are compared below
    different = sorted(name for name in expected if actual.get(name) != expected[name]
                       and name != "meta.model_builds")
    assert different == []
    assert set(actual) == set(expected)
    assert cursors_without_etags(direct) == cursors_without_etags(over_http)
    assert model_builds(direct) == model_builds(over_http) != []


def model_builds(directory: Path) -> list[tuple]:
    con = connect_read_only(directory / "warehouse.duckdb")
    try:
        return con.execute("select model, rows from meta.model_builds "
                           "where model not like 'analysis.%' order by model").fetchall()
    finally:
        con.close()


def cursors_without_etags(directory: Path) -> dict[tuple[str, str, str], object]:
    con = connect_read_only(directory / "warehouse.duckdb")
    try:
        rows = con.execute("select source, scope, resource, cursor from meta.sync_state").fetchall()
    finally:
        con.close()

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "etag"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    def decoded(text):
        try:
            return strip(json.loads(text))
        except (TypeError, ValueError):
            return text  # a watermark cursor is a plain string

    return {(source, scope, resource): decoded(cursor) for source, scope, resource, cursor in rows}


def test_a_direct_load_of_a_configured_org_fills_every_raw_table_it_syncs(tmp_path: Path) -> None:
    org = generate_org(seed=4, teams=2, months=4)
    config = direct_config(org, tmp_path / "w.duckdb", tmp_path / "surveys")
    report = load_org(org, tmp_path / "w.duckdb", config)
    con = connect(tmp_path / "w.duckdb")
    try:
        build_marts(con, config)
        pulls = con.execute("select count(*) from raw.github_pull_requests").fetchone()[0]
        deployments = con.execute("select count(*) from raw.github_deployments").fetchone()[0]
        waves = con.execute("select count(*) from raw.survey_waves").fetchone()[0]
        teams = con.execute("select count(distinct team) from marts.culture_team_wave").fetchone()
    finally:
        con.close()
    # every PR and deployment the generator made (all exist by the org's end, the clock)
    assert pulls == sum(len(r.pulls) for r in org.repos.values()) == report.rows[
        "raw.github_pull_requests"]
    # repositories whose deployment signal is the Deployments API (others: workflow runs, releases)
    api = [r for r in org.repos.values() if config.deployment_signal_for(r.full_name).signal
           == "environment"]
    assert api and deployments == sum(len(r.deployments) for r in api)
    # a 4-month window ending 2026-10-31 holds one quarter end (2026-09-30); two instruments
    assert waves == 2 == report.survey_files
    assert teams == (2,)


def test_a_direct_load_into_a_warehouse_that_holds_data_is_refused(tmp_path: Path) -> None:
    # the bulk path appends without upserting, so it only fills a new warehouse
    org = generate_org(seed=4, teams=1, months=2, activity=0.3)
    config = direct_config(org, tmp_path / "w.duckdb", tmp_path / "surveys")
    load_org(org, tmp_path / "w.duckdb", config)
    with pytest.raises(WarehouseLoadError, match="already holds rows"):
        load_org(org, tmp_path / "w.duckdb", config)
