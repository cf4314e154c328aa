"""The `analysis:` section of candor.yaml: the culture-vs-delivery study, declared before it runs.

Windows, outcomes and predictors are fixed in the configuration (pre-registration, reference
statistics §1) and recorded in every result row, so a reader can tell what was tested.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from pipelines.config.strict import StrictModel

BUILTIN_PREDICTORS = ("psysafe", "westrum")


class AnalysisConfig(StrictModel):
    """How culture is related to delivery (docs/analysis.md)."""

    # Delivery is measured over this many days after a wave closes (lagged) and before it
    # (concurrent). 90 days is one quarter: the time to the next wave.
    window_days: int = Field(90, ge=14, le=365)
    # A window shorter than this share of window_days (data not yet there, or before the first
    # sync) is left out of the models, with a warning that counts it.
    min_window_coverage: float = Field(0.5, gt=0, le=1)
    # log(median recovery) is meaningless from one or two failures (reference statistics §9).
    min_failures_for_recovery: int = Field(3, ge=1)
    # Team-resampling bootstrap of the mediation paths (B >= 2000 for stable 2.5 % tails).
    bootstrap_replicates: int = Field(2000, ge=200, le=100_000)
    seed: int = 20_261_203
    # Confirmatory predictors (Holm across the five outcomes for each); everything else is
    # labelled exploratory (Benjamini-Hochberg).
    primary_predictors: list[str] = Field(default_factory=lambda: list(BUILTIN_PREDICTORS))

    @field_validator("primary_predictors")
    @classmethod
    def _known(cls, names: list[str]) -> list[str]:
        unknown = sorted(set(names) - set(BUILTIN_PREDICTORS))
        if unknown or not names:
            raise ValueError(
                f"primary_predictors must be a non-empty list of {', '.join(BUILTIN_PREDICTORS)}"
                + (f"; unknown: {', '.join(unknown)}" if unknown else "")
            )
        return list(dict.fromkeys(names))
