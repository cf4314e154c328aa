"""The pooled fit that gives the recovery study its pseudo-true values keeps the production
models' point estimates (only the standard errors are the cheaper CR1 ones), and the study's
cross-fitting never judges a seed against a value its own panel moved."""

from __future__ import annotations

import math

import numpy as np
import pytest

from models.analysis.build import AnalysisSettings, _outcome, fit_mediation, fit_models
from models.analysis.fitting import design
from models.analysis.outcomes import OUTCOMES
from models.analysis.overdispersion import fit_williams, row_weights
from models.analysis.panel import model_frame
from tests.analysis.pseudo_truth import mediation_truths, model_truths, pool
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


def test_the_binomial_truths_errors_are_the_cr1_sandwich_of_the_weighted_score():
    # statsmodels calls cluster errors with var_weights "not fully supported": here, by hand,
    # bread = (X' W X)^-1 with W = prior x n p (1 - p), the team sums of the score
    # prior x (events - n p) x, and CR1's G / (G - 1) x (N - 1) / (N - K)
    panel = draw_panel(seed=13, teams=25, beta=BETA)
    settings = AnalysisSettings()
    truths = model_truths(panel, settings)
    for outcome in ("change_failure_rate", "rework_rate"):
        frame = model_frame(panel, "psysafe", _outcome(next(
            o for o in OUTCOMES if o.name == outcome), settings), "lag",
            settings.min_window_coverage)
        rows = frame.rows
        X, columns = design(rows, ["x_between", "x_within"])
        events, trials = rows["events"].to_numpy(float), rows["trials"].to_numpy(float)
        fit = fit_williams(X, events, trials)
        prior = row_weights(trials, fit.rho)
        p = 1 / (1 + np.exp(-(X @ fit.params)))
        bread = np.linalg.inv(X.T @ (X * (prior * trials * p * (1 - p))[:, None]))
        score = X * (prior * (events - trials * p))[:, None]
        teams = rows["team"].to_numpy()
        sums = np.array([score[teams == t].sum(axis=0) for t in np.unique(teams)])
        g, n, k = len(sums), len(rows), X.shape[1]
        cov = bread @ sums.T @ sums @ bread * g / (g - 1) * (n - 1) / (n - k)
        for estimand, term in (("between", "x_between"), ("within", "x_within")):
            i = columns.index(term)
            assert truths[("psysafe", estimand, outcome)].se == pytest.approx(
                math.sqrt(cov[i, i]), rel=1e-5), (outcome, estimand)


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
