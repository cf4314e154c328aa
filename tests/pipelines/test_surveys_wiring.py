"""Surveys in candor.yaml, `candor survey check`, and the drop-folder sensor."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import dagster as dg
import pytest
import yaml
from click.testing import CliRunner

from connectors.surveys import BUILTIN_INSTRUMENTS
from pipelines.cli.main import cli
from pipelines.config import ConfigError, load_config
from pipelines.surveys.sensors import survey_drop_sensor
from simulator.surveys import export_columns, write_survey_exports

TEAMS = [
    {"name": "payments", "members": {"github": [f"p{i}" for i in range(6)]}},
    {"name": "search", "members": {"github": [f"s{i}" for i in range(6)]}},
]


class SimulatedTeam:
    """The minimal team protocol the survey simulator accepts (see simulator/surveys.py)."""

    def __init__(self, name: str, members: list[str], safety: float) -> None:
        self.name, self.members = name, members
        self.psychological_safety = self.westrum = safety


@pytest.fixture
def exports(tmp_path) -> list:
    teams = [
        SimulatedTeam(t["name"], t["members"]["github"], s)
        for t, s in zip(TEAMS, (0.5, -0.5), strict=True)
    ]
    return write_survey_exports(
        teams, tmp_path / "exports", seed=3, waves=[("2026-Q1", dt.date(2026, 3, 31))]
    )


def write_config(tmp_path: Path, drop: Path, **surveys) -> Path:
    columns = {}
    for instrument in ("westrum", "psysafe"):
        mapping = export_columns(BUILTIN_INSTRUMENTS[instrument])
        mapping["ignore"] = [mapping.pop("respondent_id"), *mapping["ignore"]]
        columns[instrument] = mapping
    config = {
        "warehouse": {"path": str(tmp_path / "w.duckdb")},
        "sources": {"github": {"org": "acme"}},
        "teams": TEAMS,
        "surveys": {
            "drop_folder": str(drop),
            "waves": {"2026-Q1": "2026-03-31"},
            "columns": columns,
            **surveys,
        },
    }
    path = tmp_path / "candor.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def export_of(exports, kind: str, instrument: str = "westrum") -> Path:
    return next(e.path for e in exports if e.kind == kind and e.instrument == instrument)


def test_check_accepts_a_clean_export_and_loads_nothing(tmp_path, exports):
    drop = tmp_path / "drop"
    drop.mkdir()
    clean = shutil.copy(export_of(exports, "labels_csv"), drop / "2026-Q1_westrum.csv")
    config = write_config(tmp_path, drop)
    result = CliRunner().invoke(cli, ["survey", "check", str(clean), "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert "OK, 12 respondents to westrum wave 2026-Q1" in result.output  # 2 teams x 6 members
    assert not (tmp_path / "w.duckdb").exists()


def test_check_lists_every_problem_with_row_and_column(tmp_path, exports):
    drop = tmp_path / "drop"
    drop.mkdir()
    dirty = shutil.copy(export_of(exports, "dirty_csv"), drop / "2026-Q1_westrum.csv")
    config = write_config(tmp_path, drop)
    result = CliRunner().invoke(cli, ["survey", "check", str(dirty), "--config", str(config)])
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if "row " in line]
    assert len(problems) >= 3
    assert all("column" in line for line in problems)
    assert "nothing would be imported" in result.output


def test_a_file_named_for_an_unknown_wave_says_where_to_declare_it(tmp_path, exports):
    drop = tmp_path / "drop"
    drop.mkdir()
    odd = shutil.copy(export_of(exports, "labels_csv"), drop / "2027-Q9_westrum.csv")
    config = write_config(tmp_path, drop)
    result = CliRunner().invoke(cli, ["survey", "check", str(odd), "--config", str(config)])
    assert result.exit_code == 1
    assert "wave '2027-Q9' has no close date; add it under surveys.waves" in result.output


@pytest.mark.parametrize(
    ("surveys", "expected"),
    [
        ({"columns": {"nope": {"team": "Team"}}}, "columns names unknown instrument 'nope'"),
        (
            {"files": [{"path": "x.csv", "instrument": "westrum", "wave": "2030-Q1"}]},
            "wave '2030-Q1' has no close date",
        ),
        ({"instruments": [{"id": "learning"}]}, "surveys.instruments[0]"),
        ({"missing_items": {"nope": {"min_answered": 3}}}, "missing_items names unknown"),
    ],
)
def test_survey_settings_errors_name_the_setting(tmp_path, surveys, expected):
    path = tmp_path / "candor.yaml"
    path.write_text(
        yaml.safe_dump(
            {"sources": {"github": {"org": "acme"}}, "teams": TEAMS, "surveys": surveys}
        )
    )
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert expected in str(error.value)


def test_sensor_requests_a_run_when_the_drop_folder_changes(tmp_path, exports):
    drop = tmp_path / "drop"
    drop.mkdir()
    config = load_config(write_config(tmp_path, drop))
    sensor = survey_drop_sensor(config)
    with dg.instance_for_test() as instance:
        first = sensor(dg.build_sensor_context(instance=instance, cursor=None))
        shutil.copy(export_of(exports, "labels_csv"), drop / "2026-Q1_westrum.csv")
        context = dg.build_sensor_context(instance=instance, cursor=None)
        dropped = sensor(context)
        again = sensor(dg.build_sensor_context(instance=instance, cursor=context.cursor))
    assert isinstance(first, dg.SkipReason) and "no survey exports" in first.skip_message
    assert isinstance(dropped, dg.RunRequest)
    assert isinstance(again, dg.SkipReason) and "no new or changed" in again.skip_message
