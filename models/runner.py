"""Build the SQL models in a DuckDB warehouse: views and tables with their documentation.

`run_all` builds every model under models/sql in dependency order; `run_model` builds one (for
the Dagster asset of that file). Each model is created or replaced inside its own transaction
together with its `COMMENT ON TABLE/VIEW/COLUMN` statements, so readers never see an object
without its documentation, and a failed model leaves the previous version in place.
"""

from __future__ import annotations

import duckdb

from models.sql_files import SQL_ROOT, ModelFileError, SqlModel, discover_models, sort_models
from warehouse.sql_text import quote_identifier, sql_string_literal
from warehouse.transaction import transaction


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


def _output_columns(con: duckdb.DuckDBPyConnection, model: SqlModel) -> list[str]:
    rows = con.execute(
        """
        select column_name from duckdb_columns()
        where schema_name = ? and table_name = ?
        order by column_index
        """,
        [model.schema, model.table],
    ).fetchall()
    return [name for (name,) in rows]


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


def run_model(con: duckdb.DuckDBPyConnection, model: SqlModel) -> None:
    """Create or replace the model's view or table and its comments in one transaction."""
    try:
        with transaction(con):
            existing = _existing_kind(con, model)
            if existing and existing != model.materialization:
                # CREATE OR REPLACE cannot turn a view into a table or back: drop the old kind.
                con.execute(f"drop {existing} {model.name}")
            kind = model.materialization
            con.execute(f"create or replace {kind} {model.name} as\n{model.select_sql}")
            for statement in _comment_statements(model, _output_columns(con, model)):
                con.execute(statement)
    except duckdb.Error as error:
        raise ModelRunError(f"{model.path}: DuckDB could not build {model.name}: {error}") from None


def model_order(root=SQL_ROOT) -> list[SqlModel]:
    """Every model under root, upstream first: one Dagster asset per entry.

    Asset key = [model.schema, model.table]; its deps are `model.dependencies`, split on the
    dot (other models, or raw/meta tables written by the warehouse layer).
    """
    return discover_models(root)


def run_all(con: duckdb.DuckDBPyConnection, models: list[SqlModel] | None = None) -> list[str]:
    """Build the given models (default: all under models/sql) upstream first; return names."""
    ordered = model_order() if models is None else sort_models(models)
    for model in ordered:
        run_model(con, model)
    return [model.name for model in ordered]
