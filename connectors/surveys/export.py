"""Read one export file for one or more instruments: all of it, or nothing.

Survey tools put every scale of a questionnaire into one download, so one export may feed
several instruments (Westrum and psychological safety side by side). The file is judged as a
whole: the header once (repeated columns; a column no instrument's mapping accounts for), then
each instrument's columns in every row. A problem anywhere, in any instrument's columns, keeps
the whole file out: loading the half that passed would leave the wave's two scales from
different files, and raw answers disagreeing with the scores built before.

It never loads anything: it returns the records and every problem found; on any problem every
answer list is empty, so there is nothing to load by mistake.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from connectors.surveys.header import index_header, report_unclaimed, resolve_columns
from connectors.surveys.instruments import Instrument
from connectors.surveys.mapping import ColumnMapping
from connectors.surveys.problems import SurveyProblem
from connectors.surveys.reading import read_table
from connectors.surveys.records import (
    DEFAULT_SALT_ENV,
    MIN_SALT_CHARS,
    SurveyAnswer,
    SurveyWave,
    keyed_respondent,
    row_respondent,
)
from connectors.surveys.submitted import WaveWindow
from connectors.surveys.table import RawTable
from connectors.surveys.validation import ValidRow, check_wave, validate_rows


@dataclass(frozen=True)
class InstrumentColumns:
    """One instrument an export feeds, and the column roles it is read through."""

    instrument: Instrument
    column_mapping: ColumnMapping


@dataclass(frozen=True)
class ExportSpec:
    """What the configuration says about one export file: its wave and the wave's dates (UTC
    days; `opens_on` optional), the instruments it feeds, the configured team names, today's date
    (injected so checks are reproducible), the environment variable holding the respondent-id
    salt, and for a workbook the sheet to read (None: the only one)."""

    wave: str
    closes_on: dt.date
    instruments: tuple[InstrumentColumns, ...]
    known_teams: Collection[str]
    today: dt.date
    salt_env: str = DEFAULT_SALT_ENV
    opens_on: dt.date | None = None
    sheet: str | None = None

    def __post_init__(self) -> None:
        ids = [part.instrument.instrument_id for part in self.instruments]
        if not ids or len(set(ids)) != len(ids):
            raise ValueError(f"an export feeds one or more different instruments, got {ids}")

    @property
    def window(self) -> WaveWindow:
        return WaveWindow(self.wave, self.closes_on, self.opens_on)


@dataclass(frozen=True)
class InstrumentRecords:
    """What one instrument of the file loads: its wave row and answers (empty on problems)."""

    wave: SurveyWave
    answers: list[SurveyAnswer]


@dataclass(frozen=True)
class ExportRead:
    """The outcome of reading one file: records per instrument (in spec order) and problems."""

    file: str
    file_sha256: str
    records: tuple[InstrumentRecords, ...]
    problems: list[SurveyProblem]

    @property
    def ok(self) -> bool:
        return not self.problems


def read_export(
    path: str | Path, spec: ExportSpec, environ: Mapping[str, str] | None = None
) -> ExportRead:
    """Read and judge one export for every instrument it feeds. `environ` defaults to
    os.environ (the salt)."""
    path = Path(path)
    data, table = _read(path, spec.sheet)
    file_sha256 = hashlib.sha256(data).hexdigest()
    valid: dict[str, list[ValidRow]] = {}
    if table.header:
        header = index_header(table)
        resolved = {
            part.instrument.instrument_id: resolve_columns(
                table, header, part.column_mapping, part.instrument
            )
            for part in spec.instruments
        }
        report_unclaimed(table, resolved)
        for part in spec.instruments:
            instrument_id = part.instrument.instrument_id
            valid[instrument_id] = validate_rows(
                table, resolved[instrument_id], part.instrument, spec.known_teams, spec.window
            )
    problems = check_wave(table.file, spec.wave, spec.closes_on, spec.today, spec.opens_on)
    problems += table.problems
    salt = None
    if any(part.column_mapping.respondent_id for part in spec.instruments):
        salt = (os.environ if environ is None else environ).get(spec.salt_env, "")
        if len(salt) < MIN_SALT_CHARS:
            problems.append(_salt_problem(table.file, spec))
    # Instruments sharing a column (team, respondent id, submitted) find its problems twice.
    problems = sorted(dict.fromkeys(problems), key=lambda p: (p.row is not None, p.row or 0))
    records = []
    for part in spec.instruments:
        rows = [] if problems else valid[part.instrument.instrument_id]
        wave = SurveyWave(
            wave=spec.wave,
            instrument=part.instrument.instrument_id,
            closes_on=spec.closes_on,
            source_file=path.name,
            file_sha256=file_sha256,
            respondents=len(rows),
            scale_points=part.instrument.scale.points,
        )
        records.append(InstrumentRecords(wave, _answers(rows, spec.wave, part, file_sha256, salt)))
    return ExportRead(table.file, file_sha256, tuple(records), problems)


def _read(path: Path, sheet: str | None) -> tuple[bytes, RawTable]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        table = RawTable(path.name)
        table.problem(
            None,
            None,
            f"cannot read the file ({exc.strerror or type(exc).__name__})",
            allowed="a readable CSV or XLSX file",
        )
        return b"", table
    return data, read_table(path, data, sheet)


def _salt_problem(file: str, spec: ExportSpec) -> SurveyProblem:
    column = next(
        p.column_mapping.respondent_id for p in spec.instruments if p.column_mapping.respondent_id
    )
    return SurveyProblem(
        file,
        None,
        column,
        None,
        f"the respondent id column needs a secret salt in the environment variable "
        f"{spec.salt_env}, which is unset or shorter than {MIN_SALT_CHARS} characters",
        f"export {spec.salt_env}=<a long random secret, the same for every import>, e.g. from "
        "`python -c 'import secrets; print(secrets.token_hex(32))'`",
    )


def _answers(
    rows: list[ValidRow],
    wave: str,
    part: InstrumentColumns,
    file_sha256: str,
    salt: str | None,
) -> list[SurveyAnswer]:
    """One answer per row and item. Without a respondent id the key comes from the file and the
    row, so the instruments of one combined file share a respondent's key, as an id would."""
    instrument = part.instrument
    answers = []
    for row in rows:
        if salt is not None and row.respondent_id is not None:
            key = keyed_respondent(salt, row.respondent_id)
        else:
            key = row_respondent(file_sha256, row.number)
        for item_id in instrument.item_ids:
            answers.append(
                SurveyAnswer(
                    wave,
                    instrument.instrument_id,
                    row.team,
                    key,
                    item_id,
                    row.answers.get(item_id),
                )
            )
    return answers
