"""How well marts.incidents links incidents to the deployments that caused them, scored against
the generator's truth (which the models never see): per source and link method.

Truth: an incident the generator planted for a bad deployment lists every production
deployment that shipped the defect (`caused_by_deployment_ids`, one per environment), and says
whether its text names the deployed sha (`mentions_sha`); every other incident (background
incidents, provider outages) has no cause. A PagerDuty incident mirrors a GitHub incident issue
(`source_issue`) and has its truth.

- **precision** of a method: of the incidents it linked, the share linked to one of their true
  causes;
- **recall** of explicit: of the caused incidents whose text names the sha, the share linked
  explicitly to a true cause; of time_window: of the caused incidents that name nothing, the
  share linked by time window to a true cause.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from simulator.model import Org
from simulator.pagerduty_world import PagerDutyWorld


@dataclass(frozen=True)
class Truth:
    causes: frozenset[int]  # deployment ids; empty: caused by no change
    names_cause: bool  # its text names the deployed sha


@dataclass(frozen=True)
class Score:
    linked: int
    correct: int
    eligible: int  # incidents the method should link
    found: int  # of those, linked by the method to a true cause

    @property
    def precision(self) -> float | None:
        return self.correct / self.linked if self.linked else None

    @property
    def recall(self) -> float | None:
        return self.found / self.eligible if self.eligible else None


def truths(org: Org, world: PagerDutyWorld | None) -> dict[tuple[str, str], Truth]:
    """(source, incident_id as marts.incidents writes it) -> truth."""
    out: dict[tuple[str, str], Truth] = {}
    by_issue = {}
    for repo in org.repos.values():
        for issue in repo.issues:
            truth = Truth(frozenset(issue.caused_by_deployment_ids), issue.mentions_sha)
            by_issue[f"{issue.repo}#{issue.number}"] = truth
            # one issue, whichever repository source served it
            out[("github", f"{issue.repo}#{issue.number}")] = truth
            out[("gitlab", f"{issue.repo}#{issue.number}")] = truth
    if world is not None:
        for incident in world.incidents:
            truth = by_issue.get(incident.source_issue or "", Truth(frozenset(), False))
            out[("pagerduty", f"{incident.service_id}#{incident.number}")] = truth
    return out


def score_links(con: duckdb.DuckDBPyConnection, org: Org, world: PagerDutyWorld | None
                ) -> dict[tuple[str, str], Score]:
    """(source, method) -> Score, for explicit and time_window."""
    truth = truths(org, world)
    rows = con.execute("""
        select source, incident_id, link_method, linked_deployment_id
        from marts.incidents where not is_near_miss and duplicate_of_id is null""").fetchall()
    scores = {}
    for source in sorted({row[0] for row in rows}):
        mine = [row for row in rows if row[0] == source]
        for method, wants in (("explicit", True), ("time_window", False)):
            linked = [row for row in mine if row[2] == method]
            correct = sum(row[3] in truth[(source, row[1])].causes for row in linked)
            eligible = [row for row in mine if truth[(source, row[1])].causes
                        and truth[(source, row[1])].names_cause == wants]
            found = sum(row[2] == method and row[3] in truth[(source, row[1])].causes
                        for row in eligible)
            scores[(source, method)] = Score(len(linked), correct, len(eligible), found)
    return scores


def report(scores: dict[tuple[str, str], Score]) -> list[str]:
    """One printed line per (source, method)."""
    def share(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    return [f"{source:<10} {method:<12} precision {share(s.precision)} ({s.correct}/{s.linked})"
            f"  recall {share(s.recall)} ({s.found}/{s.eligible})"
            for (source, method), s in sorted(scores.items())]
