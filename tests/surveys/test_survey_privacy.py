"""No name, e-mail, raw respondent id, comment or salt reaches the warehouse file's bytes.

The exports come from the simulated organization (real-looking names with non-ASCII letters,
e-mails, response ids, comments). The byte search is shown to work by a control: the same rows
loaded with raw ids as keys (what a careless import would do) are found by the same search.
"""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest
from survey_files import SALT, spec
from survey_warehouse import import_file

from connectors.surveys import (
    PSYCHOLOGICAL_SAFETY,
    WESTRUM,
    ColumnMapping,
    Instrument,
    SurveySpec,
    read_survey,
    survey_items,
)
from pipelines.surveys.loading import write_survey_wave
from simulator.generator import generate_org
from simulator.surveys import SurveyExport, export_columns, write_survey_exports
from warehouse.connection import connect


@pytest.fixture(scope="module")
def org_exports(tmp_path_factory: pytest.TempPathFactory):
    org = generate_org(seed=11, teams=3, months=4)  # one wave: 2026-Q3
    exports = write_survey_exports(org, tmp_path_factory.mktemp("exports"), seed=11)
    return org, exports


def export_of(exports: list[SurveyExport], instrument: str, kind: str) -> SurveyExport:
    return next(e for e in exports if e.instrument == instrument and e.kind == kind)


def survey_spec(org, instrument: Instrument, export: SurveyExport) -> SurveySpec:
    return spec(
        instrument=instrument,
        wave=export.wave,
        closes_on=export.closes_on,
        known_teams=frozenset(t.name for t in org.teams),
        column_mapping=ColumnMapping.from_config(export_columns(instrument)),
    )


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def warehouse_bytes(db: Path) -> bytes:
    wal = db.with_name(db.name + ".wal")
    return db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_no_identity_or_comment_reaches_the_warehouse(org_exports, warehouse_file: Path) -> None:
    org, exports = org_exports
    westrum_csv = export_of(exports, "westrum", "labels_csv")
    psysafe_xlsx = export_of(exports, "psysafe", "numbers_xlsx")
    for instrument, export in [(WESTRUM, westrum_csv), (PSYCHOLOGICAL_SAFETY, psysafe_xlsx)]:
        assert import_file(warehouse_file, export.path, survey_spec(org, instrument, export)) == (
            "inserted",
            [],
        )

    people = [p for p in org.people.values() if p.team is not None]
    secrets = {p.name for p in people} | {p.email for p in people} | {SALT}
    for instrument in ("westrum", "psysafe"):  # the XLSX holds the rows of the psysafe CSV
        rows = csv_rows(export_of(exports, instrument, "labels_csv").path)
        secrets |= {row["Response ID"] for row in rows}
        secrets |= {row["Comments"] for row in rows if row["Comments"]}
    assert any(not name.isascii() for name in secrets)  # e.g. "Ekström": UTF-8 bytes searched
    stored = warehouse_bytes(warehouse_file)
    assert sorted(s for s in secrets if s.encode() in stored) == []
    assert all(t.name.encode() in stored for t in org.teams)  # stored strings are visible


def test_control_the_search_finds_raw_ids_when_they_are_stored(
    org_exports, warehouse_file: Path
) -> None:
    org, exports = org_exports
    export = export_of(exports, "psysafe", "labels_csv")
    wave, answers, problems = read_survey(
        export.path, survey_spec(org, PSYCHOLOGICAL_SAFETY, export)
    )
    assert problems == []
    raw_ids = [row["Response ID"] for row in csv_rows(export.path)]
    per_respondent = len(PSYCHOLOGICAL_SAFETY.items)  # answers come respondent by respondent
    careless = [
        dataclasses.replace(a, respondent_key=raw_ids[i // per_respondent])
        for i, a in enumerate(answers)
    ]
    con = connect(warehouse_file)
    try:
        write_survey_wave(con, wave, careless, survey_items(PSYCHOLOGICAL_SAFETY))
    finally:
        con.close()
    stored = warehouse_bytes(warehouse_file)
    assert all(raw_id.encode() in stored for raw_id in raw_ids)
