"""The `surveys:` section of candor.yaml: where survey exports come from and how to read them.

Instruments and column mappings are validated by the survey connector's own parsers, so the
same rules apply in `candor survey check` and in the pipeline.
"""

from __future__ import annotations

import datetime as dt
import re
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

# A file dropped in the drop folder is named <wave>_<instrument>.csv or .xlsx.
DROP_FILE_NAME = re.compile(r"^(?P<wave>.+)_(?P<instrument>[a-z][a-z0-9_]*)\.(?P<ext>csv|xlsx)$")


class SurveyFile(StrictModel):
    """One export named explicitly (instead of, or beside, the drop folder)."""

    path: str
    instrument: str
    wave: str


class SurveysConfig(StrictModel):
    salt_env: str = "CANDOR_SURVEY_SALT"
    drop_folder: str | None = None
    waves: dict[str, dt.date] = Field(default_factory=dict)
    columns: dict[str, dict[str, Any]] = Field(default_factory=dict)
    instruments: list[dict[str, Any]] = Field(default_factory=list)
    files: list[SurveyFile] = Field(default_factory=list)
    missing_items: dict[str, dict[str, float]] = Field(default_factory=dict)
    bands: dict[str, dict[str, Any]] = Field(default_factory=dict)

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
        for index, entry in enumerate(self.files):
            if entry.instrument not in known:
                raise ValueError(f"files[{index}].instrument '{entry.instrument}' is unknown")
            if entry.wave not in self.waves:
                raise ValueError(
                    f"files[{index}].wave '{entry.wave}' has no close date; add it under waves"
                )
        for name, section in (("missing_items", self.missing_items), ("bands", self.bands)):
            unknown = sorted(set(section) - known)
            if unknown:
                raise ValueError(f"{name} names unknown instruments: {', '.join(unknown)}")
        return self

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
