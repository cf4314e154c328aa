"""Relative paths in candor.yaml are relative to the file's folder, whatever the working
directory (issue 12); absolute paths and CANDOR_WAREHOUSE work as before."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipelines.cli.main import cli
from pipelines.config import load_config
from pipelines.publishing.assets import snapshot_path
from warehouse.connection import connect, warehouse_path
from warehouse.publish import publish_read_only_copy

ROOT = Path(__file__).resolve().parents[2]
TEAMS = [{"name": "payments", "repos": {"github": ["acme/api"]}}]


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path, monkeypatch) -> Path:
    """Every test runs from a working directory that is not the config's folder."""
    for name in ("CANDOR_WAREHOUSE", "CANDOR_CONFIG", "DAGSTER_HOME"):
        monkeypatch.delenv(name, raising=False)
    cwd = tmp_path / "somewhere" / "else"
    cwd.mkdir(parents=True)
    monkeypatch.chdir(cwd)
    return cwd


def write(directory: Path, **sections) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "candor.yaml"
    config = {"sources": {"github": {"org": "acme"}}, "teams": TEAMS, **sections}
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def test_relative_paths_are_taken_from_the_config_folder(tmp_path):
    surveys = {
        "drop_folder": "surveys/inbox",
        "waves": {"2026-Q1": "2026-03-31"},
        "files": [{"path": "../exports/q1.csv", "wave": "2026-Q1", "instrument": "westrum"}],
    }
    config = load_config(
        write(tmp_path / "org", warehouse={"path": "state/w.duckdb"}, surveys=surveys)
    )
    assert config.warehouse.path == str(tmp_path / "org" / "state" / "w.duckdb")
    assert config.surveys.drop_folder == str(tmp_path / "org" / "surveys" / "inbox")
    assert config.surveys.files[0].path == str(tmp_path / "exports" / "q1.csv")


def test_the_default_warehouse_is_beside_the_config(tmp_path):
    config = load_config(write(tmp_path / "org"))
    assert config.warehouse.path == str(tmp_path / "org" / ".candor" / "warehouse.duckdb")


def test_absolute_and_home_paths_are_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    config = load_config(
        write(
            tmp_path / "org",
            warehouse={"path": "/var/lib/candor/w.duckdb"},
            surveys={"drop_folder": "~/inbox"},
        )
    )
    assert config.warehouse.path == "/var/lib/candor/w.duckdb"
    assert config.surveys.drop_folder == str(tmp_path / "home" / "inbox")


def test_candor_warehouse_still_overrides_the_configured_path(tmp_path, monkeypatch):
    config = load_config(write(tmp_path / "org", warehouse={"path": "w.duckdb"}))
    monkeypatch.setenv("CANDOR_WAREHOUSE", str(tmp_path / "override.duckdb"))
    assert warehouse_path(config.warehouse.path) == tmp_path / "override.duckdb"


def test_the_demo_warehouse_is_in_the_repository_root_from_anywhere():
    demo = load_config(ROOT / "config" / "demo.yaml")
    assert demo.warehouse.path == str(ROOT / ".candor" / "demo" / "warehouse.duckdb")
    assert demo.surveys.drop_folder == str(ROOT / ".candor" / "demo" / "surveys")
    assert load_config().warehouse.path == demo.warehouse.path  # no config given: the demo's


def test_candor_sql_from_another_directory_reads_the_configs_warehouse(tmp_path, _elsewhere):
    write(tmp_path / "org", warehouse={"path": "state/w.duckdb"})
    warehouse = tmp_path / "org" / "state" / "w.duckdb"
    warehouse.parent.mkdir()
    con = connect(warehouse)
    con.execute("insert into meta.team_repos values ('payments', 'github', 'acme/api', 'prod')")
    publish_read_only_copy(con, snapshot_path(warehouse))
    con.close()
    relative = Path("..") / ".." / "org" / "candor.yaml"  # given relative to the working dir
    result = CliRunner().invoke(
        cli, ["sql", "select team, repo from meta.team_repos", "--config", str(relative)]
    )
    assert result.exit_code == 0, result.output
    assert "payments" in result.output and "acme/api" in result.output
    assert list(_elsewhere.iterdir()) == []  # nothing was created where the command ran
