"""Keeping a model as it is when nothing it is built from has changed.

A nightly run with nothing new upstream used to rebuild every model, which is most of a
no-change run's time. Before a model is built, the fingerprint of what it would be built from
is computed: a SHA-256 over the model's definition (its SQL, as generated for a conformed
model, its materialization and its documentation) and, for every table it reads, either that
model's own recorded fingerprint (models are built upstream first, so it is current) or, for a
raw or meta table written outside the models, a content hash (row count and the XOR of every
row's hash: independent of row order, changed by any changed value; the archived API answer,
ARCHIVED_COLUMN, which no model reads, left out). If the fingerprint equals
the one meta.model_builds recorded at the model's last build and its object still exists, the
build is skipped. Skipping can never serve a stale result: a model whose inputs changed, or an
upstream model that was rebuilt from changed inputs, has a new fingerprint.

A table whose definition fingerprint (below) equals the one recorded has its rows replaced in
place (models.runner.refresh_rows): same columns, types and documentation, new rows.

A view holds no rows, so new inputs alone never make it rebuilt: when its definition
fingerprint (its definition and, per object it reads, that model's definition fingerprint or the
columns of the raw or meta table) equals the one recorded, re-creating it would make the same
view, and computing it over every row to check it would only repeat what its dependants compute
anyway. Its new inputs are recorded, so the tables that read it see the change and are rebuilt;
its rows are not counted (meta.model_builds keeps those of its last build).

Always computed again: a table whose SQL reads the clock (`now()`, `current_date`, ...; e.g.
marts.source_freshness says what is stale "at the time the marts were built"; a view reads it
whenever it is queried). Every model is built from scratch, candidate and swap, when the run
forces it (`--full-refresh`), when it has no recorded build, or when its definition changed.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass

import duckdb

from models.runner import refresh_rows, run_model
from models.sql_files import SqlModel
from warehouse.queries import query
from warehouse.sql_text import quote_identifier

BUILD_FORMAT = "1"
"""Part of every fingerprint: bump it when how a model is built changes (models/runner.py)."""

_READS_THE_CLOCK = re.compile(
    r"\b(now|today|get_current_\w+)\s*\(|\bcurrent_(timestamp|date|time|localtimestamp)\b",
    re.IGNORECASE)
_LINE_COMMENT = re.compile(r"--[^\n]*")

ARCHIVED_COLUMN = "payload"
"""A raw table's copy of the API's whole answer, kept for audit and re-derivation
(warehouse/migrations/001_raw_github.sql): no model reads it (tests/models/test_build_state.py
checks every model's SQL and columns), so a model's inputs fingerprint leaves it out. It is
most of a raw table's bytes (5.8 KB per pull request against 0.3 KB for every other column):
hashing it cost 0.76 of the 1.44 s the fingerprints of a nightly pass took at 100x."""


@dataclass(frozen=True)
class Build:
    """What happened to one model: built, or kept because its inputs had not changed (or, for
    a view, its definition had not)."""

    rows: int | None  # None: a view kept, whose rows only a build counts
    skipped: bool


@dataclass(frozen=True)
class LastBuild:
    """What meta.model_builds recorded of a model's last build."""

    inputs_fingerprint: str
    rows: int
    definition_fingerprint: str | None  # None: recorded before migration 009


def reads_the_clock(model: SqlModel) -> bool:
    """True when the model's SQL (its comments left out) calls a function of the time now."""
    return bool(_READS_THE_CLOCK.search(_LINE_COMMENT.sub("", model.select_sql)))


def _definition(model: SqlModel) -> bytes:
    return json.dumps({"format": BUILD_FORMAT, "sql": model.select_sql,
                       "materialization": model.materialization,
                       "description": model.description, "columns": model.columns,
                       "inherited": model.inherited_columns}, sort_keys=True).encode()


class Ledger:
    """What a pass over the models knows of the warehouse, each read once: which relations
    exist, what meta.model_builds recorded of each model, and the content hash and columns of
    each raw or meta table the models read (models do not write those while they build).

    A catalog question costs DuckDB 2-3 ms; a nightly pass over the 62 models asked about 480
    of them, 0.7 s at 10x the demo. A pass hands one ledger to every `build_if_changed`, which
    keeps it current as it builds; without one, each call reads its own.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._kinds = {(schema, name): kind for schema, name, kind
                       in con.execute(query("catalog.sql", "relation_kinds")).fetchall()}
        self._builds = {model: LastBuild(fingerprint, int(rows), definition)
                        for model, fingerprint, rows, definition
                        in con.execute(query("model_builds.sql", "all_builds")).fetchall()}
        self._hashes: dict[str, str] = {}
        self._columns: dict[str, list[list[str]]] | None = None

    def kind(self, schema: str, name: str) -> str | None:
        """'table' or 'view' for an existing relation, else None."""
        return self._kinds.get((schema, name))

    def last_build(self, model: str) -> LastBuild | None:
        return self._builds.get(model)

    def content_hash(self, con: duckdb.DuckDBPyConnection, table: str) -> str:
        """The table's content hash (`content_hash`), leaving out its ARCHIVED_COLUMN."""
        if table not in self._hashes:
            schema, _, name = table.partition(".")
            archived = any(column == ARCHIVED_COLUMN for column, _ in self._columns_of(con, table))
            self._hashes[table] = content_hash(con, schema, name,
                                               ARCHIVED_COLUMN if archived else None)
        return self._hashes[table]

    def columns(self, con: duckdb.DuckDBPyConnection, table: str) -> str:
        """The columns and types of a raw or meta table, as JSON."""
        return json.dumps(self._columns_of(con, table))

    def _columns_of(self, con: duckdb.DuckDBPyConnection, table: str) -> list[list[str]]:
        if self._columns is None:  # read for every relation at once, on first use
            self._columns = {}
            for schema, name, column, data_type in con.execute(
                    query("catalog.sql", "all_relation_columns")).fetchall():
                self._columns.setdefault(f"{schema}.{name}", []).append([column, data_type])
        return self._columns.get(table, [])

    def note_build(self, model: SqlModel, last: LastBuild) -> None:
        """`model` was built (or kept) and recorded as `last`."""
        self._kinds[(model.schema, model.table)] = model.materialization
        self._builds[model.name] = last


def inputs_fingerprint(con: duckdb.DuckDBPyConnection, model: SqlModel,
                       ledger: Ledger | None = None) -> str:
    """The fingerprint of what `model` would be built from now (module docstring)."""
    ledger = ledger or Ledger(con)
    digest = hashlib.sha256(_definition(model))
    for dependency in sorted(model.dependencies):
        digest.update(f"\n{dependency}=".encode())
        digest.update(_input_state(con, ledger, dependency).encode())
    return digest.hexdigest()


def definition_fingerprint(con: duckdb.DuckDBPyConnection, model: SqlModel,
                           ledger: Ledger | None = None) -> str:
    """The fingerprint of what `model`'s object is, whatever the rows it reads (module
    docstring): equal for a view means re-creating it would make the same view."""
    ledger = ledger or Ledger(con)
    digest = hashlib.sha256(_definition(model))
    for dependency in sorted(model.dependencies):
        digest.update(f"\n{dependency}=".encode())
        digest.update(_input_definition(con, ledger, dependency).encode())
    return digest.hexdigest()


def build_if_changed(con: duckdb.DuckDBPyConnection, model: SqlModel,
                     force: bool = False, ledger: Ledger | None = None) -> Build:
    """Build `model` unless its inputs are unchanged since its last build, or it is a view
    whose definition is; refresh a table's rows in place when only its inputs changed (module
    docstring). Record what it was built from either way. `ledger`: the pass's (Ledger)."""
    ledger = ledger or Ledger(con)
    fingerprint = inputs_fingerprint(con, model, ledger)
    exists = ledger.kind(model.schema, model.table) == model.materialization
    last = ledger.last_build(model.name) if exists and not force else None
    if last is not None and last.inputs_fingerprint == fingerprint and not reads_the_clock(model):
        # a view's rows are counted only while a build computes them
        return Build(None if model.materialization == "view" else last.rows, True)
    # computed only from here: a no-change pass skips every model on the test above
    definition = definition_fingerprint(con, model, ledger)

    def record(rows: int) -> None:
        # inside the build's transaction: the build and its record commit together
        record_build(con, model.name, fingerprint, rows, definition)

    if last is None or last.definition_fingerprint != definition:
        rows = run_model(con, model, record)
    elif model.materialization == "view":
        con.execute(query("model_builds.sql", "record_kept_view"),
                    {"model": model.name, "inputs_fingerprint": fingerprint}).fetchall()
        ledger.note_build(model, LastBuild(fingerprint, last.rows, definition))
        return Build(None, True)
    else:
        rows = refresh_rows(con, model, record)
    ledger.note_build(model, LastBuild(fingerprint, rows, definition))
    return Build(rows, False)


def _input_state(con: duckdb.DuckDBPyConnection, ledger: Ledger, table: str) -> str:
    """A model's recorded fingerprint, else a content hash of the table; a view that is not a
    model, or a missing table, gets a value never seen before."""
    recorded = ledger.last_build(table)
    if recorded is not None:
        return f"model:{recorded.inputs_fingerprint}"
    schema, _, name = table.partition(".")
    if ledger.kind(schema, name) != "table":
        # A view outside the models could change with no trace, and a missing table fails the
        # build: neither may let the model be skipped.
        return f"unknown:{uuid.uuid4()}"
    return ledger.content_hash(con, table)


def _input_definition(con: duckdb.DuckDBPyConnection, ledger: Ledger, table: str) -> str:
    """A model's recorded definition fingerprint, else the columns of a raw or meta table; a
    model recorded before migration 009, a view that is not a model or a missing table gets a
    value never seen before."""
    recorded = ledger.last_build(table)
    if recorded is not None:
        if recorded.definition_fingerprint is None:
            return f"unknown:{uuid.uuid4()}"
        return f"model:{recorded.definition_fingerprint}"
    schema, _, name = table.partition(".")
    if ledger.kind(schema, name) != "table":
        return f"unknown:{uuid.uuid4()}"
    return "columns:" + ledger.columns(con, table)


def content_hash(con: duckdb.DuckDBPyConnection, schema: str, name: str,
                 leave_out: str | None = None) -> str:
    """Row count and the XOR of every row's (mixed) hash of an existing table: independent of
    row order, changed by any changed value (its rows are distinct: primary keys, or models);
    `leave_out`: a column whose values are not hashed (ARCHIVED_COLUMN).

    Not warehouse.fingerprint.table_fingerprint: that one leaves out the columns saying when a
    row was written (sync times), and those are inputs here (int_team_freshness reports them).
    """
    # Names come from parsed SQL or from our own constants (schema.table identifiers), quoted.
    address = f"{quote_identifier(schema)}.{quote_identifier(name)}"
    rows = address if leave_out is None else (
        f"(select * exclude ({quote_identifier(leave_out)}) from {address})")
    # hash(t) combines the columns' hashes linearly, so a column given one new value in an
    # even number of rows cancels out of a plain XOR (a rule changed for every repository of a
    # meta table left it equal); hashing that hash again mixes each row's bits first
    [(count, xor)] = con.execute(f"select count(*), bit_xor(hash(hash(t))) from {rows} as t"
                                 ).fetchall()
    return f"table:{count}:{xor}"


def record_build(con: duckdb.DuckDBPyConnection, name: str, fingerprint: str, rows: int,
                 definition: str | None = None) -> None:
    """Record a build; `definition`: the model's definition fingerprint (None for a row that
    is not a SQL model, e.g. the analysis results)."""
    con.execute(query("model_builds.sql", "record_build"),
                {"model": name, "inputs_fingerprint": fingerprint, "rows": rows,
                 "definition_fingerprint": definition}).fetchall()


def relation_kind(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> str | None:
    """'table' or 'view' for an existing relation, else None."""
    rows = con.execute(query("catalog.sql", "relation_kind"),
                       {"schema": schema, "name": name}).fetchall()
    return rows[0][0] if rows else None


def last_build(con: duckdb.DuckDBPyConnection, model: str) -> LastBuild | None:
    """What was recorded at the last build of `model`, or None."""
    rows = con.execute(query("model_builds.sql", "last_build"), {"model": model}).fetchall()
    if not rows:
        return None
    fingerprint, count, definition = rows[0]
    return LastBuild(fingerprint, int(count), definition)
