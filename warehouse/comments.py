"""COMMENT ON metadata: the descriptions a leader reads instead of the code (DESIGN §7)."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb

from warehouse.migrations import apply_migrations
from warehouse.queries import query


@dataclass(frozen=True)
class RelationComments:
    """The comment of one table or view and of each of its columns (None where there is none)."""

    kind: str  # 'table' or 'view'
    comment: str | None
    columns: dict[str, str | None] = field(default_factory=dict)


def schema_comments(
    con: duckdb.DuckDBPyConnection, schemas: Iterable[str]
) -> dict[str, RelationComments]:
    """Comments of every table and view in `schemas`, keyed by 'schema.name'."""
    wanted = {"schemas": sorted(schemas)}
    relations = {
        f"{schema}.{name}": RelationComments(kind, comment)
        for schema, name, kind, comment in con.execute(
            query("catalog.sql", "relations"), wanted
        ).fetchall()
    }
    for schema, name, column, comment in con.execute(
        query("catalog.sql", "columns"), wanted
    ).fetchall():
        relations[f"{schema}.{name}"].columns[column] = comment
    return relations


def table_comments(con: duckdb.DuckDBPyConnection, schema: str) -> dict[str, RelationComments]:
    """Comments of every table and view in one schema, keyed by 'schema.name'."""
    return schema_comments(con, [schema])


def missing_comments(con: duckdb.DuckDBPyConnection, schemas: Iterable[str]) -> list[str]:
    """Tables, views ('schema.name') and columns ('schema.name.column') that lack a comment."""
    missing: list[str] = []
    for name, relation in schema_comments(con, schemas).items():
        if not (relation.comment or "").strip():
            missing.append(name)
        missing.extend(
            f"{name}.{column}"
            for column, comment in relation.columns.items()
            if not (comment or "").strip()
        )
    return missing


@functools.cache
def declared_comments(schema: str) -> dict[str, RelationComments]:
    """Comments of the tables the migrations create in `schema`, without opening a warehouse.

    The migrations' `COMMENT ON` is the one place a raw table is described; Dagster's asset
    descriptions are read from here, so that they never drift from what DuckDB shows. The
    migrations are applied to a throwaway in-memory database (milliseconds).
    """
    with duckdb.connect() as con:
        apply_migrations(con)
        return table_comments(con, schema)
