"""How well the documented rules find the failures the generator planted: a figure for the
closing note (precision/recall), not something the rules can get perfectly right.

This is the only part of the oracle that reads the truth fields (`Deployment.change_failure`,
`Deployment.remediation`, `Issue.caused_by_deployment_ids`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from oracle_evaluation import evaluate
from oracle_rules import OracleRules

from simulator.model import Org


@dataclass
class DetectionReport:
    """Failed-deployment detection against the planted change failures, and incident links
    against the planted causes.

    `by_provenance[p]` = (deployments the rule `p` marked failed, of which truly failed);
    `recall_by_remediation[r]` = (planted failures remediated by `r`, of which detected);
    `links[m]` = (incidents linked by method `m`, of which linked to a deployment that truly
    caused them); `caused_unlinked` = incidents with a planted cause left unlinked;
    `unrelated_linked` = incidents without a planted cause that were linked all the same.
    """

    true_failures: int
    detected: int
    true_positives: int
    by_provenance: dict[str, tuple[int, int]] = field(default_factory=dict)
    recall_by_remediation: dict[str, tuple[int, int]] = field(default_factory=dict)
    links: dict[str, tuple[int, int]] = field(default_factory=dict)
    caused_unlinked: int = 0
    unrelated_linked: int = 0

    @property
    def precision(self) -> float | None:
        return self.true_positives / self.detected if self.detected else None

    @property
    def recall(self) -> float | None:
        return self.true_positives / self.true_failures if self.true_failures else None

    def __str__(self) -> str:
        lines = [f"failed-deployment detection: precision {_ratio(self.precision)} "
                 f"({self.true_positives}/{self.detected}), recall {_ratio(self.recall)} "
                 f"({self.true_positives}/{self.true_failures})"]
        lines += [f"  rule {p}: {n} marked, {ok} truly failed"
                  for p, (n, ok) in sorted(self.by_provenance.items())]
        lines += [f"  planted {r}: {found}/{n} detected"
                  for r, (n, found) in sorted(self.recall_by_remediation.items())]
        lines += [f"incident links {m}: {ok}/{n} to the deployment that caused it"
                  for m, (n, ok) in sorted(self.links.items())]
        lines.append(f"incidents with a planted cause left unlinked: {self.caused_unlinked}; "
                     f"incidents without a cause linked anyway: {self.unrelated_linked}")
        return "\n".join(lines)


def detection_report(org: Org, rules: OracleRules | None = None) -> DetectionReport:
    found = evaluate(org, rules)
    truth = {(d.repo, d.deployment_id): d for r in org.repos.values() for d in r.deployments}
    failed = {key for key, d in truth.items() if d.change_failure and d.succeeded}
    production = {(d.repo, d.deployment_id) for d in found.deployments}
    failed &= production  # a planted failure outside the team repos cannot be measured
    detected = {(d.repo, d.deployment_id) for d in found.deployments if d.failed}
    report = DetectionReport(len(failed), len(detected), len(failed & detected))
    marked: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    for d in found.deployments:
        for provenance in d.failed:
            marked[provenance] += 1
            correct[provenance] += (d.repo, d.deployment_id) in failed
    report.by_provenance = {p: (marked[p], correct[p]) for p in marked}
    planted: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    for key in failed:
        remediation = truth[key].remediation or "unknown"
        planted[remediation] += 1
        caught[remediation] += key in detected
    report.recall_by_remediation = {r: (planted[r], caught[r]) for r in planted}
    causes = {(i.repo, i.number): set(i.caused_by_deployment_ids)
              for r in org.repos.values() for i in r.issues}
    linked: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for incident in found.incidents:
        cause = causes[incident.repo, incident.number]
        if incident.method is None:
            report.caused_unlinked += bool(cause)
            continue
        linked[incident.method] += 1
        right[incident.method] += incident.deployment.deployment_id in cause
        report.unrelated_linked += not cause
    report.links = {m: (linked[m], right[m]) for m in linked}
    return report


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
