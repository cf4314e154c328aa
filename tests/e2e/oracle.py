"""An independent oracle: Candor's DORA metrics per team and period, recomputed in plain Python
straight from the simulator's event log (`simulator.model.Org`), without warehouse, SQL or
connector.

It applies the documented rules (docs/metrics.md) to what the GitHub API would show and never
reads the generator's truth fields, so the end-to-end test can check that the demo's marts agree
with it for every team. `detection_report` compares what the rules find with the planted truth.

    from oracle import OracleRules, recompute
    rows = recompute(org, OracleRules(), period="month")
    rows["payments", date(2026, 3, 1)].change_failure_rate
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
from oracle_chains import ProductionDeployment, repo_teams
from oracle_changes import ShippedChange
from oracle_detection import DetectionReport, detection_report
from oracle_evaluation import Evaluation, evaluate
from oracle_failures import LinkedIncident
from oracle_rules import OracleRules

from simulator.model import Org

__all__ = ["DetectionReport", "Evaluation", "OracleRules", "TeamPeriodMetrics",
           "detection_report", "evaluate", "recompute"]


@dataclass
class TeamPeriodMetrics:
    """One team's metrics for one period (month or ISO week), named as in the marts.

    Rates are None without deployments, medians None without values; hours are floats.
    `per_deployment` ((repo, deployment_id)), `per_change` ((repo, "#N" or sha)) and
    `per_incident` ((repo, number)) hold the detail behind the figures, to explain a mismatch;
    they are left out of equality.
    """

    deployments: int = 0
    deploy_days: int = 0
    deployments_per_day: float | None = None
    failed_deploy_attempts: int = 0
    changes: int = 0
    lead_time_median_hours: float | None = None
    lead_time_p90_hours: float | None = None
    failed_deployments: int = 0
    change_failure_rate: float | None = None
    recovered_failures: int = 0
    recovery_median_hours: float | None = None
    incidents: int = 0
    time_to_restore_median_hours: float | None = None
    rework_deployments: int = 0
    rework_rate: float | None = None
    negative_span_count: int = 0
    changes_with_negative_spans: int = 0
    per_deployment: dict[tuple[str, int], ProductionDeployment] = field(
        default_factory=dict, repr=False, compare=False)
    per_change: dict[tuple[str, str], ShippedChange] = field(
        default_factory=dict, repr=False, compare=False)
    per_incident: dict[tuple[str, int], LinkedIncident] = field(
        default_factory=dict, repr=False, compare=False)


def recompute(org: Org, rules: OracleRules | None = None,
              period: str = "month") -> dict[tuple[str, date], TeamPeriodMetrics]:
    """Metrics per (team, period start): the first day of the month, or the ISO week's Monday.

    Every team owning a repo gets a row for every period from the first to the last period
    holding any fact (deployment, failed attempt, change, incident) of any team.
    """
    if period not in ("month", "week"):
        raise ValueError(f"recompute: period must be 'month' or 'week', not {period!r}.")
    found = evaluate(org, rules)
    facts = [*(d.finished_at for d in found.deployments), *(a.failed_at for a in found.attempts),
             *(c.finished_at for c in found.changes), *(i.created_at for i in found.incidents)]
    if not facts:
        return {}
    starts = _periods(min(facts), max(facts), period)
    rows = {(team, start): TeamPeriodMetrics()
            for team in sorted(set(repo_teams(org).values())) for start in starts}

    def row(team: str, at: datetime) -> TeamPeriodMetrics:
        return rows[team, period_start(at, period)]

    for d in found.deployments:
        row(d.team, d.finished_at).per_deployment[d.repo, d.deployment_id] = d
    for attempt in found.attempts:
        row(attempt.team, attempt.failed_at).failed_deploy_attempts += 1
    for change in found.changes:
        row(change.team, change.finished_at).per_change[change.repo, change.key] = change
    for incident in found.incidents:
        row(incident.team, incident.created_at).per_incident[incident.repo,
                                                             incident.number] = incident
    for (_, start), metrics in rows.items():
        _summarize(metrics, _days_in_period(start, period))
    return rows


def period_start(at: datetime, period: str) -> date:
    day = at.date()
    return day.replace(day=1) if period == "month" else day - timedelta(days=day.weekday())


def _periods(first: datetime, last: datetime, period: str) -> list[date]:
    current, end = period_start(first, period), period_start(last, period)
    starts = [current]
    while current < end:
        current += timedelta(days=_days_in_period(current, period))
        starts.append(current)
    return starts


def _days_in_period(start: date, period: str) -> int:
    if period == "week":
        return 7
    return ((start + timedelta(days=32)).replace(day=1) - start).days


def _summarize(m: TeamPeriodMetrics, days: int) -> None:
    deployments = list(m.per_deployment.values())
    changes = list(m.per_change.values())
    m.deployments = len(deployments)
    m.deploy_days = len({d.finished_at.date() for d in deployments})
    m.failed_deployments = sum(1 for d in deployments if d.failed)
    m.rework_deployments = sum(1 for d in deployments if d.rework)
    if deployments:
        m.deployments_per_day = m.deployments / days
        m.change_failure_rate = m.failed_deployments / m.deployments
        m.rework_rate = m.rework_deployments / m.deployments
    m.changes = len(changes)
    m.negative_span_count = sum(len(c.negative_spans) for c in changes)
    m.changes_with_negative_spans = sum(1 for c in changes if c.negative_spans)
    leads = [c.lead_time_hours for c in changes if c.lead_time_hours is not None]
    m.lead_time_median_hours = _quantile(leads, 50)
    m.lead_time_p90_hours = _quantile(leads, 90)
    recoveries = [d.recovery_hours for d in deployments if d.recovery_hours is not None]
    m.recovered_failures = len(recoveries)
    m.recovery_median_hours = _quantile(recoveries, 50)
    m.incidents = len(m.per_incident)
    restores = [(i.closed_at - i.created_at).total_seconds() / 3600
                for i in m.per_incident.values() if i.closed_at is not None]
    m.time_to_restore_median_hours = _quantile(restores, 50)


def _quantile(values: list[float], percent: float) -> float | None:
    """Continuous quantile (numpy's linear percentile = DuckDB's quantile_cont); None if empty."""
    return float(np.percentile(values, percent)) if values else None
