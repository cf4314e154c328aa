"""Rules read as constants: getvariable('<settings model>') in a table model.

A pattern read from a joined settings column is compiled once per row; read through
getvariable() it is one constant. The runner sets the variable to the settings model's row for
the build only, and a view may not read it (it would be computed in a session without it).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from models.runner import run_model
from models.sql_files import ModelFileError, read_model

SETTINGS = """\
-- staging.stg_rules: The rules, one row.
-- grain: one row
-- materialized: view
-- columns:
--   title_regex: a pattern
--   minimum: a number
select title_regex, minimum from meta.rules
"""

MATCHES = """\
-- staging.matches: Titles the rule matches. Mentioning getvariable('stg_nothing') in a
--   comment reads nothing.
-- grain: one row per title
-- materialized: {kind}
-- columns:
--   title: a title that matches
select title
from meta.titles
where regexp_matches(title, getvariable('stg_rules').title_regex)
    and length(title) >= getvariable('stg_rules').minimum
"""


def _model(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.sql"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("create schema meta; create schema staging")
    con.execute("create table meta.rules (title_regex varchar, minimum integer)")
    con.execute("insert into meta.rules values ('(?i)^revert', 8)")
    con.execute("create table meta.titles as select * from (values "
                "('Revert #12'), ('revert'), ('Add a thing'), ('REVERT the cache')) t(title)")
    yield con
    con.close()


def test_a_table_reads_the_rules_as_constants_and_the_variable_is_unset_after(con, tmp_path):
    run_model(con, read_model(_model(tmp_path, "stg_rules", SETTINGS)))
    model = read_model(_model(tmp_path, "matches", MATCHES.format(kind="table")))
    assert model.rules_read == ("stg_rules",)  # not the name in the comment
    assert "staging.stg_rules" in model.dependencies  # so it is built after the rules
    run_model(con, model)
    # By hand: case-insensitive ^revert and at least 8 characters: 'Revert #12' (10) and
    # 'REVERT the cache' (16); 'revert' is 6 long, 'Add a thing' does not match.
    rows = con.execute("select title from staging.matches order by title").fetchall()
    assert rows == [("REVERT the cache",), ("Revert #12",)]
    assert con.execute("select getvariable('stg_rules')").fetchone() == (None,)


def test_a_changed_rule_is_read_at_the_next_build(con, tmp_path):
    run_model(con, read_model(_model(tmp_path, "stg_rules", SETTINGS)))
    model = read_model(_model(tmp_path, "matches", MATCHES.format(kind="table")))
    run_model(con, model)
    con.execute("update meta.rules set title_regex = 'thing$', minimum = 1")
    run_model(con, model)
    assert con.execute("select title from staging.matches").fetchall() == [("Add a thing",)]


def test_a_view_reading_rules_as_constants_is_refused_naming_the_file(tmp_path):
    path = _model(tmp_path, "matches", MATCHES.format(kind="view"))
    with pytest.raises(ModelFileError, match=r"matches\.sql.*getvariable\('stg_rules'\).*"
                                             r"materialized: table"):
        read_model(path)
