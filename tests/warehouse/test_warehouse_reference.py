"""Team reference tables: replaced together from candor.yaml at each run."""

from __future__ import annotations

import pytest

from warehouse.errors import WarehouseLoadError
from warehouse.reference import write_team_reference

PROD = r"(?i)^(production|prod-.+)$"


def rows(con, table):
    return con.execute(f"select * from {table} order by all").fetchall()


def test_reference_tables_are_replaced_not_appended(con):
    write_team_reference(
        con,
        [("payments", "github", "acme/ledger", PROD), ("web", "github", "acme/web", PROD)],
        [("payments", "github", "alice-p", "Alice"), ("web", "github", "bob-k", "Bob")],
        {"benchmark_year": "2024", "anonymity_minimum": "5"},
    )
    write_team_reference(
        con,
        [("payments", "github", "acme/ledger", PROD)],
        [("payments", "github", "alice-p", "Alice")],
        {"benchmark_year": "2023"},
    )

    assert rows(con, "meta.team_repos") == [("payments", "github", "acme/ledger", PROD)]
    assert rows(con, "meta.team_members") == [("payments", "github", "alice-p", "Alice")]
    assert rows(con, "meta.settings") == [("benchmark_year", "2023")]


def test_a_repository_given_to_two_teams_is_refused_and_nothing_changes(con):
    write_team_reference(con, [("web", "github", "acme/web", PROD)], [], {"benchmark_year": "2024"})

    with pytest.raises(WarehouseLoadError, match=r"meta\.team_repos.*one team only"):
        write_team_reference(
            con,
            [("web", "github", "acme/web", PROD), ("payments", "github", "acme/web", PROD)],
            [("payments", "github", "alice-p", "Alice")],
            {"benchmark_year": "2023"},
        )

    assert rows(con, "meta.team_repos") == [("web", "github", "acme/web", PROD)]
    assert rows(con, "meta.team_members") == []
    assert rows(con, "meta.settings") == [("benchmark_year", "2024")]
