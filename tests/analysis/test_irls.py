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


@pytest.mark.parametrize("prior", [1.0, 0.5])
def test_firth_on_a_saturated_two_by_two_adds_half_over_the_weight_to_each_cell(prior):
    # By hand: with one parameter per group every leverage is 1, so the penalized score of a
    # group, prior (y - n p) + (1/2 - p) = 0, gives p = (y + 1/(2 prior)) / (n + 1/prior):
    # Haldane's +1/2 per cell for prior 1 (Firth 1993), +1 for prior 1/2.
    X = np.array([[1.0, 0.0], [1.0, 1.0]])
    events, trials = np.array([3.0, 7.0]), np.array([10.0, 12.0])
    add = 1 / (2 * prior)
    base = np.log((3 + add) / (7 + add))
    ratio = np.log((7 + add) / (5 + add)) - base
    fitted = fit_glm("binomial", X, events, trials=trials, weights=np.full(2, prior), firth=True)
    assert fitted == pytest.approx([base, ratio], abs=1e-9)
    # and it is shrunk towards 0 from the maximum-likelihood log odds ratio
    plain = fit_glm("binomial", X, events, trials=trials, weights=np.full(2, prior))
    assert abs(fitted[1]) < abs(plain[1])


def test_firth_is_refused_for_the_poisson_family():
    with pytest.raises(ValueError, match="binomial family only"):
        fit_glm("poisson", np.ones((3, 1)), np.ones(3), firth=True)
