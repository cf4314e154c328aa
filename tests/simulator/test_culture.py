"""The culture layer draws latent values with the correlations and slopes it claims."""

from __future__ import annotations

import math

import numpy as np

from simulator.culture import TRUE_COEFFICIENTS, draw_team_culture


def _draws(count: int) -> list:
    rng = np.random.default_rng(2024)
    return [draw_team_culture(rng) for _ in range(count)]


def test_westrum_correlates_with_safety_at_the_stated_r() -> None:
    teams = _draws(4000)
    safety = np.array([t.psychological_safety for t in teams])
    westrum = np.array([t.westrum for t in teams])
    # sampling sd of r at n = 4000 is about (1 - 0.36) / sqrt(4000) = 0.01
    assert abs(np.corrcoef(safety, westrum)[0, 1] - 0.6) < 0.04
    assert abs(westrum.std() - 1.0) < 0.05  # westrum stays standardized


def test_learning_regresses_on_safety_and_westrum_with_the_true_slopes() -> None:
    teams = _draws(4000)
    design = np.column_stack([np.ones(len(teams)), [t.psychological_safety for t in teams],
                              [t.westrum for t in teams]])
    learning = np.array([t.learning for t in teams])
    (_, b_safety, b_westrum), *_ = np.linalg.lstsq(design, learning, rcond=None)
    true = TRUE_COEFFICIENTS["learning"]
    assert abs(b_safety - true["safety"]) < 0.05
    assert abs(b_westrum - true["westrum"]) < 0.05


def test_delivery_parameters_move_in_the_stated_directions() -> None:
    teams = sorted(_draws(400), key=lambda t: t.learning)
    low, high = teams[:100], teams[-100:]

    def mean(group, name):
        return sum(getattr(t, name) for t in group) / len(group)

    assert mean(high, "failure_probability") < mean(low, "failure_probability")
    assert mean(high, "near_miss_per_month") > mean(low, "near_miss_per_month")
    assert mean(high, "reviewer_share") > mean(low, "reviewer_share")
    assert mean(high, "recovery_log_median_hours") < mean(low, "recovery_log_median_hours")
    # exact form for one team: log-median PR cycle = log(20) - 0.35 * safety
    team = teams[0]
    assert math.isclose(team.pr_cycle_log_median_hours,
                        math.log(20.0) - 0.35 * team.psychological_safety)
