"""analysis.reliability rows: reliability and ICCs of one instrument in one wave.

Every figure rests on the shown team-waves only (`models.culture.anonymity.shown_part`): alpha
and omega on their respondents with all items answered (listwise complete cases), ICC(1) and
ICC(2) on their scored respondents' person scores, the counts on their respondents. A
suppressed team is in none of them, so none of them says anything about it. A wave in which every
team is suppressed has nothing left to compute from and is suppressed here too.
"""

from __future__ import annotations

from models.culture.agreement import OneWayIcc, icc_oneway
from models.culture.anonymity import icc_groups
from models.culture.inputs import WaveBlock
from models.culture.reliability import complete_cases, cronbach_alpha, mcdonald_omega
from models.culture.rows import ReliabilityRow
from models.culture.scoring import MissingItemRule, PersonScores

METHOD = (
    "alpha and omega on listwise complete cases of the keyed items (reverse-scored items turned "
    "around); omega total from a one-factor maximum-likelihood model on the item correlations "
    "(statsmodels Factor, method='ml'); ICC(1), ICC(2) from a one-way ANOVA of person scores by "
    "team with k0 for unequal team sizes"
)
BASIS = "shown team-waves only: teams below the anonymity minimum are in no figure of this row"

# Every figure of a reliability row: all None (NULL) when the whole wave is suppressed.
SUPPRESSED_FIGURES = (
    "n_respondents",
    "n_complete",
    "n_dropped_missing",
    "alpha",
    "omega",
    "icc1",
    "icc2",
    "n_teams",
    "icc_n_teams",
)


def team_icc(shown: WaveBlock, persons: PersonScores) -> OneWayIcc | None:
    """ICC(1)/ICC(2) of the shown teams' person scores by team (None with < 2 such teams)."""
    return icc_oneway(icc_groups(persons.scores, shown.teams))


def reliability_row(
    shown: WaveBlock,
    persons: PersonScores,
    icc: OneWayIcc | None,
    rule: MissingItemRule,
    n_teams_suppressed: int,
) -> ReliabilityRow:
    """The analysis.reliability row of the shown part of a wave (`shown_part`); suppressed when
    no team of the wave is shown."""
    n_items = len(shown.item_ids)
    common = {
        "instrument": shown.instrument,
        "wave": shown.wave,
        "closes_on": shown.closes_on,
        "n_items": n_items,
        "missing_rule": rule.describe(n_items, shown.instrument),
    }
    if shown.keyed.shape[0] == 0:
        return ReliabilityRow(
            **common,
            suppressed=True,
            **dict.fromkeys(SUPPRESSED_FIGURES),
            method_notes="every team of this wave is below the anonymity minimum: figures hidden",
        )
    complete = complete_cases(shown.keyed)
    alpha = cronbach_alpha(complete)
    omega = mcdonald_omega(complete)
    notes = [f"{BASIS} ({n_teams_suppressed} left out)", METHOD, alpha.note, omega.note]
    if icc is None:
        notes.append("ICC needs >= 2 shown teams")
    return ReliabilityRow(
        **common,
        suppressed=False,
        n_respondents=int(persons.scored.sum()),
        n_complete=int(complete.shape[0]),
        n_dropped_missing=persons.n_dropped,
        alpha=alpha.value,
        omega=omega.value,
        icc1=None if icc is None else icc.icc1,
        icc2=None if icc is None else icc.icc2,
        n_teams=len(set(shown.teams)),
        icc_n_teams=None if icc is None else icc.n_teams,
        method_notes="; ".join(note for note in notes if note),
    )
