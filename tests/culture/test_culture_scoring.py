"""Reverse scoring, the missing-item rule and team aggregation, against hand arithmetic."""

from __future__ import annotations

import math

import numpy as np
import pytest

from models.culture import (
    DEFAULT_MISSING_RULE,
    MissingItemRule,
    aggregate_team,
    keyed_items,
    person_scores,
    reverse_score,
)

NAN = np.nan
EDMONDSON_REVERSED = np.array([True, False, True, False, True, False, False])


def test_reverse_score_is_a_plus_one_minus_x() -> None:
    # 7 points: 8 - x; 5 points: 6 - x; a missing answer stays missing.
    assert reverse_score(np.array([1, 4, 7]), 7).tolist() == [7, 4, 1]
    assert reverse_score(np.array([1, 2, 5]), 5).tolist() == [5, 4, 1]
    assert math.isnan(reverse_score(np.array([NAN]), 7)[0])


def test_edmondson_seven_everywhere_scores_31_over_7() -> None:
    # Four positive items stay 7, the three reverse-scored items become 8 - 7 = 1:
    # (7*4 + 1*3) / 7 = 31/7 = 4.428571...
    keyed = keyed_items(np.full((1, 7), 7.0), EDMONDSON_REVERSED, 7)
    persons = person_scores(keyed, DEFAULT_MISSING_RULE, "edmondson")
    assert persons.scores[0] == pytest.approx((7 * 4 + 1 * 3) / 7)
    assert keyed[0].tolist() == [1, 7, 1, 7, 1, 7, 7]


def test_default_rule_is_five_of_six_and_six_of_seven() -> None:
    # instruments.md: >= 5 of 6 answered; as a share 5/6 of 7 = 5.83, rounded up to 6.
    assert DEFAULT_MISSING_RULE.required(6) == 5
    assert DEFAULT_MISSING_RULE.required(7) == 6
    assert DEFAULT_MISSING_RULE.required(3) == 3


def test_missing_item_rule_drops_and_prorates() -> None:
    westrum = np.array(
        [
            [6, 6, 6, 6, 6, 6],  # all answered: 36/6 = 6
            [5, 5, 5, 5, 5, NAN],  # 5 of 6: kept, mean of answered = 25/5 = 5
            [7, 7, 7, 7, NAN, NAN],  # 4 of 6: dropped
            [NAN] * 6,  # nothing answered: dropped
        ]
    )
    persons = person_scores(westrum, DEFAULT_MISSING_RULE, "westrum")
    assert persons.scored.tolist() == [True, True, False, False]
    assert persons.n_dropped == 2
    assert persons.scores[:2].tolist() == [6.0, 5.0]
    assert np.isnan(persons.scores[2:]).all()


def test_missing_rule_is_configurable_by_number_or_share() -> None:
    row = np.array([[4, 4, 4, 4, NAN, NAN]])  # 4 of 6 answered
    assert person_scores(row, MissingItemRule(min_answered=4)).scored.tolist() == [True]
    assert person_scores(row, MissingItemRule.from_config({"min_share": 0.7})).n_dropped == 1
    # 0.6 * 6 = 3.6, rounded up to 4: kept.
    assert person_scores(row, MissingItemRule.from_config({"min_share": 0.6})).n_dropped == 0


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"min_answered": 2, "min_share": 0.5}, "exactly one"),
        ({"min_share": 1.5}, "min_share"),
        ({"min_answred": 3}, "unknown missing-item rule key"),
    ],
)
def test_bad_missing_rules_are_refused(config: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        MissingItemRule.from_config(config)


def test_rule_asking_for_more_items_than_exist_names_the_instrument() -> None:
    with pytest.raises(ValueError, match=r"instrument 'westrum'.*only 6"):
        MissingItemRule(min_answered=7).required(6, "westrum")


def test_team_aggregate_mean_and_sample_sd() -> None:
    # Scores 2, 4, 6 (NaN = dropped respondent, ignored): mean 4, SD = sqrt((4+0+4)/2) = 2.
    team = aggregate_team(np.array([2.0, 4.0, NAN, 6.0]))
    assert (team.n_respondents, team.mean, team.sd) == (3, 4.0, 2.0)
    assert aggregate_team(np.array([5.0])).sd is None
