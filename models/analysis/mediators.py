"""Learning-behaviour proxies as mediators: safety -> behaviour -> delivery (DESIGN §6).

Each mediator is computed per team-wave from the panel's counts over the same window as the
outcome, then standardized over the rows of the model. They are heuristics (docs/metrics.md,
behavioural proxies): more near misses reported is read as more speaking up, not more failure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Mediator:
    name: str
    label: str
    columns: tuple[str, ...]  # panel columns without the window prefix
    compute: Callable[[pd.DataFrame, str], pd.Series]
    # outcomes whose own events enter the proxy's counts in the same window, and how: there the
    # path mixes in outcome -> proxy, and a·b is not 0 when culture moves no outcome
    fed_by: tuple[str, ...] = ()
    fed_by_reason: str = ""

    def caveat(self, outcome: str) -> str | None:
        """Why this proxy's path into `outcome` is not read as mediation, if it is not."""
        return self.fed_by_reason if outcome in self.fed_by else None


def _near_miss_rate(rows: pd.DataFrame, w: str) -> pd.Series:
    # near misses reported per engineer and 30 days of covered window
    engineer_months = rows["team_size"].astype(float) * rows[f"{w}_exposure_days"] / 30.0
    return rows[f"{w}_near_misses"].astype(float) / engineer_months.where(engineer_months > 0)


def _proactive_share(rows: pd.DataFrame, w: str) -> pd.Series:
    proactive = rows[f"{w}_proactive_issues"].astype(float)
    total = proactive + rows[f"{w}_reactive_issues"].astype(float)
    return proactive / total.where(total > 0)


def _review_equality(rows: pd.DataFrame, w: str) -> pd.Series:
    return rows[f"{w}_review_equality"].astype(float)


# Measured (docs/analysis.md §5): on 200 simulated organizations where culture moves no delivery
# outcome, these two paths' intervals excluded 0 in 23.0% and 17.0% of seeds, every other path
# in at most 8.5%.
_INCIDENTS_ARE_REACTIVE = (
    "the proxy counts customer-impacting incidents as reactive records, so this outcome's own "
    "failures lower it in the same window (the path mixes in failure -> proxy)")

MEDIATORS: tuple[Mediator, ...] = (
    Mediator("near_miss_reporting", "near misses reported", ("near_misses",), _near_miss_rate),
    Mediator("proactive_share", "share of issues raised proactively",
             ("proactive_issues", "reactive_issues"), _proactive_share,
             fed_by=("change_failure_rate", "rework_rate"),
             fed_by_reason=_INCIDENTS_ARE_REACTIVE),
    Mediator("review_equality", "review participation equality", ("review_equality",),
             _review_equality),
)


def available(panel: pd.DataFrame, window: str) -> list[Mediator]:
    """Mediators whose panel columns exist (a source that cannot provide one leaves it out)."""
    return [m for m in MEDIATORS if all(f"{window}_{c}" in panel.columns for c in m.columns)]


def mediator_values(rows: pd.DataFrame, mediator: Mediator, window: str) -> pd.Series:
    values = mediator.compute(rows, window)
    return values.replace([np.inf, -np.inf], np.nan)
