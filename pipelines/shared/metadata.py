"""Materialization metadata: row count and a small preview of a warehouse table."""

from __future__ import annotations

import dagster as dg
import duckdb

PREVIEW_ROWS = 5
# Wide JSON payloads make the preview unreadable; they stay queryable in the warehouse.
HIDDEN_COLUMNS = {"payload", "body"}
# Survey answers are personal data: Dagster's UI, its event log and its storage never hold a
# row of them, only the count (docs/culture.md §5.4).
UNPREVIEWED_PREFIX = "raw.survey_"


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= 40 else text[:37] + "..."


def table_metadata(con: duckdb.DuckDBPyConnection, table: str, rows: int | None = None,
                   preview: bool = True) -> dict[str, dg.MetadataValue]:
    """Row count and a markdown preview of `table` (schema-qualified, from our own model list);
    survey tables get the count only. `rows`: the count when the caller has it already;
    `preview=False` for a view, whose five preview rows could cost a whole recomputation."""
    relation = con.table(table)
    if rows is None:
        rows = relation.aggregate("count(*)").fetchall()[0][0]
    if table.startswith(UNPREVIEWED_PREFIX) or not preview:
        return {"dagster/row_count": dg.MetadataValue.int(int(rows))}
    columns = [c for c in relation.columns if c not in HIDDEN_COLUMNS]
    head = relation.select(*columns).limit(PREVIEW_ROWS).fetchall() if columns else []
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in head]
    return {
        "dagster/row_count": dg.MetadataValue.int(int(rows)),
        "preview": dg.MetadataValue.md("\n".join(lines)),
    }
