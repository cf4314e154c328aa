"""Which survey exports to import, and what each one holds: instruments, wave, sheet.

A file is either listed under `surveys.files` (path, wave, `instrument:` or `instruments:`,
optional `sheet:`) or dropped in the drop folder and named for what it holds:
`<wave>_<instrument>.csv` (or `.xlsx`), e.g. `2026-Q3_westrum.csv`, and for an export holding
several instruments `<wave>_<instrument>+<instrument>.csv`, e.g. `2026-Q3_westrum+psysafe.csv`.
The wave's dates come from `surveys.waves`. Nothing is guessed: a name that reads two ways, or
two files feeding the same instrument and wave, is refused with the fix.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from connectors.surveys import ExportSpec, InstrumentColumns
from pipelines.config import CandorConfig
from pipelines.config.surveys import SurveysConfig

DROP_SUFFIXES = (".csv", ".xlsx")
# What follows the wave: one instrument id, or several joined by "+".
INSTRUMENT_LIST = re.compile(r"^[a-z][a-z0-9_]*(?:\+[a-z][a-z0-9_]*)*$")
NAMING = (
    "name it <wave>_<instrument>.csv or .xlsx (several instruments in one file: "
    "<wave>_<instrument>+<instrument>.csv, e.g. 2026-Q3_westrum+psysafe.csv), or list it under "
    "surveys.files"
)


@dataclass(frozen=True)
class SurveySource:
    """One export to read: its resolved path, the instruments it feeds, its wave and sheet."""

    path: Path
    instruments: tuple[str, ...]
    wave: str
    sheet: str | None = None


class SurveyFileError(ValueError):
    """A survey file cannot be matched to instruments and a wave; the message says why."""


def source_for_file(path: Path, surveys: SurveysConfig) -> SurveySource:
    """What one file holds: its entry in `surveys.files`, else its name in the drop folder."""
    resolved = path.resolve()
    for entry in surveys.files:
        if Path(entry.path).resolve() == resolved:
            return SurveySource(resolved, entry.instrument_ids(), entry.wave, entry.sheet)
    return _source_from_name(path, surveys)


def _source_from_name(path: Path, surveys: SurveysConfig) -> SurveySource:
    """Read `<wave>_<instruments>.<ext>`. Wave names and instrument ids may both contain "_", so
    every split is tried; exactly one must name a declared wave and known instruments."""
    stem, suffix = path.stem, path.suffix.lower()
    readings = []
    if suffix in DROP_SUFFIXES:
        for at in (i for i, char in enumerate(stem) if char == "_" and i > 0):
            wave, instruments = stem[:at], stem[at + 1 :]
            if INSTRUMENT_LIST.match(instruments):
                readings.append((wave, tuple(instruments.split("+"))))
    if not readings:
        raise SurveyFileError(
            f"{path}: neither listed under surveys.files nor named <wave>_<instrument>; {NAMING}"
        )
    known = surveys.instrument_ids()
    fitting = [(w, ids) for w, ids in readings if w in surveys.waves and set(ids) <= known]
    if len(fitting) > 1:
        shown = "; ".join(f"wave '{w}' with {'+'.join(ids)}" for w, ids in fitting)
        raise SurveyFileError(
            f"{path}: the name reads several ways ({shown}); list it under surveys.files"
        )
    if not fitting:
        wave, instruments = readings[-1]  # the last "_" split: the usual reading, to explain
        unknown = [i for i in instruments if i not in known]
        if unknown:
            raise SurveyFileError(
                f"{path}: unknown instrument '{unknown[0]}' (known: {', '.join(sorted(known))})"
            )
        raise SurveyFileError(
            f"{path}: wave '{wave}' has no close date; add it under surveys.waves in candor.yaml"
        )
    ((wave, instruments),) = fitting
    if len(set(instruments)) != len(instruments):
        raise SurveyFileError(f"{path}: the name lists an instrument twice; {NAMING}")
    return SurveySource(path.resolve(), instruments, wave)


def competing_files(source: SurveySource, surveys: SurveysConfig) -> list[str]:
    """Problems for every other configured or dropped file feeding one of the same instruments
    in the same wave: each run would load one, then replace it with the other."""
    problems = []
    for other in all_survey_files(surveys):
        if other.resolve() == source.path:
            continue
        try:
            theirs = source_for_file(other, surveys)
        except SurveyFileError:
            continue  # reported when that file itself is checked
        shared = [i for i in source.instruments if i in theirs.instruments]
        if theirs.wave == source.wave and shared:
            problems.append(
                f"{source.path.name}: {other} also feeds {'+'.join(shared)} wave {source.wave}; "
                "each import would replace the other's answers. Keep one file per instrument "
                "and wave (a combined export is one file: <wave>_<a>+<b>.csv, or one "
                "surveys.files entry with `instruments: [...]`)"
            )
    return problems


def drop_folder_files(surveys: SurveysConfig) -> list[Path]:
    if not surveys.drop_folder:
        return []
    folder = Path(surveys.drop_folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in DROP_SUFFIXES)


def all_survey_files(surveys: SurveysConfig) -> list[Path]:
    named = [Path(entry.path) for entry in surveys.files]
    seen = {p.resolve() for p in named}
    return named + [p for p in drop_folder_files(surveys) if p.resolve() not in seen]


def spec_for(source: SurveySource, config: CandorConfig, today: dt.date) -> ExportSpec:
    surveys = config.surveys
    assert surveys is not None  # callers only ask when a surveys section exists
    instruments = surveys.instruments_by_id()
    dates = surveys.waves[source.wave]
    return ExportSpec(
        wave=source.wave,
        closes_on=dates.closes,
        opens_on=dates.opens,
        instruments=tuple(
            InstrumentColumns(instruments[i], surveys.column_mapping(i)) for i in source.instruments
        ),
        known_teams=[team.name for team in config.teams],
        today=today,
        salt_env=surveys.salt_env,
        sheet=source.sheet,
    )
