"""CR2 and its Bell-McCaffrey degrees of freedom against results derived independently here."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from models.analysis.small_sample import cr2


def _welch_df(n1: int, n0: int) -> float:
    """Degrees of freedom of a difference in two means under equal variances, by hand: the HC2
    variance is s1^2/n1 + s0^2/n0 with s^2 ~ sigma^2 chi2(n - 1)/(n - 1), so Q'Q has
    eigenvalue 1/(n1 (n1 - 1)) (n1 - 1 times) and 1/(n0 (n0 - 1)) (n0 - 1 times), and
    df = (sum)^2 / (sum of squares) = (1/n1 + 1/n0)^2 / (1/(n1^2 (n1-1)) + 1/(n0^2 (n0-1)))."""
    return (1 / n1 + 1 / n0) ** 2 / (1 / (n1 ** 2 * (n1 - 1)) + 1 / (n0 ** 2 * (n0 - 1)))


def test_one_row_per_team_is_hc2():
    rng = np.random.default_rng(3)
    X = sm.add_constant(rng.normal(size=(15, 2)))
    y = X @ [1.0, 0.5, -0.2] + rng.normal(size=15) * (1 + np.abs(X[:, 1]))
    fitted = sm.OLS(y, X).fit()
    inference = cr2(X, y - X @ fitted.params, np.arange(15))
    # statsmodels' HC2: (X'X)^-1 X' diag(e^2 / (1 - h)) X (X'X)^-1, written independently
    assert inference.std_errors == pytest.approx(fitted.get_robustcov_results("HC2").bse,
                                                 rel=1e-9)


def test_degrees_of_freedom_of_a_difference_in_means_are_welchs():
    n1, n0 = 4, 9
    X = np.column_stack([np.ones(n1 + n0), np.r_[np.ones(n1), np.zeros(n0)]])
    y = np.random.default_rng(1).normal(size=n1 + n0)
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    inference = cr2(X, y - X @ beta, np.arange(n1 + n0))
    assert inference.df[1] == pytest.approx(_welch_df(n1, n0), rel=1e-9)  # 5.83, not 12


def test_balanced_teams_with_a_team_level_regressor_equal_the_regression_on_team_means():
    # each of 10 teams has 3 rows and one value of a dummy (4 teams 1, 6 teams 0): OLS on the
    # rows equals OLS on the team means, and CR2 on the rows equals HC2 on the means (the
    # team's block of I - H has eigenvalue 1 - h_g along the ones vector and 1 elsewhere, so
    # A_g scales the team's residual sum by (1 - h_g)^(-1/2)); its errors then behave like
    # the means', and the degrees of freedom are Welch's for 4 and 6 teams
    rng = np.random.default_rng(7)
    teams = np.repeat(np.arange(10), 3)
    dummy = (teams < 4).astype(float)
    y = 0.3 * dummy + rng.normal(size=10)[teams] + rng.normal(size=30)
    X = np.column_stack([np.ones(30), dummy])
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    inference = cr2(X, y - X @ beta, teams)
    means = np.array([y[teams == g].mean() for g in range(10)])
    on_means = sm.OLS(means, np.column_stack([np.ones(10), (np.arange(10) < 4)])).fit()
    assert inference.std_errors == pytest.approx(on_means.get_robustcov_results("HC2").bse,
                                                 rel=1e-9)
    assert inference.df[1] == pytest.approx(_welch_df(4, 6), rel=1e-9)


def test_an_intercept_over_balanced_teams_has_g_minus_one_degrees_of_freedom():
    # X = 1: the CR2 variance of the mean is the sample variance of the 7 team means over 7,
    # exactly sigma^2 chi2(6) / 6 / 7 under the working model: 6 degrees of freedom
    teams = np.repeat(np.arange(7), 3)
    y = np.random.default_rng(2).normal(size=21)
    inference = cr2(np.ones((21, 1)), y - y.mean(), teams)
    assert inference.df[0] == pytest.approx(6.0, rel=1e-9)
    team_means = np.array([y[teams == g].mean() for g in range(7)])
    assert inference.std_errors[0] == pytest.approx(np.sqrt(team_means.var(ddof=1) / 7),
                                                    rel=1e-9)


def test_degrees_of_freedom_never_exceed_teams_minus_one():
    rng = np.random.default_rng(4)
    teams = np.repeat(np.arange(6), 5)
    X = sm.add_constant(rng.normal(size=30))  # a within-team regressor: df could exceed G - 1
    y = rng.normal(size=30)
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    assert cr2(X, y - X @ beta, teams).df.max() <= 5


def _dense_df(X, e, teams, ratio, k):
    """Satterthwaite df of CR2's coefficient k the long way: the n x n matrices of its
    definition, df = tr(M Phi)^2 / tr((M Phi)^2) with M = sum_g (I - H)_g W_g W_g' (I - H)_g'
    and Phi = I + ratio * (block-diagonal ones of each team), for an unweighted design."""
    n = len(X)
    bread = np.linalg.inv(X.T @ X)
    residual_maker = np.eye(n) - X @ bread @ X.T
    M = np.zeros((n, n))
    for g in np.unique(teams):
        rows = teams == g
        values, vectors = np.linalg.eigh(residual_maker[np.ix_(rows, rows)])
        adjust = vectors @ np.diag(values ** -0.5) @ vectors.T
        column = residual_maker[:, rows] @ adjust @ X[rows] @ bread[:, k]
        M += np.outer(column, column)
    phi = np.eye(n) + ratio * (teams[:, None] == teams[None, :])
    product = M @ phi
    return np.trace(product) ** 2 / np.trace(product @ product)


def test_degrees_of_freedom_follow_a_team_random_intercept_estimated_by_moments():
    # unequal teams, a team-level and a row-level regressor, residuals with a team effect
    rng = np.random.default_rng(11)
    sizes = np.array([2, 3, 3, 4, 6, 9, 2, 5, 3, 12])
    teams = np.repeat(np.arange(len(sizes)), sizes)
    n = len(teams)
    X = np.column_stack([np.ones(n), rng.normal(size=len(sizes))[teams], rng.normal(size=n)])
    y = X @ [0.2, 0.4, -0.3] + 1.5 * rng.normal(size=len(sizes))[teams] + rng.normal(size=n)
    e = y - X @ np.linalg.lstsq(X, y, rcond=None)[0]
    # the moments, by pandas: pooled within-team variance of the residuals (phi), then the
    # team sums' excess over phi * n_g, over the sum of n_g^2 (tau^2)
    frame = pd.DataFrame({"team": teams, "e": e})
    by_team = frame.groupby("team")["e"]
    phi = ((frame["e"] - by_team.transform("mean")) ** 2).sum() / (n - len(sizes))
    tau2 = (by_team.sum() ** 2 - phi * by_team.size()).sum() / (by_team.size() ** 2).sum()
    inference = cr2(X, e, teams)
    assert tau2 > 0
    assert inference.team_variance_ratio == pytest.approx(tau2 / phi, rel=1e-9)
    for k in range(3):
        expected = min(_dense_df(X, e, teams, tau2 / phi, k), len(sizes) - 1)
        assert inference.df[k] == pytest.approx(expected, rel=1e-8)
    # the team-level slope rests on 10 teams of unequal size: a team effect lowers its df
    assert inference.df[1] < min(_dense_df(X, e, teams, 0.0, 1), 9)


def test_the_team_variance_ratio_is_recovered_on_many_teams():
    # 600 teams of 4 rows, team effect variance 0.5 and row variance 2: the ratio is 0.25
    rng = np.random.default_rng(12)
    teams = np.repeat(np.arange(600), 4)
    y = np.sqrt(0.5) * rng.normal(size=600)[teams] + np.sqrt(2.0) * rng.normal(size=2400)
    ratio = cr2(np.ones((2400, 1)), y - y.mean(), teams).team_variance_ratio
    assert ratio == pytest.approx(0.25, abs=0.05)  # the moment estimator's SE here is ~0.02
