"""Entry point of the survey import: `read_survey(path, spec)` reads, validates and keys a file.

It never loads anything: it returns the records and every problem found. A caller loads the
records only when the problem list is empty (a file with any error loads nothing); on problems
the answer list is empty, so there is nothing to load by mistake.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from connectors.surveys.instruments import Instrument
from connectors.surveys.mapping import ColumnMapping, resolve_columns
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
from connectors.surveys.table import RawTable
from connectors.surveys.validation import ValidRow, check_wave, validate_rows


@dataclass(frozen=True)
class SurveySpec:
    """What the configuration says about one export: its instrument, wave, close date, column
    roles, the configured team names, today's date (injected so checks are reproducible) and the
    environment variable holding the respondent-id salt."""

    instrument: Instrument
    wave: str
    closes_on: dt.date
    column_mapping: ColumnMapping
    known_teams: Collection[str]
    today: dt.date
    salt_env: str = DEFAULT_SALT_ENV


def read_survey(
    path: str | Path, spec: SurveySpec, environ: Mapping[str, str] | None = None
) -> tuple[SurveyWave, list[SurveyAnswer], list[SurveyProblem]]:
    """Read one export; returns (wave, answers, problems). `environ` defaults to os.environ."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        data = b""
        table = RawTable(path.name)
        table.problem(
            None,
            None,
            f"cannot read the file ({exc.strerror or type(exc).__name__})",
            allowed="a readable CSV or XLSX file",
        )
    else:
        table = read_table(path, data)
    file_sha256 = hashlib.sha256(data).hexdigest()
    rows: list[ValidRow] = []
    if table.header:
        columns = resolve_columns(table, spec.column_mapping, spec.instrument)
        rows = validate_rows(table, columns, spec.instrument, spec.known_teams)
    problems = check_wave(table.file, spec.wave, spec.closes_on, spec.today) + table.problems
    salt = None
    if spec.column_mapping.respondent_id is not None:
        salt = (os.environ if environ is None else environ).get(spec.salt_env, "")
        if len(salt) < MIN_SALT_CHARS:
            problems.append(_salt_problem(table.file, spec))
    problems.sort(key=lambda p: (p.row is not None, p.row or 0))
    answers = [] if problems else _answers(rows, spec, file_sha256, salt)
    wave = SurveyWave(
        wave=spec.wave,
        instrument=spec.instrument.instrument_id,
        closes_on=spec.closes_on,
        source_file=path.name,
        file_sha256=file_sha256,
        respondents=0 if problems else len(rows),
        scale_points=spec.instrument.scale.points,
    )
    return wave, answers, problems


def _salt_problem(file: str, spec: SurveySpec) -> SurveyProblem:
    return SurveyProblem(
        file,
        None,
        spec.column_mapping.respondent_id,
        None,
        f"the respondent id column needs a secret salt in the environment variable "
        f"{spec.salt_env}, which is unset or shorter than {MIN_SALT_CHARS} characters",
        f"export {spec.salt_env}=<a long random secret, the same for every import>, e.g. from "
        "`python -c 'import secrets; print(secrets.token_hex(32))'`",
    )


def _answers(
    rows: list[ValidRow], spec: SurveySpec, file_sha256: str, salt: str | None
) -> list[SurveyAnswer]:
    answers = []
    for row in rows:
        if salt is not None and row.respondent_id is not None:
            key = keyed_respondent(salt, row.respondent_id)
        else:
            key = row_respondent(file_sha256, row.number)
        for item_id in spec.instrument.item_ids:
            answers.append(
                SurveyAnswer(
                    spec.wave,
                    spec.instrument.instrument_id,
                    row.team,
                    key,
                    item_id,
                    row.answers.get(item_id),
                )
            )
    return answers
