"""Every command README.md shows in a ```sh block runs as written (issue 12, "first contact").

`make demo` and `make test` are left to CI, which runs both (`make test` is this suite). Each
`uv run candor ...` line runs in-process on a demo-like warehouse, from a fresh working
directory holding a `candor.yaml` (so `--config candor.yaml` works as written too), with
CANDOR_CONFIG pointing at it (so commands without `--config` read it instead of the demo's).
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from readme_blocks import shell_commands

from pipelines.cli.main import cli

CANDOR = "uv run candor "
LEFT_TO_CI = {"make demo", "make test"}
RUN_HERE = [c for c in shell_commands() if c.startswith(CANDOR)]


def test_the_readme_shows_only_commands_that_are_checked():
    commands = shell_commands()
    assert RUN_HERE, "README.md shows no `uv run candor` command in a ```sh block"
    unchecked = [c for c in commands if c not in LEFT_TO_CI and not c.startswith(CANDOR)]
    assert unchecked == [], "add these to this test, or to LEFT_TO_CI if CI runs them"
    assert set(commands) >= LEFT_TO_CI


@pytest.fixture
def user_directory(demo_like_config: Path, tmp_path: Path, monkeypatch) -> Path:
    """A working directory with a candor.yaml for the demo-like warehouse, as a user has."""
    config = yaml.safe_load(demo_like_config.read_text(encoding="utf-8"))
    # This copy lives elsewhere: its paths name the built warehouse from here, absolutely.
    built = demo_like_config.parent
    config["warehouse"]["path"] = str(built / config["warehouse"]["path"])
    config["surveys"]["drop_folder"] = str(built / config["surveys"]["drop_folder"])
    (tmp_path / "candor.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("CANDOR_WAREHOUSE", "DAGSTER_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CANDOR_CONFIG", str(tmp_path / "candor.yaml"))
    return tmp_path


@pytest.mark.parametrize("command", RUN_HERE)
def test_a_readme_command_exits_0(user_directory, command):
    arguments = shlex.split(command.removeprefix(CANDOR))
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0, f"{command}\n{result.output}"
