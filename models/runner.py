"""Build the SQL models in a DuckDB warehouse: views and tables with their documentation.

`run_all` builds every model under models/sql in dependency order; `run_model` builds one (for
the Dagster asset of that file); `refresh_rows` replaces a table's rows when its definition has
not changed since its last build. A model is first built under a candidate name next to the real
one and exercised the way a reader would hit it (a view is executed over every row and column),
then swapped in, together with its `COMMENT ON TABLE/VIEW/COLUMN` statements, in the same
transaction. Readers never see an object without its documentation, and a model that fails at
any point, including errors DuckDB raises only while computing rows, leaves the previous object
and its rows exactly as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from models.sql_files import ModelFileError, SqlModel, discover_models, sort_models
from warehouse.sql_text import quote_identifier, sql_string_literal
from warehouse.transaction import transaction

Recorder = Callable[[int], None]
"""Called with a build's row count inside the build's transaction (run_model, refresh_rows)."""


class ModelRunError(RuntimeError):
    """DuckDB refused to build a model; the message names the model's file."""


def _existing_kind(con: duckdb.DuckDBPyConnection, model: SqlModel) -> str | None:
    row = con.execute(
        """
        select 'view' from duckdb_views() where schema_name = ? and view_name = ?
        union all
        select 'table' from duckdb_tables() where schema_name = ? and table_name = ?
        """,
        [model.schema, model.table, model.schema, model.table],
    ).fetchone()
    return row[0] if row else None


def _output_columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    """The columns of a table or view, in order, from binding a query of no rows (the catalog
    function duckdb_columns() lists every column of the database to find them)."""
    return [column[0] for column in con.execute(f"select * from {relation} limit 0").description]


def _comment_statements(model: SqlModel, columns: list[str]) -> list[str]:
    undocumented = [column for column in columns if not model.column_doc(column)]
    if undocumented:
        raise ModelFileError(
            f"{model.path}: columns without documentation: {', '.join(undocumented)}; "
            "add '--   column: text' lines under '-- columns:' in the header"
        )
    stale = sorted(set(model.columns) - set(columns))
    if stale:
        raise ModelFileError(
            f"{model.path}: the header documents columns the SELECT does not return: "
            f"{', '.join(stale)}; remove or rename those lines"
        )
    kind = model.materialization.upper()
    statements = [f"comment on {kind} {model.name} is {sql_string_literal(model.comment)}"]
    for column in columns:
        doc = model.column_doc(column) or ""
        target = f"{model.name}.{quote_identifier(column)}"
        statements.append(f"comment on column {target} is {sql_string_literal(doc)}")
    return statements


def _candidate_table(model: SqlModel) -> str:
    """The name a model is built under before it replaces the real object (same schema)."""
    return f"{model.table}__candidate"


def _exercise_view(con: duckdb.DuckDBPyConnection, view: str) -> int:
    """Compute every row and column of the view, discarding the values; return its row count.

    Creating a view only binds it; cast errors, RE2 errors from patterns built per row,
    `error()` and failing upstream views are raised only when rows are computed. `count(*)` or
    `limit 0` would not find them: DuckDB prunes the columns a query does not use. Hashing
    every column forces each one to be computed, while returning one row per column; the count
    comes from the same pass, so nothing computes the view again to report its size.
    """
    return int(con.execute(f"select count(*), max(hash(columns(*))) from {view}").fetchone()[0])


@contextmanager
def _rules_as_constants(con: duckdb.DuckDBPyConnection, model: SqlModel) -> Iterator[None]:
    """Set each settings model the SELECT reads through getvariable() to its one row (a
    struct), for the time of the build; `models.sql_files.rules_read` says why."""
    for name in model.rules_read:
        # The name is a model name ([a-z_][a-z0-9_]*, checked when the file was read).
        con.execute(
            f"set variable {quote_identifier(name)} = "
            f"(select settings from staging.{quote_identifier(name)} as settings)"
        )
    try:
        yield
    finally:
        for name in model.rules_read:
            con.execute(f"reset variable {quote_identifier(name)}")


@contextmanager
def _model_transaction(con: duckdb.DuckDBPyConnection, model: SqlModel,
                       failed: str) -> Iterator[None]:
    """The model's rules set as constants and one transaction around the block; a DuckDB error
    rolls it back and is raised as ModelRunError naming the file, `failed` saying what was
    kept."""
    try:
        # the rules are set before the transaction and reset after it has ended either way
        with _rules_as_constants(con, model), transaction(con):
            yield
    except duckdb.Error as error:
        raise ModelRunError(f"{model.path}: DuckDB could not {failed}: {error}") from None


def run_model(con: duckdb.DuckDBPyConnection, model: SqlModel,
              record: Recorder | None = None) -> int:
    """Build the model under a candidate name, exercise it, and swap it in with its comments;
    return its number of rows.

    All of it is one transaction: on any failure it is rolled back, so the previous object, its
    rows and its comments stay, and no candidate is left behind. Views read other objects by
    name when queried, so a view swapped in here is what its dependants read from then on.
    `record` is called with the row count inside that transaction, after the swap: what it
    writes (models/build_state.py records the build) commits with the build or not at all,
    and costs no commit of its own.
    """
    kind = model.materialization
    candidate_table = _candidate_table(model)
    candidate = f"{model.schema}.{quote_identifier(candidate_table)}"
    with _model_transaction(con, model,
                            f"build {model.name}, so the previous version was kept"):
        # A table's rows are computed here; a view is only bound.
        created = con.execute(f"create {kind} {candidate} as\n{model.select_sql}")
        # CREATE TABLE AS answers its row count
        rows = (_exercise_view(con, candidate) if kind == "view"
                else int(created.fetchone()[0]))
        columns = _output_columns(con, candidate)
        comments = _comment_statements(model, columns)
        existing = _existing_kind(con, model)
        if existing:
            con.execute(f"drop {existing} {model.name}")
        con.execute(f"alter {kind} {candidate} rename to {quote_identifier(model.table)}")
        # one call for all of them: a statement per column costs a round trip each
        con.execute(";\n".join(comments))
        if record is not None:
            record(rows)
    return rows


def refresh_rows(con: duckdb.DuckDBPyConnection, model: SqlModel,
                 record: Recorder | None = None) -> int:
    """Replace a table model's rows in place with what its SELECT returns now; return their
    number. For a table whose definition fingerprint is the one recorded at its last build
    (models/build_state.py): its columns, their types and its documentation are then what a
    build would make, so only the rows are new, and the candidate, the comment per column and
    the swap of `run_model` would repeat work (the comments alone took 0.31 s of a 2.6 s full
    rebuild at 10x the demo, views included).

    One transaction, as `run_model`: a SELECT that fails leaves the previous rows in place;
    `record` as for `run_model`.
    """
    if model.materialization != "table":
        raise ValueError(f"{model.name} is a view: a view holds no rows to refresh")
    with _model_transaction(con, model,
                            f"refresh {model.name}, so its previous rows were kept"):
        con.execute(f"delete from {model.name}")
        inserted = con.execute(f"insert into {model.name} by name\n{model.select_sql}")
        rows = int(inserted.fetchone()[0])
        if record is not None:
            record(rows)
    return rows


def model_order(*roots: Path) -> list[SqlModel]:
    """Every model under the roots (default: models/sql), upstream first: one Dagster asset
    per entry.

    Asset key = [model.schema, model.table]; its deps are `model.dependencies`, split on the
    dot (other models, or raw/meta tables written by the warehouse layer).
    """
    return discover_models(*roots)


def run_all(con: duckdb.DuckDBPyConnection, models: list[SqlModel] | None = None) -> list[str]:
    """Build the given models (default: all under models/sql) upstream first; return names."""
    ordered = model_order() if models is None else sort_models(models)
    for model in ordered:
        run_model(con, model)
    return [model.name for model in ordered]
