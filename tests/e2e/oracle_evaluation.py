"""Applies every metric rule to an org, before anything is grouped by team and period."""

from __future__ import annotations

from dataclasses import dataclass

from oracle_chains import (
    FailedAttempt,
    ProductionDeployment,
    failed_attempts,
    production_deployments,
)
from oracle_changes import ShippedChange, shipped_changes
from oracle_failures import (
    LinkedIncident,
    link_incidents,
    mark_deployment_failures,
    mark_fix_forward,
)
from oracle_rules import OracleRules

from simulator.model import Org


@dataclass
class Evaluation:
    """What the rules found in one org: production deployments (in finish order, with their
    change sets, failure provenance, rework reasons and recovery), failed attempts, shipped
    changes and incidents with their links."""

    deployments: list[ProductionDeployment]
    attempts: list[FailedAttempt]
    changes: list[ShippedChange]
    incidents: list[LinkedIncident]


def evaluate(org: Org, rules: OracleRules | None = None) -> Evaluation:
    """Chains and change sets, shipped changes, rollback/revert/hotfix, incident links, rework
    and recovery times."""
    rules = rules or OracleRules()
    deployments = production_deployments(org, rules)
    changes = shipped_changes(org, deployments)
    mark_deployment_failures(org, rules, deployments)
    incidents = link_incidents(org, rules, deployments)
    mark_fix_forward(deployments, incidents)
    by_key = {(i.repo, i.number): i for i in incidents}
    for deployment in deployments:
        deployment.recovery_hours = recovery_hours(
            deployment, [by_key[key] for key in deployment.incidents])
    return Evaluation(deployments, failed_attempts(org, rules), changes, incidents)


def recovery_hours(d: ProductionDeployment, incidents: list[LinkedIncident]) -> float | None:
    """Failed deployment recovery time (docs/metrics.md §5): detection (earliest linked
    incident, else the finish) to recovery (first remediating deployment's finish, else the
    latest linked incident's close once all are closed). None when not failed, unrecovered,
    or negative (the remediation finished before the incident was filed)."""
    if not d.failed:
        return None
    detected = min((i.created_at for i in incidents), default=d.finished_at)
    if d.remediated_by:
        recovered = min(fix.finished_at for fix in d.remediated_by)
    elif incidents and all(i.closed_at is not None for i in incidents):
        recovered = max(i.closed_at for i in incidents)
    else:
        return None
    hours = (recovered - detected).total_seconds() / 3600
    return hours if hours >= 0 else None
