"""Anonymity rules for survey results (instruments.md §5; docs/culture.md §4).

Primary suppression: a team-wave with fewer scored respondents than the anonymity minimum shows
no figure at all (not even its exact respondent count), only that it exists and is suppressed.

Secondary suppression: the org-level rows are computed from the shown teams only, so "org minus
the other teams" leaves nothing; instrument-level rows whose every team is suppressed are
suppressed too. Instrument-level statistics over all respondents (alpha, omega, ICC) are not a
team's figure; teams with a single scored respondent are kept out of the ICC (see
`icc_groups`) because one unknown score could otherwise be solved for.
"""

from __future__ import annotations

import numpy as np

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


def icc_groups(scores: np.ndarray, teams: np.ndarray) -> list[np.ndarray]:
    """Person scores grouped by team for the ICC, leaving out teams with one scored respondent.

    A one-person team adds no within-team information, and with its score inside MSB a reader
    who knows every other team's n, mean and SD could solve ICC(2) for that single person's score.
    """
    kept = ~np.isnan(scores)
    groups = [scores[kept & (teams == team)] for team in np.unique(teams[kept])]
    return [g for g in groups if g.size >= 2]
