"""End to end on a DuckDB file: scores, reliability rows, documentation and atomic replacement."""

from __future__ import annotations

import duckdb
import numpy as np
import pytest
from culture_survey import ALPHA_WESTRUM, BETA_WESTRUM, GAMMA_WESTRUM, TEAM_SIZES, load_survey
from scipy import stats

import models.culture.writing as writing
from models.culture import build_culture_tables

CULTURE_TABLES = ("marts.culture_team_wave", "marts.culture_org_wave", "analysis.reliability")


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _team(con: duckdb.DuckDBPyConnection, team: str, wave: str, instrument: str) -> dict:
    (row,) = _rows(
        con,
        "select * from marts.culture_team_wave where team = ? and wave = ? and instrument = ?",
        [team, wave, instrument],
    )
    return row


@pytest.fixture
def built(warehouse: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    load_survey(warehouse)
    build_culture_tables(warehouse, team_sizes=TEAM_SIZES)
    return warehouse


def test_psysafe_seven_everywhere_team(built: duckdb.DuckDBPyConnection) -> None:
    # Six people answering 7 to all seven items each score (7*4 + 1*3)/7 = 31/7 = 4.43: identical
    # scores give SD 0 and item variances 0, so rwg(j) = r*wg(j) = 1. 31/7 lies between the
    # equal-thirds cut points 3 and 5: "moderate". Response rate 6 of a roster of 8.
    row = _team(built, "alpha", "2024-q1", "psysafe")
    assert row["mean"] == pytest.approx(31 / 7)
    assert row["sd"] == pytest.approx(0.0, abs=1e-12)
    assert (row["rwg_j"], row["r_star_wg_j"]) == (1.0, 1.0)
    assert row["typology_band"] == "moderate"
    assert row["band_convention"].startswith("Candor convention, not DORA's")
    assert row["response_rate"] == pytest.approx(6 / 8)


def test_westrum_team_figures_and_dropped_respondent(built: duckdb.DuckDBPyConnection) -> None:
    beta = _team(built, "beta", "2024-q1", "westrum")
    # Sums 27, 27, 26, 28, 27 over 6 items: mean = 135/30 = 4.5; the sixth person answered 3 of
    # 6 items (< 5 needed) and is dropped; 5 scored of a roster of 6.
    assert (beta["n_respondents"], beta["n_dropped_missing"], beta["suppressed"]) == (5, 1, False)
    assert beta["mean"] == pytest.approx(135 / 30)
    assert beta["response_rate"] == pytest.approx(5 / 6)
    # Person scores 27/6, 27/6, 26/6, 28/6, 27/6: deviations from 4.5 are 0, 0, -1/6, 1/6, 0,
    # so SD = sqrt((2/36)/4) = sqrt(1/72).
    assert beta["sd"] == pytest.approx((1 / 72) ** 0.5)
    # Items of beta: each column is a mix of 4s and 5s: (3,2), (2,3), (2,3), (2,3), (3,2), (2,3)
    # fours/fives; with 3 and 2 of a kind the sample variance is 0.3 for every item, s̄² = 0.3.
    # 7 points: r = 0.3/4 = 0.075; rwg(j) = 6*0.925/(6*0.925 + 0.075) = 5.55/5.625.
    assert beta["rwg_j"] == pytest.approx(5.55 / 5.625)
    assert beta["r_star_wg_j"] == pytest.approx(0.925)
    assert beta["low_agreement"] is False
    assert _team(built, "alpha", "2024-q1", "westrum")["typology_band"] == "generative"


def test_reliability_row(built: duckdb.DuckDBPyConnection) -> None:
    query = "select * from analysis.reliability where instrument = ? and wave = ?"
    (row,) = _rows(built, query, ["westrum", "2024-q1"])
    # gamma (4 scored) is below the default minimum of 5, so the row rests on alpha and beta
    # only: scored 6 + 5 = 11, dropped beta's sixth person, complete 11; the total minus the
    # shown teams' counts is 0, whatever gamma's count.
    assert (row["n_respondents"], row["n_dropped_missing"], row["n_complete"]) == (11, 1, 11)
    assert (row["n_teams"], row["icc_n_teams"]) == (2, 2)
    assert "shown team-waves only" in row["method_notes"]
    build_culture_tables(built, anonymity_minimum=3)  # every team shown: counts visible
    (row,) = _rows(built, query, ["westrum", "2024-q1"])
    # Scored: alpha 6 + beta 5 + gamma 4 = 15; dropped: beta's sixth person. Complete cases:
    # 6 + 5 + 3 (gamma's fourth person skipped an item) = 14.
    assert (row["n_respondents"], row["n_dropped_missing"], row["n_complete"]) == (15, 1, 14)
    assert (row["n_teams"], row["icc_n_teams"], row["n_items"]) == (3, 3, 6)
    assert "at least 5 of 6 items" in row["missing_rule"]
    assert 0 < row["alpha"] <= 1 and 0 < row["omega"] <= 1
    # Independent ICC(2) = 1 - 1/F from scipy's one-way ANOVA on the person scores.
    scores = [
        [sum(r) / 6 for r in ALPHA_WESTRUM],
        [sum(r) / 6 for r in BETA_WESTRUM[:5]],
        [np.mean([a for a in r if a is not None]) for r in GAMMA_WESTRUM],
    ]
    assert row["icc2"] == pytest.approx(1 - 1 / stats.f_oneway(*scores).statistic)
    assert row["icc1"] < row["icc2"]


def test_every_table_and_column_is_documented(built: duckdb.DuckDBPyConnection) -> None:
    for name in CULTURE_TABLES:
        schema, table = name.split(".")
        (comment,) = built.execute(
            "select comment from duckdb_tables() where schema_name = ? and table_name = ?",
            [schema, table],
        ).fetchone()
        assert comment, name
        undocumented = built.execute(
            "select column_name from duckdb_columns() where schema_name = ? and table_name = ? "
            "and (comment is null or comment = '')",
            [schema, table],
        ).fetchall()
        assert undocumented == [], name


def test_missing_rule_per_instrument(warehouse: duckdb.DuckDBPyConnection) -> None:
    load_survey(warehouse)
    rules = {"westrum": {"min_answered": 6}}
    summary = build_culture_tables(warehouse, anonymity_minimum=3, missing_rules=rules)
    # Requiring all 6 items also drops gamma's fourth person (gamma keeps 3 scored, shown at a
    # minimum of 3): beta's sixth and gamma's fourth, 2 dropped in westrum 2024-q1.
    assert summary.dropped_missing[("westrum", "2024-q1")] == 2
    # At the default minimum gamma is suppressed and its drops are counted nowhere.
    summary = build_culture_tables(warehouse, missing_rules=rules)
    assert summary.dropped_missing[("westrum", "2024-q1")] == 1
    assert summary.dropped_missing[("psysafe", "2024-q1")] == 0


def test_configuration_errors_are_clear(warehouse: duckdb.DuckDBPyConnection) -> None:
    load_survey(warehouse)
    with pytest.raises(ValueError, match=r"anonymity minimum 2 is too low.*at least 3"):
        build_culture_tables(warehouse, anonymity_minimum=2)
    with pytest.raises(ValueError, match=r"missing_rules names instrument\(s\) \['westrun'\]"):
        build_culture_tables(warehouse, missing_rules={"westrun": {"min_answered": 5}})
    with pytest.raises(ValueError, match=r"team 'alpha' has 6 respondents.*roster of 5"):
        build_culture_tables(warehouse, team_sizes={"alpha": 5})


def test_failed_build_leaves_previous_tables(
    built: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = built.execute("select count(*) from marts.culture_team_wave").fetchone()

    def fail_on_org(con: duckdb.DuckDBPyConnection, sql_file: str, rows: list) -> None:
        if "org" in sql_file:
            raise RuntimeError("disk full")
        original(con, sql_file, rows)

    original = writing._insert
    monkeypatch.setattr(writing, "_insert", fail_on_org)
    with pytest.raises(RuntimeError, match="disk full"):
        build_culture_tables(built, team_sizes={**TEAM_SIZES, "epsilon": 3})
    # The new build would have added epsilon's rows; the rollback keeps the previous build whole.
    assert built.execute("select count(*) from marts.culture_team_wave").fetchone() == before
    assert built.execute("select count(*) from marts.culture_org_wave").fetchone()[0] == 3


def test_missing_survey_tables_name_the_migration() -> None:
    with duckdb.connect() as empty, pytest.raises(ValueError, match=r"002_surveys\.sql"):
        build_culture_tables(empty)
