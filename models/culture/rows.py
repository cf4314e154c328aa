"""Row types of the three culture tables; field order and names match models/culture/sql/.

Every figure is Optional: a suppressed row keeps its keys and flag and sets every figure to None.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class TeamWaveRow:
    """marts.culture_team_wave: one team's score on one instrument in one wave."""

    team: str
    wave: str
    instrument: str
    closes_on: dt.date | None
    suppressed: bool
    suppression_reason: str | None
    anonymity_minimum: int
    team_size: int | None
    n_respondents: int | None
    n_dropped_missing: int | None
    response_rate: float | None
    mean: float | None
    sd: float | None
    rwg_j: float | None
    r_star_wg_j: float | None
    low_agreement: bool | None
    icc2_instrument: float | None
    typology_band: str | None
    band_convention: str
    scale_points: int
    n_items: int


@dataclass(frozen=True)
class OrgWaveRow:
    """marts.culture_org_wave: the organization on one instrument in one wave (shown teams only)."""

    wave: str
    instrument: str
    closes_on: dt.date | None
    n_teams: int
    n_teams_shown: int
    n_teams_suppressed: int
    n_respondents_shown: int
    mean: float | None
    sd: float | None
    mean_of_team_means: float | None
    typology_band: str | None
    band_convention: str
    basis: str


@dataclass(frozen=True)
class ReliabilityRow:
    """analysis.reliability: instrument-level reliability and ICCs for one wave."""

    instrument: str
    wave: str
    closes_on: dt.date | None
    suppressed: bool
    n_respondents: int | None
    n_complete: int | None
    n_items: int
    n_dropped_missing: int | None
    missing_rule: str
    alpha: float | None
    omega: float | None
    icc1: float | None
    icc2: float | None
    n_teams: int | None
    icc_n_teams: int | None
    method_notes: str


def as_columns(rows: Sequence[TeamWaveRow | OrgWaveRow | ReliabilityRow]) -> dict[str, list]:
    """Rows of one type as {field: [value of row 0, value of row 1, ...]}: the bound lists the
    insert statements unnest."""
    names = [f.name for f in fields(rows[0])]
    return {name: [getattr(row, name) for row in rows] for name in names}
