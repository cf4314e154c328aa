"""The generative model's culture layer: latent team values and the true coefficients.

Chain (DESIGN §3): psychological safety and Westrum culture -> learning behaviour -> delivery.
Every number that shapes that chain lives in `TRUE_COEFFICIENTS`, which `Org.ground_truth()`
writes out so the analysis can be checked against it.
"""

from __future__ import annotations

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


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


@dataclass(frozen=True)
class TeamCulture:
    """One team's latent values and the behaviour and delivery parameters they imply."""

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


def draw_team_culture(rng: np.random.Generator) -> TeamCulture:
    """Draw latent values for one team and derive its rates through `TRUE_COEFFICIENTS`."""
    c = TRUE_COEFFICIENTS
    safety = float(rng.normal())
    r = c["westrum_given_safety"]["correlation"]
    westrum = r * safety + math.sqrt(1 - r * r) * float(rng.normal())
    lc = c["learning"]
    learning = lc["safety"] * safety + lc["westrum"] * westrum + lc["noise_sd"] * float(
        rng.normal()
    )

    def loglinear(name: str, driver: str, value: float) -> float:
        return c[name]["intercept"] + c[name][driver] * value

    return TeamCulture(
        psychological_safety=safety,
        westrum=westrum,
        learning=learning,
        near_miss_per_month=math.exp(loglinear("near_miss_per_month_log", "learning", learning)),
        proactive_per_month=math.exp(loglinear("proactive_per_month_log", "learning", learning)),
        reviewer_share=_logistic(loglinear("reviewer_share_logit", "learning", learning)),
        pr_cycle_log_median_hours=loglinear("pr_cycle_log_hours", "safety", safety),
        deploys_per_week=math.exp(loglinear("deploys_per_week_log", "westrum", westrum)),
        failure_probability=_logistic(loglinear("failure_logit", "learning", learning)),
        recovery_log_median_hours=loglinear("recovery_log_hours", "learning", learning),
    )
