"""One model per outcome, with team clustering and small-sample inference.

- log_median (lead time, recovery): OLS of log(median hours).
- count (deployments): Poisson GLM with log(covered days) as offset. The Poisson mean model
  stays consistent under overdispersion; the sandwich carries the extra variance, so no
  negative binomial is needed for the slope's interval.
- binomial (change failure, rework): logistic model of events with deployments as trials
  (team-wave rows), each row weighted by Williams' 1 / (1 + (n - 1) rho)
  (models/analysis/overdispersion.py): a team-wave's deployments fail or become rework in
  bursts (one long incident makes a run of fix-forwards), so a row with twice the deployments
  carries less than twice the information. rho = 0 is the plain binomial GLM (a Bernoulli GEE
  with independence working correlation, each deployment weighing the same). The weights
  change how rows count, not the mean model, so the coefficients keep their meaning (log odds
  per predictor SD); an exchangeable team structure, by contrast, reweights whole teams and
  moved the estimand. The coefficients are Firth's Jeffreys-penalized estimates of that
  weighted likelihood (models/analysis/irls.py): the maximum-likelihood slope is biased away
  from 0 in small effective samples, which the weights make rework's.

Every model's errors are the team-clustered CR2 sandwich, and every interval and p-value uses
Student's t with Bell-McCaffrey degrees of freedom for that coefficient, computed under a team
random intercept (models/analysis/small_sample.py), not t(G - 1): a between-team slope rests on
a few teams with extreme scores, so its variance estimate has far fewer degrees of freedom than
there are teams. On 200 simulated 40-team orgs, t(G - 1) intervals covered the truth in 90-97%
of panels (the leave-one-team-out jackknife and the Mancl-DeRouen sandwich as errors); CR2 with
these degrees of freedom in 92-97% (docs/analysis.md §5).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from models.analysis.irls import FitFailed, fit_glm
from models.analysis.outcomes import Outcome
from models.analysis.overdispersion import fit_williams, row_weights
from models.analysis.panel import ModelFrame
from models.analysis.small_sample import cr2

SMALL_SAMPLE_TEAMS = 20


@dataclass(frozen=True)
class TermEstimate:
    """A coefficient on the model's scale (log hours, log rate or log odds per predictor SD)."""

    estimate: float
    std_error: float
    ci_low: float
    ci_high: float
    p_value: float


@dataclass
class FitResult:
    """Terms of interest of one fitted model, how it was fitted and what went wrong."""

    terms: dict[str, TermEstimate]
    method: str
    n_teams: int
    n_observations: int
    warnings: list[str] = field(default_factory=list)
    degrees_of_freedom: dict[str, float] = field(default_factory=dict)  # term -> t df


def design(rows: pd.DataFrame, terms: list[str], extra: list[str] | None = None
           ) -> tuple[np.ndarray, list[str]]:
    """Constant, the terms, team size and wave dummies (when several waves share the model)."""
    columns = ["const", *terms]
    parts = [np.ones(len(rows)), *(rows[t].to_numpy(float) for t in terms)]
    for name in extra or []:
        columns.append(name)
        parts.append(rows[name].to_numpy(float))
    if rows["size_z"].std(ddof=0) > 0:
        columns.append("size_z")
        parts.append(rows["size_z"].to_numpy(float))
    waves = sorted(rows["wave"].unique())
    for wave in waves[1:]:
        columns.append(f"wave[{wave}]")
        parts.append((rows["wave"] == wave).to_numpy(float))
    return np.column_stack(parts), columns


def _t_terms(params, bse, columns: list[str], wanted: list[str], df: dict[str, float]
             ) -> dict:
    out = {}
    for term in wanted:
        i = columns.index(term)
        critical = stats.t.ppf(0.975, df[term]) if np.isfinite(df[term]) else float("nan")
        est, se = float(params[i]), float(bse[i])
        if not (np.isfinite(est) and np.isfinite(se)) or se <= 0:
            out[term] = TermEstimate(est, se, float("nan"), float("nan"), float("nan"))
            continue
        p = float(2 * stats.t.sf(abs(est / se), df[term]))
        out[term] = TermEstimate(est, se, float(est - critical * se), float(est + critical * se), p)
    return out


def _collect(caught: list[warnings.WarningMessage]) -> list[str]:
    notes = []
    for item in caught:
        if issubclass(item.category, ConvergenceWarning):
            notes.append(f"did not converge cleanly: {item.message}")
        elif "singular" in str(item.message).lower() or "perfect" in str(item.message).lower():
            notes.append(f"numerical problem: {item.message}")
    return sorted(set(notes))


def _extra_binomial_rho(X: np.ndarray, events: np.ndarray, trials: np.ndarray,
                        notes: list[str]) -> float:
    """Williams' rho for the binomial outcomes (models/analysis/overdispersion.py); 0, with a
    note, when the weighted fit does not converge (the plain GLM then reports its own trouble)."""
    try:
        return fit_williams(X, events, trials).rho
    except (FitFailed, np.linalg.LinAlgError) as exc:
        notes.append(f"extra-binomial weights not estimated ({exc}); plain binomial weights")
        return 0.0


def _firth_or_ml(X: np.ndarray, events: np.ndarray, trials: np.ndarray, prior: np.ndarray,
                 start: np.ndarray, notes: list[str]) -> np.ndarray:
    """The Firth-penalized coefficients; the maximum-likelihood ones, with a note, when the
    penalized fit does not converge."""
    try:
        return fit_glm("binomial", X, events, trials=trials, weights=prior, firth=True,
                       start=start)
    except (FitFailed, np.linalg.LinAlgError) as exc:
        notes.append(f"Firth-penalized fit failed ({exc}); maximum-likelihood estimates")
        return start


def fit(frame: ModelFrame, outcome: Outcome, terms: list[str]) -> FitResult:
    """Fit the outcome's model on the frame; `terms` are the predictor columns to report."""
    rows = frame.rows
    codes = pd.factorize(rows["team"].to_numpy())[0]
    X, columns = design(rows, terms)
    weights = None
    extra_notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if outcome.family == "log_median":
            y = rows["y"].to_numpy(float)
            params = sm.OLS(y, X).fit().params
            residuals = y - X @ params
            model = "OLS of log(median hours)"
        elif outcome.family == "count":
            events = rows["events"].to_numpy(float)
            result = sm.GLM(events, X, family=sm.families.Poisson(),
                            offset=np.log(rows["exposure"].to_numpy(float))).fit()
            params, mu = result.params, np.asarray(result.fittedvalues, float)
            residuals, weights = events - mu, mu
            model = "Poisson GLM, log(covered days) offset"
        else:
            events = rows["events"].to_numpy(float)
            trials = rows["trials"].to_numpy(float)
            rho = _extra_binomial_rho(X, events, trials, extra_notes)
            prior = row_weights(trials, rho)
            # statsmodels' maximum-likelihood fit reports convergence trouble and starts the
            # Jeffreys-penalized (Firth) fit, whose estimates are reported (irls.py says why)
            result = sm.GLM(events / trials, X, family=sm.families.Binomial(),
                            var_weights=trials * prior).fit()
            params = _firth_or_ml(X, events, trials, prior, np.asarray(result.params, float),
                                  extra_notes)
            share = 1.0 / (1.0 + np.exp(-(X @ params)))
            # the weighted score's terms: prior x (events - trials x share)
            residuals = prior * (events - trials * share)
            weights = prior * trials * share * (1 - share)
            model = (f"binomial GLM, deployments as trials, Williams extra-binomial weights"
                     f" (rho {rho:.3f}), Firth-penalized estimates")
    inference = cr2(X, residuals, codes, weights)
    df = {term: float(inference.df[columns.index(term)]) for term in terms}
    method = (f"{model}, team-clustered CR2 errors, Bell-McCaffrey t("
              + ", ".join(f"{df[term]:.1f}" for term in terms)
              + f" df under a team random intercept of {inference.team_variance_ratio:.2f} x the"
              f" row variance; {frame.n_teams} teams)")
    notes = sorted({*_collect(caught), *extra_notes})
    return FitResult(_t_terms(params, inference.std_errors, columns, terms, df), method,
                     frame.n_teams, frame.n_observations, notes, df)
