"""Content fingerprints of tables and views, to prove that two runs left identical warehouses.

A fingerprint hashes every row (as JSON, so column names count and NULL differs from '') with
MD5 and adds the row hashes up: the sum does not depend on row order or physical layout, counts
duplicate rows, and needs constant memory however large the table. Columns that record *when*
something was written rather than *what* (VOLATILE_COLUMNS) are left out, so that a rerun with
the same input fingerprints the same. Timestamps are rendered in the session time zone, which
connect() sets to UTC: compare fingerprints taken through Candor connections.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

import duckdb

from warehouse.comments import schema_comments
from warehouse.errors import WarehouseError
from warehouse.sql_text import quote_identifier

DEFAULT_SCHEMAS = ("raw", "meta", "staging", "marts")

# Write-time bookkeeping: when a row was written, not what it says.
VOLATILE_COLUMNS: Mapping[str, frozenset[str]] = {
    "meta.sync_state": frozenset({"synced_at"}),
    "meta.sync_status": frozenset({"last_attempt_at", "last_success_at"}),
    "meta.schema_migrations": frozenset({"applied_at"}),
    # A build's fingerprint covers the sync times in meta.sync_status, which no rerun repeats.
    "meta.model_builds": frozenset({"built_at", "inputs_fingerprint"}),
    "raw.survey_waves": frozenset({"imported_at"}),
    # Freshness is when the data was synced and assessed, not what it says.
    "marts.source_freshness": frozenset({"last_success_at", "last_attempt_at", "assessed_at"}),
    "marts.dora_team_week": frozenset({"data_synced_at"}),
    "marts.dora_team_month": frozenset({"data_synced_at"}),
    "staging.int_team_freshness": frozenset({"data_synced_at"}),
}


def table_fingerprint(
    con: duckdb.DuckDBPyConnection, table: str, ignore: Iterable[str] = ()
) -> str:
    """Order-independent content hash (hex) of table or view `table` ('schema.name').

    `ignore` names further columns to leave out, besides VOLATILE_COLUMNS: a bare name
    ('payload') in every table, a qualified one ('meta.sync_state.etag') in that table only.
    """
    schema, _, name = table.partition(".")
    relation = schema_comments(con, [schema]).get(table)
    if not name or relation is None:
        raise WarehouseError(f"No table or view {table!r} in the warehouse; use 'schema.name'.")
    return _fingerprint(con, table, list(relation.columns), frozenset(ignore))


def warehouse_fingerprint(
    con: duckdb.DuckDBPyConnection,
    schemas: Iterable[str] = DEFAULT_SCHEMAS,
    ignore: Iterable[str] = (),
    without_repos: Iterable[str] = (),
) -> dict[str, str]:
    """Fingerprint of every table and view in `schemas`, keyed by 'schema.name'.

    `ignore` as in table_fingerprint; e.g. ('payload', 'meta.sync_state.etag') to compare runs
    against simulated APIs served on different ports, whose URLs and ETags differ.
    `without_repos` leaves out the rows of these repositories (a `repo` column, or the `scope`
    of meta's sync tables), to compare everything but the repositories a fault hit; a table
    with neither column is fingerprinted whole.
    """
    ignored = frozenset(ignore)
    left_out = sorted(without_repos)
    return {
        table: _fingerprint(con, table, list(relation.columns), ignored, left_out)
        for table, relation in schema_comments(con, schemas).items()
    }


def _fingerprint(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: list[str],
    ignore: frozenset[str],
    without_repos: list[str] | None = None,
) -> str:
    left_out = VOLATILE_COLUMNS.get(table, frozenset())
    kept = [
        c for c in columns if c not in left_out and c not in ignore and f"{table}.{c}" not in ignore
    ]
    schema, _, name = table.partition(".")
    # Identifiers come from the catalog (never from input) and are quoted; values are bound.
    selected = ", ".join(quote_identifier(c) for c in kept)
    repo_column = next((c for c in ("repo", "scope") if c in columns), None)
    where, parameters = "", {}
    if without_repos and repo_column:
        where = f" where not list_contains($without_repos, {quote_identifier(repo_column)})"
        parameters = {"without_repos": without_repos}
    summed_row_hashes = (
        "select count(*), sum(md5_number_upper(row_json)), sum(md5_number_lower(row_json)) "
        "from (select to_json(fingerprinted_row)::varchar as row_json "
        f"from (select {selected} from {quote_identifier(schema)}.{quote_identifier(name)}{where}) "
        "as fingerprinted_row)"
    )
    rows, upper, lower = con.execute(summed_row_hashes, parameters).fetchone()
    return hashlib.sha256(f"{kept}\n{rows}\n{upper}\n{lower}".encode()).hexdigest()
