"""How large an effect the study could have found: the power line of every result.

The minimum detectable correlation at 80 % power, two-sided alpha = 0.05, from Fisher's z
approximation: r = tanh((z_{1-alpha/2} + z_{power}) / sqrt(n - 3)). For 30 teams it gives 0.49,
the value of reference statistics §8 (pingouin.power_corr, exact). Between-team effects have as
many units as teams; within-team effects have the waves' deviations from their team means,
n_observations - n_teams of them (approximate: waves of one team are not fully independent).
"""

from __future__ import annotations

import math

from scipy import stats

POWER, ALPHA = 0.80, 0.05


def min_detectable_r(units: int, power: float = POWER, alpha: float = ALPHA) -> float | None:
    """Smallest |r| detected with the given power from `units` independent units; None below 4."""
    if units < 4:
        return None
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    return math.tanh(z / math.sqrt(units - 3))


def units_for(estimand: str, n_teams: int, n_observations: int) -> int:
    """Independent units behind an estimand (see the module docstring)."""
    return n_observations - n_teams if estimand == "within" else n_teams
