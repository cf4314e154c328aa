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
  explicitly to a true cause; of revert and rollback: of the caused incidents that name
  nothing and whose defect was reverted (rolled back) before the window's end, the share
  linked by that method to a true cause; of time_window: of the other caused incidents that
  name nothing (hotfixed, fixed forward, or remediated after the window), the share linked
  by time window to a true cause;
- **whole**: of the right links, the share whose linked deployments hold every true cause (a
  release in two regions fails in both).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from simulator.model import Org
from simulator.pagerduty_world import PagerDutyWorld

METHODS = ("explicit", "revert", "rollback", "time_window")


@dataclass(frozen=True)
class Truth:
    causes: frozenset[int]  # deployment ids; empty: caused by no change
    names_cause: bool  # its text names the deployed sha
    remediation: str | None = None  # how the defect was undone, when a deployment undid it

    @property
    def method(self) -> str | None:
        """The link method that should find the cause; None when there is none."""
        if not self.causes:
            return None
        if self.names_cause:
            return "explicit"
        return self.remediation if self.remediation in ("revert", "rollback") else "time_window"


@dataclass(frozen=True)
class Score:
    linked: int
    correct: int
    eligible: int  # incidents the method should link
    found: int  # of those, linked by the method to a true cause
    whole: int = 0  # right links whose deployments hold every true cause

    @property
    def precision(self) -> float | None:
        return self.correct / self.linked if self.linked else None

    @property
    def recall(self) -> float | None:
        return self.found / self.eligible if self.eligible else None

    @property
    def whole_share(self) -> float | None:
        return self.whole / self.correct if self.correct else None


def truths(org: Org, world: PagerDutyWorld | None) -> dict[tuple[str, str], Truth]:
    """(source, incident_id as marts.incidents writes it) -> truth."""
    out: dict[tuple[str, str], Truth] = {}
    by_issue = {}
    undone = {d.deployment_id: d.remediation for repo in org.repos.values()
              for d in repo.deployments if d.remediated_by is not None}
    for repo in org.repos.values():
        for issue in repo.issues:
            causes = issue.caused_by_deployment_ids
            truth = Truth(frozenset(causes), issue.mentions_sha,
                          undone.get(causes[0]) if causes else None)
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
    """(source, method) -> Score, for every link method."""
    truth = truths(org, world)
    rows = con.execute("""
        select source, incident_id, link_method, linked_deployment_id,
            [d.deployment_id for d in linked_deployments]
        from marts.incidents where not is_near_miss and duplicate_of_id is null""").fetchall()
    scores = {}
    for source in sorted({row[0] for row in rows}):
        mine = [(row, truth[(source, row[1])]) for row in rows if row[0] == source]
        for method in METHODS:
            linked = [(row, t) for row, t in mine if row[2] == method]
            right = [(row, t) for row, t in linked if row[3] in t.causes]
            eligible = [(row, t) for row, t in mine if t.method == method]
            found = sum(row[2] == method and row[3] in t.causes for row, t in eligible)
            whole = sum(t.causes <= set(row[4]) for row, t in right)
            scores[(source, method)] = Score(len(linked), len(right), len(eligible), found,
                                             whole)
    return scores


def report(scores: dict[tuple[str, str], Score]) -> list[str]:
    """One printed line per (source, method)."""
    def share(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    return [f"{source:<10} {method:<12} precision {share(s.precision)} ({s.correct}/{s.linked})"
            f"  recall {share(s.recall)} ({s.found}/{s.eligible})"
            f"  whole {share(s.whole_share)} ({s.whole}/{s.correct})"
            for (source, method), s in sorted(scores.items())]
