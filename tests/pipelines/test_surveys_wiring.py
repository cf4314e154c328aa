"""Surveys in candor.yaml, `candor survey check`, the import of configured and dropped files, and
the drop-folder sensor."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import shutil
from pathlib import Path

import dagster as dg
import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from connectors.surveys import BUILTIN_INSTRUMENTS
from pipelines.cli.main import cli
from pipelines.config import ConfigError, load_config
from pipelines.surveys.importing import import_surveys
from pipelines.surveys.sensors import survey_drop_sensor
from simulator.surveys import export_columns, write_survey_exports
from warehouse.connection import connect

# Each team owns a repository: a team without one is refused at load (a team with no source).
TEAMS = [
    {
        "name": "payments",
        "members": {"github": [f"p{i}" for i in range(6)]},
        "repos": {"github": ["acme/payments"]},
    },
    {
        "name": "search",
        "members": {"github": [f"s{i}" for i in range(6)]},
        "repos": {"github": ["acme/search"]},
    },
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


WAVE = {"2026-Q1": "2026-03-31"}


def entry(path: str = "x.csv", **fields) -> dict:
    """One `surveys.files` entry; westrum, wave 2026-Q1 unless told otherwise."""
    return {"path": path, "wave": "2026-Q1", **({"instrument": "westrum"} | fields)}


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
        (
            {"waves": WAVE, "files": [entry(), entry("./x.csv", instrument="psysafe")]},
            "surveys: files[0] and files[1] both list ./x.csv; list a file once (an export "
            "holding several instruments takes `instruments: [westrum, psysafe]` on one entry)",
        ),
        (
            {"waves": WAVE, "files": [entry("a.csv"), entry("b.csv", instruments=["westrum"])]},
            "surveys.files[1]: give either `instrument: <id>` or `instruments: [<id>, ...]`",
        ),
        (
            {"waves": WAVE, "files": [entry("a.csv"), entry("b.xlsx")]},
            "files[0] and files[1] both feed westrum wave 2026-Q1; keep one file per instrument",
        ),
        (
            {"waves": WAVE, "files": [entry(instrument=None, instruments=["westrum", "nope"])]},
            "surveys: files[0]: instrument 'nope' is unknown",
        ),
        (
            {"waves": WAVE, "files": [entry(instrument=None, instruments=["psysafe", "psysafe"])]},
            "surveys.files[0]: instruments lists psysafe more than once",
        ),
        (
            {"waves": WAVE, "files": [entry(sheet="Responses")]},
            "surveys.files[0]: sheet 'Responses' is set, but x.csv is not an XLSX workbook",
        ),
        (
            {"waves": {"2026-Q1": {"opens": "2026-04-01", "closes": "2026-03-31"}}},
            "surveys.waves.2026-Q1: opens (2026-04-01) is after closes (2026-03-31)",
        ),
        ({"waves": {"2026-Q1": {"opens": "2026-03-01"}}}, "waves.2026-Q1.closes: required key"),
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


def test_waves_take_a_close_date_or_opening_and_closing_dates(tmp_path):
    drop = tmp_path / "drop"
    waves = {"2026-Q1": "2026-03-31", "2026-Q2": {"opens": "2026-06-01", "closes": "2026-06-30"}}
    surveys = load_config(write_config(tmp_path, drop, waves=waves)).surveys
    assert surveys is not None
    assert (surveys.waves["2026-Q1"].opens, surveys.waves["2026-Q1"].closes) == (
        None,
        dt.date(2026, 3, 31),
    )
    assert (surveys.waves["2026-Q2"].opens, surveys.waves["2026-Q2"].closes) == (
        dt.date(2026, 6, 1),
        dt.date(2026, 6, 30),
    )


# A combined export (both scales in one file), in the simulator's column names: four
# respondents of payments and search, submitted in the last days of wave 2026-Q1.
COMBINED_HEADER = [
    "Response ID",
    "Submitted",
    "Name",
    "E-mail",
    "Team",
    *(f"WES{n}" for n in range(1, 7)),
    *(f"PS{n}" for n in range(1, 8)),
    "Comments",
]


def combined_csv(edits: dict[tuple[int, str], str] | None = None) -> bytes:
    """The combined export; `edits` replace cells by (spreadsheet row, header)."""
    rows = []
    for n, team in enumerate(["payments", "payments", "search", "search"]):
        westrum = [str(1 + (n + i) % 7) for i in range(6)]
        psysafe = [str(7 - (n + i) % 7) for i in range(7)]
        submitted = f"2026-03-{28 + n:02d}T10:00:00Z"
        rows.append([f"R_{n}", submitted, f"P {n}", f"p{n}@x.example", team, *westrum, *psysafe])
        rows[-1].append("Line one\nline two" if n == 0 else "")  # multi-line: rows stay rows
    for (row, column), value in (edits or {}).items():
        rows[row - 2][COMBINED_HEADER.index(column)] = value
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([COMBINED_HEADER, *rows])
    return buffer.getvalue().encode()


def check(path: Path, config: Path):
    return CliRunner().invoke(cli, ["survey", "check", str(path), "--config", str(config)])


def digest(db: Path) -> str:
    """SHA-256 over the warehouse file and its write-ahead log, if one was left behind."""
    wal = db.with_name(db.name + ".wal")
    return hashlib.sha256(db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")).hexdigest()


def run_import(config_path: Path):
    config = load_config(config_path)
    con = connect(Path(config.warehouse.path))
    try:
        outcomes = import_surveys(con, config, dt.date(2026, 5, 1))
        loaded = con.execute(
            "select instrument, respondents, source_file from raw.survey_waves order by 1"
        ).fetchall()
    finally:
        con.close()
    return outcomes, loaded


def test_one_files_entry_feeds_both_instruments(tmp_path):
    export = tmp_path / "exports" / "q1-all-scales.csv"
    export.parent.mkdir()
    export.write_bytes(combined_csv())
    both = {"path": str(export), "instruments": ["westrum", "psysafe"], "wave": "2026-Q1"}
    config = write_config(tmp_path, tmp_path / "drop", files=[both])

    result = check(export, config)
    assert result.exit_code == 0, result.output
    assert "OK, 4 respondents to westrum + psysafe wave 2026-Q1" in result.output

    [outcome], loaded = run_import(config)
    assert (outcome.status, outcome.respondents, outcome.problems) == ("inserted", 4, ())
    assert loaded == [("psysafe", 4, "q1-all-scales.csv"), ("westrum", 4, "q1-all-scales.csv")]
    [again], _ = run_import(config)
    assert again.status == "unchanged"


def test_a_defect_in_one_instrument_of_a_combined_file_rejects_the_whole_file(tmp_path):
    """Row 3's PS3 is 9: the Westrum half is clean, yet nothing of the file loads and the
    warehouse keeps the previous version, byte for byte."""
    export = tmp_path / "q1.csv"
    export.write_bytes(combined_csv())
    both = {"path": str(export), "instruments": ["westrum", "psysafe"], "wave": "2026-Q1"}
    config = write_config(tmp_path, tmp_path / "drop", files=[both])
    [first], _ = run_import(config)
    assert first.status == "inserted"
    before = digest(tmp_path / "w.duckdb")

    export.write_bytes(combined_csv({(3, "PS3"): "9", (4, "WES1"): "2"}))
    [outcome], loaded = run_import(config)
    assert outcome.status == "rejected"
    assert [p.split(":")[0] for p in outcome.problems] == ["q1.csv, row 3, column 'PS3'"]
    assert "outside the 7-point scale" in outcome.problems[0]
    assert loaded == [("psysafe", 4, "q1.csv"), ("westrum", 4, "q1.csv")]
    assert digest(tmp_path / "w.duckdb") == before

    result = check(export, config)  # the check reports it the same way
    assert result.exit_code == 1
    assert outcome.problems[0] in result.output


def test_a_dropped_file_names_several_instruments_with_plus(tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "2026-Q1_westrum+psysafe.csv").write_bytes(combined_csv())
    config = write_config(tmp_path, drop)
    result = check(drop / "2026-Q1_westrum+psysafe.csv", config)
    assert result.exit_code == 0, result.output
    assert "OK, 4 respondents to westrum + psysafe wave 2026-Q1" in result.output
    [outcome], loaded = run_import(config)
    assert outcome.status == "inserted"
    assert [instrument for instrument, _, _ in loaded] == ["psysafe", "westrum"]


def test_two_files_feeding_the_same_instrument_and_wave_are_both_refused(tmp_path, exports):
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(export_of(exports, "labels_csv"), drop / "2026-Q1_westrum.csv")
    (drop / "2026-Q1_westrum+psysafe.csv").write_bytes(combined_csv())
    config = write_config(tmp_path, drop)
    result = check(drop / "2026-Q1_westrum.csv", config)
    assert result.exit_code == 1
    assert "also feeds westrum wave 2026-Q1; each import would replace" in result.output
    outcomes, loaded = run_import(config)
    assert [o.status for o in outcomes] == ["rejected", "rejected"]
    assert loaded == []


def test_check_refuses_a_hidden_pilot_sheet_and_reads_the_configured_sheet(tmp_path, exports):
    book = openpyxl.load_workbook(export_of(exports, "numbers_xlsx"))  # sheet "Responses"
    pilot = book.create_sheet("Pilot", 0)
    pilot.append(list(next(book["Responses"].iter_rows(max_row=1, values_only=True))))
    pilot.sheet_state = "hidden"
    book.active = 1
    drop = tmp_path / "drop"
    drop.mkdir()
    workbook = drop / "2026-Q1_westrum.xlsx"
    book.save(workbook)

    refused = check(workbook, write_config(tmp_path, drop))
    assert refused.exit_code == 1
    assert "2026-Q1_westrum.xlsx: the workbook has hidden sheet(s) 'Pilot'" in refused.output
    assert "'Pilot' (hidden), 'Responses'" in refused.output
    assert "`sheet: <name>` on the file's entry under surveys.files" in refused.output

    named = {"path": str(workbook), "instrument": "westrum", "wave": "2026-Q1"}
    config = write_config(tmp_path, drop, files=[named | {"sheet": "Responses"}])
    accepted = check(workbook, config)
    assert accepted.exit_code == 0, accepted.output
    assert "OK, 12 respondents to westrum wave 2026-Q1" in accepted.output


def test_check_reports_answers_outside_the_wave_at_their_rows(tmp_path, exports):
    """The simulated export's third respondent (spreadsheet row 4) submitted after the close;
    the first respondent's comment spans two lines, which must not shift the row."""
    with export_of(exports, "labels_csv").open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    rows[0][header.index("Comments")] = "Line one\nline two"
    rows[2][header.index("Submitted")] = "2026-04-01 00:05:00"
    drop = tmp_path / "drop"
    drop.mkdir()
    late = drop / "2026-Q1_westrum.csv"
    with late.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows([header, *rows])

    result = check(late, write_config(tmp_path, drop))
    assert result.exit_code == 1
    assert (
        "2026-Q1_westrum.csv, row 4, column 'Submitted': submitted 2026-04-01 00:05 UTC, "
        "after wave '2026-Q1' closed (end of 2026-03-31, UTC)"
    ) in result.output

    # With an opening date, the early answers are caught too (the simulator spreads answers
    # over the two weeks before the close).
    waves = {"2026-Q1": {"opens": "2026-03-25", "closes": "2026-03-31"}}
    early = check(late, write_config(tmp_path, drop, waves=waves))
    assert "before wave '2026-Q1' opened (2026-03-25, UTC)" in early.output
