"""Anonymity rules for survey results (instruments.md §5; docs/culture.md §4).

Primary suppression: a team-wave with fewer scored respondents than the anonymity minimum shows
no figure at all (not even its exact respondent count), only that it exists and is suppressed.

Secondary suppression, by construction: every published figure about a wave (org means and
counts, alpha, omega, ICC(1), ICC(2), respondent counts) is computed from the shown team-waves
only (`shown_part`), so no combination of published numbers depends on, let alone constrains, a
suppressed team's answers. What a reader learns of a suppressed team is what its row already
says: it exists and has fewer scored respondents than the minimum.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from models.culture.inputs import WaveBlock
from models.culture.scoring import PersonScores

DEFAULT_ANONYMITY_MINIMUM = 5
# "5 is the norm, 3 the floor" (instruments.md §5.2): below 3 a reader who answered can subtract
# their own answer and learn a single colleague's.
ANONYMITY_FLOOR = 3


def check_anonymity_minimum(minimum: int) -> int:
    """Return the minimum, or raise if it is below the floor of 3."""
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < ANONYMITY_FLOOR:
        raise ValueError(
            f"anonymity minimum {minimum!r} is too low: survey results need at least "
            f"{ANONYMITY_FLOOR} respondents per team-wave; set rules.anonymity_minimum to "
            f"{ANONYMITY_FLOOR} or more (default {DEFAULT_ANONYMITY_MINIMUM})"
        )
    return minimum


def is_suppressed(n_respondents: int, minimum: int) -> bool:
    return n_respondents < minimum


def suppression_reason(minimum: int) -> str:
    return f"fewer than {minimum} respondents (anonymity minimum): figures hidden"


def shown_teams(block: WaveBlock, persons: PersonScores, minimum: int) -> set[str]:
    """Teams of the block with at least `minimum` scored respondents: the ones shown."""
    return {
        str(team)
        for team in np.unique(block.teams)
        if not is_suppressed(int((persons.scored & block.team_rows(team)).sum()), minimum)
    }


def shown_part(
    block: WaveBlock, persons: PersonScores, minimum: int
) -> tuple[WaveBlock, PersonScores]:
    """The block and its person scores restricted to the respondents of shown teams.

    Every instrument-level figure is computed from this part, never from the whole block: a
    statistic over all respondents would mix a suppressed team into numbers a leader reads, and
    with the shown teams' n, mean and SD beside it (ICC(1) and ICC(2) together fix k0, hence the
    hidden team's size; integer answers then pin its mean) it can give the hidden team away.
    """
    keep = np.isin(block.teams, sorted(shown_teams(block, persons, minimum)))
    part = replace(block, teams=block.teams[keep], keyed=block.keyed[keep])
    scores = replace(persons, scores=persons.scores[keep], scored=persons.scored[keep])
    return part, scores


def icc_groups(scores: np.ndarray, teams: np.ndarray) -> list[np.ndarray]:
    """Person scores grouped by team for the ICC, leaving out teams with one scored respondent
    (a one-person team adds no within-team information)."""
    kept = ~np.isnan(scores)
    groups = [scores[kept & (teams == team)] for team in np.unique(teams[kept])]
    return [g for g in groups if g.size >= 2]
