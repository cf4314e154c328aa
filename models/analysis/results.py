"""Rows of analysis.model_results and analysis.mediation_results (columns documented in
models/analysis/sql/analysis_tables.sql)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass
class ModelResult:
    """One term of one fitted model: an effect of culture on a delivery outcome."""

    model_id: str
    outcome: str
    predictor: str
    term: str
    estimand: str
    window: str
    window_days: int
    estimate: float
    std_error: float
    degrees_of_freedom: float
    ci_low: float
    ci_high: float
    p_value: float
    p_adjusted: float | None
    adjustment: str | None
    hypothesis: str
    effect_scale: str
    ratio: float
    ratio_ci_low: float
    ratio_ci_high: float
    n_teams: int
    n_observations: int
    dropped_suppressed: int
    dropped_not_surveyed: int
    dropped_coverage: int
    dropped_outcome: int
    predictor_mean: float
    predictor_sd: float
    min_detectable_r: float | None
    method: str
    warnings: list[str] = field(default_factory=list)
    sentence: str = ""


@dataclass
class MediationResult:
    """One indirect path: predictor -> learning-behaviour proxy -> delivery outcome."""

    model_id: str
    predictor: str
    mediator: str
    outcome: str
    window: str
    window_days: int
    a_estimate: float
    b_estimate: float
    indirect_estimate: float
    indirect_ci_low: float
    indirect_ci_high: float
    direct_estimate: float
    direct_ci_low: float
    direct_ci_high: float
    effect_scale: str
    replicates: int
    failed_refits: int
    failed_share: float
    n_teams: int
    n_observations: int
    method: str
    warnings: list[str] = field(default_factory=list)
    sentence: str = ""


def as_columns(rows: list) -> dict[str, list]:
    """Column name -> values, in dataclass field order (for a bound multi-row insert)."""
    if not rows:
        return {}
    return {f.name: [getattr(row, f.name) for row in rows] for f in fields(rows[0])}
