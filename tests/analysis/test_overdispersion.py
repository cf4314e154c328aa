"""Williams' extra-binomial weights (models/analysis/overdispersion.py), checked against its
defining equations and statsmodels, not against what the code printed."""

from __future__ import annotations

import numpy as np
import statsmodels.api as sm

from models.analysis.overdispersion import fit_williams, row_weights


def _design(rng, n):
    return np.column_stack([np.ones(n), rng.normal(size=n)])


def _beta_binomial(rng, trials, share, rho):
    # a beta-binomial with mean `share` and intra-row correlation rho: a + b = 1 / rho - 1
    total = 1.0 / rho - 1.0
    p = rng.beta(share * total, (1 - share) * total)
    return rng.binomial(trials.astype(int), p).astype(float)


def _overdispersed_rows(seed, n, max_trials, beta, rho):
    """Design, trials and beta-binomial events of n rows with logit slope `beta`."""
    rng = np.random.default_rng(seed)
    X = _design(rng, n)
    trials = rng.integers(2, max_trials, n).astype(float)
    share = 1 / (1 + np.exp(-(X @ beta)))
    return X, trials, _beta_binomial(rng, trials, share, rho)


def test_row_weights_by_hand():
    # 1 / (1 + (n - 1) rho): n = 1 keeps its full weight, n = 11 at rho 0.1 halves it
    np.testing.assert_allclose(row_weights(np.array([1.0, 11.0, 21.0]), 0.1), [1.0, 0.5, 1 / 3])


def test_solution_satisfies_williams_equations():
    n = 400
    X, trials, events = _overdispersed_rows(11, n, 60, [-2.0, 0.4], 0.15)
    fitted = fit_williams(X, events, trials)
    assert fitted.rho > 0
    # the coefficients are statsmodels' GLM with var_weights trials / (1 + (n - 1) rho) ...
    weights = 1.0 / (1.0 + (trials - 1.0) * fitted.rho)
    reference = sm.GLM(events / trials, X, family=sm.families.Binomial(),
                       var_weights=trials * weights).fit()
    np.testing.assert_allclose(fitted.params, reference.params, atol=1e-7)
    # ... and rho sets the weighted Pearson statistic to its degrees of freedom (rows - 2)
    p = reference.fittedvalues
    pearson = np.sum(weights * (events - trials * p) ** 2 / (trials * p * (1 - p)))
    np.testing.assert_allclose(pearson, n - X.shape[1], rtol=1e-6)


def test_recovers_the_planted_intra_row_correlation():
    # 20,000 rows of a beta-binomial with rho = 0.2: the moment solution is within a few percent
    X, trials, events = _overdispersed_rows(12, 20_000, 40, [-1.5, 0.3], 0.2)
    fitted = fit_williams(X, events, trials)
    assert abs(fitted.rho - 0.2) < 0.02
    assert abs(fitted.params[1] - 0.3) < 0.05


def test_plain_binomial_data_keep_the_plain_fit():
    # no extra variation: whenever the plain fit's Pearson statistic is at or below its degrees
    # of freedom, rho is 0 and the coefficients are the unweighted GLM's
    rng = np.random.default_rng(13)
    for _ in range(20):
        X = _design(rng, 80)
        trials = rng.integers(2, 30, 80).astype(float)
        events = rng.binomial(trials.astype(int), 1 / (1 + np.exp(-(X @ [-1.0, 0.5])))
                              ).astype(float)
        plain = sm.GLM(np.column_stack([events, trials - events]), X,
                       family=sm.families.Binomial()).fit()
        fitted = fit_williams(X, events, trials)
        if plain.pearson_chi2 <= 80 - 2:
            assert fitted.rho == 0.0
            np.testing.assert_allclose(fitted.params, plain.params, atol=1e-8)
        else:
            assert fitted.rho > 0
