"""Anonymity: the 4-respondent team gamma is unreadable in every object of marts and analysis."""

from __future__ import annotations

import duckdb
import numpy as np
import pytest
from culture_survey import (
    ALPHA_WESTRUM,
    BETA_WESTRUM,
    GAMMA_PSYSAFE,
    GAMMA_WESTRUM,
    TEAM_SIZES,
    WESTRUM_IDS,
    load_survey,
)
from culture_warehouse import declare_wave, insert_answers
from scipy import stats

from models.culture import build_culture_tables

# Columns that may be filled in a suppressed team row: keys, the flag and configuration.
NOT_FIGURES = {
    "team",
    "wave",
    "instrument",
    "closes_on",
    "suppressed",
    "suppression_reason",
    "anonymity_minimum",
    "team_size",
    "band_convention",
    "scale_points",
    "n_items",
}


def _figures(matrix: list[list[int | None]], reversed_items: tuple[int, ...]) -> dict[str, float]:
    """gamma's would-be figures, straight from the definitions (7 points, sigma²_EU = 4)."""
    codes = np.array(matrix, dtype=float)  # None becomes NaN
    codes[:, list(reversed_items)] = 8 - codes[:, list(reversed_items)]
    scores = np.nanmean(codes, axis=1)
    ratio = np.nanvar(codes, axis=0, ddof=1).mean() / 4
    j = codes.shape[1]
    return {
        "mean": scores.mean(),
        "sd": scores.std(ddof=1),
        "rwg_j": max(0.0, j * (1 - ratio) / (j * (1 - ratio) + ratio)),
        "r_star_wg_j": 1 - ratio,
    }


HIDDEN = {
    "westrum": _figures(GAMMA_WESTRUM, ()),
    "psysafe": _figures(GAMMA_PSYSAFE, (0, 2, 4)),
}


def _objects(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        """
        select schema_name || '.' || table_name from duckdb_tables()
        where schema_name in ('marts', 'analysis')
        union all
        select schema_name || '.' || view_name from duckdb_views()
        where schema_name in ('marts', 'analysis') and not internal
        """
    ).fetchall()
    return sorted(name for (name,) in rows)


def _rows(con: duckdb.DuckDBPyConnection, name: str) -> list[dict]:
    # `name` comes from the catalog listing above, not from input.
    cursor = con.execute(f"select * from {name}")
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture
def built(warehouse: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    load_survey(warehouse)
    build_culture_tables(warehouse, anonymity_minimum=5, team_sizes=TEAM_SIZES)
    return warehouse


def test_hidden_figures_are_what_the_definitions_say() -> None:
    # Sanity of the yardstick: gamma's Westrum person scores are 14/6, 10/6, 16/6 and 8/5
    # (the fourth person answered 5 items), so the team mean is (20/3 + 8/5)/4 = 31/15.
    assert HIDDEN["westrum"]["mean"] == pytest.approx(31 / 15)


def test_no_object_in_marts_or_analysis_reveals_the_small_team(
    built: duckdb.DuckDBPyConnection,
) -> None:
    objects = _objects(built)
    assert {"marts.culture_team_wave", "marts.culture_org_wave", "analysis.reliability"} <= set(
        objects
    )
    hidden_values = [value for figures in HIDDEN.values() for value in figures.values()]
    for name in objects:
        for row in _rows(built, name):
            if row.get("team") == "gamma" and row.get("wave") == "2024-q1":
                shown = {k: v for k, v in row.items() if k not in NOT_FIGURES and v is not None}
                assert shown == {}, f"{name} shows {shown} for the suppressed team"
            for column, value in row.items():
                if isinstance(value, int | float) and not isinstance(value, bool):
                    for hidden in hidden_values:
                        assert abs(value - hidden) > 1e-9, f"{name}.{column} = {hidden}"


def test_suppressed_teams_are_listed_with_flag(built: duckdb.DuckDBPyConnection) -> None:
    rows = {
        row["team"]: row
        for row in _rows(built, "marts.culture_team_wave")
        if row["wave"] == "2024-q1" and row["instrument"] == "westrum"
    }
    assert sorted(rows) == ["alpha", "beta", "delta", "gamma"]
    for team in ("gamma", "delta"):  # 4 respondents; no answers at all
        assert rows[team]["suppressed"] is True
        assert rows[team]["n_respondents"] is None
        assert "fewer than 5 respondents" in rows[team]["suppression_reason"]
    assert rows["beta"]["suppressed"] is False  # exactly 5 scored: shown


def test_org_minus_visible_teams_leaves_nothing(built: duckdb.DuckDBPyConnection) -> None:
    teams = _rows(built, "marts.culture_team_wave")
    for org in _rows(built, "marts.culture_org_wave"):
        visible = [
            t
            for t in teams
            if (t["wave"], t["instrument"]) == (org["wave"], org["instrument"])
            and not t["suppressed"]
        ]
        n_visible = sum(t["n_respondents"] for t in visible)
        assert org["n_respondents_shown"] == n_visible
        # Org total of person scores minus the visible teams' totals: what subtraction would
        # attribute to the suppressed teams. It must be nothing at all.
        left_over = org["n_respondents_shown"] * org["mean"] - sum(
            t["n_respondents"] * t["mean"] for t in visible
        )
        assert left_over == pytest.approx(0, abs=1e-9)
        assert org["mean_of_team_means"] * len(visible) == pytest.approx(
            sum(t["mean"] for t in visible)
        )


def test_org_wave_counts_and_mean_by_hand(built: duckdb.DuckDBPyConnection) -> None:
    (q1,) = [
        r
        for r in _rows(built, "marts.culture_org_wave")
        if (r["wave"], r["instrument"]) == ("2024-q1", "westrum")
    ]
    # Shown: alpha (item total 209) and beta (135), 11 people x 6 items: (209 + 135)/66.
    assert (q1["n_teams"], q1["n_teams_shown"], q1["n_teams_suppressed"]) == (4, 2, 2)
    assert q1["mean"] == pytest.approx(344 / 66)
    (q3,) = [r for r in _rows(built, "marts.culture_org_wave") if r["wave"] == "2024-q3"]
    # In 2024-q3 gamma has 5 respondents and is shown; only delta (no answers) is suppressed.
    assert (q3["n_teams_shown"], q3["n_teams_suppressed"], q3["n_respondents_shown"]) == (3, 1, 16)


def test_a_wave_of_only_small_teams_hides_reliability_too(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    declare_wave(warehouse, "2024-q1", "westrum", "2024-03-29")
    insert_answers(warehouse, "2024-q1", "westrum", "gamma", WESTRUM_IDS, GAMMA_WESTRUM)
    insert_answers(warehouse, "2024-q1", "westrum", "solo", WESTRUM_IDS, ALPHA_WESTRUM[:3])
    build_culture_tables(warehouse)
    (reliability,) = _rows(warehouse, "analysis.reliability")
    assert reliability["suppressed"] is True
    assert [reliability[k] for k in ("alpha", "omega", "icc1", "icc2", "n_respondents")] == [
        None,
        None,
        None,
        None,
        None,
    ]
    (org,) = _rows(warehouse, "marts.culture_org_wave")
    assert (org["n_teams_shown"], org["mean"], org["sd"]) == (0, None, None)


def test_minimum_is_configurable_but_never_below_three(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    load_survey(warehouse)
    build_culture_tables(warehouse, anonymity_minimum=3)
    (gamma,) = [
        r
        for r in _rows(warehouse, "marts.culture_team_wave")
        if (r["team"], r["wave"], r["instrument"]) == ("gamma", "2024-q1", "westrum")
    ]
    assert gamma["suppressed"] is False
    assert gamma["mean"] == pytest.approx(31 / 15)
    with pytest.raises(ValueError, match="at least 3"):
        build_culture_tables(warehouse, anonymity_minimum=2)


def test_suppressed_teams_are_in_no_instrument_figure(warehouse: duckdb.DuckDBPyConnection) -> None:
    declare_wave(warehouse, "2024-q1", "westrum", "2024-03-29")
    insert_answers(warehouse, "2024-q1", "westrum", "alpha", WESTRUM_IDS, ALPHA_WESTRUM)
    insert_answers(warehouse, "2024-q1", "westrum", "beta", WESTRUM_IDS, BETA_WESTRUM[:5])
    # Two suppressed teams: gamma (4 respondents) and a one-person team.
    insert_answers(warehouse, "2024-q1", "westrum", "gamma", WESTRUM_IDS, GAMMA_WESTRUM)
    insert_answers(warehouse, "2024-q1", "westrum", "solo", WESTRUM_IDS, [[1, 1, 1, 1, 1, 2]])
    build_culture_tables(warehouse)
    (row,) = _rows(warehouse, "analysis.reliability")
    # Every figure rests on alpha and beta only (6 + 5 respondents, all complete).
    shown = np.array(ALPHA_WESTRUM + BETA_WESTRUM[:5], dtype=float)
    alpha = [sum(r) / 6 for r in ALPHA_WESTRUM]
    beta = [sum(r) / 6 for r in BETA_WESTRUM[:5]]
    # ICC(2) = 1 - 1/F of their person scores; alpha = k/(k-1) (1 - sum item var / var of sum).
    cronbach = 6 / 5 * (1 - shown.var(axis=0, ddof=1).sum() / shown.sum(axis=1).var(ddof=1))
    assert (row["n_teams"], row["icc_n_teams"]) == (2, 2)
    assert (row["n_respondents"], row["n_complete"], row["n_dropped_missing"]) == (11, 11, 0)
    assert row["icc2"] == pytest.approx(1 - 1 / stats.f_oneway(alpha, beta).statistic)
    assert row["alpha"] == pytest.approx(cronbach)
    assert "shown team-waves only" in row["method_notes"]
    assert "(2 left out)" in row["method_notes"]
