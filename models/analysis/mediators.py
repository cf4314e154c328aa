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


MEDIATORS: tuple[Mediator, ...] = (
    Mediator("near_miss_reporting", "near misses reported", ("near_misses",), _near_miss_rate),
    Mediator("proactive_share", "share of issues raised proactively",
             ("proactive_issues", "reactive_issues"), _proactive_share),
    Mediator("review_equality", "review participation equality", ("review_equality",),
             _review_equality),
)


def available(panel: pd.DataFrame, window: str) -> list[Mediator]:
    """Mediators whose panel columns exist (a source that cannot provide one leaves it out)."""
    return [m for m in MEDIATORS if all(f"{window}_{c}" in panel.columns for c in m.columns)]


def mediator_values(rows: pd.DataFrame, mediator: Mediator, window: str) -> pd.Series:
    values = mediator.compute(rows, window)
    return values.replace([np.inf, -np.inf], np.nan)
