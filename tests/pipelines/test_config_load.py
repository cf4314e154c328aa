"""Everything in candor.yaml is checked when it loads, one line per mistake naming the key and
the fix, before any file, folder or warehouse exists (issue 12)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from pipelines.cli.main import main
from pipelines.config import ConfigError, load_config
from pipelines.shared.sandbox import with_sandbox_defaults

ROOT = Path(__file__).resolve().parents[2]

REAL = {
    "warehouse": {"path": "warehouse.duckdb"},
    "sources": {"github": {"org": "acme"}},
    "teams": [{"name": "payments", "repos": {"github": ["acme/payments-api"]}}],
}


def write(directory: Path, config: dict) -> Path:
    path = directory / "candor.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def with_(section: str, **values) -> dict:
    """REAL with `values` set in `section` (a dotted path such as `sources.github`)."""
    config = yaml.safe_load(yaml.safe_dump(REAL))
    target = config
    for key in section.split("."):
        target = target.setdefault(key, {})
    target.update(values)
    return config


BAD = [
    (with_("schedule", cron="0 2 * *"), "schedule.cron: '0 2 * *' is not a cron expression"),
    (with_("schedule", cron="61 2 * * *"), "schedule.cron: '61 2 * * *'"),
    (with_("schedule", cron="0 0 2 * * *"), "write five fields"),  # seconds: not Dagster's
    (with_("schedule", timezone="Europe/Bärlin"), "timezone: 'Europe/Bärlin' is not an IANA"),
    (with_("schedule", timezone="utc"), "use an IANA name such as 'UTC'"),
    (with_("schedule", timezone="../etc/passwd"), "schedule.timezone: '../etc/passwd'"),
    (with_("sources.github", base_url="github.example.com/api/v3"),
     "sources.github.base_url: 'github.example.com/api/v3' is not an http:// or https:// URL"),
    (with_("sources.github", base_url="ftp://github.example.com"), "https://HOST/api/v3"),
    (with_("sources.github", base_url="https://"), "sources.github.base_url: 'https://'"),
    ({**REAL, "teams": [*REAL["teams"], {"name": "web", "members": {"github": ["ann"]}}]},
     "teams: team 'web' (teams[1]) has no repositories; list them under repos.github"),
    ({**REAL, "teams": [{"name": "web", "repos": {"github": []}}]},
     "teams: team 'web' (teams[0]) has no repositories"),
    ({**REAL, "warehouse": {"path": ""}}, "warehouse.path: String should have at least 1"),
]  # fmt: skip


@pytest.mark.parametrize(("config", "expected"), BAD)
def test_a_wrong_value_is_one_line_naming_its_key_and_the_fix(tmp_path, config, expected):
    path = write(tmp_path, config)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    message = str(error.value)
    assert message == message.strip() and "\n" not in message
    assert message.startswith(f"{path}: ") and expected in message


def test_several_mistakes_are_several_lines(tmp_path):
    config = with_("schedule", cron="never", timezone="Nowhere/Land")
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, config))
    lines = str(error.value).splitlines()
    assert len(lines) == 2
    assert "schedule.cron" in lines[0] and "schedule.timezone" in lines[1]


@pytest.mark.parametrize(
    ("cron", "timezone", "base_url"),
    [
        ("30 4 * * 1-5", "Europe/Berlin", "https://github.example.com/api/v3"),
        ("@daily", "America/New_York", "http://127.0.0.1:8080"),
        ("*/15 * * * *", "UTC", "https://api.github.com"),
    ],
)
def test_good_values_load(tmp_path, cron, timezone, base_url):
    config = with_("schedule", cron=cron, timezone=timezone)
    config["sources"]["github"]["base_url"] = base_url
    loaded = load_config(write(tmp_path, config))
    assert (loaded.schedule.cron, loaded.schedule.timezone) == (cron, timezone)
    assert loaded.sources.github.base_url == base_url


def test_sandbox_configs_without_teams_still_load_and_get_the_simulated_teams(tmp_path):
    # The shape of config/demo.yaml and of the end-to-end tests' configurations.
    sandbox = {
        "sandbox": {"seed": 3, "teams": 2, "months": 1},
        "sources": {"github": {"base_url": "sandbox", "org": "acme"}},
    }
    for config in (
        load_config(ROOT / "config" / "demo.yaml"),
        load_config(write(tmp_path, sandbox)),
    ):
        assert config.teams == []
        teams = with_sandbox_defaults(config).teams
        assert teams and all(team.repos.github or team.repos.gitlab for team in teams)
    # the demo also serves GitLab: teams on GitHub only, on GitLab only and on both
    demo = with_sandbox_defaults(load_config(ROOT / "config" / "demo.yaml")).teams
    kinds = {(bool(team.repos.github), bool(team.repos.gitlab)) for team in demo}
    assert kinds == {(True, False), (False, True), (True, True)}
    assert all(person.gitlab == person.github for team in demo for person in team.people)
    # GitLab alone: every team's repositories that deploy through deployments are there
    alone = with_sandbox_defaults(load_config(write(tmp_path, {
        "sandbox": {"seed": 3, "teams": 3, "months": 1},
        "sources": {"gitlab": {"url": "sandbox"}}}))).teams
    assert all(team.repos.gitlab and not team.repos.github for team in alone)


def test_a_bad_config_creates_nothing_before_it_is_refused(tmp_path, monkeypatch, capsys):
    # A warehouse folder, survey folder and default warehouse, all relative to the config.
    config = {
        **with_("schedule", cron="0 25 * * *"),
        "warehouse": {"path": "state/warehouse.duckdb"},
        "surveys": {"drop_folder": "inbox"},
    }
    path = write(tmp_path, config)
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    for name in ("CANDOR_WAREHOUSE", "CANDOR_CONFIG", "DAGSTER_HOME"):
        monkeypatch.delenv(name, raising=False)
    for command in (["run"], ["sql", "select 1"], ["demo"]):
        monkeypatch.setattr(sys, "argv", ["candor", *command, "--config", str(path)])
        with pytest.raises(SystemExit) as exit_info:
            main()
        assert exit_info.value.code == 2
        error = capsys.readouterr().err
        assert f"{path}: schedule.cron: '0 25 * * *'" in error and "Traceback" not in error
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["candor.yaml", "cwd"]
