"""A lean GLM fit (iteratively reweighted least squares) for the bootstrap's thousands of refits.

statsmodels' GLM costs about 2 ms per fit in object set-up alone; the mediation bootstrap refits
tens of thousands of small models (B replicates x mediators x outcomes), which made the analysis
take minutes. This is textbook Fisher scoring for the two canonical links the b-paths need
(Poisson/log with an offset, binomial/logit with trials), tested against statsmodels' GLM to
1e-8 in tests/analysis/test_irls.py. Point estimates only: intervals come from the bootstrap.
"""

from __future__ import annotations

import numpy as np


class FitFailed(ArithmeticError):
    """The refit did not converge (separation, a singular design, or a diverging rate)."""


def fit_glm(family: str, X: np.ndarray, events: np.ndarray, *, trials: np.ndarray | None = None,
            offset: np.ndarray | None = None, start: np.ndarray | None = None,
            tol: float = 1e-10, max_iter: int = 50) -> np.ndarray:
    """Coefficients of a Poisson (log link, `offset`) or binomial (logit, `trials`) GLM."""
    offset = np.zeros(len(events)) if offset is None else offset
    beta = np.zeros(X.shape[1]) if start is None else np.array(start, dtype=float)
    deviance_change = np.inf
    for _ in range(max_iter):
        eta = X @ beta + offset
        if family == "poisson":
            mu = np.exp(np.clip(eta, -700, 700))
            weight, response = mu, (events - mu) / np.where(mu > 0, mu, 1.0)
        elif family == "binomial":
            p = 1.0 / (1.0 + np.exp(-eta))
            weight = trials * p * (1 - p)
            response = (events - trials * p) / np.where(weight > 0, weight, 1.0)
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
