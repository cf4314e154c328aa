"""The bootstrap's lean GLM fit gives statsmodels' GLM estimates."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm

from models.analysis.irls import FitFailed, fit_glm


def _design(rng, n=60):
    return np.column_stack([np.ones(n), rng.normal(size=n), rng.normal(size=n)])


def test_poisson_with_offset_matches_statsmodels():
    rng = np.random.default_rng(3)
    X = _design(rng)
    exposure = rng.uniform(20, 90, len(X))
    y = rng.poisson(exposure * np.exp(X @ [-1.0, 0.3, -0.2]))
    reference = sm.GLM(y, X, family=sm.families.Poisson(), offset=np.log(exposure)).fit()
    ours = fit_glm("poisson", X, y.astype(float), offset=np.log(exposure))
    np.testing.assert_allclose(ours, reference.params, atol=1e-8)


def test_binomial_with_trials_matches_statsmodels():
    rng = np.random.default_rng(4)
    X = _design(rng)
    trials = rng.integers(5, 40, len(X)).astype(float)
    events = rng.binomial(trials.astype(int), 1 / (1 + np.exp(-(X @ [-1.2, 0.5, 0.1]))))
    reference = sm.GLM(np.column_stack([events, trials - events]), X,
                       family=sm.families.Binomial()).fit()
    ours = fit_glm("binomial", X, events.astype(float), trials=trials)
    np.testing.assert_allclose(ours, reference.params, atol=1e-8)


def test_separated_data_is_reported_as_a_failed_fit():
    # every event where x > 0 and none where x < 0: the logit slope runs off to infinity
    x = np.linspace(-1, 1, 20)
    X = np.column_stack([np.ones(20), x])
    events = (x > 0).astype(float) * 10
    with pytest.raises(FitFailed):
        fit_glm("binomial", X, events, trials=np.full(20, 10.0))


def test_binomial_with_prior_weights_matches_statsmodels_var_weights():
    rng = np.random.default_rng(5)
    X = _design(rng)
    trials = rng.integers(5, 40, len(X)).astype(float)
    events = rng.binomial(trials.astype(int), 1 / (1 + np.exp(-(X @ [-1.2, 0.5, 0.1]))))
    weights = rng.uniform(0.2, 1.0, len(X))
    # statsmodels: proportions as endog, var_weights = trials x prior weight
    reference = sm.GLM(events / trials, X, family=sm.families.Binomial(),
                       var_weights=trials * weights).fit()
    ours = fit_glm("binomial", X, events.astype(float), trials=trials, weights=weights)
    np.testing.assert_allclose(ours, reference.params, atol=1e-8)
