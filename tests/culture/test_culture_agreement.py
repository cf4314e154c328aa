"""rwg(j), r*wg(j), ICC(1) and ICC(2) on small matrices worked by hand from the formulas."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from models.culture import (
    icc_oneway,
    mean_item_variance,
    r_star_wg_j,
    rwg_j,
    uniform_null_variance,
)

# Four members of one team, three items.
TEAM = np.array(
    [
        [1, 2, 2],
        [2, 3, 3],
        [3, 3, 4],
        [4, 4, 5],
    ],
    dtype=float,
)


def test_uniform_null_variance() -> None:
    # (A² - 1) / 12: (25 - 1)/12 = 2 for 5 points, (49 - 1)/12 = 4 for 7 points.
    assert uniform_null_variance(5) == 2.0
    assert uniform_null_variance(7) == 4.0


def test_mean_item_variance_by_hand() -> None:
    # Item 1: 1,2,3,4, mean 2.5, squared deviations 2.25+.25+.25+2.25 = 5, / (4-1) = 5/3.
    # Item 2: 2,3,3,4, mean 3, 1+0+0+1 = 2, / 3 = 2/3.
    # Item 3: 2,3,4,5, mean 3.5, 5, / 3 = 5/3.
    # s̄² = (5/3 + 2/3 + 5/3) / 3 = 4/3.
    assert mean_item_variance(TEAM) == pytest.approx(4 / 3)


def test_rwg_j_by_hand_on_five_and_seven_points() -> None:
    # 5 points: r = s̄²/sigma²_EU = (4/3)/2 = 2/3; J(1 - r) = 3 * 1/3 = 1;
    # rwg(j) = 1/(1 + 2/3) = 3/5.
    assert rwg_j(4 / 3, 3, 2.0) == pytest.approx(3 / 5)
    # 7 points: r = (4/3)/4 = 1/3; J(1 - r) = 3 * 2/3 = 2; rwg(j) = 2/(2 + 1/3) = 6/7.
    assert rwg_j(4 / 3, 3, 4.0) == pytest.approx(6 / 7)
    # Lindell: 1 - r = 1/3 (5 points) and 2/3 (7 points).
    assert r_star_wg_j(4 / 3, 2.0) == pytest.approx(1 / 3)
    assert r_star_wg_j(4 / 3, 4.0) == pytest.approx(2 / 3)


def test_perfect_agreement_is_one() -> None:
    same = np.full((5, 6), 6.0)
    assert mean_item_variance(same) == 0.0
    assert rwg_j(0.0, 6, 4.0) == 1.0
    assert r_star_wg_j(0.0, 4.0) == 1.0


def test_rwg_j_truncates_to_zero_and_lindell_goes_negative() -> None:
    # Answers 1,5,1,5 on every item of a 5-point scale: mean 3, squared deviations 4 each,
    # variance 16/3 = 5.33 > sigma²_EU = 2, so rwg(j) = 0; r*wg(j) = 1 - (16/3)/2 = -5/3.
    split = np.array([[1, 1], [5, 5], [1, 1], [5, 5]], dtype=float)
    spread = mean_item_variance(split)
    assert spread == pytest.approx(16 / 3)
    assert rwg_j(spread, 2, 2.0) == 0.0
    assert r_star_wg_j(spread, 2.0) == pytest.approx(-5 / 3)


def test_item_variance_uses_answered_members_only() -> None:
    # Item 2 answered by two members (3 and 5): variance (1 + 1)/1 = 2; item 1: 2,2,2 -> 0.
    # Item 3 answered once: no variance, left out. s̄² = (0 + 2)/2 = 1.
    team = np.array([[2, 3, np.nan], [2, 5, 4], [2, np.nan, np.nan]])
    assert mean_item_variance(team) == pytest.approx(1.0)


def test_icc_unequal_team_sizes_by_hand() -> None:
    teams = [np.array([2.0, 3, 4]), np.array([4.0, 5, 6, 5]), np.array([7.0, 9])]
    # N = 9, G = 3, grand mean = (9 + 20 + 16)/9 = 5; team means 3, 5, 8.
    # SSB = 3(3-5)² + 4(5-5)² + 2(8-5)² = 12 + 0 + 18 = 30;  MSB = 30/(3-1) = 15.
    # SSW = (1+0+1) + (1+0+1+0) + (1+1) = 6;                 MSW = 6/(9-3) = 1.
    # k0 = (N - Σn²/N)/(G-1) = (9 - (9+16+4)/9)/2 = (52/9)/2 = 26/9.
    # ICC(1) = (15-1)/(15 + (26/9 - 1)*1) = 14/(152/9) = 126/152 = 63/76.
    # ICC(2) = (15-1)/15 = 14/15.
    icc = icc_oneway(teams)
    assert icc is not None
    assert (icc.msb, icc.msw) == (pytest.approx(15.0), pytest.approx(1.0))
    assert icc.k0 == pytest.approx(26 / 9)
    assert icc.icc1 == pytest.approx(63 / 76)
    assert icc.icc2 == pytest.approx(14 / 15)
    # Independent check: ICC(2) = 1 - 1/F with scipy's one-way ANOVA F = MSB/MSW = 15.
    assert stats.f_oneway(*teams).statistic == pytest.approx(15.0)


def test_icc_equal_sizes_obeys_spearman_brown() -> None:
    rng = np.random.default_rng(3)
    teams = [rng.normal(loc, 1.0, size=6) for loc in (0.0, 0.5, 1.0, 0.2)]
    icc = icc_oneway(teams)
    # With equal sizes k0 = k = 6 and ICC(2) = k·ICC(1) / (1 + (k-1)·ICC(1)).
    assert icc.k0 == pytest.approx(6.0)
    assert icc.icc2 == pytest.approx(6 * icc.icc1 / (1 + 5 * icc.icc1))


def test_icc_negative_when_teams_differ_less_than_chance() -> None:
    # Identical team means: SSB = 0 so MSB = 0 < MSW = (2+2)/(6-2) = 1:
    # ICC(1) = (0 - 1)/(0 + (3 - 1)*1) = -1/2, reported as computed; ICC(2) undefined (MSB = 0).
    icc = icc_oneway([np.array([1.0, 2, 3]), np.array([1.0, 2, 3])])
    assert icc.icc1 == pytest.approx(-0.5)
    assert icc.icc2 is None


def test_icc_needs_two_teams_and_within_team_spread() -> None:
    assert icc_oneway([np.array([1.0, 2, 3])]) is None
    assert icc_oneway([np.array([1.0]), np.array([2.0])]) is None
