"""What every source hands the warehouse: records in batches, the cursors that cover them, and
the declaration of the raw tables they fill.

This is the one seam between `connectors/` and `warehouse/`: the warehouse imports this module
and never a source package, so a new source (connectors/<source>/) adds its records, its
`tables.py` (a `SourceTables`) and its migration, and the loader writes it unchanged.

- A **record** is a frozen dataclass whose fields are the columns of one raw table, in order
  and with the same names (dict fields are the API payload, stored as JSON text).
- A **batch** is everything one sync of one scope (a repository, a project, a service) fetched:
  one list of records per raw table, in the attribute the table declares, plus the cursors
  that cover them. The warehouse writes a batch and its cursors in one transaction.
- A **cursor** says where the next incremental fetch of one resource of one scope starts.

Table and column descriptions are not repeated here: they are the `COMMENT ON` of the table's
migration, which is what DuckDB shows and what Dagster's asset descriptions are read from.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any, Protocol


@dataclass(frozen=True)
class Cursor:
    """Where the next incremental fetch of one resource of one scope starts."""

    source: str  # 'github', 'gitlab', 'pagerduty'
    scope: str  # what the cursor covers within the source, e.g. a repository's full name
    resource: str  # the API resource it tracks, e.g. 'deployments'
    cursor: str | None  # resource-specific watermark
    etag: str | None  # validator of the first page at the last fetch, if the API has one


class Batch(Protocol):
    """One sync's records of one scope and the cursors that cover them.

    Besides these, a batch has one attribute per raw table of its source
    (`RawTable.batch_field`) holding that table's records, and may name in `unfinished` the
    resources whose cursor records progress inside a pass not ended yet: their cursor is
    stored, but the resource is not marked synced.
    """

    @property
    def scope(self) -> str: ...

    @property
    def cursors(self) -> Sequence[Cursor]: ...


# Compact separators: the payload is stored as text and parsed by DuckDB; spaces add nothing.
_encode_json = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def _json_text(value: dict[str, Any] | None) -> str | None:
    """An API payload as JSON text; a missing payload stays SQL NULL (not the JSON `null`)."""
    return None if value is None else _encode_json(value)


@dataclass(frozen=True)
class RawTable:
    """A raw table and the records that fill it.

    Columns are the record's dataclass fields, in declaration order. The key is not repeated
    here: it is the table's primary key in the catalog, which is also what the upsert uses.
    """

    name: str  # schema-qualified, e.g. raw.github_deployments
    batch_field: str  # the batch attribute holding the records
    record_type: type
    scope_column: str = "repo"  # the column holding the batch's scope (full refresh deletes by it)

    @cached_property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self.record_type))

    @cached_property
    def converters(self) -> dict[int, Callable[[Any], Any]]:
        """Per column position, how a field value becomes a column value, where it must change.

        dict fields (the API payload) become JSON text. Every other field (str, int, aware
        datetime, tuple of str for VARCHAR[]) is bound as it is.
        """
        hints = typing.get_type_hints(self.record_type)
        return {
            position: _json_text
            for position, column in enumerate(self.columns)
            if typing.get_origin(hints[column]) is dict
        }

    def __post_init__(self) -> None:
        if self.scope_column not in self.columns:
            raise ValueError(
                f"{self.name}: scope column {self.scope_column!r} is not a field of "
                f"{self.record_type.__name__}"
            )


@dataclass(frozen=True)
class SourceTables:
    """A source's raw tables, in the order they are written within a batch's transaction."""

    source: str
    tables: tuple[RawTable, ...]

    def __iter__(self) -> typing.Iterator[RawTable]:
        return iter(self.tables)
