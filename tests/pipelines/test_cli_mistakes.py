"""Each mistake a user can make with `candor`, as they read it: the exit code, the exact first
line, no traceback, and (for config mistakes) nothing created."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def candor(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("CANDOR_CONFIG", "DAGSTER_HOME",
                                                             "CANDOR_WAREHOUSE")}
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli.main", *args],
        cwd=ROOT, env={**base, **(env or {})}, capture_output=True, text=True, timeout=300,
    )


def write(directory: Path, data: dict) -> Path:
    path = directory / "candor.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


REAL = {
    "sources": {"github": {"org": "acme", "token_env": "CANDOR_TEST_TOKEN"}},
    "teams": [{"name": "a", "repos": {"github": ["acme/a"]}}],
}


def first_line(done: subprocess.CompletedProcess) -> str:
    return (done.stderr or done.stdout).splitlines()[0]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            {"schedule": {"cron": "0 25 * * *"}},
            "schedule.cron: '0 25 * * *' is not a cron expression Dagster can run; write five "
            "fields",
        ),
        (
            {"schedule": {"timezone": "Mars/Olympus"}},
            "schedule.timezone: 'Mars/Olympus' is not an IANA timezone;",
        ),
        (
            {"teams": [{"name": "a", "repos": {"github": ["acme/a"]}, "reops": {}}]},
            "teams[0].reops: unknown key;",
        ),
    ],
)
def test_config_mistakes_are_one_line_and_create_nothing(tmp_path, extra, expected):
    config = write(tmp_path, {**REAL, "warehouse": {"path": "state/w.duckdb"}, **extra})
    done = candor("run", "--config", str(config), env={"CANDOR_TEST_TOKEN": "t"})
    assert done.returncode == 2
    assert first_line(done).startswith(f"Error: {config}: {expected}")
    assert "Traceback" not in done.stdout + done.stderr
    assert not (tmp_path / "state").exists()


def test_a_warehouse_folder_that_cannot_be_made_names_the_setting(tmp_path):
    (tmp_path / "taken").write_text("a file, not a folder")
    config = write(tmp_path, {**REAL, "warehouse": {"path": "taken/w.duckdb"}})
    done = candor("run", "--config", str(config), env={"CANDOR_TEST_TOKEN": "t"})
    assert done.returncode == 2
    assert first_line(done) == (
        f"Error: warehouse.path {tmp_path / 'taken' / 'w.duckdb'}: cannot create its folder "
        f"(File exists: {tmp_path / 'taken'}); point warehouse.path at a file in a folder this "
        "user can write"
    )
    assert "Traceback" not in done.stdout + done.stderr


def test_an_unreachable_github_is_one_line_per_repository_without_dagster_traces(tmp_path):
    # Port 9 (discard) on loopback: nothing listens there, so every repository fails alike.
    config = write(
        tmp_path,
        {
            "warehouse": {"path": "w.duckdb"},
            "sources": {"github": {"org": "acme", "token_env": "CANDOR_TEST_TOKEN",
                                   "base_url": "http://127.0.0.1:9/api/v3", "retry_total": 0}},
            "teams": [{"name": "a", "repos": {"github": ["acme/a", "acme/b"]}}],
        },
    )
    done = candor("run", "--config", str(config), env={"CANDOR_TEST_TOKEN": "t"})
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    lines = done.stderr.splitlines()
    start = lines.index("Error: the run failed:")
    assert lines[start + 1].startswith("meta__sync_report: GitHub sync failed for 2 of 2 ")
    repo_lines = [line for line in lines[start + 2:] if line.startswith("  acme/")]
    assert [line.split(" ")[2] for line in repo_lines] == ["acme/a", "acme/b"]
    # The reason is the connector's own sentence with its fix, not urllib3's text.
    assert all("could not connect to the GitHub API" in line and "sources.github.base_url"
               in line for line in repo_lines), repo_lines
    for noise in ("Traceback", "Not executing", "dagster._core", "Max retries", "urllib3"):
        assert noise not in output, noise
