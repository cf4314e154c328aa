"""The one-instrument entry point: `read_survey(path, spec)` reads, validates and keys a file.

A file that feeds several instruments is read with `export.read_export`; this is the same read
for the common case of one instrument, returning that instrument's records directly. It never
loads anything: a caller loads the records only when the problem list is empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from connectors.surveys.export import ExportSpec, InstrumentColumns, read_export
from connectors.surveys.instruments import Instrument
from connectors.surveys.mapping import ColumnMapping
from connectors.surveys.problems import SurveyProblem
from connectors.surveys.records import DEFAULT_SALT_ENV, SurveyAnswer, SurveyWave


@dataclass(frozen=True)
class SurveySpec:
    """What the configuration says about a one-instrument export: its instrument, wave, close
    date (and optional opening date), column roles, the configured team names, today's date
    (injected so checks are reproducible), the environment variable holding the respondent-id
    salt, and for a workbook the sheet to read (None: the only one)."""

    instrument: Instrument
    wave: str
    closes_on: dt.date
    column_mapping: ColumnMapping
    known_teams: Collection[str]
    today: dt.date
    salt_env: str = DEFAULT_SALT_ENV
    opens_on: dt.date | None = None
    sheet: str | None = None

    def export_spec(self) -> ExportSpec:
        return ExportSpec(
            wave=self.wave,
            closes_on=self.closes_on,
            instruments=(InstrumentColumns(self.instrument, self.column_mapping),),
            known_teams=self.known_teams,
            today=self.today,
            salt_env=self.salt_env,
            opens_on=self.opens_on,
            sheet=self.sheet,
        )


def read_survey(
    path: str | Path, spec: SurveySpec, environ: Mapping[str, str] | None = None
) -> tuple[SurveyWave, list[SurveyAnswer], list[SurveyProblem]]:
    """Read one export; returns (wave, answers, problems). `environ` defaults to os.environ."""
    read = read_export(path, spec.export_spec(), environ)
    (records,) = read.records
    return records.wave, records.answers, read.problems
