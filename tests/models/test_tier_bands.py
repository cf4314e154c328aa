"""marts.dora_tier_bands: every value falls in exactly one band, and the cells are dora.md's."""

from __future__ import annotations

import itertools

import pytest


@pytest.fixture(scope="module")
def bands(models):
    from dora_world import new_world

    world = new_world(models)
    world.run()
    rows = world.rows("select * from marts.dora_tier_bands")
    world.con.close()
    return rows


def test_each_table_covers_zero_to_infinity_without_gaps_or_overlaps(bands):
    tables: dict[tuple, list[dict]] = {}
    for row in bands:
        tables.setdefault((row["benchmark"], row["report_year"], row["metric"]), []).append(row)
    # 3 report years x 4 metrics, and Quick Check buckets for the 3 banded metrics
    assert len(tables) == 15
    for key, rows in tables.items():
        rows.sort(key=lambda row: row["lower_bound"])
        assert rows[0]["lower_bound"] == 0.0, key
        assert rows[-1]["upper_bound"] is None, key
        for below, above in itertools.pairwise(rows):
            assert below["upper_bound"] == above["lower_bound"], key


def test_cells_transcribe_dora_md(bands):
    def band(benchmark, year, metric, tier):
        (row,) = [r for r in bands if (r["benchmark"], r["report_year"], r["metric"], r["tier"])
                  == (benchmark, year, metric, tier)]
        return row["lower_bound"], row["upper_bound"], row["certainty"]

    # 2024 CFR inversion kept: medium (10 %) sits below high (20 %)
    assert band("dora_tier", 2024, "change_failure_rate", "medium") == (0.075, 0.15, "secondary")
    assert band("dora_tier", 2024, "change_failure_rate", "high") == (0.15, 0.30, "secondary")
    # 2024 recovery is disputed; 2023 low lead time is unconfirmed
    assert band("dora_tier", 2024, "recovery_time", "high/medium")[2] == "disputed"
    assert band("dora_tier", 2023, "lead_time", "medium/low") == (168.0, None, "unconfirmed")
    # 2021 lead time: elite < 1 h, and 1 h .. 1 week goes to high (worse neighbour of the gap)
    assert band("dora_tier", 2021, "lead_time", "high") == (1.0, 168.0, "primary")
    # Quick Check: one week to one month = bucket 3 = [7 d, 30 d)
    codes = {(r["metric"], r["quick_check_code"]): (r["lower_bound"], r["upper_bound"])
             for r in bands if r["benchmark"] == "quick_check"}
    assert codes[("lead_time", 3)] == (168.0, 720.0)
    assert codes[("deployment_frequency", 6)] == (2.0, None)
    assert codes[("deployment_frequency", 3)] == (pytest.approx(1 / 31), pytest.approx(1 / 7))
