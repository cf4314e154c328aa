"""The SQL runner: headers, dependencies, documentation comments, transactions."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from models.runner import ModelRunError, run_all, run_model
from models.sql_files import ModelFileError, discover_models, read_dependencies, read_model
from warehouse.sql_text import sql_string_literal


def write_model(folder: Path, name: str, body: str) -> Path:
    path = folder / f"{name}.sql"
    path.write_text(body, encoding="utf-8")
    return path


def example(folder: Path, select: str, kind: str = "view", name: str = "example") -> Path:
    """staging.example with the documented header below and the given SELECT."""
    return write_model(folder, name, HEADER.format(kind=kind) + select)


def catalog(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


HEADER = """\
-- staging.example: An example the analysts' guide shows.
--   It spans two lines.
-- grain: one row per
--   team
-- materialized: {kind}
-- columns:
--   team: the team's name, with a quote
--   size: how many,
--     continued here
"""


def test_header_is_parsed_into_name_docs_and_grain(tmp_path):
    model = read_model(example(tmp_path, "select 'a' as team, 1 as size"))
    assert (model.name, model.materialization) == ("staging.example", "view")
    assert model.description == "An example the analysts' guide shows. It spans two lines."
    assert model.grain == "one row per team"
    assert model.columns == {
        "team": "the team's name, with a quote", "size": "how many, continued here",
    }
    assert model.comment.endswith("Grain: one row per team.")


def test_comments_survive_quotes_and_materialization_can_change(tmp_path):
    con = duckdb.connect()
    con.execute("create schema staging")
    run_model(con, read_model(example(tmp_path, "select 'a' as team, 1 as size")))
    # a view becomes a table: the view is dropped first
    run_model(con, read_model(example(tmp_path, "select 'b' as team, 2 as size", kind="table")))
    assert catalog(con, "select * from staging.example") == [("b", 2)]
    assert catalog(con, "select comment from duckdb_tables() where table_name = 'example'") == [
        ("An example the analysts' guide shows. It spans two lines. Grain: one row per team.",)
    ]
    assert catalog(
        con,
        "select column_name, comment from duckdb_columns() where table_name = 'example' "
        "order by column_index",
    ) == [("team", "the team's name, with a quote"), ("size", "how many, continued here")]
    assert sql_string_literal("it's") == "'it''s'"


def test_the_build_reports_its_row_count_for_a_view_and_a_table(tmp_path):
    # Dagster's row count comes from the build, so a view is not computed again for it.
    con = duckdb.connect()
    con.execute("create schema staging")
    three = "select 'a' as team, n as size from range(3) t(n)"
    assert run_model(con, read_model(example(tmp_path, three))) == 3
    two = "select 'b' as team, n as size from range(2) t(n)"
    assert run_model(con, read_model(example(tmp_path, two, kind="table"))) == 2


def test_undocumented_or_stale_columns_fail_naming_the_file(tmp_path):
    con = duckdb.connect()
    con.execute("create schema staging")
    extra = example(tmp_path, "select 'a' as team, 1 as size, 2 as extra")
    with pytest.raises(ModelFileError, match=r"example\.sql: columns without documentation: extra"):
        run_model(con, read_model(extra))
    with pytest.raises(ModelFileError, match=r"does not return: size"):
        run_model(con, read_model(example(tmp_path, "select 'a' as team")))
    # the failed runs were rolled back: nothing half-built is left behind
    assert catalog(con, "select view_name from duckdb_views() where view_name = 'example'") == []


def test_sql_errors_and_bad_headers_name_the_file(tmp_path):
    con = duckdb.connect()
    con.execute("create schema staging")
    broken = example(tmp_path, "select team from nowhere.t")
    with pytest.raises(ModelRunError, match=r"example\.sql: DuckDB could not build staging\."):
        run_model(con, read_model(broken))
    with pytest.raises(ModelFileError, match="rename one so they match"):
        read_model(example(tmp_path, "select 1 as team", name="other"))
    with pytest.raises(ModelFileError, match="must be 'view' or 'table'"):
        read_model(example(tmp_path, "select 1 as team", kind="ephemeral"))


def test_dependency_cycles_are_reported(tmp_path):
    write_model(tmp_path, "a", "-- staging.a: A.\n-- materialized: view\nselect * from staging.b")
    write_model(tmp_path, "b", "-- staging.b: B.\n-- materialized: view\nselect * from staging.a")
    with pytest.raises(ModelFileError, match="cycle"):
        discover_models(tmp_path)


def test_duckdb_parser_reads_schema_qualified_tables_but_not_ctes():
    sql = """
        with recent as (select * from raw.github_issues where closed_at is null),
        teams as (select * from meta.team_repos)
        select * from recent join teams using (repo)
        where exists (select 1 from staging.stg_github_pull_requests p where p.repo = recent.repo)
    """
    assert read_dependencies(Path("x.sql"), sql) == {
        "raw.github_issues", "meta.team_repos", "staging.stg_github_pull_requests",
    }


def test_a_select_duckdb_cannot_parse_names_its_file():
    with pytest.raises(ModelFileError, match=r"broken\.sql: DuckDB cannot parse the SELECT "
                                             r"\(.*syntax error.*\)"):
        read_dependencies(Path("models/sql/staging/broken.sql"), "select from where raw.x")


def test_project_dependencies_and_order(models):
    by_name = {model.name: model for model in models}
    assert by_name["staging.stg_github_deployments"].dependencies == {"raw.github_deployments"}
    assert by_name["staging.stg_meta_settings"].dependencies == {"meta.settings"}
    assert by_name["marts.dora_tier_bands"].dependencies == set()
    assert by_name["marts.changes"].dependencies == {
        "staging.int_deployment_change_set_commits",
        "staging.int_deployment_change_set_pull_requests",
        "staging.int_merged_pull_requests",
    }
    assert by_name["marts.dora_team_week"].dependencies == {
        "staging.int_dora_team_period", "staging.int_dora_team_period_benchmarks",
        "staging.int_team_freshness",
    }
    assert by_name["staging.int_team_freshness"].dependencies == {"marts.source_freshness"}
    assert by_name["marts.dora_team_month"].key_path == ["marts", "dora_team_month"]
    assert by_name["staging.stg_github_issues"].dependency_key_paths == [["raw", "github_issues"]]
    position = {model.name: index for index, model in enumerate(models)}
    for model in models:
        for dependency in model.dependencies & position.keys():
            assert position[dependency] < position[model.name], (model.name, dependency)


def test_folder_conventions(models):
    for model in models:
        folder = model.path.parent.name
        if folder == "staging":
            assert model.table.startswith("stg_") and model.materialization == "view"
        elif folder == "intermediate":
            # heavy intermediates are tables so each run computes their regexes once
            assert model.name.startswith("staging.int_"), model.name
        else:
            assert model.schema == "marts" and model.materialization == "table", model.name
        assert model.description and model.grain, model.name


def test_every_object_and_column_has_a_comment(world):
    built = run_all(world.con, world.models)
    assert len(built) == len(world.models)
    for model in world.models:
        kind = model.materialization
        catalog = "duckdb_views()" if kind == "view" else "duckdb_tables()"
        comment = world.con.execute(
            f"select comment from {catalog} where schema_name = ? and {kind}_name = ?",
            [model.schema, model.table],
        ).fetchone()[0]
        assert comment and len(comment) > 40, model.name
        columns = world.con.execute(
            "select column_name, comment from duckdb_columns() "
            "where schema_name = ? and table_name = ?",
            [model.schema, model.table],
        ).fetchall()
        assert columns, model.name
        undocumented = [name for name, text in columns if not text or len(text) < 5]
        assert undocumented == [], (model.name, undocumented)
