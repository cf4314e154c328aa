"""How large an effect the study could have found: the power line of every result.

The minimum detectable correlation at 80 % power, two-sided alpha = 0.05, of the test the row
actually reports: a t-test of the coefficient with the term's own degrees of freedom
(Bell-McCaffrey, models/analysis/small_sample.py), on as many units as the estimand has. For a
correlation r over n units the t statistic is r sqrt(n - 2) / sqrt(1 - r^2); the power is that
of a noncentral t with this noncentrality, read against the t quantiles of the term's degrees of
freedom, and the line is the r at which it reaches 80 %. With df = n - 2 (independent units)
this is the exact power of the correlation test: 30 teams give 0.49, the value of reference
statistics §8 (pingouin.power_corr). A between-team term of 32 teams with 10 degrees of freedom
needs r >= 0.49 instead of 0.47: the heavier tails of t(10) cost power that a count of teams
hides.

Between-team effects have as many units as teams; within-team effects have the waves'
deviations from their team means, n_observations - n_teams of them (approximate: waves of one
team are not fully independent; their degrees of freedom carry that).
"""

from __future__ import annotations

import math

from scipy import optimize, stats

POWER, ALPHA = 0.80, 0.05


def min_detectable_r(units: int, df: float | None = None, power: float = POWER,
                     alpha: float = ALPHA) -> float | None:
    """Smallest |r| found with `power` from `units` units by a t-test with `df` degrees of
    freedom (default units - 2); None below 4 units or without usable degrees of freedom."""
    df = units - 2 if df is None else df
    if units < 4 or not math.isfinite(df) or df < 1:
        return None
    critical = stats.t.ppf(1 - alpha / 2, df)

    def shortfall(shift: float) -> float:
        # the far tail (rejecting on the wrong side) is below 1e-15 where scipy returns NaN
        wrong_side = float(stats.nct.cdf(-critical, df, shift))
        reached = float(stats.nct.sf(critical, df, shift)) + (
            wrong_side if math.isfinite(wrong_side) else 0.0)
        return reached - power

    # the noncentrality that reaches `power`: alpha at 0, rising; 80% by 40 even for df = 1
    shift = optimize.brentq(shortfall, 0.0, 40.0, xtol=1e-8)
    return float(shift / math.sqrt(shift * shift + units - 2))


def units_for(estimand: str, n_teams: int, n_observations: int) -> int:
    """Independent units behind an estimand (see the module docstring)."""
    return n_observations - n_teams if estimand == "within" else n_teams
