"""Team-wave and org-wave rows for one instrument and wave, with anonymity applied.

Team figures rest on the team's scored respondents only (those who passed the missing-item
rule). Org figures rest on the shown teams only: a suppressed team is counted, never averaged in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from models.culture.agreement import (
    RWG_THRESHOLD,
    mean_item_variance,
    r_star_wg_j,
    rwg_j,
    uniform_null_variance,
)
from models.culture.anonymity import is_suppressed, suppression_reason
from models.culture.inputs import WaveBlock
from models.culture.rows import OrgWaveRow, TeamWaveRow
from models.culture.scoring import PersonScores, aggregate_team
from models.culture.typology import Bands

# Every figure of a team row: all of them are None (NULL) when the team-wave is suppressed.
SUPPRESSED_FIGURES = (
    "n_respondents",
    "n_dropped_missing",
    "response_rate",
    "mean",
    "sd",
    "rwg_j",
    "r_star_wg_j",
    "low_agreement",
    "icc2_instrument",
    "typology_band",
)
ORG_BASIS = "shown teams only: teams below the anonymity minimum are counted but not averaged in"


@dataclass(frozen=True)
class BlockSettings:
    """The rules that apply to one instrument: anonymity minimum, bands, rosters."""

    anonymity_minimum: int
    bands: Bands
    team_sizes: Mapping[str, int]


def team_wave_rows(
    block: WaveBlock, persons: PersonScores, settings: BlockSettings, icc2: float | None
) -> list[TeamWaveRow]:
    """One row per team that answered or has a known roster; suppressed rows carry no figure."""
    teams = sorted(set(block.teams) | set(settings.team_sizes))
    return [_team_row(block, persons, settings, icc2, team) for team in teams]


def _team_row(
    block: WaveBlock, persons: PersonScores, settings: BlockSettings, icc2: float | None, team: str
) -> TeamWaveRow:
    rows = block.team_rows(team)
    scored = rows & persons.scored
    n_scored = int(scored.sum())
    size = settings.team_sizes.get(team)
    if size is not None and int(rows.sum()) > size:
        raise ValueError(
            f"team '{team}' has {int(rows.sum())} respondents in wave '{block.wave}' "
            f"({block.instrument}) but a roster of {size}; correct the team size"
        )
    convention = settings.bands.describe(block.scale_points)
    common = {
        "team": team,
        "wave": block.wave,
        "instrument": block.instrument,
        "closes_on": block.closes_on,
        "anonymity_minimum": settings.anonymity_minimum,
        "team_size": size,
        "band_convention": convention,
        "scale_points": block.scale_points,
        "n_items": len(block.item_ids),
    }
    if is_suppressed(n_scored, settings.anonymity_minimum):
        return TeamWaveRow(
            **common,
            suppressed=True,
            suppression_reason=suppression_reason(settings.anonymity_minimum),
            **dict.fromkeys(SUPPRESSED_FIGURES),
        )
    aggregate = aggregate_team(persons.scores[scored])
    null_variance = uniform_null_variance(block.scale_points)
    item_variance = mean_item_variance(block.keyed[scored])
    n_items = len(block.item_ids)
    rwg = None if item_variance is None else rwg_j(item_variance, n_items, null_variance)
    return TeamWaveRow(
        **common,
        suppressed=False,
        suppression_reason=None,
        n_respondents=n_scored,
        n_dropped_missing=int(rows.sum()) - n_scored,
        response_rate=None if not size else n_scored / size,
        mean=aggregate.mean,
        sd=aggregate.sd,
        rwg_j=rwg,
        r_star_wg_j=None if item_variance is None else r_star_wg_j(item_variance, null_variance),
        low_agreement=None if rwg is None else rwg < RWG_THRESHOLD,
        icc2_instrument=icc2,
        typology_band=settings.bands.band(aggregate.mean),
    )


def org_wave_row(
    block: WaveBlock, persons: PersonScores, team_rows: list[TeamWaveRow], settings: BlockSettings
) -> OrgWaveRow:
    """Org aggregates over the respondents of shown teams, with the count of teams left out."""
    shown = [row for row in team_rows if not row.suppressed]
    in_shown_team = np.isin(block.teams, [row.team for row in shown]) & persons.scored
    scores = persons.scores[in_shown_team]
    mean = float(scores.mean()) if scores.size else None
    return OrgWaveRow(
        wave=block.wave,
        instrument=block.instrument,
        closes_on=block.closes_on,
        n_teams=len(team_rows),
        n_teams_shown=len(shown),
        n_teams_suppressed=len(team_rows) - len(shown),
        n_respondents_shown=int(scores.size),
        mean=mean,
        sd=float(scores.std(ddof=1)) if scores.size >= 2 else None,
        mean_of_team_means=float(np.mean([row.mean for row in shown])) if shown else None,
        typology_band=settings.bands.band(mean),
        band_convention=settings.bands.describe(block.scale_points),
        basis=ORG_BASIS,
    )
