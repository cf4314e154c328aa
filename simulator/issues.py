"""Issues that are not tied to a deployment: near misses, proactive work, bugs, and incidents
with no deployment cause. Monthly counts are Poisson with the team's culture-driven rates of
the quarter."""

from __future__ import annotations

import math

from simulator import text
from simulator.context import DAY, GenContext, to_datetime
from simulator.failures import ALERT_BOT
from simulator.model import Issue, Repo, Team

MONTH = 30.44 * DAY
BUGS_PER_MONTH = 2.0
UNRELATED_INCIDENTS_PER_MONTH = 0.4

# kind -> (labels, title prefix, median days open, share closed)
KINDS = {
    "near-miss": (["near-miss"], "Near miss:", 3.0, 0.85),
    "bug": (["bug"], "Bug:", 6.0, 0.75),
    "enhancement": (["enhancement"], "Proposal:", 20.0, 0.5),
    "tech-debt": (["tech-debt"], "Tech debt:", 25.0, 0.5),
    "incident": (["incident", "sev3"], "SEV3:", 0.3, 0.95),
}


def background_issues(ctx: GenContext, team: Team, repos: list[Repo]) -> None:
    """Add the team's non-deployment issues to its repos (a random repo each). Near-miss and
    proactive rates follow the team's culture quarter by quarter."""
    for kind in ("near-miss", "bug", "proactive", "incident"):
        for low, high, culture in team.culture.segments(ctx.start, ctx.end):
            per_month = {
                "near-miss": culture.near_miss_per_month,
                "bug": BUGS_PER_MONTH,
                "proactive": culture.proactive_per_month,
                "incident": UNRELATED_INCIDENTS_PER_MONTH,
            }[kind]
            for when in ctx.poisson_times(per_month / MONTH, low, high):
                repo = repos[int(ctx.rng.integers(len(repos)))]
                label = kind
                if kind == "proactive":
                    label = "enhancement" if ctx.chance(0.5) else "tech-debt"
                repo.issues.append(_issue(ctx, team, repo, kind, label, ctx.working_time(when)))


def _issue(ctx: GenContext, team: Team, repo: Repo, kind: str, label: str,
           created: float) -> Issue:
    labels, prefix, median_days, closed_share = KINDS[label]
    noun = text.pick(ctx.rng, text.NOUNS)
    closed = None
    if ctx.chance(closed_share):
        closed = created + ctx.lognormal_hours(math.log(median_days * 24), 1.0, 0.5, 24 * 365)
    author = text.pick(ctx.rng, team.members)
    if kind == "incident" and ctx.chance(0.5):
        author = ALERT_BOT
    return Issue(
        repo=repo.full_name, number=ctx.next_id(), issue_id=ctx.next_id(),
        title=f"{prefix} {noun}", body=f"Observed around the {noun}. Details in thread.",
        author_login=author, labels=list(labels),
        created_at=to_datetime(min(created, ctx.end)),
        closed_at=None if closed is None or closed > ctx.end else to_datetime(closed),
        kind=kind)
