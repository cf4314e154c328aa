"""The simulated organization behind `sandbox:` configurations (the demo): the one module of
`pipelines/` that reaches the simulator.

Everything else imports this module only inside the branch that serves a `sandbox:`
configuration, so a production configuration never loads the simulator
(tests/pipelines/test_source_seam.py checks that `pipelines.definitions` loads none of it).

The organization is generated deterministically from the seed, so every process that needs it
(the Dagster run, `candor demo`, `candor sandbox`) builds the same one; it is cached per process
because generation takes seconds.

What a configuration needs from it (teams, members, repositories, the survey waves) is its
outline: the teams and people are the first draws from the seed and the window follows from
`months`, so the outline is drawn alone in milliseconds, without the months of activity. Only
what serves or reads the activity (the simulated API, the survey exports) generates the whole
organization; `candor sql` and `candor survey check` never do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from connectors.surveys import BUILTIN_INSTRUMENTS
from pipelines.config.schema import CandorConfig, SandboxConfig
from simulator.context import GenContext
from simulator.culture import CultureKnobs
from simulator.exports import demo_config
from simulator.generator import DEFAULT_END, generate_org
from simulator.model import Org, Repo, Team
from simulator.pagerduty_world import account_ids
from simulator.people import build_org_structure
from simulator.ratelimit import sync_budget
from simulator.server import SandboxServer
from simulator.surveys import export_columns, quarterly_waves, write_survey_exports


@lru_cache(maxsize=4)
def sandbox_org(sandbox: SandboxConfig) -> Org:
    return generate_org(
        seed=sandbox.seed, teams=sandbox.teams, months=sandbox.months, org_name=sandbox.org,
        activity=sandbox.activity, **asdict(_culture_knobs(sandbox)),
    )


def _culture_knobs(sandbox: SandboxConfig) -> CultureKnobs:
    return CultureKnobs(effect_size=sandbox.effect_size, null=sandbox.null,
                        within_share=sandbox.within_share, ar1=sandbox.ar1)


@dataclass(frozen=True)
class SandboxOutline:
    """The simulated organization without its activity: its window, teams and repositories
    (names, default branches, environments; no pull requests or deployments yet)."""

    start: dt.datetime
    end: dt.datetime
    teams: tuple[Team, ...]
    repos: dict[str, Repo]


@lru_cache(maxsize=4)
def sandbox_outline(sandbox: SandboxConfig) -> SandboxOutline:
    """The same window, teams and repositories `sandbox_org` generates, drawn the way
    generate_org draws them first (tests/pipelines/test_cli_sandbox.py compares them)."""
    end = DEFAULT_END.astimezone(dt.UTC).replace(microsecond=0)
    start = end - dt.timedelta(days=round(365.25 * sandbox.months / 12))
    teams, _, repos = build_org_structure(GenContext(sandbox.seed, start, end), sandbox.teams,
                                          sandbox.org, _culture_knobs(sandbox))
    return SandboxOutline(start, end, tuple(teams), repos)


def _demo_columns(instrument_id: str) -> dict[str, Any]:
    # The simulated exports carry a response id; the demo ignores it, so it needs no salt.
    columns = export_columns(BUILTIN_INSTRUMENTS[instrument_id])
    respondent_id = columns.pop("respondent_id")
    columns["ignore"] = [respondent_id, *columns["ignore"]]
    return columns


def with_sandbox_defaults(config: CandorConfig) -> CandorConfig:
    """Fill in what the simulated organization defines when the config has a `sandbox:` section:
    teams and per-repo rules (when no teams are declared), and survey waves and columns (when a
    `surveys:` section declares none)."""
    if config.sandbox is None:
        return config
    outline = sandbox_outline(config.sandbox)
    data = config.model_dump()
    if not config.teams:
        demo = demo_config(outline)  # reads teams and repositories, which the outline has
        data["teams"] = demo["teams"]
        repo_rules = dict(demo.get("rules", {}).get("repo_rules", {}))
        repo_rules.update(data["rules"]["repo_rules"])
        data["rules"]["repo_rules"] = repo_rules
        logins = {team["name"]: team["members"]["github"] for team in data["teams"]}
        people = {team["name"]: [{"name": login, "github": login} for login in logins[team["name"]]]
                  for team in data["teams"]}
        gitlab = config.sources.gitlab
        if gitlab is not None and gitlab.url == "sandbox":
            _move_to_gitlab(data["teams"], set(repo_rules),
                            github=config.sources.github is not None)
            for team in data["teams"]:
                for person in people[team["name"]]:
                    person["gitlab"] = person["name"]  # the simulated GitLab's username
        pagerduty = config.sources.pagerduty
        if pagerduty is not None and pagerduty.base_url == "sandbox":
            # each team owns its service of the simulated account (the vendor's is unowned),
            # and each member has a PagerDuty user there as well as a GitHub login
            services, users = account_ids(
                config.sandbox.seed, [t.name for t in outline.teams],
                [login for t in outline.teams for login in t.members])
            for team in data["teams"]:
                team["services"] = {"pagerduty": [services[team["name"]]]}
                for person in people[team["name"]]:
                    person["pagerduty"] = users[person["name"]]
        for team in data["teams"]:
            team["members"] = people[team["name"]]
        if config.sources.github is None:
            # GitLab alone: no repository keeps a workflow or release rule
            for team in data["teams"]:
                team["repos"].pop("github", None)
            rules = {repo: {key: value for key, value in rule.items() if key != "deployments"}
                     for repo, rule in data["rules"]["repo_rules"].items()}
            data["rules"]["repo_rules"] = {repo: rule for repo, rule in rules.items() if rule}
    surveys = data.get("surveys")
    if surveys is not None:
        if not surveys["waves"]:
            surveys["waves"] = dict(quarterly_waves(outline.start, outline.end))
        for instrument_id in BUILTIN_INSTRUMENTS:
            surveys["columns"].setdefault(instrument_id, _demo_columns(instrument_id))
    return CandorConfig.model_validate(data)


GITLAB_TEAM_EVERY = 3
"""With GitHub and GitLab both simulated, every third team (the 2nd, 5th, ...) is on GitLab, and
the 3rd team is on both (its last repository on GitLab)."""


def _move_to_gitlab(teams: list[dict[str, Any]], signal_repos: set[str], github: bool) -> None:
    """Put the simulated teams' repositories on GitLab (all of them without GitHub). Beside
    GitHub, only repositories that deploy through deployments move: GitLab has no Actions runs
    or GitHub releases, so a repository deploying by workflow or release stays on GitHub."""
    for position, team in enumerate(teams):
        movable = [repo for repo in team["repos"]["github"] if repo not in signal_repos]
        if github and position % GITLAB_TEAM_EVERY == 1:
            moving = movable
        elif github and position == 2 and len(team["repos"]["github"]) > 1:
            moving = movable[-1:]
        elif github:
            moving = []
        else:
            # GitLab alone: every repository, deploying through GitLab's deployments (the
            # simulated GitLab serves each one's deployments; its workflow or release rule goes)
            moving = list(team["repos"]["github"])
        team["repos"]["github"] = [r for r in team["repos"]["github"] if r not in moving]
        team["repos"]["gitlab"] = moving


@contextmanager
def served_org(org: Org, *, port: int = 0, rate_limit: int | None = None,
               latency_ms: int = 0) -> Iterator[SandboxServer]:
    """Serve `org`'s simulated APIs on 127.0.0.1 while the block runs (`port` 0: any free one).

    `rate_limit` None serves `default_rate_limit(org)`. The server's `base_url` and `token` say
    where and how to connect.
    """
    budget = rate_limit or default_rate_limit(org)
    with SandboxServer(org, port=port, rate_limit=budget, latency_ms=latency_ms) as server:
        yield server


@contextmanager
def served_pagerduty(org: Org) -> Iterator[Any]:
    """Serve `org`'s simulated PagerDuty account over https on 127.0.0.1 while the block runs
    (a PagerDutySandbox: `base_url`, `token`, and `ca_path`, the CA its certificate is signed
    by, which the client verifies it with)."""
    from simulator.pagerduty_server import PagerDutySandbox

    with PagerDutySandbox(org) as server:
        yield server


SANDBOX_GITLAB_RATE_LIMIT = 60_000
"""Requests a minute the simulated GitLab grants: a self-managed GitLab with its limits raised
(GitLab.com grants 2,000), so the demo's backfill never waits; tests script their 429s."""


@contextmanager
def served_gitlab(org: Org, projects: list[str]) -> Iterator[Any]:
    """Serve `projects` of `org` (repository full names) as the simulated GitLab's projects on
    127.0.0.1 while the block runs (a GitLabSandbox: `url`, `token`)."""
    from simulator.gitlab_server import GitLabSandbox

    # a listed project the organization lacks is not served: GitLab answers it 404
    served = [project for project in projects if project in org.repos]
    with GitLabSandbox(org, projects=served, rate_limit=SANDBOX_GITLAB_RATE_LIMIT) as server:
        yield server


def default_rate_limit(org: Org) -> int:
    """Requests per hour the sandbox serves by default: twice what a full sync of `org` needs,
    so a backfill and a following run fit in one hour."""
    return sync_budget(org)


def survey_exports(sandbox: SandboxConfig, folder: str | Path) -> list[Any]:
    """Write the simulated organization's survey exports (every wave, instrument and format)
    into `folder`; returns what was written (wave, instrument, kind, path)."""
    return write_survey_exports(sandbox_org(sandbox), folder, sandbox.seed)
