"""The DuckDB warehouse: migrations, idempotent loads, sync cursors and read-only access.

Knows nothing of APIs or Dagster: callers hand it plain records that follow the neutral contract
of connectors/contract.py (never a source package) and connections; it owns the file's schema
and every write to it.
"""
