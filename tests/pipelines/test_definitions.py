"""`dagster dev` loads one Definitions with every asset, check, job and the schedule."""

from __future__ import annotations

import warnings
from pathlib import Path

import dagster as dg
import yaml
from pydantic.warnings import PydanticDeprecatedSince20

from models.runner import model_order
from pipelines.definitions import build_definitions
from pipelines.metrics.checks import all_checks

ROOT = Path(__file__).resolve().parents[2]


def test_definitions_load_without_deprecation_warnings():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        defs = build_definitions(str(ROOT / "config" / "demo.yaml"))
        repository = defs.get_repository_def()
    # Dagster's own pydantic compatibility layer warns about pydantic internals; what must not
    # appear is a deprecation of an API this project calls.
    ours = [
        str(w.message)
        for w in caught
        if issubclass(w.category, DeprecationWarning)
        and not issubclass(w.category, PydanticDeprecatedSince20)
    ]
    assert ours == []
    keys = {key.to_user_string() for key in repository.asset_graph.get_all_asset_keys()}
    # Every SQL model is an asset addressed like its warehouse object, next to raw and meta.
    for model in model_order():
        assert f"{model.schema}/{model.table}" in keys
    for expected in (
        "raw/github_deployments",
        "raw/github_issues",
        "meta/team_repos",
        "marts/dora_team_month",
        "marts/deployments",
    ):
        assert expected in keys


def test_every_check_file_is_attached_to_an_asset():
    # A check naming a table no asset builds would silently never run.
    defs = build_definitions(str(ROOT / "config" / "demo.yaml"))
    graph = defs.get_repository_def().asset_graph
    attached = {
        (key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys
    }
    for check in all_checks():
        assert (check.table.replace(".", "/"), check.name) in attached, check


def test_every_writer_shares_the_duckdb_pool():
    defs = build_definitions(str(ROOT / "config" / "demo.yaml"))
    graph = defs.get_repository_def().asset_graph
    writers = [graph.get(key) for key in graph.get_all_asset_keys()
               if graph.get(key).is_materializable]
    # the demo reads every source (GitHub, GitLab, PagerDuty): every raw table is written
    assert writers and len(writers) == len(graph.get_all_asset_keys())
    for node in writers:
        assert node.assets_def.op.pool == "duckdb", node.key


def test_model_dependencies_come_from_the_sql():
    defs = build_definitions(str(ROOT / "config" / "demo.yaml"))
    graph = defs.get_repository_def().asset_graph
    parents = {
        k.to_user_string() for k in graph.get(dg.AssetKey(["marts", "deployments"])).parent_keys
    }
    assert any(p.startswith("staging/") for p in parents)
    raw_parents = {
        k.to_user_string()
        for k in graph.get(dg.AssetKey(["staging", "stg_github_deployments"])).parent_keys
    }
    assert raw_parents == {"raw/github_deployments"}


def test_schedule_uses_configured_cron_and_timezone(tmp_path):
    config = yaml.safe_load((ROOT / "config" / "example.yaml").read_text())
    config["schedule"] = {"cron": "30 4 * * 1-5", "timezone": "Europe/Berlin"}
    path = tmp_path / "candor.yaml"
    path.write_text(yaml.safe_dump(config))
    schedule = build_definitions(str(path)).resolve_schedule_def("nightly_schedule")
    assert schedule.cron_schedule == "30 4 * * 1-5"
    assert schedule.execution_timezone == "Europe/Berlin"
    assert schedule.job_name == "nightly"


def test_dagster_yaml_configures_storage_and_a_single_writer_pool():
    instance_config = yaml.safe_load((ROOT / "dagster.yaml").read_text())
    assert instance_config["concurrency"]["pools"]["default_limit"] == 1
    assert instance_config["storage"]["sqlite"]["base_dir"].startswith(".candor/")
    # The instance accepts the file as it is.
    with dg.instance_for_test(overrides=instance_config) as instance:
        assert instance.run_storage is not None


def test_every_job_schedule_and_sensor_resolves_and_the_location_is_loadable():
    # What `dagster dev` does on open: a selection naming an op instead of an asset key (the
    # survey job once did) fails here rather than showing a Failed code location.
    defs = build_definitions(str(ROOT / "config" / "demo.yaml"))
    dg.Definitions.validate_loadable(defs)
    repository = defs.get_repository_def()
    jobs = {job.name for job in repository.get_all_jobs()}
    assert {"nightly", "survey_import_job"} <= jobs
    for name in jobs:
        assert defs.resolve_job_def(name).name == name
    for schedule in repository.schedule_defs:
        assert schedule.job_name in jobs
        assert defs.resolve_schedule_def(schedule.name).cron_schedule
    sensors = repository.sensor_defs
    assert [s.name for s in sensors] == ["survey_drop_folder"]
    for sensor in sensors:
        assert defs.resolve_sensor_def(sensor.name).job_name in jobs
    # The survey job imports the surveys and rebuilds what is built from them, nothing else.
    survey_keys = {
        key.to_user_string() for key in defs.resolve_job_def("survey_import_job").asset_layer
        .selected_asset_keys
    }
    assert {"raw/survey_answers", "marts/culture_team_wave", "analysis/reliability"} <= survey_keys
    assert "raw/github_deployments" not in survey_keys
