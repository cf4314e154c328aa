"""Binomial outcomes whose events come in bursts: Williams' extra-binomial weights.

A team-wave's deployments are not independent trials. Rework is the clearest case: every
deployment of a repository while one of its incidents is open is a fix-forward
(docs/metrics.md §6), so one long incident turns a run of deployments into rework at once, and a
team-wave with twice the deployments does not carry twice the information. Williams (1982,
"Extra-binomial variation in logistic linear models", Applied Statistics 31, 144-148) models
this as Var(events) = n p (1 - p) (1 + (n - 1) rho): a row's variance grows with its trials
faster than the binomial's, as a beta-binomial's does. The slope is then estimated with each row
weighted by 1 / (1 + (n - 1) rho), and rho is chosen so that the weighted Pearson statistic
equals its degrees of freedom (rows - coefficients), alternating the fit and rho until both
settle (Williams' method III).

What it changes: only the weights. The mean model (logit of the rate, deployments as trials) and
so the meaning of every coefficient stay those of the plain binomial GLM, and with rho = 0 the
fit is that GLM exactly. On the 200 simulated organizations of docs/analysis.md §5, rho is about
0.17-0.19 for rework and 0.016 for change failure, so change failure's fit barely moves while
rework's team-waves with a burst of fix-forwards no longer dominate its slope (§5 has the
coverage before and after).

Written here because statsmodels has no Williams estimator (its GLM takes a constant scale, not
one that grows with the trials, and its beta-binomial is a likelihood model of another
estimand).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from models.analysis.irls import fit_glm

_MAX_ROUNDS = 25
_RHO_TOLERANCE = 1e-7


@dataclass(frozen=True)
class WilliamsFit:
    """Coefficients, fitted rates, the rows' weights 1 / (1 + (n - 1) rho) and rho itself."""

    params: np.ndarray
    share: np.ndarray
    weights: np.ndarray
    rho: float


def row_weights(trials: np.ndarray, rho: float) -> np.ndarray:
    """1 / (1 + (n - 1) rho): the share of a row's binomial information its trials carry."""
    return 1.0 / (1.0 + (np.asarray(trials, float) - 1.0) * rho)


def _pearson(events: np.ndarray, trials: np.ndarray, share: np.ndarray) -> np.ndarray:
    variance = trials * share * (1.0 - share)
    return np.where(variance > 0, (events - trials * share) ** 2
                    / np.where(variance > 0, variance, 1.0), 0.0)


def _solve_rho(squares: np.ndarray, trials: np.ndarray, degrees: int) -> float:
    """rho >= 0 with sum(r_i^2 / (1 + (n_i - 1) rho)) = degrees; 0 when even rho = 0 leaves the
    statistic at or below its degrees of freedom (no extra-binomial variation)."""
    def excess(rho: float) -> float:
        return float(np.sum(squares * row_weights(trials, rho))) - degrees

    if degrees <= 0 or excess(0.0) <= 0:
        return 0.0
    upper = 1.0
    while excess(upper) > 0 and upper < 1e6:
        upper *= 10.0
    if excess(upper) > 0:
        return upper
    return float(optimize.brentq(excess, 0.0, upper, xtol=1e-12))


def fit_williams(X: np.ndarray, events: np.ndarray, trials: np.ndarray,
                 start: np.ndarray | None = None) -> WilliamsFit:
    """Logistic regression of events out of trials with Williams' weights (module docstring).

    Raises irls.FitFailed when a weighted fit does not converge.
    """
    events = np.asarray(events, float)
    trials = np.asarray(trials, float)
    degrees = len(events) - X.shape[1]
    rho = 0.0
    params = fit_glm("binomial", X, events, trials=trials, start=start)
    for _ in range(_MAX_ROUNDS):
        share = 1.0 / (1.0 + np.exp(-(X @ params)))
        new_rho = _solve_rho(_pearson(events, trials, share), trials, degrees)
        if abs(new_rho - rho) <= _RHO_TOLERANCE * max(1.0, rho):
            rho = new_rho
            break
        rho = new_rho
        params = fit_glm("binomial", X, events, trials=trials, start=params,
                         weights=row_weights(trials, rho))
    share = 1.0 / (1.0 + np.exp(-(X @ params)))
    return WilliamsFit(params, share, row_weights(trials, rho), rho)
