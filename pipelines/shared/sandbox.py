"""The simulated organization behind `sandbox:` configurations (the demo).

The organization is generated deterministically from the seed, so every process that needs it
(the Dagster run, `candor demo`, `candor sandbox`) builds the same one; it is cached per process
because generation takes a few seconds.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from connectors.surveys import BUILTIN_INSTRUMENTS
from pipelines.config.schema import CandorConfig, SandboxConfig
from simulator.generator import generate_org
from simulator.model import Org
from simulator.surveys import export_columns, quarterly_waves


@lru_cache(maxsize=4)
def sandbox_org(sandbox: SandboxConfig) -> Org:
    return generate_org(
        seed=sandbox.seed, teams=sandbox.teams, months=sandbox.months, org_name=sandbox.org
    )


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
    org = sandbox_org(config.sandbox)
    data = config.model_dump()
    if not config.teams:
        demo = org.demo_config()
        data["teams"] = demo["teams"]
        repo_rules = dict(demo.get("rules", {}).get("repo_rules", {}))
        repo_rules.update(data["rules"]["repo_rules"])
        data["rules"]["repo_rules"] = repo_rules
    surveys = data.get("surveys")
    if surveys is not None:
        if not surveys["waves"]:
            surveys["waves"] = dict(quarterly_waves(org.start, org.end))
        for instrument_id in BUILTIN_INSTRUMENTS:
            surveys["columns"].setdefault(instrument_id, _demo_columns(instrument_id))
    return CandorConfig.model_validate(data)
