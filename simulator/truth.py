"""The ground truth of a simulated org: every true coefficient, the knobs, the latent process,
each team-quarter's latent values and rates, and what was planted per team.

`Org.ground_truth()` returns this as JSON data. Coefficient scales: `learning`, safety and
Westrum are standardized latent scores (sd 1 across team-quarters); a delivery or behaviour
coefficient is the change of its linear predictor (log rate, logit or log hours, see
`MODEL_DESCRIPTION`) per unit of its driver.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from simulator.culture import BEHAVIOUR_PATHS, DELIVERY_PATHS, TRUE_COEFFICIENTS
from simulator.model import Org, Team

MODEL_DESCRIPTION = {
    "chain": "psychological_safety & westrum -> learning -> behaviour -> delivery; every rate "
             "follows the team's latent values of the calendar quarter the event happens in",
    "latent_process": "safety_tq = S_t + s_tq with S_t ~ N(0, 1 - within_share) and s_tq a "
                      "stationary AR(1) (autocorrelation ar1, variance within_share); westrum "
                      "likewise, correlated with safety at r in both parts (culture_drift.py)",
    "westrum_given_safety": "westrum = r*safety + sqrt(1-r^2)*N(0,1), in the between part and "
                            "in the within part separately",
    "learning": "learning_tq = safety_tq*b_s + westrum_tq*b_w + N(0, noise_sd), noise fresh "
                "each team-quarter",
    "near_miss_per_month_log": "near misses per team-month ~ Poisson(exp(intercept + b*learning))",
    "proactive_per_month_log": "enhancement/tech-debt issues per team-month, same form",
    "reviewer_share_logit": "share of members who review that quarter = logistic(intercept + "
                            "b*learning); reviewers are the first of a fixed per-team order",
    "pr_cycle_log_hours": "log hours first commit -> merge ~ N(intercept + b*safety, sd), "
                          "safety of the quarter the PR resolves in",
    "deploys_per_week_log": "routine releases per team-week ~ Poisson(exp(intercept + b*westrum))"
                            " (each goes to every production environment of the repo)",
    "failure_logit": "P(release ships a defect) = logistic(intercept + b*learning), learning of "
                     "the release's quarter",
    "recovery_log_hours": "log hours failed deploy finish -> remediation ~ N(intercept + "
                          "b*learning, sd); the remediating deploy adds a few minutes",
    "attempt_failure_probability": "P(a deployment attempt ends failure/error), then retried",
    "survey": "survey answers read the latent value of the quarter the wave closes in "
              "(simulator/survey_responses.py)",
}

_KEY = {"psychological_safety": "safety", "westrum": "westrum", "learning": "learning"}
_SCALE = {
    "near_miss_per_month_log": "log near misses per team-month",
    "proactive_per_month_log": "log proactive issues per team-month",
    "reviewer_share_logit": "logit of the share of members who review",
    "pr_cycle_log_hours": "log hours of PR cycle time (median)",
    "deploys_per_week_log": "log routine releases per team-week",
    "failure_logit": "logit P(a release ships a defect)",
    "recovery_log_hours": "log hours to recovery (median)",
}


def ground_truth(org: Org) -> dict[str, Any]:
    return {
        "org": org.name,
        "seed": org.seed,
        "start": org.start.isoformat(),
        "end": org.end.isoformat(),
        "knobs": {**asdict(org.knobs), "activity": org.activity},
        "coefficients": org.coefficients,
        "base_coefficients": TRUE_COEFFICIENTS,
        "structural_paths": structural_paths(org.coefficients),
        "mediation": mediation_products(org.coefficients),
        "latent_process": latent_process(org),
        "model": MODEL_DESCRIPTION,
        "team_quarters": [row for t in org.teams for row in _team_quarters(t)],
        "teams": [_team_truth(org, t) for t in org.teams],
    }


def structural_paths(c: dict[str, dict[str, float]]) -> list[dict[str, Any]]:
    """Every causal arrow of the generator with its coefficient (the knobs applied)."""
    lc = c["learning"]
    paths = [
        {"path": "r", "from": "psychological_safety", "to": "westrum",
         "coefficient": c["westrum_given_safety"]["correlation"], "scale": "sd per sd",
         "enters": "westrum = r*safety + sqrt(1-r^2)*N(0,1), per part (between, within)"},
        {"path": "a", "from": "psychological_safety", "to": "learning",
         "coefficient": lc["safety"], "scale": "learning per sd of safety, westrum held fixed",
         "enters": "learning = a_s*safety + a_w*westrum + N(0, noise_sd)"},
        {"path": "a", "from": "westrum", "to": "learning", "coefficient": lc["westrum"],
         "scale": "learning per sd of westrum, safety held fixed",
         "enters": "learning = a_s*safety + a_w*westrum + N(0, noise_sd)"},
    ]
    for outcome, driver in {**BEHAVIOUR_PATHS, **DELIVERY_PATHS}.items():
        paths.append({
            "path": "b", "from": driver, "to": outcome,
            "kind": "behaviour" if outcome in BEHAVIOUR_PATHS else "delivery",
            "coefficient": c[outcome][_KEY[driver]], "scale": f"{_SCALE[outcome]} per unit "
            f"of {driver}", "enters": MODEL_DESCRIPTION[outcome]})
    return paths


def mediation_products(c: dict[str, dict[str, float]]) -> list[dict[str, Any]]:
    """Per outcome and exposure: a, b, the indirect effect a*b through learning, the direct
    effect (not through learning) and the total, all on the outcome's linear-predictor scale.

    `a` holds the other culture score fixed (the a path); `a_total` for safety adds the path
    through westrum (the generator draws westrum from safety: a_s + r*a_w). The direct effect of
    safety on deploys runs through westrum (r*c_w); on PR cycle time it is c_s itself.
    """
    r = c["westrum_given_safety"]["correlation"]
    a_s, a_w = c["learning"]["safety"], c["learning"]["westrum"]
    rows = []
    for outcome, driver in {**BEHAVIOUR_PATHS, **DELIVERY_PATHS}.items():
        b = c[outcome][_KEY[driver]]
        via_learning = b if driver == "learning" else 0.0
        for exposure, a, a_total in (("psychological_safety", a_s, a_s + r * a_w),
                                     ("westrum", a_w, a_w)):
            if driver == "learning":
                direct = 0.0
            elif driver == exposure:
                direct = b
            else:  # deploys driven by westrum, exposure safety: through westrum
                direct = r * b if exposure == "psychological_safety" else 0.0
            rows.append({
                "outcome": outcome, "exposure": exposure, "mediator": "learning",
                "a": a, "b": via_learning, "indirect_ab": a * via_learning,
                "a_total": a_total, "indirect_total": a_total * via_learning,
                "direct": direct, "total": a_total * via_learning + direct,
                "scale": _SCALE[outcome]})
    return rows


def latent_process(org: Org) -> dict[str, Any]:
    """The variance split and AR(1) of the latent values, and what they imply for learning."""
    knobs, c = org.knobs, org.coefficients
    w, rho = knobs.within_share, knobs.ar1
    r = c["westrum_given_safety"]["correlation"]
    a_s, a_w, sd = c["learning"]["safety"], c["learning"]["westrum"], c["learning"]["noise_sd"]
    # var(a_s*S + a_w*W) for unit-variance S, W with correlation r, split by w; noise is fresh
    # each team-quarter, so all of it is within-team and none of it carries over quarters.
    signal = a_s * a_s + a_w * a_w + 2 * a_s * a_w * r
    within = w * signal + sd * sd
    quarters = org.teams[0].culture.quarters if org.teams else ()
    return {
        "unit": "team x calendar quarter",
        "quarters": [q.quarter.name for q in quarters],
        "within_share": w,
        "between_share": 1 - w,
        "ar1": rho,
        "westrum_safety_correlation": r,
        "total_variance": 1.0,
        "learning_variance": {"between": (1 - w) * signal, "within": within,
                              "within_lag1_autocorrelation": rho * w * signal / within
                              if within else 0.0},
        "within_equals_between": True,
        "within_between_text": (
            "One coefficient maps a team-quarter's latent values to its rates, whether the value "
            "differs between teams (team means) or within a team over quarters (deviations): "
            "the structural within- and between-team effects are equal. Estimates can still "
            "differ: survey means read the latent values with noise (attenuation differs per "
            "part), and a window after a wave sees the next quarter, which keeps only ar1 of "
            "the wave quarter's within-team deviation."),
    }


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def _team_quarters(team: Team) -> list[dict[str, Any]]:
    rows = []
    for item in team.culture.quarters:
        culture = item.culture
        rows.append({
            "team": team.name, "quarter": item.quarter.name,
            "quarter_start": _iso(item.quarter.start), "quarter_end": _iso(item.quarter.end),
            "psychological_safety": culture.psychological_safety,
            "psychological_safety_between": team.culture.safety_between,
            "psychological_safety_within": item.safety_within,
            "westrum": culture.westrum, "westrum_between": team.culture.westrum_between,
            "westrum_within": item.westrum_within,
            "learning": culture.learning,
            "near_miss_per_month": culture.near_miss_per_month,
            "proactive_per_month": culture.proactive_per_month,
            "reviewer_share": culture.reviewer_share,
            "reviewers": list(culture.reviewers),
            "pr_cycle_log_median_hours": culture.pr_cycle_log_median_hours,
            "deploys_per_week": culture.deploys_per_week,
            "failure_probability": culture.failure_probability,
            "recovery_log_median_hours": culture.recovery_log_median_hours,
        })
    return rows


def _team_truth(org: Org, team: Team) -> dict[str, Any]:
    repos = [org.repos[name] for name in team.repos]
    deployments = [d for r in repos for d in r.deployments if d.production]
    pulls = [p for r in repos for p in r.pulls]
    issues = [i for r in repos for i in r.issues]
    remediations = Counter(d.remediation for d in deployments if d.change_failure)
    incidents = [i for i in issues if i.kind == "incident"]
    return {
        "name": team.name,
        "members": len(team.members),
        "repos": list(team.repos),
        "production_environments": list(team.production_environments),
        "latent_between": {"psychological_safety": team.culture.safety_between,
                           "westrum": team.culture.westrum_between},
        "planted": {
            "pull_requests": len(pulls),
            "merged_pull_requests": sum(p.merged_at is not None for p in pulls),
            "production_deployments": sum(d.succeeded for d in deployments),
            "failed_attempts": sum(not d.succeeded and bool(d.statuses) and
                                   d.statuses[-1].state in ("failure", "error")
                                   for d in deployments),
            "change_failures": sum(remediations.values()),
            "remediations": dict(sorted(remediations.items())),
            "incidents_caused_by_deployments": sum(bool(i.caused_by_deployment_ids)
                                                   for i in incidents),
            "incidents_with_explicit_sha": sum(i.mentions_sha for i in incidents),
            "incidents_unrelated": sum(not i.caused_by_deployment_ids for i in incidents),
            "near_misses": sum(i.kind == "near-miss" for i in issues),
            "proactive_issues": sum(i.kind == "proactive" for i in issues),
        },
    }
