"""Unit checks of the statistics against values computed independently here."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from models.analysis.fitting import fit
from models.analysis.mediation import team_draws
from models.analysis.multiplicity import adjust_families
from models.analysis.outcomes import CHANGE_FAILURE, DEPLOYMENTS
from models.analysis.panel import ModelFrame, split_between_within
from models.analysis.power import min_detectable_r


@dataclass
class _Row:
    p_value: float
    family: str | None
    p_adjusted: float | None = None
    adjustment: str | None = None


def test_holm_on_a_hand_worked_list():
    # p sorted: .005 .01 .03 .04 .20; Holm multiplies by 5, 4, 3, 2, 1 and keeps the running
    # maximum: .025, .04, .09, max(.08, .09) = .09, .20
    rows = [_Row(p, "A") for p in (0.01, 0.04, 0.03, 0.005, 0.20)]
    adjust_families(rows, lambda r: r.family)
    assert [round(r.p_adjusted, 10) for r in rows] == [0.04, 0.09, 0.09, 0.025, 0.20]
    assert {r.adjustment for r in rows} == {"holm"}


def test_families_are_adjusted_separately_and_the_rest_by_bh():
    # family A alone: Holm with one test leaves p as it is; the screen of two rows gets BH:
    # sorted .01, .04 -> .01 * 2 / 1 = .02, .04 * 2 / 2 = .04
    rows = [_Row(0.03, "A"), _Row(0.04, None), _Row(0.01, None)]
    adjust_families(rows, lambda r: r.family)
    assert rows[0].p_adjusted == pytest.approx(0.03)
    assert rows[1].p_adjusted == pytest.approx(0.04)
    assert rows[2].p_adjusted == pytest.approx(0.02)
    assert rows[1].adjustment == "fdr_bh (exploratory)"


def test_team_bootstrap_keeps_a_teams_waves_together():
    teams = np.array(["a", "a", "a", "b", "b", "c", "d", "d", "d", "d"])
    members = {t: np.flatnonzero(teams == t).tolist() for t in set(teams)}
    drawn_b_twice = 0
    for index in team_draws(teams, 300, np.random.default_rng(1)):
        # walk the replicate block by block: each block is one drawn team's full set of rows
        position, blocks, picked = 0, 0, []
        while position < len(index):
            team = teams[index[position]]
            block = index[position:position + len(members[team])].tolist()
            assert block == members[team]
            position += len(block)
            blocks += 1
            picked.append(team)
        assert blocks == 4  # G teams drawn with replacement
        drawn_b_twice += picked.count("b") >= 2
    assert drawn_b_twice > 0  # with replacement: a team can come twice


def test_minimum_detectable_r_matches_the_reference_table():
    # reference statistics §8 (pingouin.power_corr, exact): 30 teams .49, 50 teams .38
    assert min_detectable_r(30) == pytest.approx(0.49, abs=0.01)
    assert min_detectable_r(50) == pytest.approx(0.38, abs=0.01)
    assert min_detectable_r(3) is None


def _power_by_integration(r: float, units: int, df: float) -> float:
    """Power of the two-sided 5% t-test, from the definition T = (Z + d) / sqrt(V / df) with
    V ~ chi2(df) and d = r sqrt(units - 2) / sqrt(1 - r^2): P(|T| > c) = E_V[P(Z > c s - d) +
    P(Z < -c s - d)], s = sqrt(V / df), integrated over V's density (no noncentral t used)."""
    from scipy import integrate, stats

    shift = r * np.sqrt(units - 2) / np.sqrt(1 - r * r)
    critical = stats.t.ppf(0.975, df)

    def given(v):
        s = np.sqrt(v / df)
        return (stats.norm.sf(critical * s - shift) + stats.norm.cdf(-critical * s - shift)) \
            * stats.chi2.pdf(v, df)

    return integrate.quad(given, 0, np.inf, limit=200)[0]


@pytest.mark.parametrize(("units", "df"), [(32, 10.0), (32, 30.0), (90, 12.0), (12, 3.5)])
def test_minimum_detectable_r_has_80_percent_power_with_the_terms_degrees_of_freedom(units, df):
    r = min_detectable_r(units, df)
    assert _power_by_integration(r, units, df) == pytest.approx(0.80, abs=1e-4)
    # fewer degrees of freedom on the same units: a larger effect is needed
    assert r > min_detectable_r(units, units - 2) or df >= units - 2
    assert min_detectable_r(units, float("nan")) is None


def test_split_between_within_by_hand():
    rows = pd.DataFrame({"team": ["a", "a", "b"], "x": [1.0, 3.0, -2.0]})
    out = split_between_within(rows)
    assert out["x_between"].tolist() == [2.0, 2.0, -2.0]
    assert out["x_within"].tolist() == [-1.0, 1.0, 0.0]


def _one_row_per_team(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 12
    x = rng.normal(size=n)
    trials = rng.integers(10, 30, n)
    events = rng.binomial(trials, 1 / (1 + np.exp(-(-1 + 0.5 * x))))
    return pd.DataFrame({"team": [f"t{i}" for i in range(n)], "wave": "W1", "x": x,
                         "size_z": 0.0, "events": events, "trials": trials,
                         "exposure": rng.uniform(30, 90, n)})


def _hc2_of_working_model(X, events, fitted_mean, weights) -> np.ndarray:
    """HC2 of a GLM's working regression, by hand: rows scaled by sqrt(w), Pearson residuals,
    leverages h of the scaled design; V = B X~' diag(r^2 / (1 - h)) X~ B, B = (X~'X~)^-1."""
    scaled = X * np.sqrt(weights)[:, None]
    pearson = (events - fitted_mean) / np.sqrt(weights)
    bread = np.linalg.inv(scaled.T @ scaled)
    leverage = np.einsum("ij,jk,ik->i", scaled, bread, scaled)
    meat = (scaled * (pearson ** 2 / (1 - leverage))[:, None]).T @ scaled
    return np.sqrt(np.diag(bread @ meat @ bread))


def _williams_glm(X, events, trials):
    """Williams' method III by hand on statsmodels: rho >= 0 where the GLM weighted by
    trials / (1 + (n - 1) rho) has a weighted Pearson statistic equal to rows - coefficients
    (a root of a full refit per trial rho, not the fixed-point rounds the product uses)."""
    from scipy import optimize

    def glm(rho):
        weights = 1 / (1 + (trials - 1) * rho)
        return sm.GLM(events / trials, X, family=sm.families.Binomial(),
                      var_weights=trials * weights).fit(), weights

    def excess(rho):
        fitted, weights = glm(rho)
        p = fitted.fittedvalues
        return np.sum(weights * (events - trials * p) ** 2 / (trials * p * (1 - p))) \
            - (len(events) - X.shape[1])

    rho = 0.0 if excess(0.0) <= 0 else optimize.brentq(excess, 0.0, 10.0, xtol=1e-12)
    return (*glm(rho), rho)


def _firth_by_optimizer(X, events, trials, prior):
    """Firth's estimate as the maximum of the penalized log-likelihood itself, found by a
    general optimizer: sum prior x (y log p + (n - y) log(1 - p)) + 1/2 log det(X' W X), W =
    prior x n p (1 - p) (the product solves the penalized score by Fisher scoring instead)."""
    from scipy import optimize, special

    def minus_penalized(beta):
        eta = X @ beta
        loglik = np.sum(prior * (events * -np.logaddexp(0, -eta)
                                 + (trials - events) * -np.logaddexp(0, eta)))
        p = special.expit(eta)
        _, logdet = np.linalg.slogdet(X.T @ (X * (prior * trials * p * (1 - p))[:, None]))
        return -(loglik + 0.5 * logdet)

    found = optimize.minimize(minus_penalized, np.zeros(X.shape[1]), method="BFGS",
                              options={"gtol": 1e-10})
    return found.x


@pytest.mark.parametrize("seed", [5, 7])
def test_binomial_model_is_a_firth_williams_weighted_glm_with_hc2_when_every_team_has_one_row(
        seed):
    rows = _one_row_per_team(seed)
    frame = ModelFrame(rows, "psysafe", "lag")
    result = fit(frame, CHANGE_FAILURE, ["x"])
    X = sm.add_constant(rows["x"].to_numpy())
    events, trials = rows["events"].to_numpy(float), rows["trials"].to_numpy(float)
    _, weights, rho = _williams_glm(X, events, trials)
    assert f"rho {rho:.3f}" in result.method and "Firth" in result.method
    firth = _firth_by_optimizer(X, events, trials, weights)
    assert result.terms["x"].estimate == pytest.approx(firth[1], abs=1e-5)
    # the working regression of the weighted fit at that estimate: the row's IRLS weight is
    # w n p (1 - p) and its score term w (events - n p)
    p = 1 / (1 + np.exp(-(X @ firth)))
    hc2 = _hc2_of_working_model(X, weights * events, weights * trials * p,
                                weights * trials * p * (1 - p))
    assert result.terms["x"].std_error == pytest.approx(hc2[1], rel=1e-5)


def test_williams_rho_is_zero_without_extra_binomial_variation():
    # one trial per row: a Bernoulli row cannot vary beyond the binomial, so every weight is 1
    # and the fit is the plain (Firth-penalized) logistic regression
    rows = _one_row_per_team(8).assign(trials=1)
    rows["events"] = np.random.default_rng(8).binomial(1, 0.4, len(rows))
    result = fit(ModelFrame(rows, "psysafe", "lag"), CHANGE_FAILURE, ["x"])
    assert "rho 0.000" in result.method
    X = sm.add_constant(rows["x"].to_numpy())
    events = rows["events"].to_numpy(float)
    ones = np.ones(len(events))
    firth = _firth_by_optimizer(X, events, ones, ones)
    assert result.terms["x"].estimate == pytest.approx(firth[1], abs=1e-5)


def test_count_model_equals_a_plain_poisson_glm_with_hc2_when_every_team_has_one_row():
    from scipy import stats

    rows = _one_row_per_team(6)
    rows["events"] = np.random.default_rng(6).poisson(rows["exposure"] * 0.4)
    result = fit(ModelFrame(rows, "psysafe", "lag"), DEPLOYMENTS, ["x"])
    X = sm.add_constant(rows["x"].to_numpy())
    events = rows["events"].to_numpy(float)
    glm = sm.GLM(events, X, family=sm.families.Poisson(),
                 offset=np.log(rows["exposure"].to_numpy())).fit()
    assert result.terms["x"].estimate == pytest.approx(glm.params[1], abs=1e-8)
    mu = glm.fittedvalues
    assert result.terms["x"].std_error == pytest.approx(
        _hc2_of_working_model(X, events, mu, mu)[1], rel=1e-6)
    # the interval is t with the coefficient's Bell-McCaffrey degrees of freedom: fewer than
    # the 11 of G - 1 (12 teams), more than 1
    df = result.degrees_of_freedom["x"]
    assert 1 < df <= 11
    est = result.terms["x"]
    half_width = (est.ci_high - est.ci_low) / 2
    assert half_width == pytest.approx(stats.t.ppf(0.975, df) * est.std_error)
    assert est.p_value == pytest.approx(2 * stats.t.sf(abs(est.estimate / est.std_error), df))


def test_mediation_point_estimates_are_the_two_paths_fitted_independently():
    from models.analysis.mediation import mediate

    rng = np.random.default_rng(8)
    n = 60
    x = rng.normal(size=n)
    m = 0.5 * x + rng.normal(size=n)
    trials = rng.integers(10, 40, n)
    events = rng.binomial(trials, 1 / (1 + np.exp(-(-1 - 0.4 * m))))
    rows = pd.DataFrame({"team": [f"t{i // 2}" for i in range(n)], "wave": "W1", "x": x,
                         "m": m, "size_z": 0.0, "events": events, "trials": trials})
    estimate = mediate(rows, CHANGE_FAILURE, 200, np.random.default_rng(1))
    # a: OLS of m on x; b and c': the main model's binomial GLM of the events on m and x (same
    # constant), Williams-weighted (rho solved by hand on statsmodels) and Firth-penalized (the
    # penalized likelihood maximized by a general optimizer)
    a = sm.OLS(m, sm.add_constant(x)).fit().params[1]
    Xb = sm.add_constant(np.column_stack([m, x]))
    _, weights, rho = _williams_glm(Xb, events.astype(float), trials.astype(float))
    assert rho > 0
    firth = _firth_by_optimizer(Xb, events.astype(float), trials.astype(float), weights)
    assert estimate.point.a == pytest.approx(a, abs=1e-8)
    assert estimate.point.b == pytest.approx(firth[1], abs=1e-5)
    assert estimate.point.direct == pytest.approx(firth[2], abs=1e-5)
    assert estimate.indirect_ci[0] < estimate.point.indirect < estimate.indirect_ci[1]
    # The percentiles are read at the smaller Bell-McCaffrey df of the two coefficients, each
    # from CR2 on the statsmodels fits' own residuals (30 teams of two rows: at most 29).
    from models.analysis.small_sample import cr2

    teams = pd.factorize(rows["team"])[0]
    Xa = sm.add_constant(x)
    df_a = cr2(Xa, m - Xa @ sm.OLS(m, Xa).fit().params, teams).df[1]
    share = 1 / (1 + np.exp(-(Xb @ firth)))
    df_b = cr2(Xb, weights * (events - trials * share),
               teams, weights * trials * share * (1 - share)).df[1]
    assert estimate.df == pytest.approx(min(df_a, df_b), rel=1e-6)  # the optimizer: 1e-6
    assert 1 < estimate.df < 29


def test_bias_corrected_levels_by_hand():
    from models.analysis.mediation import bias_corrected_levels

    draws = np.arange(1000.0)  # 0, 1, ..., 999
    # 600 draws below 599.5: z0 = Phi^-1(0.6) = 0.2533471; 2 z0 -+ 1.9599640 = -1.4532698 and
    # 2.4666582; Phi of those, from the table at 1.45 and 2.46 and the density there:
    # 1 - (0.926471 + 0.0032698 * 0.139431) = 0.073073, 0.993053 + 0.0066582 * 0.019262 =
    # 0.993181
    low, high = bias_corrected_levels(draws, 599.5, (2.5, 97.5))
    assert low == pytest.approx(7.3073, abs=2e-4) and high == pytest.approx(99.3181, abs=2e-4)
    # 499 below and one tie at 499 (counting half): a share of 0.4995, z0 = -0.0012533;
    # Phi(-1.9599640 - 0.0025066) = 0.025 - 0.0025066 * phi(1.96) (0.05844) = 0.0248535
    low, high = bias_corrected_levels(draws, 499.0, (2.5, 97.5))
    assert low == pytest.approx(2.48535, abs=1e-4)
    # the estimate in the middle: no correction; beyond every draw: z0 held finite at 1/B
    assert bias_corrected_levels(draws, 499.5, (1.0, 99.0)) == pytest.approx((1.0, 99.0))
    low, high = bias_corrected_levels(draws, -5.0, (2.5, 97.5))
    assert 0 < low < high < 2.5


def test_expanded_percentile_levels_by_hand():
    from scipy import stats

    from models.analysis.mediation import expanded_levels

    # G = 10: sqrt(10/9) * t_9(0.025) = 1.05409 * -2.26216 = -2.38454; Phi(-2.38454) = 0.00855
    low, high = expanded_levels(10)
    assert low == pytest.approx(100 * stats.norm.cdf(math.sqrt(10 / 9) * -2.2621571627),
                                rel=1e-6)
    assert low == pytest.approx(0.855, abs=0.001) and high == pytest.approx(100 - low)
    # many teams: back to the plain 2.5th and 97.5th percentiles
    assert expanded_levels(100_000)[0] == pytest.approx(2.5, abs=0.001)
    # G = 32 read at 8 degrees of freedom (the paths' Bell-McCaffrey df), not 31:
    # sqrt(32/31) * t_8(0.025) = 1.016001 * -2.306004 = -2.342903; Phi(-2.342903) = 0.009567
    low, high = expanded_levels(32, df=8)
    assert low == pytest.approx(0.9567, abs=0.001) and high == pytest.approx(100 - low)
    assert low < expanded_levels(32)[0]  # fewer df: further into the tails
