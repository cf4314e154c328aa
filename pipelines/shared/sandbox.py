"""The simulated organization behind `sandbox:` configurations (the demo).

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
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from connectors.surveys import BUILTIN_INSTRUMENTS
from pipelines.config.schema import CandorConfig, SandboxConfig
from simulator.context import GenContext
from simulator.culture import CultureKnobs
from simulator.exports import demo_config
from simulator.generator import DEFAULT_END, generate_org
from simulator.model import Org, Repo, Team
from simulator.people import build_org_structure
from simulator.surveys import export_columns, quarterly_waves


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
    surveys = data.get("surveys")
    if surveys is not None:
        if not surveys["waves"]:
            surveys["waves"] = dict(quarterly_waves(outline.start, outline.end))
        for instrument_id in BUILTIN_INSTRUMENTS:
            surveys["columns"].setdefault(instrument_id, _demo_columns(instrument_id))
    return CandorConfig.model_validate(data)
