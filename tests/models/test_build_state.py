"""A model whose definition and inputs are unchanged is kept, not rebuilt (models/build_state.py).

On four small models written here (a view and a table over meta tables, a table over that view,
a table that reads the clock), which models a change must rebuild is worked out by hand from
what each one reads. On the real models over a small simulated org: a second pass rebuilds only
marts.source_freshness (the one model whose SQL reads the clock, found by grep in the test); a
pass after an edited issue rebuilds tables but no view; and what they keep equals a forced
rebuild.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from models.build_state import ARCHIVED_COLUMN, Ledger, build_if_changed, content_hash
from models.runner import ModelRunError, model_order
from models.sql_files import read_model, sort_models
from simulator.direct_load import direct_config, load_org
from simulator.generator import generate_org
from warehouse.connection import connect
from warehouse.fingerprint import warehouse_fingerprint
from warehouse.migrations import known_migrations

MODELS = {
    "staging/a.sql": """\
-- staging.a: Titles.
-- grain: one row per title
-- materialized: view
-- columns:
--   title: a title
select title from meta.titles
""",
    "marts/b.sql": """\
-- marts.b: How many titles.
-- grain: one row
-- materialized: table
-- columns:
--   n: titles
select count(*) as n from staging.a
""",
    "marts/c.sql": """\
-- marts.c: The minimum rule. The word now() in a comment reads no clock.
-- grain: one row
-- materialized: table
-- columns:
--   minimum: a number
select minimum from meta.rules
""",
    "marts/d.sql": """\
-- marts.d: When it was built.
-- grain: one row
-- materialized: table
-- columns:
--   at: the build time
select now() as at
""",
}


def write_models(root: Path, texts: dict[str, str]) -> list:
    for name, text in texts.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return sort_models([read_model(root / name) for name in texts])


@pytest.fixture(params=["one ledger per pass", "a ledger per model"])
def build_pass(request):
    """A pass over the models returning the names of those it rebuilt: with one Ledger kept
    across the pass, as a pass in one process does, or each model reading its own, as a
    Dagster asset does."""
    def run(con, models, force: bool = False) -> set[str]:
        ledger = Ledger(con) if request.param == "one ledger per pass" else None
        return {m.name for m in models
                if not build_if_changed(con, m, force=force, ledger=ledger).skipped}
    return run


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("create schema meta; create schema staging; create schema marts")
    for migration in known_migrations():
        if migration.name in {"model_builds", "model_definitions"}:
            con.execute(migration.sql)
    con.execute("create table meta.rules (id integer primary key, minimum integer)")
    con.execute("insert into meta.rules values (1, 8)")
    con.execute("create table meta.titles (title varchar primary key)")
    con.execute("insert into meta.titles values ('Revert #12'), ('Add a thing')")
    yield con
    con.close()


def test_only_what_reads_a_changed_input_or_the_clock_is_rebuilt(con, tmp_path, build_pass):
    models = write_models(tmp_path, MODELS)
    assert build_pass(con, models) == {"staging.a", "marts.b", "marts.c", "marts.d"}
    # nothing changed: only the model that reads the clock
    assert build_pass(con, models) == {"marts.d"}
    # a new title: a reads it, b reads a; a is a view of unchanged definition, so it is kept
    # (no rows of its own) while b, which holds a count of its rows, is rebuilt
    con.execute("insert into meta.titles values ('Fix the cache')")
    assert build_pass(con, models) == {"marts.b", "marts.d"}
    assert con.execute("select n from marts.b").fetchone()[0] == 3
    # kept, so not counted: what was recorded is the 2 rows it had when it was built
    assert con.execute("select rows from meta.model_builds where model = 'staging.a'"
                       ).fetchone()[0] == 2
    # and the next pass over the same rows keeps b too
    assert build_pass(con, models) == {"marts.d"}
    # a changed value of a row (same count): c reads it
    con.execute("update meta.rules set minimum = 9 where id = 1")
    assert build_pass(con, models) == {"marts.c", "marts.d"}
    assert con.execute("select minimum from marts.c").fetchone()[0] == 9


def test_a_changed_definition_a_missing_object_and_force_rebuild(con, tmp_path, build_pass):
    models = write_models(tmp_path, MODELS)
    build_pass(con, models)
    # c's SQL changes: c; b's documentation changes: b (its comments are part of the build)
    changed = write_models(tmp_path, {
        **MODELS,
        "marts/c.sql": MODELS["marts/c.sql"].replace("select minimum", "select minimum + 0 as"
                                                     " minimum"),
        "marts/b.sql": MODELS["marts/b.sql"].replace("--   n: titles", "--   n: titles, all"),
    })
    assert build_pass(con, changed) == {"marts.b", "marts.c", "marts.d"}
    # b dropped behind the runner's back: rebuilt although its inputs are the same
    con.execute("drop table marts.b")
    assert build_pass(con, changed) == {"marts.b", "marts.d"}
    assert build_pass(con, changed, force=True) == {m.name for m in changed}


def test_a_view_is_rebuilt_when_what_it_reads_changes_shape_or_its_upstream_definition(
        con, tmp_path, build_pass):
    view_over_view = {**MODELS, "staging/e.sql": """\
-- staging.e: Titles again.
-- grain: one row per title
-- materialized: view
-- columns:
--   title: a title
select title from staging.a
"""}
    models = write_models(tmp_path, view_over_view)
    build_pass(con, models)
    # a new column in the table a reads: a's object may differ (its SELECT binds anew), and e
    # reads a; b reads a's rows, which did not change (same titles)
    con.execute("alter table meta.titles add column note varchar")
    assert build_pass(con, models) == {"staging.a", "staging.e", "marts.b", "marts.d"}
    # a's definition changes: a, then e because what it reads is defined anew, and b
    changed = write_models(tmp_path, {
        **view_over_view,
        "staging/a.sql": view_over_view["staging/a.sql"].replace("select title", "select upper("
                                                                "title) as title"),
    })
    assert build_pass(con, changed) == {"staging.a", "staging.e", "marts.b", "marts.d"}
    assert con.execute("select min(title) from staging.e").fetchone()[0] == "ADD A THING"


def test_a_second_pass_over_the_real_models_keeps_all_but_the_clock_and_equals_a_rebuild(
        tmp_path, build_pass):
    org = generate_org(seed=5, teams=2, months=2)
    config = direct_config(org, tmp_path / "w.duckdb", tmp_path / "surveys")
    con = connect(tmp_path / "w.duckdb")
    try:
        load_org(org, con, config)
        models = model_order()
        assert build_pass(con, models) == {m.name for m in models}
        clock_readers = {m.name for m in models
                         if "current_timestamp" in m.path.read_text(encoding="utf-8")}
        assert clock_readers == {"marts.source_freshness"}
        assert build_pass(con, models) == clock_readers
        # an archived API answer rewritten, nothing else: no model reads it, so none is built
        con.execute("update raw.github_issues set payload = json_object('edited', true)")
        assert build_pass(con, models) == clock_readers
        # new activity upstream (an edited issue title): tables that read it are rebuilt, no
        # view is (their definitions are unchanged), and the result is a full rebuild's
        con.execute("update raw.github_issues set title = title || ' (edited)' "
                    "where number = (select min(number) from raw.github_issues)")
        # what reads the issues, directly or through other models (upstream come first)
        readers: set[str] = set()
        for m in models:
            if m.dependencies & ({"raw.github_issues"} | readers):
                readers.add(m.name)
        tables = {m.name for m in models if m.materialization == "table"}
        assert readers - tables, "some view reads the issues (else this checks nothing)"
        assert build_pass(con, models) == (readers & tables) | clock_readers
        kept = warehouse_fingerprint(con, ("staging", "marts"))
        assert build_pass(con, models, force=True) == {m.name for m in models}
        rebuilt = warehouse_fingerprint(con, ("staging", "marts"))
    finally:
        con.close()
    # source_freshness says when it was assessed: the one object that differs
    assert {t for t in kept if kept[t] != rebuilt[t]} <= {"marts.source_freshness"}
    assert set(kept) == set(rebuilt)


def test_a_table_whose_inputs_changed_gets_new_rows_in_place_and_keeps_them_on_failure(
        con, tmp_path, build_pass):
    # g fails while computing rows once there are three titles: only new rows can break it
    guarded = {**MODELS, "marts/g.sql": """\
-- marts.g: How many titles, at most two.
-- grain: one row
-- materialized: table
-- columns:
--   n: titles
select case when count(*) > 2 then error('three titles') else count(*) end as n
from staging.a
"""}
    models = write_models(tmp_path, guarded)
    build_pass(con, models)

    def table_oid(name: str) -> int:
        return con.execute("select table_oid from duckdb_tables() where schema_name = 'marts' "
                           "and table_name = ?", [name]).fetchone()[0]

    before = table_oid("b")
    con.execute("delete from meta.titles where title = 'Add a thing'")
    assert build_pass(con, models) == {"marts.b", "marts.g", "marts.d"}
    # the same table object, new rows, its documentation as built
    assert table_oid("b") == before
    assert con.execute("select n from marts.b").fetchone()[0] == 1
    assert con.execute("select comment from duckdb_columns() where schema_name = 'marts' "
                       "and table_name = 'b' and column_name = 'n'").fetchone()[0] == "titles"
    recorded = "select inputs_fingerprint, rows from meta.model_builds where model = 'marts.g'"
    before_failure = con.execute(recorded).fetchall()
    con.execute("insert into meta.titles values ('One'), ('Two')")
    with pytest.raises(ModelRunError, match=r"g\.sql: DuckDB could not refresh marts\.g, so "
                                            r"its previous rows were kept: .*three titles"):
        build_pass(con, models)
    assert con.execute("select n from marts.g").fetchone()[0] == 1
    # the record is written in the refresh's transaction: rolled back with it, so the next
    # pass sees g's inputs as changed and tries again
    assert con.execute(recorded).fetchall() == before_failure


def test_no_model_reads_or_returns_the_archived_api_answer(models, tmp_path):
    """The inputs fingerprint leaves ARCHIVED_COLUMN out of a raw table's hash; that is right
    only while no model reads it, which this checks in every model's SQL (as built, with the
    conformed unions) and in every column a model returns over a small org."""
    word = re.compile(rf"\b{ARCHIVED_COLUMN}\b", re.IGNORECASE)
    assert [m.name for m in models if word.search(m.select_sql)] == []
    org = generate_org(seed=5, teams=2, months=2)
    config = direct_config(org, tmp_path / "w.duckdb", tmp_path / "surveys")
    con = connect(tmp_path / "w.duckdb")
    try:
        load_org(org, con, config)
        archived_in_raw = con.execute(
            "select count(*) from duckdb_columns() where schema_name = 'raw' "
            "and column_name = ?", [ARCHIVED_COLUMN]).fetchone()[0]
        returned = con.execute(
            "select schema_name || '.' || table_name from duckdb_columns() "
            "where schema_name in ('staging', 'marts') and column_name = ?",
            [ARCHIVED_COLUMN]).fetchall()
    finally:
        con.close()
    assert archived_in_raw > 0, "no raw table archives the API answer: this checks nothing"
    assert returned == []


def test_the_content_hash_sees_one_new_value_in_every_row_of_an_even_number_of_rows(con):
    # a rule changed for every repository: the same column, the same new value, in 2 and 4 rows
    # (a plain XOR of DuckDB's row hashes cancels the change out when the count is even)
    for rows in (2, 3, 4):
        con.execute("create or replace table meta.repos (repo varchar primary key, rule varchar)")
        con.execute("insert into meta.repos select 'r' || i, 'narrow' from range(?) as t(i)",
                    [rows])
        before = content_hash(con, "meta", "repos")
        con.execute("update meta.repos set rule = 'wide'")
        assert content_hash(con, "meta", "repos") != before, f"{rows} rows"
