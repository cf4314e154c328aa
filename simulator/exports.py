"""What the simulated org tells the rest of Candor: a demo config and the ground truth."""

from __future__ import annotations

from collections import Counter
from typing import Any

from simulator.model import Org, Team

MODEL_DESCRIPTION = {
    "chain": "psychological_safety & westrum -> learning -> behaviour -> delivery",
    "westrum_given_safety": "westrum = r*safety + sqrt(1-r^2)*N(0,1)",
    "learning": "learning = safety*b_s + westrum*b_w + N(0, noise_sd)",
    "near_miss_per_month_log": "near misses per team-month ~ Poisson(exp(intercept + b*learning))",
    "proactive_per_month_log": "enhancement/tech-debt issues per team-month, same form",
    "reviewer_share_logit": "share of members who review = logistic(intercept + b*learning)",
    "pr_cycle_log_hours": "log hours first commit -> merge ~ N(intercept + b*safety, sd)",
    "deploys_per_week_log": "routine releases per team-week ~ Poisson(exp(intercept + b*westrum))"
                            " (each goes to every production environment of the repo)",
    "failure_logit": "P(release ships a defect) = logistic(intercept + b*learning)",
    "recovery_log_hours": "log hours failed deploy finish -> remediation ~ N(intercept + "
                          "b*learning, sd); the remediating deploy adds a few minutes",
    "attempt_failure_probability": "P(a deployment attempt ends failure/error), then retried",
}


def demo_config(org: Org) -> dict[str, Any]:
    """`teams:` and `rules.repo_rules` for candor.yaml. The default production regex
    `(?i)^(production|prod-.+)$` matches every production environment here (production,
    prod-eu, prod-us) and not `staging`, so no repo needs an override."""
    return {
        "teams": [{"name": t.name, "members": {"github": list(t.members)},
                   "repos": {"github": list(t.repos)}} for t in org.teams],
        "rules": {"repo_rules": {}},
    }


def ground_truth(org: Org) -> dict[str, Any]:
    return {
        "org": org.name,
        "seed": org.seed,
        "start": org.start.isoformat(),
        "end": org.end.isoformat(),
        "coefficients": org.coefficients,
        "model": MODEL_DESCRIPTION,
        "teams": [_team_truth(org, t) for t in org.teams],
    }


def _team_truth(org: Org, team: Team) -> dict[str, Any]:
    repos = [org.repos[name] for name in team.repos]
    deployments = [d for r in repos for d in r.deployments if d.production]
    pulls = [p for r in repos for p in r.pulls]
    issues = [i for r in repos for i in r.issues]
    remediations = Counter(d.remediation for d in deployments if d.change_failure)
    incidents = [i for i in issues if i.kind == "incident"]
    latent = {k: getattr(team, k) for k in (
        "psychological_safety", "westrum", "learning", "near_miss_per_month",
        "proactive_per_month", "reviewer_share", "pr_cycle_log_median_hours",
        "deploys_per_week", "failure_probability", "recovery_log_median_hours")}
    return {
        "name": team.name,
        "members": len(team.members),
        "reviewers": list(team.reviewers),
        "repos": list(team.repos),
        "production_environments": list(team.production_environments),
        "latent": latent,
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
