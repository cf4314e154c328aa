"""analysis.reliability rows: reliability and ICCs of one instrument in one wave.

Alpha and omega use every respondent with all items answered (listwise complete cases). ICC(1)
and ICC(2) use the person scores of every scored respondent in teams with at least two scored
respondents, suppressed teams included: they describe the instrument, never a team. A wave in
which every team is suppressed is suppressed here too, since its figures would then describe
hidden teams only.
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
    "team with k0 for unequal team sizes, over teams with >= 2 scored respondents"
)

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


def team_icc(block: WaveBlock, persons: PersonScores) -> OneWayIcc | None:
    """ICC(1)/ICC(2) of the wave's person scores by team (teams with >= 2 scored respondents)."""
    return icc_oneway(icc_groups(persons.scores, block.teams))


def reliability_row(
    block: WaveBlock,
    persons: PersonScores,
    icc: OneWayIcc | None,
    rule: MissingItemRule,
    any_team_shown: bool,
    any_team_suppressed: bool = False,
) -> ReliabilityRow:
    """The analysis.reliability row; suppressed when no team of the wave is shown.

    When some team of the wave is suppressed, the respondent counts are hidden too: the wave's
    total minus the shown teams' counts in marts.culture_team_wave would give the suppressed
    team's count by subtraction.
    """
    n_items = len(block.item_ids)
    common = {
        "instrument": block.instrument,
        "wave": block.wave,
        "closes_on": block.closes_on,
        "n_items": n_items,
        "missing_rule": rule.describe(n_items, block.instrument),
    }
    if not any_team_shown:
        return ReliabilityRow(
            **common,
            suppressed=True,
            **dict.fromkeys(SUPPRESSED_FIGURES),
            method_notes="every team of this wave is below the anonymity minimum: figures hidden",
        )
    complete = complete_cases(block.keyed)
    alpha = cronbach_alpha(complete)
    omega = mcdonald_omega(complete)
    notes = [METHOD, alpha.note, omega.note]
    if icc is None:
        notes.append("ICC needs >= 2 teams with >= 2 scored respondents")
    if any_team_suppressed:
        notes.append(
            "respondent counts hidden: a team of this wave is below the anonymity minimum, "
            "and the total minus the shown teams would reveal its count"
        )
    return ReliabilityRow(
        **common,
        suppressed=False,
        n_respondents=None if any_team_suppressed else int(persons.scored.sum()),
        n_complete=None if any_team_suppressed else int(complete.shape[0]),
        n_dropped_missing=None if any_team_suppressed else persons.n_dropped,
        alpha=alpha.value,
        omega=omega.value,
        icc1=None if icc is None else icc.icc1,
        icc2=None if icc is None else icc.icc2,
        n_teams=len(set(block.teams)),
        icc_n_teams=None if icc is None else icc.n_teams,
        method_notes="; ".join(note for note in notes if note),
    )
