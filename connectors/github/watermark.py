"""The `updated_at` watermark of lists read newest first (pull requests, issues).

The watermark is only ever moved to `updated_at` values the normalizers checked, and `advance`
checks them again (a time with a UTC offset), so an unchecked value never becomes the cursor; a
stored watermark that is not such a time is refused by `parse`, naming the fix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from github.Requester import Requester

from connectors.github import cursor_values as values
from connectors.github.normalize import updated_at
from connectors.github.paging import FetchedList, RequestCounter, fetch_list
from connectors.github.records import Cursor

WATERMARK = "updated_at watermark"
"""The watermark's name in messages about a stored cursor."""


def updated_since(watermark: datetime | None, kind: str) -> Callable[[Any], bool]:
    """Keep-predicate for `fetch_list`: items (of `kind`, for messages) updated at or after the
    watermark.

    The boundary is re-read (`>=`): an item updated in the same second as the watermark but
    after the last read is not lost; the re-read rows dedupe by key in the warehouse.
    """
    if watermark is None:
        return lambda raw: True
    return lambda raw: updated_at(raw, kind) >= watermark


def advance(watermark: datetime | None, updated: Iterable[datetime]) -> datetime | None:
    """The new watermark: the newest `updated_at` read, never older than the old watermark.

    Raises UncheckedCursorValue if a value is not a time with a UTC offset (a Candor bug: the
    normalizers return only such times).
    """
    times = [*updated, *([watermark] if watermark is not None else [])]
    for value in times:
        values.write_time(WATERMARK, "updated_at", value)
    return max(times, default=None)


def parse(cursor_value: str | None, resource: str = WATERMARK) -> datetime | None:
    """The watermark stored in a cursor (ISO 8601 with an offset), or None before the first
    sync; raises UnreadableCursor for anything else."""
    return values.read_optional_time(resource, "the watermark", cursor_value or None)


def fetch_updated_since(
    requester: Requester, path: str, previous: Cursor | None, counter: RequestCounter, kind: str
) -> tuple[datetime | None, FetchedList]:
    """Read a list of `kind` newest first (`state=all&sort=updated&direction=desc`) down to the
    watermark of `previous`, its first page sent with the saved ETag; return the old
    watermark and what was listed."""
    watermark = parse(previous.cursor if previous else None)
    listed = fetch_list(
        requester,
        path,
        counter,
        params={
            "state": "all",
            "sort": "updated",
            "direction": "desc",
            "per_page": requester.per_page,
        },
        etag=previous.etag if previous else None,
        keep=updated_since(watermark, kind),
    )
    return watermark, listed
