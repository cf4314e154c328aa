"""The `candor` commands: demo, run, sql and sandbox, as a user runs them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipelines.cli.main import cli, main
from pipelines.publishing.assets import snapshot_path
from warehouse.connection import connect
from warehouse.publish import publish_read_only_copy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch):
    for name in ("CANDOR_WAREHOUSE", "CANDOR_CONFIG", "DAGSTER_HOME"):
        monkeypatch.delenv(name, raising=False)


def sandbox_config(directory: Path) -> Path:
    path = directory / "candor.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "warehouse": {"path": str(directory / "warehouse.duckdb")},
                "sandbox": {"seed": 5, "teams": 2, "months": 2},
                "sources": {"github": {"base_url": "sandbox", "org": "acme"}},
            }
        )
    )
    return path


def test_demo_prints_a_team_table_and_the_warehouse(tmp_path):
    result = CliRunner().invoke(cli, ["demo", "--config", str(sandbox_config(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "DORA metrics per team" in result.output and "DORA 2024 report" in result.output
    assert f"Warehouse: {tmp_path / 'warehouse.duckdb'}" in result.output
    # The read-only copy for readers was published at the end of the run.
    assert (tmp_path / "warehouse.readonly.duckdb").exists()
    # Both simulated teams are listed.
    con = connect(tmp_path / "warehouse.duckdb")
    try:
        teams = [t for (t,) in con.execute("select distinct team from meta.team_repos").fetchall()]
    finally:
        con.close()
    assert len(teams) == 2 and all(team in result.output for team in teams)


@pytest.fixture
def small_warehouse(tmp_path) -> Path:
    """A warehouse with a team, a survey answer and its published copy."""
    config = tmp_path / "candor.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "warehouse": {"path": str(tmp_path / "w.duckdb")},
                "sources": {"github": {"org": "acme"}},
                "teams": [{"name": "payments", "repos": {"github": ["acme/api"]}}],
            }
        )
    )
    con = connect(tmp_path / "w.duckdb")
    con.execute(
        "insert into meta.team_repos values ('payments', 'github', 'acme/api', 'production')"
    )
    con.execute(
        "insert into raw.survey_answers values ('2026-Q1', 'westrum', 'payments', 'k1', 'w1', 6)"
    )
    publish_read_only_copy(con, snapshot_path(tmp_path / "w.duckdb"))
    con.close()
    return config


def test_sql_reads_the_published_copy_and_raw_data_only_with_writer(small_warehouse):
    runner = CliRunner()
    query = "select team, answer from raw.survey_answers"
    published = runner.invoke(cli, ["sql", query, "--config", str(small_warehouse)])
    assert published.exit_code == 1
    assert "the published copy holds marts.*, analysis.*" in published.output
    assert "add --live" in published.output
    writer = runner.invoke(cli, ["sql", query, "--writer", "--config", str(small_warehouse)])
    assert writer.exit_code == 0, writer.output
    assert "payments" in writer.output


def test_sql_prints_rows_and_refuses_writes(small_warehouse):
    runner = CliRunner()
    shown = runner.invoke(
        cli, ["sql", "select team, repo from meta.team_repos", "--config", str(small_warehouse)]
    )
    assert shown.exit_code == 0 and "payments" in shown.output and "acme/api" in shown.output
    write = runner.invoke(
        cli, ["sql", "delete from meta.team_repos", "--config", str(small_warehouse)]
    )
    assert write.exit_code == 1 and "read-only mode" in write.output


def test_sql_without_a_warehouse_says_how_to_make_one(tmp_path, monkeypatch, capsys):
    config = tmp_path / "candor.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "warehouse": {"path": str(tmp_path / "none.duckdb")},
                "sources": {"github": {"org": "acme"}},
                "teams": [{"name": "a", "repos": {"github": ["acme/a"]}}],
            }
        )
    )
    monkeypatch.setattr(sys, "argv", ["candor", "sql", "select 1", "--config", str(config)])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 1
    assert "run `candor run` or `make demo` first" in capsys.readouterr().err


def test_sql_before_anything_was_published_says_what_publishes(small_warehouse, tmp_path):
    (tmp_path / "w.readonly.duckdb").unlink()
    result = CliRunner().invoke(cli, ["sql", "select 1", "--config", str(small_warehouse)])
    assert result.exit_code == 1
    assert "no published copy" in result.output and "`candor run` publishes it" in result.output


def test_run_with_a_wrong_config_key_exits_with_one_clear_error(tmp_path, monkeypatch, capsys):
    config = tmp_path / "candor.yaml"
    config.write_text("teams:\n  - name: a\n    reops: {}\n")
    monkeypatch.setattr(sys, "argv", ["candor", "run", "--config", str(config)])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert f"{config}: teams[0].reops: unknown key" in error
    assert "Traceback" not in error


def test_missing_token_fails_naming_the_variable_not_the_token(tmp_path):
    config = tmp_path / "candor.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "warehouse": {"path": str(tmp_path / "w.duckdb")},
                "sources": {"github": {"org": "acme", "token_env": "CANDOR_TEST_NO_SUCH_TOKEN"}},
                "teams": [{"name": "a", "repos": {"github": ["acme/a"]}}],
            }
        )
    )
    env = {k: v for k, v in os.environ.items() if k != "CANDOR_TEST_NO_SUCH_TOKEN"}
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.cli.main", "run", "--config", str(config)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert "Environment variable CANDOR_TEST_NO_SUCH_TOKEN (sources.github.token_env)" in output
    assert "is not set" in output
    assert "Traceback" not in output
    # Refused before the run: no warehouse file was created.
    assert not (tmp_path / "w.duckdb").exists()


def test_sandbox_serves_until_interrupted():
    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli.main", "sandbox", "--teams", "1", "--months", "1"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = {}
        for line in process.stdout:
            if line.startswith(("GitHub API:", "Token")):
                key, _, value = line.partition(": ")
                lines[key.split(" ")[0]] = value.strip()
            if len(lines) == 2:
                break
        base_url, token = lines["GitHub"], lines["Token"]
        assert base_url.startswith("http://127.0.0.1:")
        request = urllib.request.Request(
            f"{base_url}/orgs/acme/repos", headers={"Authorization": f"token {token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            repos = json.load(response)
        assert repos and all(repo["full_name"].startswith("acme/") for repo in repos)
    finally:
        process.send_signal(signal.SIGINT)
        output = process.communicate(timeout=30)[0]
    assert "Stopped." in output
