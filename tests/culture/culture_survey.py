"""A small surveyed organization for the end-to-end build tests.

Wave 2024-q1: teams alpha (6 respondents) and beta (6 submitted, one answers only 3 of 6 Westrum
items and is dropped, so exactly 5 = the minimum are scored) are shown; gamma has 4 respondents
and must be suppressed everywhere; delta is on the roster but answered nothing. In wave 2024-q3
gamma has 5 respondents and is shown.
"""

from __future__ import annotations

import duckdb
from culture_warehouse import PSYSAFE_ITEMS, WESTRUM_ITEMS, declare_wave, insert_answers

WESTRUM_IDS = [item_id for item_id, _ in WESTRUM_ITEMS]
PSYSAFE_IDS = [item_id for item_id, _ in PSYSAFE_ITEMS]

TEAM_SIZES = {"alpha": 8, "beta": 6, "gamma": 6, "delta": 4}

ALPHA_WESTRUM = [
    [6, 6, 5, 6, 6, 5],  # sum 34
    [5, 6, 6, 5, 6, 6],  # 34
    [6, 5, 6, 6, 5, 6],  # 34
    [7, 6, 6, 6, 6, 7],  # 38
    [6, 6, 6, 5, 6, 6],  # 35
    [5, 5, 6, 6, 6, 6],  # 34   -> total 209 over 6 people x 6 items
]
BETA_WESTRUM = [
    [4, 5, 4, 5, 4, 5],  # 27
    [5, 4, 5, 4, 5, 4],  # 27
    [4, 4, 5, 5, 4, 4],  # 26
    [5, 5, 4, 4, 5, 5],  # 28
    [4, 5, 5, 4, 4, 5],  # 27   -> total 135 over 5 scored people
    [6, 6, None, None, 6, None],  # 3 of 6 answered: dropped by the missing-item rule
]
GAMMA_WESTRUM = [  # the 4-respondent team: nothing of it may be readable
    [2, 2, 3, 2, 2, 3],
    [1, 2, 2, 1, 2, 2],
    [3, 3, 2, 3, 3, 2],
    [2, 1, None, 2, 1, 2],  # 5 of 6 answered: scored on those 5
]
ALPHA_PSYSAFE = [[7] * 7 for _ in range(6)]  # every person scores (7*4 + 1*3)/7
BETA_PSYSAFE = [
    [2, 6, 2, 6, 2, 6, 6],
    [3, 5, 2, 5, 3, 6, 5],
    [2, 6, 3, 5, 2, 5, 6],
    [3, 5, 3, 6, 2, 5, 5],
    [2, 6, 2, 6, 3, 6, 6],
]
GAMMA_PSYSAFE = [
    [6, 2, 6, 3, 5, 2, 3],
    [5, 3, 6, 2, 6, 3, 2],
    [6, 2, 5, 2, 6, 2, 3],
    [7, 1, 6, 2, 5, 3, 2],
]
GAMMA_WESTRUM_Q3 = [
    [4, 4, 4, 4, 4, 4],
    [5, 4, 4, 5, 4, 4],
    [4, 5, 4, 4, 5, 4],
    [4, 4, 5, 4, 4, 5],
    [3, 4, 4, 4, 4, 4],
]


def load_survey(con: duckdb.DuckDBPyConnection) -> None:
    declare_wave(con, "2024-q1", "westrum", "2024-03-29")
    declare_wave(con, "2024-q1", "psysafe", "2024-03-29")
    declare_wave(con, "2024-q3", "westrum", "2024-09-27")
    q1_westrum = (("alpha", ALPHA_WESTRUM), ("beta", BETA_WESTRUM), ("gamma", GAMMA_WESTRUM))
    for team, matrix in q1_westrum:
        insert_answers(con, "2024-q1", "westrum", team, WESTRUM_IDS, matrix)
    q1_psysafe = (("alpha", ALPHA_PSYSAFE), ("beta", BETA_PSYSAFE), ("gamma", GAMMA_PSYSAFE))
    for team, matrix in q1_psysafe:
        insert_answers(con, "2024-q1", "psysafe", team, PSYSAFE_IDS, matrix)
    q3 = (("alpha", ALPHA_WESTRUM), ("beta", BETA_WESTRUM[:5]), ("gamma", GAMMA_WESTRUM_Q3))
    for team, matrix in q3:
        insert_answers(con, "2024-q3", "westrum", team, WESTRUM_IDS, matrix)
