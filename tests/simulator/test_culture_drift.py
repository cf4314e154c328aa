"""Latent culture that moves per quarter: the variance split and AR(1) match the knobs, the null
and effect-size knobs act on delivery only, everything is deterministic per seed, and the
ground truth states every coefficient."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pytest

from connectors.surveys import PSYCHOLOGICAL_SAFETY, WESTRUM
from simulator.context import GenContext
from simulator.culture import TRUE_COEFFICIENTS, CultureKnobs, coefficients_for
from simulator.culture_drift import calendar_quarters, draw_team_series
from simulator.generator import DEFAULT_END, generate_org
from simulator.people import build_org_structure
from simulator.survey_responses import latent_value

START = dt.datetime(2025, 10, 31, tzinfo=dt.UTC)  # the default 12-month window
TEAMS = 4000


def _draw(knobs: CultureKnobs, teams: int = TEAMS, quarters: int = 5) -> dict[str, np.ndarray]:
    """Latent parts of `teams` teams over `quarters` quarters, as arrays (team x quarter)."""
    rng = np.random.default_rng(99)
    grid = calendar_quarters(START.timestamp(), START.timestamp() + quarters * 91 * 86400 - 1)
    grid = grid[:quarters]
    series = [draw_team_series(rng, grid, knobs, coefficients_for(knobs)) for _ in range(teams)]
    return {
        "safety_between": np.array([s.safety_between for s in series]),
        "westrum_between": np.array([s.westrum_between for s in series]),
        "safety_within": np.array([[q.safety_within for q in s.quarters] for s in series]),
        "westrum_within": np.array([[q.westrum_within for q in s.quarters] for s in series]),
        "safety": np.array([[q.culture.psychological_safety for q in s.quarters] for s in series]),
        "westrum": np.array([[q.culture.westrum for q in s.quarters] for s in series]),
        "learning": np.array([[q.culture.learning for q in s.quarters] for s in series]),
    }


def _variance_tolerance(variance: float, n: int) -> float:
    # The sample variance of n normal draws has sd variance * sqrt(2 / (n - 1)); allow 4 sd.
    return 4 * variance * math.sqrt(2 / (n - 1))


def _correlation_tolerance(rho: float, n: int) -> float:
    # The sample correlation has sd about (1 - rho^2) / sqrt(n); allow 4 sd.
    return 4 * (1 - rho * rho) / math.sqrt(n)


@pytest.mark.parametrize(("within_share", "ar1"), [(0.3, 0.5), (0.6, 0.8), (0.1, -0.3)])
def test_variance_split_and_autocorrelation_match_the_knobs(within_share, ar1) -> None:
    drawn = _draw(CultureKnobs(within_share=within_share, ar1=ar1))
    between, within = drawn["safety_between"], drawn["safety_within"]
    assert abs(between.var() - (1 - within_share)) < _variance_tolerance(1 - within_share, TEAMS)
    for quarter in range(within.shape[1]):  # stationary: every quarter has variance w
        column = within[:, quarter]
        assert abs(column.var() - within_share) < _variance_tolerance(within_share, TEAMS)
        total = drawn["safety"][:, quarter]
        assert abs(total.var() - 1.0) < _variance_tolerance(1.0, TEAMS)
        assert abs(drawn["westrum"][:, quarter].var() - 1.0) < _variance_tolerance(1.0, TEAMS)
    for part in ("safety_within", "westrum_within"):
        values = drawn[part]
        lag1 = np.corrcoef(values[:, :-1].ravel(), values[:, 1:].ravel())[0, 1]
        # 4 quarter pairs per team: 4 * TEAMS pairs, not independent within a team, so the
        # tolerance uses TEAMS pairs only (conservative).
        assert abs(lag1 - ar1) < _correlation_tolerance(ar1, TEAMS), (part, lag1)


def test_westrum_correlates_with_safety_in_both_parts_and_learning_has_the_true_slopes() -> None:
    drawn = _draw(CultureKnobs())
    r = TRUE_COEFFICIENTS["westrum_given_safety"]["correlation"]
    between = np.corrcoef(drawn["safety_between"], drawn["westrum_between"])[0, 1]
    within = np.corrcoef(drawn["safety_within"][:, 2], drawn["westrum_within"][:, 2])[0, 1]
    assert abs(between - r) < _correlation_tolerance(r, TEAMS)
    assert abs(within - r) < _correlation_tolerance(r, TEAMS)
    design = np.column_stack([np.ones(drawn["safety"].size), drawn["safety"].ravel(),
                              drawn["westrum"].ravel()])
    (_, a_safety, a_westrum), *_ = np.linalg.lstsq(design, drawn["learning"].ravel(), rcond=None)
    # OLS slope sd ~ noise_sd / sqrt(n * var(x | other)) = 0.5 / sqrt(20000 * 0.64) ~ 0.0045
    assert abs(a_safety - TRUE_COEFFICIENTS["learning"]["safety"]) < 0.03
    assert abs(a_westrum - TRUE_COEFFICIENTS["learning"]["westrum"]) < 0.03


def test_within_share_zero_and_one_are_the_limits() -> None:
    fixed = _draw(CultureKnobs(within_share=0.0), teams=50)
    assert np.all(fixed["safety_within"] == 0.0)
    assert np.all(fixed["safety"] == fixed["safety_between"][:, None])
    moving = _draw(CultureKnobs(within_share=1.0), teams=50)
    assert np.all(moving["safety_between"] == 0.0)


def _structure(**knobs):
    ctx = GenContext(3, START, DEFAULT_END)
    return build_org_structure(ctx, 8, "acme", CultureKnobs(**knobs))[0]


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def test_null_removes_every_culture_effect_on_delivery_but_not_on_behaviour() -> None:
    c = TRUE_COEFFICIENTS
    cultures = [q.culture for t in _structure(null=True) for q in t.culture.quarters]
    assert len({round(x.psychological_safety, 12) for x in cultures}) == len(cultures)
    for x in cultures:
        # with the delivery coefficients 0 each rate is its intercept, whatever the culture
        assert x.pr_cycle_log_median_hours == c["pr_cycle_log_hours"]["intercept"]
        assert x.deploys_per_week == pytest.approx(math.exp(c["deploys_per_week_log"]["intercept"]))
        assert x.failure_probability == pytest.approx(0.15)
        assert x.recovery_log_median_hours == c["recovery_log_hours"]["intercept"]
        # behaviour still follows learning: log(1.5) + 0.6 * learning
        assert math.log(x.near_miss_per_month) == pytest.approx(math.log(1.5) + 0.6 * x.learning)
    org = generate_org(seed=3, teams=2, months=3, null=True)
    assert org.coefficients["failure_logit"]["learning"] == 0.0
    assert org.coefficients["near_miss_per_month_log"]["learning"] == 0.6


def test_effect_size_scales_delivery_coefficients_and_keeps_the_latent_values() -> None:
    c = TRUE_COEFFICIENTS
    base, doubled = _structure(), _structure(effect_size=2.0)
    for team, twin in zip(base, doubled, strict=True):
        assert (team.name, team.members, team.repos) == (twin.name, twin.members, twin.repos)
        for one, two in zip(team.culture.quarters, twin.culture.quarters, strict=True):
            x, y = one.culture, two.culture
            assert (x.psychological_safety, x.westrum, x.learning) == (
                y.psychological_safety, y.westrum, y.learning)
            assert (x.near_miss_per_month, x.reviewers) == (y.near_miss_per_month, y.reviewers)
            # each linear predictor's culture term doubles: predictor - intercept
            pr = c["pr_cycle_log_hours"]["intercept"]
            assert y.pr_cycle_log_median_hours - pr == pytest.approx(
                2 * (x.pr_cycle_log_median_hours - pr))
            deploy = c["deploys_per_week_log"]["intercept"]
            assert math.log(y.deploys_per_week) - deploy == pytest.approx(
                2 * (math.log(x.deploys_per_week) - deploy))
            fail = c["failure_logit"]["intercept"]
            assert _logit(y.failure_probability) - fail == pytest.approx(
                2 * (_logit(x.failure_probability) - fail))
            assert _logit(x.failure_probability) - fail == pytest.approx(-0.7 * x.learning)


def test_reporting_rises_with_safety_while_true_failure_falls() -> None:
    teams = _structure()
    cultures = [q.culture for t in teams for q in t.culture.quarters]
    cultures += [q.culture for t in _structure_many() for q in t.culture.quarters]
    safety = [x.psychological_safety for x in cultures]
    assert np.corrcoef(safety, [x.near_miss_per_month for x in cultures])[0, 1] > 0.3
    assert np.corrcoef(safety, [x.proactive_per_month for x in cultures])[0, 1] > 0.3
    assert np.corrcoef(safety, [x.failure_probability for x in cultures])[0, 1] < -0.3


def _structure_many():
    ctx = GenContext(4, START, DEFAULT_END)
    return build_org_structure(ctx, 300, "acme", CultureKnobs())[0]


def test_events_follow_the_quarter_they_happen_in() -> None:
    """With all variance within teams and a large effect, each team-quarter's median log PR
    cycle time tracks that quarter's planted log-median (slope near 1), which a fixed culture
    per team could not do."""
    org = generate_org(seed=5, teams=4, months=12, within_share=1.0, ar1=0.0, effect_size=3.0)
    planted, observed = [], []
    for team in org.teams:
        for item in team.culture.quarters[1:-1]:  # whole quarters only
            logs = [
                math.log((p.merged_at - org.repos[r].commits[p.commit_shas[0]].authored_at)
                         .total_seconds() / 3600)
                for r in team.repos for p in org.repos[r].pulls
                if p.kind == "feature" and p.merged_at is not None
                and item.quarter.start <= p.merged_at.timestamp() < item.quarter.end
            ]
            planted.append(item.culture.pr_cycle_log_median_hours)
            observed.append(float(np.median(logs)))
    slope = np.polyfit(planted, observed, 1)[0]
    # Each median rests on ~30-60 PRs (sd ~0.2); planted medians spread ~1 on the log scale.
    assert 0.7 < slope < 1.3
    assert np.corrcoef(planted, observed)[0, 1] > 0.8


def test_a_wave_reads_the_quarter_it_closes_in() -> None:
    org = generate_org(seed=3, teams=2, months=3)
    team = org.teams[0]
    for item in team.culture.quarters:
        closes = dt.datetime.fromtimestamp(item.quarter.end - 86400, dt.UTC).date()  # last day
        assert latent_value(team, PSYCHOLOGICAL_SAFETY, closes) == (
            item.culture.psychological_safety)
        assert latent_value(team, WESTRUM, closes) == item.culture.westrum


def test_same_seed_and_knobs_give_the_same_org_and_truth() -> None:
    one = generate_org(seed=9, teams=2, months=3, within_share=0.5, ar1=0.2, effect_size=0.5)
    two = generate_org(seed=9, teams=2, months=3, within_share=0.5, ar1=0.2, effect_size=0.5)
    assert one == two
    assert json.dumps(one.ground_truth(), sort_keys=True) == json.dumps(
        two.ground_truth(), sort_keys=True)
    other = generate_org(seed=9, teams=2, months=3, within_share=0.5, ar1=0.7, effect_size=0.5)
    assert [t.members for t in other.teams] == [t.members for t in one.teams]
    assert other.teams[0].culture != one.teams[0].culture


@pytest.mark.parametrize("bad", [{"within_share": 1.5}, {"ar1": 1.0}, {"effect_size": math.inf},
                                 {"activity": 0.0}])
def test_bad_knobs_are_refused_naming_the_knob(bad) -> None:
    with pytest.raises(ValueError, match=next(iter(bad))):
        generate_org(teams=1, months=1, **bad)


def test_ground_truth_states_every_coefficient_path_and_team_quarter() -> None:
    org = generate_org(seed=3, teams=2, months=12, effect_size=2.0)
    truth = json.loads(json.dumps(org.ground_truth()))
    assert truth["knobs"] == {"effect_size": 2.0, "null": False, "within_share": 0.3,
                              "ar1": 0.5, "activity": 1.0}
    assert truth["base_coefficients"]["failure_logit"]["learning"] == -0.7
    assert truth["coefficients"]["failure_logit"]["learning"] == -1.4
    paths = {(p["from"], p["to"]): p["coefficient"] for p in truth["structural_paths"]}
    assert paths[("psychological_safety", "learning")] == 0.5
    assert paths[("westrum", "learning")] == 0.3
    assert paths[("psychological_safety", "westrum")] == 0.6
    assert paths[("learning", "near_miss_per_month_log")] == 0.6  # behaviour: not scaled
    assert paths[("learning", "failure_logit")] == -1.4
    assert paths[("psychological_safety", "pr_cycle_log_hours")] == pytest.approx(-0.7)
    assert paths[("westrum", "deploys_per_week_log")] == pytest.approx(0.7)
    assert paths[("learning", "recovery_log_hours")] == pytest.approx(-0.8)
    mediation = {(m["outcome"], m["exposure"]): m for m in truth["mediation"]}
    failure = mediation[("failure_logit", "psychological_safety")]
    # a = 0.5, b = -1.4: a*b = -0.7; a_total = 0.5 + 0.6 * 0.3 = 0.68, total = 0.68 * -1.4
    assert failure["indirect_ab"] == pytest.approx(-0.7)
    assert failure["total"] == pytest.approx(0.68 * -1.4)
    deploys = mediation[("deploys_per_week_log", "psychological_safety")]
    assert (deploys["indirect_ab"], deploys["direct"]) == (0.0, pytest.approx(0.6 * 0.7))
    process = truth["latent_process"]
    assert process["quarters"] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert (process["within_share"], process["ar1"], process["within_equals_between"]) == (
        0.3, 0.5, True)
    # learning signal variance 0.25 + 0.09 + 2 * 0.5 * 0.3 * 0.6 = 0.52; noise 0.25 is within
    assert process["learning_variance"]["between"] == pytest.approx(0.7 * 0.52)
    assert process["learning_variance"]["within"] == pytest.approx(0.3 * 0.52 + 0.25)
    rows = truth["team_quarters"]
    assert len(rows) == 2 * 5
    first = org.teams[0].culture.quarters[0]
    assert rows[0]["psychological_safety"] == pytest.approx(
        rows[0]["psychological_safety_between"] + rows[0]["psychological_safety_within"])
    assert rows[0]["failure_probability"] == first.culture.failure_probability
    assert "within- and between-team effects are equal" in process["within_between_text"]
