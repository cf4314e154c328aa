"""Teams, people and repositories of the simulated org, with each team's latent culture."""

from __future__ import annotations

import unicodedata

from simulator import text
from simulator.context import DAY, GenContext, to_datetime
from simulator.culture import CultureKnobs, coefficients_for
from simulator.culture_drift import calendar_quarters, draw_team_series
from simulator.model import Person, Repo, Team

BOTS = {  # login -> (GitHub id, type); the ids are GitHub's real ones for the first two
    "github-actions[bot]": (41898282, "Bot"),
    "web-flow": (19864447, "User"),
    "alertmanager[bot]": (90000001, "Bot"),
}
MULTI_REGION_ENVIRONMENTS = ["prod-eu", "prod-us"]


def _ascii(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()


def team_name(index: int) -> str:
    """payments, search, ... and, past the word list, payments-2, search-2, ..."""
    base = text.TEAM_NAMES[index % len(text.TEAM_NAMES)]
    cycle = index // len(text.TEAM_NAMES)
    return base if cycle == 0 else f"{base}-{cycle + 1}"


def build_org_structure(ctx: GenContext, team_count: int, org_name: str,
                        knobs: CultureKnobs | None = None,
                        ) -> tuple[list[Team], dict[str, Person], dict[str, Repo]]:
    """Draw teams (4-9 people, 1-3 repos, latent culture per quarter), their people and repos.

    The knobs change the culture values and rates, never the number of draws: teams, people
    and repos are the same for a seed under every knob setting.

    One team in six (the fourth: "platform" in the default org) deploys to two production
    environments, prod-eu and prod-us; the others deploy to `production`.
    """
    rng = ctx.rng
    knobs = knobs or CultureKnobs()
    coefficients = coefficients_for(knobs)
    quarters = calendar_quarters(ctx.start, ctx.end)
    people = {login: Person(login, uid, login, f"{login}@users.noreply.github.com", None, kind)
              for login, (uid, kind) in BOTS.items()}
    teams, repos = [], {}
    for index in range(team_count):
        name = team_name(index)
        members = []
        for _ in range(int(rng.integers(4, 10))):
            first, last = text.pick(rng, text.FIRST_NAMES), text.pick(rng, text.LAST_NAMES)
            login = base = f"{_ascii(first)}-{_ascii(last)[0]}"
            suffix = 2
            while login in people:
                login, suffix = f"{base}{suffix}", suffix + 1
            people[login] = Person(login, 1000 + len(people), f"{first} {last}",
                                   f"{_ascii(first)}.{_ascii(last)}@{org_name}.example", name)
            members.append(login)
        environments = MULTI_REGION_ENVIRONMENTS if index % 6 == 3 else ["production"]
        suffixes = list(rng.choice(text.REPO_SUFFIXES, size=int(rng.integers(1, 4)),
                                   replace=False))
        team_repos = [f"{org_name}/{name}-{suffix}" for suffix in suffixes]
        for full_name in team_repos:
            repos[full_name] = Repo(
                name=full_name.split("/")[1], full_name=full_name, repo_id=5000 + len(repos),
                team=name, created_at=to_datetime(ctx.start - ctx.uniform(60, 400) * DAY),
                production_environments=list(environments))
        culture = draw_team_series(rng, quarters, knobs, coefficients)
        # who reviews: a fixed order per team, the first reviewer_share of it each quarter
        order = [str(x) for x in rng.permutation(members)]
        teams.append(Team(name=name, members=members, repos=team_repos,
                          production_environments=list(environments),
                          culture=culture.with_reviewers(order)))
    return teams, people, repos
