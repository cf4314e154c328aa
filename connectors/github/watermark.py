"""The `updated_at` watermark of lists read newest first (pull requests, issues)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from connectors.github.normalize import parse_time


def updated_since(watermark: datetime | None) -> Callable[[dict[str, Any]], bool]:
    """Keep-predicate for `fetch_list`: items updated at or after the watermark.

    The boundary is re-read (`>=`): an item updated in the same second as the watermark but
    after the last read is not lost; the re-read rows dedupe by key in the warehouse.
    """
    if watermark is None:
        return lambda raw: True
    return lambda raw: parse_time(raw["updated_at"]) >= watermark


def advance(watermark: datetime | None, updated: Iterable[datetime]) -> datetime | None:
    """The new watermark: the newest `updated_at` read, never older than the old watermark."""
    return max([*updated, *([watermark] if watermark is not None else [])], default=None)


def parse(cursor_value: str | None) -> datetime | None:
    """The watermark stored in a cursor (ISO 8601), or None before the first sync."""
    return parse_time(cursor_value) if cursor_value else None
