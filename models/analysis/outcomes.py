"""The five DORA outcomes of the panel and how each is modelled (reference statistics §9).

Each outcome names its panel columns without the window prefix (`lag_` / `con_`), its family
and the rule that keeps a team-wave in its model.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    """One delivery outcome of the team-wave panel.

    family: "log_median" (linear model of log(median hours)), "count" (Poisson with the
    window's covered days as exposure) or "binomial" (events out of deployments as trials).
    value / n: the median and the number of values it came from (log_median);
    events / trials: numerator and denominator (binomial); events / exposure (count).
    min_n: smallest n (log_median) or trials (binomial) for a team-wave to enter the model.
    higher_is_better: how a positive effect reads in plain words.
    """

    name: str
    label: str
    family: str
    value: str | None = None
    n: str | None = None
    events: str | None = None
    trials: str | None = None
    min_n: int = 1
    higher_is_better: bool = False


LEAD_TIME = Outcome("lead_time", "median lead time for changes", "log_median",
                    value="lead_time_median_hours", n="lead_time_n", min_n=3)
RECOVERY = Outcome("recovery_time", "median failed deployment recovery time", "log_median",
                   value="recovery_median_hours", n="recovery_n", min_n=3)
DEPLOYMENTS = Outcome("deployment_frequency", "deployments per day", "count",
                      events="deployments", higher_is_better=True)
CHANGE_FAILURE = Outcome("change_failure_rate", "change failure rate", "binomial",
                         events="failed_deployments", trials="deployments")
REWORK = Outcome("rework_rate", "deployment rework rate", "binomial",
                 events="rework_deployments", trials="deployments")

OUTCOMES: tuple[Outcome, ...] = (LEAD_TIME, DEPLOYMENTS, CHANGE_FAILURE, RECOVERY, REWORK)

WINDOWS = {"lag": "lagged", "con": "concurrent"}

PREDICTOR_LABELS = {
    "psysafe": "psychological safety",
    "westrum": "generative (Westrum) culture",
}


def outcome_named(name: str) -> Outcome:
    return next(outcome for outcome in OUTCOMES if outcome.name == name)
