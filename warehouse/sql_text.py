"""The two places where text is written into SQL instead of bound: identifiers and COMMENT ON.

Identifiers (schema, table and column names) come from the warehouse's own catalog or model
files, never from input. COMMENT ON takes no bound parameter in DuckDB 2.0 (`comment on table t
is ?` is a syntax error), so the comment text, which comes from our own model headers or the
catalog, is quoted as a string literal. Everything else is bound.
"""

from __future__ import annotations


def quote_identifier(name: str) -> str:
    """`name` as a quoted SQL identifier (a doubled quote escapes a quote)."""
    return '"' + name.replace('"', '""') + '"'


def sql_string_literal(text: str) -> str:
    """`text` as a SQL string literal, for COMMENT ON only. Standard SQL strings have a single
    escape, the doubled quote; DuckDB does not treat backslashes as escapes in them."""
    return "'" + text.replace("'", "''") + "'"
