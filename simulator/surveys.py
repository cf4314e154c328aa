"""Survey exports of the simulated organization, shaped like a survey tool's download.

Per wave and instrument three files: `<wave>_<instrument>.csv` (UTF-8 with BOM, answers as text
labels), `<wave>_<instrument>.xlsx` (the same responses as numbers) and
`<wave>_<instrument>_dirty.csv` (semicolon-separated, other responses, with a few planted defects
listed in `SurveyExport.defects`). Like a real export they carry a response id, the respondent's
name and e-mail and a free-text comment: columns the import must never store.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from connectors.surveys.instruments import BUILTIN_INSTRUMENTS, Instrument
from simulator.survey_responses import ResponseModel, SimulatedResponse

ITEM_PREFIX = {"westrum": "WES", "psysafe": "PS"}
LEADING, TRAILING = ["Response ID", "Submitted", "Name", "E-mail", "Team"], ["Comments"]
COMMENTS = [
    "",
    "",
    "",
    "Good quarter overall.",
    "Retros help; on-call, less so.",
    'We "say" we share failures...',
    "=) all good",
    "- more pairing please",
    "Line one\nline two of a longer comment",
    "Peggy's reviews are great; thanks!",
]
NA_LABEL = "Prefer not to answer"
DEFECT_KINDS = (
    "out_of_range",
    "unknown_label",
    "missing_team",
    "unknown_team",
    "duplicate_respondent",
)
EXPORT_KINDS = ("labels_csv", "numbers_xlsx", "dirty_csv")
ID_ALPHABET = list("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")


@dataclass(frozen=True)
class PlantedDefect:
    """A defect planted in a dirty export: the spreadsheet row (header = 1, one row per record,
    multi-line comments included) and the column it sits in."""

    row: int
    column: str
    kind: str


@dataclass(frozen=True)
class SurveyExport:
    """One written export file and what the import should make of it."""

    wave: str
    instrument: str
    closes_on: dt.date
    path: Path
    kind: str  # "labels_csv", "numbers_xlsx" or "dirty_csv"
    defects: tuple[PlantedDefect, ...] = ()


def export_columns(instrument: Instrument) -> dict[str, Any]:
    """The candor.yaml `columns:` mapping for these exports."""
    prefix = ITEM_PREFIX.get(instrument.instrument_id, instrument.instrument_id.upper())
    items = {f"{prefix}{n}": item_id for n, item_id in enumerate(instrument.item_ids, start=1)}
    return {
        "team": "Team",
        "respondent_id": "Response ID",
        "submitted_at": "Submitted",
        "items": items,
        "ignore": ["Name", "E-mail", "Comments"],
    }


def quarterly_waves(start: dt.datetime, end: dt.datetime) -> list[tuple[str, dt.date]]:
    """(name, close date) for every quarter end inside (start, end]: ("2026-Q1", 2026-03-31)."""
    waves, year = [], start.year
    while year <= end.year:
        for quarter, (month, day) in enumerate([(3, 31), (6, 30), (9, 30), (12, 31)], start=1):
            closes = dt.date(year, month, day)
            if start.date() < closes <= end.date():
                waves.append((f"{year}-Q{quarter}", closes))
        year += 1
    return waves


def write_survey_exports(
    org_or_teams: Any,
    out_dir: str | Path,
    seed: int,
    waves: Sequence[tuple[str, dt.date]] | None = None,
    instruments: Sequence[Instrument] = tuple(BUILTIN_INSTRUMENTS.values()),
    kinds: Sequence[str] = EXPORT_KINDS,
) -> list[SurveyExport]:
    """Write the exports (of `kinds`, default all three); `org_or_teams` is an Org (teams,
    people, start, end) or a list of teams with name, members (logins or a count),
    psychological_safety and westrum. An Org's teams answer each wave with the latent values
    of the quarter the wave closes in."""
    teams = list(getattr(org_or_teams, "teams", org_or_teams))
    people = getattr(org_or_teams, "people", {})
    if waves is None:
        waves = quarterly_waves(org_or_teams.start, org_or_teams.end)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    model = ResponseModel(rng)
    exports = []
    for wave, closes_on in waves:
        for instrument in instruments:
            rows = [
                _row(response, people, closes_on, rng)
                for response in model.wave_responses(teams, instrument, closes_on)
            ]
            if len(rows) < len(DEFECT_KINDS):
                raise ValueError(
                    f"wave {wave}: {len(rows)} responses are too few to plant "
                    f"{len(DEFECT_KINDS)} defects; simulate more teams or members"
                )
            stem = f"{wave}_{instrument.instrument_id}"
            header = _header(instrument)
            labelled = [_labelled(row, instrument) for row in rows]
            dirty = [list(row) for row in labelled]
            defects = _plant_defects(dirty, header, instrument)
            files = [
                (out / f"{stem}.csv", "labels_csv", ()),
                (out / f"{stem}.xlsx", "numbers_xlsx", ()),
                (out / f"{stem}_dirty.csv", "dirty_csv", tuple(defects)),
            ]
            for path, kind, found in files:
                if kind not in kinds:  # skipping a kind draws nothing less: the others stay equal
                    continue
                if kind == "numbers_xlsx":
                    _write_xlsx(path, header, rows)
                else:
                    dirty_kind = kind == "dirty_csv"
                    _write_csv(path, header, dirty if dirty_kind else labelled,
                               delimiter=";" if dirty_kind else ",")
                exports.append(
                    SurveyExport(wave, instrument.instrument_id, closes_on, path, kind, found))
    return exports


def _header(instrument: Instrument) -> list[str]:
    return [*LEADING, *export_columns(instrument)["items"], *TRAILING]


def _row(
    response: SimulatedResponse,
    people: dict,
    closes_on: dt.date,
    rng: np.random.Generator,
) -> list[Any]:
    """One export row: id, submitted time, name, e-mail, team (as the tool spells it), answers,
    comment."""
    person = people.get(response.member)
    name = person.name if person else response.member.replace("-", " ").title()
    email = person.email if person else f"{response.member}@example.org"
    response_id = "R_" + "".join(rng.choice(ID_ALPHABET, 15))
    submitted = dt.datetime.combine(closes_on, dt.time(12)) - dt.timedelta(
        minutes=int(rng.integers(60, 14 * 24 * 60))
    )
    comment = COMMENTS[int(rng.integers(len(COMMENTS)))]
    return [response_id, submitted, name, email, response.team.title(), *response.answers, comment]


def _labelled(row: list[Any], instrument: Instrument) -> list[Any]:
    labels = instrument.scale.labels
    first, last = len(LEADING), len(LEADING) + len(instrument.items)
    answers = [
        NA_LABEL if a == "na" else "" if a is None else labels[a - 1] for a in row[first:last]
    ]
    return [*row[:1], row[1].isoformat(sep=" "), *row[2:first], *answers, *row[last:]]


def _plant_defects(
    rows: list[list[Any]], header: list[str], instrument: Instrument
) -> list[PlantedDefect]:
    """Edit the first rows in place, one defect each (DEFECT_KINDS order): a number past the
    scale, a label of no scale, an empty team, a misspelt team (two letters swapped, plus "x")
    and a double submission (the first row's response id again)."""
    team_col, item_col = header.index("Team"), len(LEADING)
    rows[0][item_col] = str(instrument.scale.points + 1)
    rows[1][item_col + 1] = "Agree-ish"
    rows[2][team_col] = ""
    team = rows[3][team_col]
    rows[3][team_col] = team[:1] + team[2:3] + team[1:2] + team[3:] + "x"
    rows[4][0] = rows[0][0]
    columns = [header[item_col], header[item_col + 1], "Team", "Team", "Response ID"]
    # Spreadsheet rows: the header is row 1 and every respondent one row, however many lines a
    # quoted multi-line comment takes in the CSV text.
    return [
        PlantedDefect(row, column, kind)
        for row, column, kind in zip(range(2, 2 + len(rows)), columns, DEFECT_KINDS, strict=False)
    ]


def _write_csv(path: Path, header: list[str], rows: list[list[Any]], delimiter: str = ",") -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


def _write_xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    # Imported here: the demo's configuration reads export_columns and quarterly_waves, and
    # `candor survey check` should not pay half a second for a writer it does not use.
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Responses"
    sheet.append(header)
    for row in rows:
        sheet.append([None if cell == "na" else cell for cell in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if cell.data_type == "f":  # a comment like "=) all good" is text, not a formula
                cell.data_type = "s"
    workbook.save(path)
