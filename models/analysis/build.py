"""Build analysis.model_results and analysis.mediation_results from the team-wave panel.

For each predictor (psychological safety, Westrum culture), window (lagged, concurrent) and
outcome (the five DORA measures), one model: between- and within-team terms when teams have
two or more waves in it (with wave fixed effects), a pooled term when they do not. Then Holm
across the five outcomes of each primary predictor and estimand in the lagged window,
Benjamini-Hochberg over everything else (exploratory), and a sentence per row. Mediation:
psychological safety -> each available learning-behaviour proxy -> each outcome, lagged window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import duckdb
import numpy as np
import pandas as pd

from models.analysis import wording
from models.analysis.fit_state import fit_fingerprint, record_fit, unchanged_since_last_fit
from models.analysis.fitting import SMALL_SAMPLE_TEAMS, FitResult, TermEstimate, fit
from models.analysis.mediation import mediate
from models.analysis.mediators import available, mediator_values
from models.analysis.multiplicity import adjust_families
from models.analysis.outcomes import OUTCOMES, WINDOWS, Outcome
from models.analysis.panel import (
    PANEL_TABLE,
    build_panel,
    missing_inputs,
    model_frame,
    outcome_columns,
    predictor_rows,
    read_panel,
    standardize,
)
from models.analysis.power import min_detectable_r, units_for
from models.analysis.results import MediationResult, ModelResult
from models.analysis.writing import replace_analysis_tables
from models.build_state import relation_kind

PREDICTORS = ("psysafe", "westrum")
SCALE = {
    "log_median": "log hours per predictor SD",
    "count": "log rate per predictor SD",
    "binomial": "log odds per predictor SD",
}


@dataclass(frozen=True)
class AnalysisSettings:
    """The `analysis:` section of candor.yaml, as the statistics need it."""

    window_days: int = 90
    min_window_coverage: float = 0.5
    min_failures_for_recovery: int = 3
    bootstrap_replicates: int = 2000
    seed: int = 20_261_203
    primary_predictors: tuple[str, ...] = PREDICTORS


@dataclass
class AnalysisSummary:
    model_results: list[ModelResult] = field(default_factory=list)
    mediation_results: list[MediationResult] = field(default_factory=list)
    # upstream tables that did not exist yet: nothing was fitted or replaced
    skipped_because: list[str] = field(default_factory=list)
    # nothing the results were fitted from changed since the last fit: they were kept
    kept: bool = False

    def headline(self) -> list[ModelResult]:
        """Confirmatory rows (Holm), the ones the report leads with."""
        return [r for r in self.model_results if r.hypothesis == "confirmatory"]


def _outcome(outcome: Outcome, settings: AnalysisSettings) -> Outcome:
    if outcome.name == "recovery_time":
        return Outcome(**{**outcome.__dict__, "min_n": settings.min_failures_for_recovery})
    return outcome


def _warnings(frame, fitted, estimand: str) -> list[str]:
    notes = list(fitted.warnings)
    if frame.n_teams < SMALL_SAMPLE_TEAMS:
        notes.append(f"only {frame.n_teams} teams (fewer than {SMALL_SAMPLE_TEAMS}): "
                     "intervals are wide and cluster-robust errors less reliable")
    if frame.dropped.get("suppressed"):
        notes.append(f"{frame.dropped['suppressed']} team-waves left out for anonymity "
                     "(fewer respondents than the minimum)")
    if frame.dropped.get("coverage"):
        notes.append(f"{frame.dropped['coverage']} team-waves left out: the window held too "
                     "little data")
    if frame.dropped.get("outcome"):
        notes.append(f"{frame.dropped['outcome']} team-waves left out: too few values for "
                     "this outcome")
    if estimand == "pooled":
        notes.append("single wave per team: only the between-team (pooled) effect exists")
    return notes


def _model_rows(panel: pd.DataFrame, predictor: str, window: str, outcome: Outcome,
                settings: AnalysisSettings) -> list[ModelResult]:
    frame = model_frame(panel, predictor, outcome, window, settings.min_window_coverage)
    if frame.n_teams < 3 or frame.n_observations < 5:
        return []
    split = frame.has_within
    terms = ["x_between", "x_within"] if split else ["x"]
    try:
        fitted = fit(frame, outcome, terms)
    except (ValueError, np.linalg.LinAlgError, ArithmeticError) as error:
        # one degenerate model (e.g. a singular design) never stops the others: its rows say so
        nan = TermEstimate(*(float("nan"),) * 5)
        fitted = FitResult({term: nan for term in terms}, "not estimable", frame.n_teams,
                           frame.n_observations, [f"model could not be fitted: {error}"])
    primary = predictor in settings.primary_predictors and window == "lag"
    rows = []
    for term in terms:
        estimand = {"x_between": "between", "x_within": "within", "x": "pooled"}[term]
        est = fitted.terms[term]
        units = units_for(estimand, frame.n_teams, frame.n_observations)
        rows.append(ModelResult(
            model_id=f"{window}:{predictor}:{outcome.name}",
            outcome=outcome.name, predictor=predictor, term=term, estimand=estimand,
            window=WINDOWS[window], window_days=settings.window_days,
            estimate=est.estimate, std_error=est.std_error,
            degrees_of_freedom=fitted.degrees_of_freedom.get(term, float("nan")),
            ci_low=est.ci_low,
            ci_high=est.ci_high, p_value=est.p_value, p_adjusted=None, adjustment=None,
            hypothesis="confirmatory" if primary else "exploratory",
            effect_scale=SCALE[outcome.family],
            ratio=math.exp(est.estimate) if math.isfinite(est.estimate) else float("nan"),
            ratio_ci_low=math.exp(est.ci_low) if math.isfinite(est.ci_low) else float("nan"),
            ratio_ci_high=math.exp(est.ci_high) if math.isfinite(est.ci_high) else float("nan"),
            n_teams=frame.n_teams, n_observations=frame.n_observations,
            dropped_suppressed=frame.dropped.get("suppressed", 0),
            dropped_not_surveyed=frame.dropped.get("not_surveyed", 0),
            dropped_coverage=frame.dropped.get("coverage", 0),
            dropped_outcome=frame.dropped.get("outcome", 0),
            predictor_mean=frame.scale[0], predictor_sd=frame.scale[1],
            min_detectable_r=min_detectable_r(
                units, fitted.degrees_of_freedom.get(term)), method=fitted.method,
            warnings=_warnings(frame, fitted, estimand)))
    return rows


def _sentences(rows: list[ModelResult]) -> None:
    for row in rows:
        row.sentence = wording.model_sentence(
            outcome=row.outcome, predictor=row.predictor, estimand=row.estimand,
            window=row.window, ratio=row.ratio, ratio_ci_low=row.ratio_ci_low,
            ratio_ci_high=row.ratio_ci_high, p_value=row.p_value, p_adjusted=row.p_adjusted,
            adjustment=row.adjustment, n_teams=row.n_teams, n_observations=row.n_observations,
            min_detectable_r=row.min_detectable_r)


def _with_panel_window(panel: pd.DataFrame, settings: AnalysisSettings) -> AnalysisSettings:
    # the panel was built with the window in meta.settings: record that one, not a default
    if "window_days" in panel.columns and len(panel):
        return replace(settings, window_days=int(panel["window_days"].iloc[0]))
    return settings


def fit_models(panel: pd.DataFrame, settings: AnalysisSettings) -> list[ModelResult]:
    """Every (predictor, window, outcome) model, adjusted and worded."""
    settings = _with_panel_window(panel, settings)
    rows: list[ModelResult] = []
    for predictor in PREDICTORS:
        for window in WINDOWS:
            for outcome in OUTCOMES:
                rows += _model_rows(panel, predictor, window, _outcome(outcome, settings),
                                    settings)
    adjust_families(rows, lambda r: (r.predictor, r.estimand, r.window)
                    if r.hypothesis == "confirmatory" else None)
    _sentences(rows)
    return rows


MEDIATION_PREDICTORS = ("psysafe",)


def fit_mediation(panel: pd.DataFrame, settings: AnalysisSettings) -> list[MediationResult]:
    """Psychological safety -> each available proxy -> each outcome, in the lagged window.

    Safety only: the theory under test is that safety works through learning behaviour
    (speaking up, reporting early); Westrum's paths are not part of the hypothesis.
    """
    window = "lag"
    settings = _with_panel_window(panel, settings)
    rng = np.random.default_rng(settings.seed)
    results = []
    for predictor in MEDIATION_PREDICTORS:
        base, dropped, _ = predictor_rows(panel, predictor, window, settings.min_window_coverage)
        for mediator in available(panel, window):
            for outcome in OUTCOMES:
                outcome = _outcome(outcome, settings)
                rows = outcome_columns(base, outcome, window)
                rows = rows.assign(m=mediator_values(rows, mediator, window))
                rows = rows.loc[rows["m"].notna()].copy()
                if rows["team"].nunique() < 5:
                    continue
                rows["m"] = standardize(rows["m"])[0]
                estimate = mediate(rows, outcome, settings.bootstrap_replicates, rng)
                results.append(_mediation_row(predictor, mediator, outcome, rows, estimate,
                                              settings, dropped))
    return results


def _exp(value: float) -> float:
    return math.exp(value) if math.isfinite(value) else float("nan")


def _mediation_row(predictor, mediator, outcome, rows, estimate, settings, dropped
                   ) -> MediationResult:
    n_teams = int(rows["team"].nunique())
    failed_share = estimate.failed / estimate.replicates
    notes = ["pooled team-wave rows: mixes within- and between-team paths (read as "
             "consistent with mediation, not proof of it)"]
    if dropped.get("suppressed"):
        notes.append(f"{dropped['suppressed']} team-waves left out for anonymity")
    if n_teams < SMALL_SAMPLE_TEAMS:
        notes.append(f"only {n_teams} teams: the bootstrap interval is unstable")
    if failed_share > 0.05:
        notes.append(f"{failed_share:.0%} of bootstrap refits failed")
    fed_by = mediator.caveat(outcome.name)
    if fed_by:
        notes.append(f"{fed_by}: not evidence of mediation on its own")
    row = MediationResult(
        model_id=f"lag:{predictor}:{mediator.name}:{outcome.name}", predictor=predictor,
        mediator=mediator.name, outcome=outcome.name, window=WINDOWS["lag"],
        window_days=settings.window_days, a_estimate=estimate.point.a,
        b_estimate=estimate.point.b, indirect_estimate=estimate.point.indirect,
        indirect_ci_low=estimate.indirect_ci[0], indirect_ci_high=estimate.indirect_ci[1],
        direct_estimate=estimate.point.direct, direct_ci_low=estimate.direct_ci[0],
        direct_ci_high=estimate.direct_ci[1], effect_scale=SCALE[outcome.family],
        replicates=estimate.replicates, failed_refits=estimate.failed,
        failed_share=failed_share, n_teams=n_teams, n_observations=len(rows),
        method=(f"a: OLS {mediator.name} ~ {predictor} + controls; b: {outcome.family} model "
                f"of {outcome.name} ~ {mediator.name} + {predictor} + controls; indirect = a*b; "
                f"bias-corrected expanded percentile CI from {estimate.replicates} "
                f"team-resampling bootstrap replicates (seed {settings.seed}), percentiles read "
                f"at t({estimate.df:.1f}), the smaller Bell-McCaffrey degrees of freedom of the "
                f"a and b coefficients (direct effect: not bias-corrected)"),
        warnings=notes)
    row.sentence = wording.mediation_sentence(
        predictor=predictor, mediator_label=mediator.label, outcome=outcome.name,
        window=row.window, indirect_ratio=_exp(row.indirect_estimate),
        ci_low_ratio=_exp(row.indirect_ci_low), ci_high_ratio=_exp(row.indirect_ci_high),
        n_teams=n_teams, failed_share=failed_share, caveat=fed_by)
    return row


def _panel_exists(con: duckdb.DuckDBPyConnection) -> bool:
    schema, _, name = PANEL_TABLE.partition(".")
    return relation_kind(con, schema, name) == "table"


def settings_from(config) -> AnalysisSettings:
    """AnalysisSettings from candor.yaml's `analysis:` section (pipelines.config)."""
    section = config.analysis
    return AnalysisSettings(
        window_days=section.window_days, min_window_coverage=section.min_window_coverage,
        min_failures_for_recovery=section.min_failures_for_recovery,
        bootstrap_replicates=section.bootstrap_replicates, seed=section.seed,
        primary_predictors=tuple(section.primary_predictors))


def build_analysis(con: duckdb.DuckDBPyConnection, settings: AnalysisSettings | None = None,
                   rebuild_panel: bool = True, force: bool = True) -> AnalysisSummary:
    """Fit everything on the panel and replace both analysis tables in one transaction.

    rebuild_panel: rebuild marts.culture_vs_delivery first (the pipeline builds it as its own
    asset and passes False). force=False keeps the stored results when the panel, the settings
    and the statistics code are unchanged since the last fit (models/analysis/fit_state.py;
    the nightly asset passes it unless the run is a full refresh).
    """
    settings = settings or AnalysisSettings()
    missing = build_panel(con) if rebuild_panel else missing_inputs(con)
    if missing or not _panel_exists(con):
        return AnalysisSummary(skipped_because=missing or ["marts.culture_vs_delivery"])
    fingerprint = fit_fingerprint(con, settings)
    if not force and unchanged_since_last_fit(con, fingerprint):
        return AnalysisSummary(kept=True)
    panel = read_panel(con)
    summary = AnalysisSummary(fit_models(panel, settings), fit_mediation(panel, settings))
    replace_analysis_tables(con, summary.model_results, summary.mediation_results)
    record_fit(con, fingerprint, len(summary.model_results))
    return summary
