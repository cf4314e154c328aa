"""The pooled fit that gives the recovery study its pseudo-true values keeps the production
models' point estimates (only the standard errors are the cheaper CR1 ones), and the study's
cross-fitting never judges a seed against a value its own panel moved."""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm

from models.analysis.build import AnalysisSettings, fit_mediation, fit_models
from tests.analysis.pseudo_truth import cr1_errors, mediation_truths, model_truths, pool
from tests.analysis.simulated_recovery import halves, main_rows
from tests.analysis.synthetic_panel import OUTCOME_COLUMNS, draw_panel

BETA = {name: (-0.3, 0.15) for name in OUTCOME_COLUMNS}


def test_pooled_fit_has_the_production_point_estimates():
    panel = draw_panel(seed=11, teams=25, beta=BETA)
    settings = AnalysisSettings()
    production = main_rows(fit_models(panel, settings))
    truths = model_truths(panel, settings)
    assert set(truths) == set(production)
    for key, truth in truths.items():
        row = production[key]
        assert truth.value == pytest.approx(row.estimate, rel=1e-6, abs=1e-8), key
        # the same standardization: per raw score point times the SD the model used
        assert truth.predictor_sd == pytest.approx(row.predictor_sd)
        assert truth.raw * row.predictor_sd == pytest.approx(row.estimate, rel=1e-6, abs=1e-8)
        # CR1 is close to CR2 (both team-clustered), and never zero
        assert truth.se > 0 and truth.se == pytest.approx(row.std_error, rel=0.5)


def test_cr1_errors_are_statsmodels_cluster_errors():
    # statsmodels' team-clustered errors of a plain binomial GLM at its own estimate are the
    # reference; the pooled truth applies the same sandwich at the Firth estimate, with the
    # weighted score (prior x (events - n p)) and working weights (prior x n p (1 - p))
    rng = np.random.default_rng(4)
    teams = np.repeat(np.arange(30), 4)
    X = np.column_stack([np.ones(120), rng.normal(size=120), rng.normal(size=120)])
    trials = rng.integers(1, 25, 120).astype(float)
    share = 1 / (1 + np.exp(-(X @ [-1.0, 0.4, -0.2] + rng.normal(0, 0.5, 30)[teams])))
    events = rng.binomial(trials.astype(int), share).astype(float)
    fitted = sm.GLM(events / trials, X, family=sm.families.Binomial(), var_weights=trials
                    ).fit(cov_type="cluster", cov_kwds={"groups": teams})
    p = np.asarray(fitted.fittedvalues)
    errors = cr1_errors(X, events - trials * p, trials * p * (1 - p), teams)
    assert errors == pytest.approx(np.asarray(fitted.bse), rel=1e-8)


def test_pooled_mediation_has_the_production_point_estimate():
    panel = draw_panel(seed=12, teams=25, beta=BETA)
    # a proxy the mediation can use, related to safety but not a copy of it
    noise = np.random.default_rng(3).normal(0, 0.1, len(panel))
    panel["lag_review_equality"] = 0.5 + 0.1 * (panel["psysafe_score"] - 4) + noise
    settings = AnalysisSettings(bootstrap_replicates=50)
    production = {(r.predictor, r.mediator, r.outcome): r.indirect_estimate
                  for r in fit_mediation(panel, settings)}
    truths = mediation_truths(panel, settings, replicates=20)
    assert set(truths) == set(production)
    for key, (value, se) in truths.items():
        assert value == pytest.approx(production[key], rel=1e-9, abs=1e-12), key
        assert math.isfinite(se) and se >= 0


def test_pool_renames_teams_apart_and_keeps_every_row():
    a, b = draw_panel(seed=1, teams=3), draw_panel(seed=2, teams=3)
    pooled = pool({2: b, 1: a})
    assert len(pooled) == len(a) + len(b)
    # the same team name in two orgs is two teams in the pool
    assert pooled["team"].nunique() == a["team"].nunique() + b["team"].nunique()
    assert pooled["team"].iloc[0] == "s1:" + a["team"].iloc[0]


def test_halves_are_disjoint_and_cover_the_seeds():
    seeds = list(range(1, 12))
    own, other = halves(seeds)
    assert set(own).isdisjoint(other) and sorted(own + other) == seeds
    assert abs(len(own) - len(other)) <= 1
