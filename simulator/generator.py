"""Generates the simulated organization: `generate_org(seed, teams, months, end, org_name)`.

Deterministic for a seed (one numpy Generator drives every draw, in a fixed order).
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

from simulator.context import GenContext
from simulator.culture import TRUE_COEFFICIENTS
from simulator.issues import background_issues
from simulator.model import Org
from simulator.numbering import finalize
from simulator.people import build_org_structure
from simulator.timeline import RepoTimeline

DEFAULT_END = datetime(2026, 10, 31, tzinfo=UTC)


def generate_org(seed: int = 7, teams: int = 6, months: int = 12,
                 end: datetime = DEFAULT_END, org_name: str = "acme") -> Org:
    """Build an org of `teams` teams with `months` months of activity ending at `end` (UTC).

    The default (6 teams, 12 months) holds about 2,000 PRs and 1,000 production deployments.
    """
    if end.tzinfo is None:
        raise ValueError("generate_org: `end` must be timezone-aware (UTC); pass tzinfo=UTC.")
    if teams < 1 or months < 1:
        raise ValueError("generate_org: `teams` and `months` must both be at least 1.")
    end = end.astimezone(UTC).replace(microsecond=0)
    start = end - timedelta(days=round(365.25 * months / 12))
    ctx = GenContext(seed, start, end)
    team_list, people, repos = build_org_structure(ctx, teams, org_name)
    for team in team_list:
        team_repos = [repos[name] for name in team.repos]
        shares = ctx.rng.dirichlet([4.0] * len(team_repos))
        for repo, share in zip(team_repos, shares, strict=True):
            RepoTimeline(ctx, team, repo, float(share)).run()
        background_issues(ctx, team, team_repos)
    org = Org(name=org_name, org_id=4_000_001, seed=seed, start=start, end=end,
              teams=team_list, people=people, repos=repos,
              coefficients=copy.deepcopy(TRUE_COEFFICIENTS))
    finalize(org)
    return org
