"""A determined reader against the published copy: can a suppressed team be recovered?

The attack tried (the one that worked against an earlier build, which computed the ICCs over
all respondents): from ICC(2) take F = MSB/MSW = 1/(1 - ICC(2)); from ICC(1) = (F - 1)/(F + k0 - 1)
take k0; k0 with every shown team's n gives the hidden team's size; MSB and MSW with the shown
teams' n, mean and SD leave the hidden team's answer total, and because answers are integers the
lattice of totals narrows it to one or two candidates. Here:

- wave 2024-q1 has one suppressed team (gamma, 4 respondents), wave 2024-q2 two (gamma, 4, and
  a pair, 2); both for Westrum and psychological safety;
- everything is read from the published copy, to full precision;
- step 1: the k0 implied by the published ICCs is the shown teams' own k0, and adding a hidden
  team of any size below the minimum would change it: the ICC carries no hidden team;
- step 2: every integer answer total of the hidden teams gives the same published copy, value for
  value: every total is consistent, so the lattice search finds them all, not one.
"""

from __future__ import annotations

import itertools

import duckdb
import numpy as np
import pytest
from culture_survey import ALPHA_WESTRUM, BETA_WESTRUM, GAMMA_PSYSAFE, GAMMA_WESTRUM
from culture_warehouse import declare_wave, insert_answers

from models.culture import build_culture_tables
from warehouse.publish import publish_read_only_copy

SHOWN_PSYSAFE = {
    "alpha": [
        [6, 2, 6, 2, 5, 2, 6],
        [5, 3, 6, 2, 6, 3, 5],
        [6, 2, 5, 3, 6, 2, 6],
        [7, 1, 6, 2, 5, 3, 6],
        [6, 2, 6, 2, 6, 2, 7],
    ],
    "beta": [
        [3, 5, 3, 5, 3, 4, 4],
        [4, 4, 3, 5, 4, 4, 3],
        [3, 5, 4, 4, 3, 5, 4],
        [4, 4, 4, 4, 4, 4, 4],
        [3, 4, 3, 5, 3, 5, 3],
    ],
}
PAIR = [[7, 7, 7, 6, 7, 7], [1, 2, 1, 1, 2, 1]]
MINIMUM = 5


def item_ids(con: duckdb.DuckDBPyConnection, instrument: str) -> list[str]:
    rows = con.execute(
        "select item_id from meta.survey_items where instrument = ? order by position",
        [instrument],
    ).fetchall()
    return [item for (item,) in rows]


def load(con, hidden_westrum, hidden_psysafe, pair_westrum) -> None:
    """Two waves; the shown teams never change, the hidden teams' answers are the arguments."""
    con.execute("delete from raw.survey_answers")
    con.execute("delete from raw.survey_waves")
    westrum, psysafe = item_ids(con, "westrum"), item_ids(con, "psysafe")
    for wave, closes in (("2024-q1", "2024-03-29"), ("2024-q2", "2024-06-28")):
        declare_wave(con, wave, "westrum", closes)
        declare_wave(con, wave, "psysafe", closes)
        insert_answers(con, wave, "westrum", "alpha", westrum, ALPHA_WESTRUM)
        insert_answers(con, wave, "westrum", "beta", westrum, BETA_WESTRUM[:5])
        insert_answers(con, wave, "westrum", "gamma", westrum, hidden_westrum)
        for team, matrix in SHOWN_PSYSAFE.items():
            insert_answers(con, wave, "psysafe", team, psysafe, matrix)
        insert_answers(con, wave, "psysafe", "gamma", psysafe, hidden_psysafe)
    insert_answers(con, "2024-q2", "westrum", "pair", westrum, pair_westrum)
    insert_answers(con, "2024-q2", "psysafe", "pair", psysafe, [[*r, 4] for r in pair_westrum])


def published(con, tmp_path, name: str) -> dict[str, list[dict]]:
    """Every row of every table of the published copy, to full precision, as dicts."""
    build_culture_tables(con, anonymity_minimum=MINIMUM)
    path = publish_read_only_copy(con, tmp_path / f"{name}.duckdb")
    reader = duckdb.connect(str(path), read_only=True)
    try:
        tables = reader.execute(
            "select schema_name, table_name from duckdb_tables() order by all"
        ).fetchall()
        copy = {}
        for schema, table in tables:
            # Names from the copy's own catalog.
            cursor = reader.execute(f'select * from "{schema}"."{table}" order by all')
            names = [column[0] for column in cursor.description]
            copy[f"{schema}.{table}"] = [
                dict(zip(names, r, strict=True)) for r in cursor.fetchall()
            ]
        return copy
    finally:
        reader.close()


def k0_of(sizes: list[int]) -> float:
    total = sum(sizes)
    return (total - sum(n * n for n in sizes) / total) / (len(sizes) - 1)


def k0_from_iccs(icc1: float, icc2: float) -> float:
    f = 1 / (1 - icc2)
    return (f - 1) / icc1 - f + 1


def with_total(shape: tuple[int, int], total: int) -> list[list[int]]:
    """A respondents x items matrix of answers 1..7 whose sum is `total` (filled row by row)."""
    cells = np.ones(shape, dtype=int)
    left = total - cells.sum()
    for index in itertools.product(range(shape[0]), range(shape[1])):
        step = min(6, left)
        cells[index] += step
        left -= step
    assert left == 0 and cells.sum() == total
    return cells.tolist()


@pytest.fixture
def baseline(warehouse, tmp_path):
    load(warehouse, GAMMA_WESTRUM, GAMMA_PSYSAFE, PAIR)
    return published(warehouse, tmp_path, "baseline")


def test_step_1_the_published_iccs_hold_no_hidden_team(baseline) -> None:
    reliability = baseline["analysis.reliability"]
    assert len(reliability) == 4  # two waves x two instruments, none wholly suppressed
    for row in reliability:
        shown = [
            team["n_respondents"]
            for team in baseline["marts.culture_team_wave"]
            if (team["wave"], team["instrument"]) == (row["wave"], row["instrument"])
            and not team["suppressed"]
        ]
        assert len(shown) == 2  # alpha and beta
        implied = k0_from_iccs(row["icc1"], row["icc2"])
        # The ICCs are the shown teams' own: their k0 is the one implied...
        assert implied == pytest.approx(k0_of(shown), abs=1e-9)
        # ...and a hidden team of any size below the minimum would give another one.
        for hidden in range(1, MINIMUM):
            assert abs(k0_of([*shown, hidden]) - implied) > 1e-3
        # No wave total either: the counts are the shown teams' sum.
        assert row["n_respondents"] == sum(shown)


def test_step_2_every_integer_total_of_the_hidden_teams_is_consistent(
    warehouse, tmp_path, baseline
) -> None:
    # gamma's Westrum answers: 4 x 6 items, totals 24..168; the pair's: 2 x 6, totals 12..84.
    # A solution is consistent when the published copy built from it equals the real one.
    consistent = []
    for gamma_total, pair_total in [(24, 12), (60, 30), (97, 48), (131, 70), (168, 84)]:
        load(
            warehouse,
            with_total((4, 6), gamma_total),
            with_total((4, 7), gamma_total + 4),
            with_total((2, 6), pair_total),
        )
        if published(warehouse, tmp_path, f"candidate_{gamma_total}") == baseline:
            consistent.append((gamma_total, pair_total))
    # Far more than one solution: every total tried, from all 1s to all 7s, fits.
    assert len(consistent) == 5
