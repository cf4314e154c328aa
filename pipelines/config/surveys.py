"""The `surveys:` section of candor.yaml: where survey exports come from and how to read them.

Instruments and column mappings are validated by the survey connector's own parsers, so the
same rules apply in `candor survey check` and in the pipeline. Everything that would make an
import pick between two readings is refused here: a file listed twice, two entries feeding the
same instrument and wave, a sheet named for a CSV file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator, model_validator

from connectors.surveys import (
    ColumnMapping,
    ColumnMappingError,
    Instrument,
    InstrumentConfigError,
    instruments_from_config,
)
from pipelines.config.strict import StrictModel

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


class WaveDates(StrictModel):
    """When a wave ran, in UTC days: answers submitted from the start of `opens` (optional) to
    the end of `closes` belong to it. The plain form `2026-Q3: 2026-09-30` is `closes` only."""

    closes: dt.date
    opens: dt.date | None = None

    @model_validator(mode="after")
    def _in_order(self) -> WaveDates:
        if self.opens is not None and self.opens > self.closes:
            raise ValueError(
                f"opens ({self.opens}) is after closes ({self.closes}); swap or fix the dates"
            )
        return self


class SurveyFile(StrictModel):
    """One export named explicitly (instead of, or beside, the drop folder).

    `instrument: westrum` for a one-instrument export, `instruments: [westrum, psysafe]` for an
    export holding several scales side by side (imported whole or not at all). `sheet` names
    the worksheet of an XLSX workbook; without it the workbook must have one visible sheet."""

    path: str = Field(min_length=1)
    wave: str
    instrument: str | None = None
    instruments: list[str] | None = None
    sheet: str | None = None

    @model_validator(mode="after")
    def _one_form(self) -> SurveyFile:
        if (self.instrument is None) == (self.instruments is None):
            raise ValueError(
                "give either `instrument: <id>` or `instruments: [<id>, ...]` (one file feeding "
                "several instruments), not both and not neither"
            )
        ids = self.instrument_ids()
        if not ids:
            raise ValueError("instruments is empty; list the instruments this export holds")
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"instruments lists {', '.join(repeated)} more than once")
        if self.sheet is not None:
            if not self.sheet.strip():
                raise ValueError("sheet is empty; name the worksheet, or remove `sheet:`")
            if Path(self.path).suffix.lower() not in WORKBOOK_SUFFIXES:
                raise ValueError(
                    f"sheet '{self.sheet}' is set, but {self.path} is not an XLSX workbook; "
                    "remove `sheet:`"
                )
        return self

    def instrument_ids(self) -> tuple[str, ...]:
        return (self.instrument,) if self.instrument is not None else tuple(self.instruments or ())


class SurveysConfig(StrictModel):
    salt_env: str = "CANDOR_SURVEY_SALT"
    drop_folder: str | None = None
    waves: dict[str, WaveDates] = Field(default_factory=dict)
    columns: dict[str, dict[str, Any]] = Field(default_factory=dict)
    instruments: list[dict[str, Any]] = Field(default_factory=list)
    files: list[SurveyFile] = Field(default_factory=list)
    missing_items: dict[str, dict[str, float]] = Field(default_factory=dict)
    bands: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @field_validator("waves", mode="before")
    @classmethod
    def _plain_close_dates(cls, value: Any) -> Any:
        """`name: date` (the original form) means `name: {closes: date}`."""
        if not isinstance(value, Mapping):
            return value
        return {
            name: dates if isinstance(dates, Mapping) else {"closes": dates}
            for name, dates in value.items()
        }

    @field_validator("instruments")
    @classmethod
    def _instruments_parse(cls, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        try:
            instruments_from_config(value)
        except InstrumentConfigError as exc:
            raise ValueError(str(exc)) from None
        return value

    @model_validator(mode="after")
    def _consistent(self) -> SurveysConfig:
        known = self.instrument_ids()
        for instrument, mapping in self.columns.items():
            if instrument not in known:
                raise ValueError(f"columns names unknown instrument '{instrument}'")
            try:
                ColumnMapping.from_config(mapping, where=f"surveys.columns.{instrument}")
            except ColumnMappingError as exc:
                raise ValueError(str(exc)) from None
        self._check_files(known)
        for name, section in (("missing_items", self.missing_items), ("bands", self.bands)):
            unknown = sorted(set(section) - known)
            if unknown:
                raise ValueError(f"{name} names unknown instruments: {', '.join(unknown)}")
        return self

    def _check_files(self, known: set[str]) -> None:
        """Each entry names known instruments and a declared wave; no file is listed twice, and
        no instrument-wave is fed by two entries (each run would load whichever came last)."""
        first_of_path: dict[Path, int] = {}
        first_of_part: dict[tuple[str, str], int] = {}
        for index, entry in enumerate(self.files):
            for instrument in entry.instrument_ids():
                if instrument not in known:
                    raise ValueError(
                        f"files[{index}]: instrument '{instrument}' is unknown "
                        f"(known: {', '.join(sorted(known))})"
                    )
            if entry.wave not in self.waves:
                raise ValueError(
                    f"files[{index}].wave '{entry.wave}' has no close date; add it under waves"
                )
            path = Path(entry.path).resolve()
            if path in first_of_path:
                raise ValueError(
                    f"files[{first_of_path[path]}] and files[{index}] both list {entry.path}; "
                    "list a file once (an export holding several instruments takes "
                    "`instruments: [westrum, psysafe]` on one entry)"
                )
            first_of_path[path] = index
            for instrument in entry.instrument_ids():
                part = (entry.wave, instrument)
                if part in first_of_part:
                    raise ValueError(
                        f"files[{first_of_part[part]}] and files[{index}] both feed {instrument} "
                        f"wave {entry.wave}; keep one file per instrument and wave"
                    )
                first_of_part[part] = index

    def instruments_by_id(self) -> dict[str, Instrument]:
        """Built-in instruments (westrum, psysafe) and the custom ones, by id."""
        return instruments_from_config(self.instruments)

    def instrument_ids(self) -> set[str]:
        return set(self.instruments_by_id())

    def column_mapping(self, instrument: str) -> ColumnMapping:
        """The configured columns for `instrument`; default: a `team` column and item ids as
        headers."""
        return ColumnMapping.from_config(
            self.columns.get(instrument, {"team": "team"}), where=f"surveys.columns.{instrument}"
        )
