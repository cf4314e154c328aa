"""The simulated organization behind `sandbox:` configurations (the demo).

The organization is generated deterministically from the seed, so every process that needs it
(the Dagster run, `candor demo`, `candor sandbox`) builds the same one; it is cached per process
because generation takes a few seconds.
"""

from __future__ import annotations

from functools import lru_cache

from pipelines.config.schema import CandorConfig, SandboxConfig
from simulator.generator import generate_org
from simulator.model import Org


@lru_cache(maxsize=4)
def sandbox_org(sandbox: SandboxConfig) -> Org:
    return generate_org(
        seed=sandbox.seed, teams=sandbox.teams, months=sandbox.months, org_name=sandbox.org
    )


def with_sandbox_teams(config: CandorConfig) -> CandorConfig:
    """Fill in teams (and per-repo rules) from the simulated organization when the config has a
    `sandbox:` section and declares no teams itself."""
    if config.sandbox is None or config.teams:
        return config
    demo = sandbox_org(config.sandbox).demo_config()
    data = config.model_dump()
    data["teams"] = demo["teams"]
    repo_rules = dict(demo.get("rules", {}).get("repo_rules", {}))
    repo_rules.update(data["rules"]["repo_rules"])
    data["rules"]["repo_rules"] = repo_rules
    return CandorConfig.model_validate(data)
