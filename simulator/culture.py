"""The generative model's culture layer: the true coefficients, the knobs, and the rates one
team-quarter's latent values imply.

Chain (DESIGN §3): psychological safety and Westrum culture -> learning behaviour -> behaviour
(near misses, proactive issues, reviewing) and delivery (PR cycle time, deploy rate, failure,
recovery). Every number that shapes that chain lives in `TRUE_COEFFICIENTS`; the knobs
(`CultureKnobs`) scale or switch off the culture -> delivery paths, and `Org.ground_truth()`
writes the coefficients in force so the analysis can be checked against them. How the latent
values move from quarter to quarter is in simulator/culture_drift.py.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import numpy as np

TRUE_COEFFICIENTS: dict[str, dict[str, float]] = {
    # westrum = r * safety + sqrt(1 - r^2) * N(0, 1)
    "westrum_given_safety": {"correlation": 0.6},
    # learning = a_safety * safety + a_westrum * westrum + N(0, sd)
    "learning": {"safety": 0.5, "westrum": 0.3, "noise_sd": 0.5},
    # near misses reported per team-month ~ Poisson(exp(intercept + learning * b))
    "near_miss_per_month_log": {"intercept": math.log(1.5), "learning": 0.6},
    # proactive issues (enhancement / tech-debt) per team-month, same form
    "proactive_per_month_log": {"intercept": math.log(3.0), "learning": 0.5},
    # share of the team who review others' PRs = logistic(intercept + learning * b)
    "reviewer_share_logit": {"intercept": 0.4, "learning": 1.0},
    # PR cycle time (first commit -> merge), hours: lognormal(log-median, sd)
    "pr_cycle_log_hours": {"intercept": math.log(20.0), "safety": -0.35, "sd": 0.9},
    # routine production releases per team-week ~ Poisson(exp(intercept + westrum * b))
    "deploys_per_week_log": {"intercept": math.log(3.0), "westrum": 0.35},
    # P(a successful production deployment ships a defect) = logistic(intercept + learning * b)
    "failure_logit": {"intercept": math.log(0.15 / 0.85), "learning": -0.7},
    # hours from a failed deployment's finish to its recovery: lognormal(log-median, sd)
    "recovery_log_hours": {"intercept": math.log(2.0), "learning": -0.4, "sd": 0.9},
    # P(a deployment attempt ends in failure/error status); not culture-driven
    "attempt_failure_probability": {"value": 0.05},
}

DELIVERY_PATHS: dict[str, str] = {
    "pr_cycle_log_hours": "psychological_safety",
    "deploys_per_week_log": "westrum",
    "failure_logit": "learning",
    "recovery_log_hours": "learning",
}
"""Delivery outcome -> the latent driver of its culture coefficient (the b paths to delivery).
`effect_size` multiplies these coefficients and `null` sets them to 0."""

BEHAVIOUR_PATHS: dict[str, str] = {
    "near_miss_per_month_log": "learning",
    "proactive_per_month_log": "learning",
    "reviewer_share_logit": "learning",
}
"""Behaviour -> its latent driver. The knobs never touch these: behaviour always follows
culture, so under `null` reporting still rises with safety while delivery does not move."""

_COEFFICIENT_KEY = {"psychological_safety": "safety", "westrum": "westrum", "learning": "learning"}


@dataclass(frozen=True)
class CultureKnobs:
    """How strongly culture drives delivery, and how latent culture moves over time.

    effect_size: multiplies every culture -> delivery coefficient (1.0 = TRUE_COEFFICIENTS).
    null: culture has no effect on delivery (those coefficients are 0); behaviour still follows.
    within_share: share of the latent variance (total 1) that is within teams, quarter to
        quarter; the rest is the team's stable mean.
    ar1: quarter-to-quarter autocorrelation of the within-team part (stationary AR(1)).
    """

    effect_size: float = 1.0
    null: bool = False
    within_share: float = 0.3
    ar1: float = 0.5

    def __post_init__(self) -> None:
        if not math.isfinite(self.effect_size):
            raise ValueError(f"generate_org: effect_size must be a finite number, got "
                             f"{self.effect_size!r}.")
        if not 0.0 <= self.within_share <= 1.0:
            raise ValueError(f"generate_org: within_share is a share of variance, between 0 and "
                             f"1; got {self.within_share!r}.")
        if not -1.0 < self.ar1 < 1.0:
            raise ValueError(f"generate_org: ar1 must be strictly between -1 and 1 for a "
                             f"stationary AR(1); got {self.ar1!r}.")

    @property
    def delivery_multiplier(self) -> float:
        return 0.0 if self.null else float(self.effect_size)


def coefficients_for(knobs: CultureKnobs) -> dict[str, dict[str, float]]:
    """TRUE_COEFFICIENTS with the culture -> delivery coefficients scaled by the knobs."""
    coefficients = copy.deepcopy(TRUE_COEFFICIENTS)
    for name, driver in DELIVERY_PATHS.items():
        key = _COEFFICIENT_KEY[driver]
        # 0.0 * x would keep a negative zero; the null organization states a plain 0.
        coefficients[name][key] = coefficients[name][key] * knobs.delivery_multiplier + 0.0
    return coefficients


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


@dataclass(frozen=True)
class TeamCulture:
    """One team-quarter's latent values and the behaviour and delivery parameters they imply.

    `reviewers` is who reviews others' PRs that quarter (filled in once the roster is known).
    """

    psychological_safety: float
    westrum: float
    learning: float
    near_miss_per_month: float
    proactive_per_month: float
    reviewer_share: float
    pr_cycle_log_median_hours: float
    deploys_per_week: float
    failure_probability: float
    recovery_log_median_hours: float
    reviewers: tuple[str, ...] = ()


def team_culture(safety: float, westrum: float, learning: float,
                 coefficients: dict[str, dict[str, float]] = TRUE_COEFFICIENTS) -> TeamCulture:
    """The rates that latent (safety, westrum, learning) imply through `coefficients`."""
    c = coefficients
    value = {"safety": safety, "westrum": westrum, "learning": learning}

    def linear(name: str) -> float:
        driver = _COEFFICIENT_KEY[{**DELIVERY_PATHS, **BEHAVIOUR_PATHS}[name]]
        return c[name]["intercept"] + c[name][driver] * value[driver]

    return TeamCulture(
        psychological_safety=safety,
        westrum=westrum,
        learning=learning,
        near_miss_per_month=math.exp(linear("near_miss_per_month_log")),
        proactive_per_month=math.exp(linear("proactive_per_month_log")),
        reviewer_share=_logistic(linear("reviewer_share_logit")),
        pr_cycle_log_median_hours=linear("pr_cycle_log_hours"),
        deploys_per_week=math.exp(linear("deploys_per_week_log")),
        failure_probability=_logistic(linear("failure_logit")),
        recovery_log_median_hours=linear("recovery_log_hours"),
    )


def learning_of(safety: float, westrum: float, noise: float,
                coefficients: dict[str, dict[str, float]] = TRUE_COEFFICIENTS) -> float:
    """learning = a_s * safety + a_w * westrum + noise_sd * noise (noise a standard normal)."""
    lc = coefficients["learning"]
    return lc["safety"] * safety + lc["westrum"] * westrum + lc["noise_sd"] * noise


def draw_team_culture(rng: np.random.Generator,
                      coefficients: dict[str, dict[str, float]] = TRUE_COEFFICIENTS
                      ) -> TeamCulture:
    """One team-quarter drawn from the stationary distribution of the latent values (safety and
    westrum standard normal with the stated correlation), with its rates."""
    safety = float(rng.normal())
    r = coefficients["westrum_given_safety"]["correlation"]
    westrum = r * safety + math.sqrt(1 - r * r) * float(rng.normal())
    learning = learning_of(safety, westrum, float(rng.normal()), coefficients)
    return team_culture(safety, westrum, learning, coefficients)
