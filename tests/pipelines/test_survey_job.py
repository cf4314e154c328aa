"""The drop-folder sensor's job, run end to end on a dropped export: the sensor asks for a run,
the job imports the file and rebuilds the culture tables and the published copy."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections import Counter

import dagster as dg
import duckdb
import yaml

from connectors.surveys import BUILTIN_INSTRUMENTS
from pipelines.definitions import build_definitions
from pipelines.surveys.sensors import SURVEY_JOB
from simulator.surveys import export_columns, write_survey_exports

# Six members each: both teams reach the anonymity minimum of 5 when everyone answers.
TEAMS = {"payments": [f"p{i}" for i in range(6)], "search": [f"s{i}" for i in range(6)]}


class SimulatedTeam:
    """The minimal team protocol the survey simulator accepts (see simulator/surveys.py)."""

    def __init__(self, name: str, members: list[str]) -> None:
        self.name, self.members = name, members
        self.psychological_safety = self.westrum = 0.0


def test_the_sensor_job_imports_a_dropped_file_and_rebuilds_the_scores(tmp_path, monkeypatch):
    monkeypatch.delenv("CANDOR_WAREHOUSE", raising=False)
    exports = write_survey_exports(
        [SimulatedTeam(name, members) for name, members in TEAMS.items()],
        tmp_path / "exports",
        seed=5,
        waves=[("2026-Q1", dt.date(2026, 3, 31))],
    )
    mapping = export_columns(BUILTIN_INSTRUMENTS["westrum"])
    mapping["ignore"] = [mapping.pop("respondent_id"), *mapping["ignore"]]
    drop = tmp_path / "drop"
    drop.mkdir()
    config_path = tmp_path / "candor.yaml"
    config_path.write_text(
        yaml.safe_dump(
            {
                "warehouse": {"path": str(tmp_path / "w.duckdb")},
                "sources": {"github": {"org": "acme"}},
                "teams": [
                    # A team without a repository is refused at load (a team with no source).
                    {"name": n, "members": {"github": m}, "repos": {"github": [f"acme/{n}"]}}
                    for n, m in TEAMS.items()
                ],
                "surveys": {
                    "drop_folder": str(drop),
                    "waves": {"2026-Q1": "2026-03-31"},
                    "columns": {"westrum": mapping},
                },
            }
        )
    )
    labels = next(e for e in exports if e.kind == "labels_csv" and e.instrument == "westrum")
    shutil.copy(labels.path, drop / "2026-Q1_westrum.csv")

    defs = build_definitions(str(config_path))
    sensor = defs.resolve_sensor_def("survey_drop_folder")
    with dg.instance_for_test() as instance:
        request = sensor(dg.build_sensor_context(instance=instance, definitions=defs))
        assert isinstance(request, dg.RunRequest)
        result = defs.resolve_job_def(SURVEY_JOB).execute_in_process(instance=instance)
    assert result.success
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert {"raw/survey_answers", "marts/culture_team_wave", "published/warehouse_snapshot"} <= (
        materialized
    )
    # Dagster's UI and event log hold no survey answer: the raw tables carry a count only.
    metadata = {
        m.asset_key.to_user_string(): m.metadata
        for m in result.asset_materializations_for_node("survey_import")
        + result.asset_materializations_for_node("culture_scores")
    }
    assert set(metadata["raw/survey_answers"]) == {"dagster/row_count", "files", "files_rejected"}
    assert "preview" in metadata["marts/culture_team_wave"]  # reader tables keep their preview
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        rows = con.sql(
            "select team, n_respondents from marts.culture_team_wave "
            "where instrument = 'westrum' order by team"
        ).fetchall()
    finally:
        con.close()
    # The clean export has no defects: every row is a scored respondent of its team (the export
    # spells team names capitalized; the mapping matches them case-insensitively).
    with labels.path.open(encoding="utf-8-sig", newline="") as handle:
        answered = Counter(row["Team"].lower() for row in csv.DictReader(handle))
    assert rows == sorted(answered.items())
    assert all(n >= 5 for _, n in rows)  # both shown, so both carry their count
