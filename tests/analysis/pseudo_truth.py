"""Pseudo-true values of the study's terms: what each model converges to on a very large org.

The recovery study (tests/analysis/simulated_recovery.py) pools the panels of many independent
40-team orgs (their teams renamed apart: one org of thousands of teams with the same calendar
waves and survey sizes) and fits each main model once on the pool. With thousands of teams the
production fit's CR2 degrees of freedom would need a matrix of every pair of teams, so this fit
keeps the production model's point estimate exactly (the same frame from `model_frame`, the same
design from `design`, the same likelihood: OLS; Poisson with log-exposure offset; binomial with
deployments as trials and Williams' extra-binomial weights, rho estimated on the pool, Firth-
penalized) and takes the CR1 team-clustered standard error, which equals CR2's to O(1/G) at
these G (it is only the Monte Carlo error of the truth). `tests/analysis/test_pseudo_truth.py`
checks the point estimates against `fit_models`.

Each value is kept in two units: on the model's scale per predictor SD of the pool, and per
raw score point (`raw`, divided by the pool's predictor SD). A seed's model standardizes by its
own sample SD, so the seed's truth is `raw * that seed's predictor SD` (ModelResult
.predictor_sd): the estimand the seed's interval is about, as in the synthetic calibration.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import statsmodels.api as sm

from models.analysis.build import AnalysisSettings, _outcome, fit_mediation
from models.analysis.fitting import design
from models.analysis.irls import fit_glm
from models.analysis.outcomes import OUTCOMES
from models.analysis.overdispersion import fit_williams, row_weights
from models.analysis.panel import model_frame

PREDICTORS = ("psysafe", "westrum")
TERMS = {"between": "x_between", "within": "x_within"}
LAGGED = "lag"

Key = tuple[str, str, str]  # (predictor, estimand, outcome)


@dataclass(frozen=True)
class PseudoTrue:
    """One term's pseudo-true value, its standard error and the pool's predictor SD."""

    value: float  # model scale per pool SD of the predictor
    se: float
    predictor_sd: float  # score points
    n_teams: int
    n_observations: int

    @property
    def raw(self) -> float:
        """Per raw score point."""
        return self.value / self.predictor_sd

    @property
    def raw_se(self) -> float:
        return self.se / self.predictor_sd


def pool(panels: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """Independent orgs' panels as one org: team names prefixed by their seed."""
    return pd.concat([p.assign(team=f"s{seed}:" + p["team"].astype(str))
                      for seed, p in sorted(panels.items())], ignore_index=True)


def _fit_point(frame, family: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    rows = frame.rows
    X, columns = design(rows, list(TERMS.values()))
    groups = {"groups": pd.factorize(rows["team"])[0]}
    if family == "log_median":
        fitted = sm.OLS(rows["y"].to_numpy(float), X).fit(cov_type="cluster", cov_kwds=groups)
    elif family == "count":
        fitted = sm.GLM(rows["events"].to_numpy(float), X, family=sm.families.Poisson(),
                        offset=np.log(rows["exposure"].to_numpy(float))
                        ).fit(cov_type="cluster", cov_kwds=groups)
    else:
        events = rows["events"].to_numpy(float)
        trials = rows["trials"].to_numpy(float)
        # the production weights: Williams' rho, estimated on the pool as on any panel
        williams = fit_williams(X, events, trials)
        prior = row_weights(trials, williams.rho)
        # the production estimate: Firth-penalized at Williams' rho (models/analysis/irls.py)
        params = fit_glm("binomial", X, events, trials=trials, weights=prior, firth=True,
                         start=williams.params)
        share = 1.0 / (1.0 + np.exp(-(X @ params)))
        return params, cr1_errors(X, prior * (events - trials * share),
                                  prior * trials * share * (1 - share), groups["groups"]), columns
    return np.asarray(fitted.params), np.asarray(fitted.bse), columns


def cr1_errors(X: np.ndarray, scores: np.ndarray, weights: np.ndarray, groups: np.ndarray
               ) -> np.ndarray:
    """Team-clustered CR1 standard errors of a GLM from its rows' score residuals and working
    weights: bread (X' W X)^-1, meat the team sums of X x score, and statsmodels' factor
    G / (G - 1) x (N - 1) / (N - K) (test_pseudo_truth.py checks it against statsmodels)."""
    bread = np.linalg.inv(X.T @ (X * weights[:, None]))
    codes = pd.factorize(groups)[0]
    sums = np.zeros((codes.max() + 1, X.shape[1]))
    np.add.at(sums, codes, X * scores[:, None])
    g, n, k = len(sums), len(X), X.shape[1]
    cov = bread @ sums.T @ sums @ bread * g / (g - 1) * (n - 1) / (n - k)
    return np.sqrt(np.diag(cov))


def model_truths(panel: pd.DataFrame, settings: AnalysisSettings) -> dict[Key, PseudoTrue]:
    """Every lagged-window between- and within-team term of both predictors, fitted on
    `panel` (a pool) as described above."""
    out: dict[Key, PseudoTrue] = {}
    for predictor in PREDICTORS:
        for base in OUTCOMES:
            outcome = _outcome(base, settings)
            frame = model_frame(panel, predictor, outcome, LAGGED, settings.min_window_coverage)
            params, bse, columns = _fit_point(frame, outcome.family)
            for estimand, term in TERMS.items():
                i = columns.index(term)
                out[(predictor, estimand, outcome.name)] = PseudoTrue(
                    float(params[i]), float(bse[i]), float(frame.scale[1]), frame.n_teams,
                    frame.n_observations)
    return out


MediationKey = tuple[str, str, str]  # (predictor, mediator, outcome)


def mediation_truths(panel: pd.DataFrame, settings: AnalysisSettings, replicates: int = 40
                     ) -> dict[MediationKey, tuple[float, float]]:
    """(indirect effect, its SE) of each mediation path on the pool: the production point
    estimate (fit_mediation), the SE from a small team bootstrap (the percentile interval's
    width / 3.92). The mediator and predictor are standardized per fit, as in production; on a
    pool of thousands of teams their SDs are the population's."""
    rows = fit_mediation(panel, replace(settings, bootstrap_replicates=replicates))
    return {(r.predictor, r.mediator, r.outcome):
            (r.indirect_estimate, (r.indirect_ci_high - r.indirect_ci_low) / 3.92)
            for r in rows}
