"""An API's own clock, read from the `Date` header of its answer: where an incremental sync's
window ends, so it never ends in the API's future nor skips what the API has not shown yet."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def server_time(date_header: str | None) -> datetime:
    """The `Date` header as a UTC time; this machine's clock (whole seconds) when it is
    missing or unreadable."""
    if date_header:
        try:
            return parsedate_to_datetime(date_header).astimezone(UTC)
        except (TypeError, ValueError):
            pass
    return datetime.now(UTC).replace(microsecond=0)
