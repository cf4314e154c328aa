"""Generates the simulated organization: `generate_org(seed, teams, months, end, org_name, ...)`.

Deterministic for a seed and knobs (one numpy Generator drives every draw, in a fixed order).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from simulator.context import GenContext
from simulator.culture import CultureKnobs, coefficients_for
from simulator.issues import background_issues
from simulator.model import Org
from simulator.numbering import finalize
from simulator.people import build_org_structure
from simulator.timeline import RepoTimeline

DEFAULT_END = datetime(2026, 10, 31, tzinfo=UTC)


def generate_org(seed: int = 7, teams: int = 6, months: int = 12,
                 end: datetime = DEFAULT_END, org_name: str = "acme", *,
                 effect_size: float = 1.0, null: bool = False, within_share: float = 0.3,
                 ar1: float = 0.5, activity: float = 1.0) -> Org:
    """Build an org of `teams` teams with `months` months of activity ending at `end` (UTC).

    The default (6 teams, 12 months) holds about 2,000 PRs and 800 successful production
    deployments. Culture knobs (simulator/culture.py, culture_drift.py): `effect_size`
    multiplies every culture -> delivery coefficient, `null` removes them (behaviour still
    follows culture), `within_share` is the share of latent variance within teams from quarter
    to quarter and `ar1` its quarter-to-quarter autocorrelation. `activity` multiplies the
    routine PR and direct-push rates (a lighter org for fast tests; deploys, failures and
    issues keep their culture-driven rates).
    """
    if end.tzinfo is None:
        raise ValueError("generate_org: `end` must be timezone-aware (UTC); pass tzinfo=UTC.")
    if teams < 1 or months < 1:
        raise ValueError("generate_org: `teams` and `months` must both be at least 1.")
    if not (math.isfinite(activity) and activity > 0):
        raise ValueError(f"generate_org: `activity` must be a positive number, got {activity!r}.")
    knobs = CultureKnobs(effect_size=effect_size, null=null, within_share=within_share, ar1=ar1)
    end = end.astimezone(UTC).replace(microsecond=0)
    start = end - timedelta(days=round(365.25 * months / 12))
    ctx = GenContext(seed, start, end)
    team_list, people, repos = build_org_structure(ctx, teams, org_name, knobs)
    for team in team_list:
        team_repos = [repos[name] for name in team.repos]
        shares = ctx.rng.dirichlet([4.0] * len(team_repos))
        for repo, share in zip(team_repos, shares, strict=True):
            RepoTimeline(ctx, team, repo, float(share), activity).run()
        background_issues(ctx, team, team_repos)
    org = Org(name=org_name, org_id=4_000_001, seed=seed, start=start, end=end,
              teams=team_list, people=people, repos=repos,
              coefficients=coefficients_for(knobs), knobs=knobs, activity=activity)
    finalize(org)
    return org
