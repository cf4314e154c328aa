"""What the simulated org tells the rest of Candor: a demo config (the ground truth is in
simulator/truth.py)."""

from __future__ import annotations

from typing import Any

from simulator.model import Org
from simulator.signals import repo_rules
from simulator.truth import ground_truth

__all__ = ["demo_config", "ground_truth"]


def demo_config(org: Org) -> dict[str, Any]:
    """`teams:` and `rules.repo_rules` for candor.yaml. The default production regex
    `(?i)^(production|prod-.+)$` matches every production environment here (production,
    prod-eu, prod-us) and not `staging`, so no repo needs a production override; the repos that
    deploy by workflow or by release get their `deployments:` rule (simulator/signals.py)."""
    return {
        "teams": [{"name": t.name, "members": {"github": list(t.members)},
                   "repos": {"github": list(t.repos)}} for t in org.teams],
        "rules": {"repo_rules": repo_rules(org)},
    }
