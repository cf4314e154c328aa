"""Checks on the values a sync cursor holds, when it is written and when it is read back.

A cursor decides what the next incremental run asks GitHub for, so one wrong value in it (a
string id, a float, a time without an offset) fails every later run of its repository until
`--full-refresh`. The normalizers (shape.py) already refuse such values in GitHub's answers;
these checks make the cursor modules refuse them again at the two places a cursor crosses a
boundary:

- writing (`to_json`): a value that is not of the cursor's type is a Candor bug; it raises
  `UncheckedCursorValue`, which fails the repository's sync before its batch and cursors are
  written, so the stored cursor stays as it was;
- reading (`from_json`, `watermark.parse`): a stored cursor that does not hold the cursor's
  types (written by an older version, or edited by hand) raises `UnreadableCursor`, naming the
  resource, the field and the fix.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from connectors.github.client import GitHubConfigError
from connectors.github.shape import BIGINT_MAX, json_type

FULL_REFRESH_FIX = "run once with --full-refresh to rebuild it"


class UnreadableCursor(GitHubConfigError):
    """A stored cursor (meta.sync_state) does not hold what its resource's cursor holds.

    A GitHubConfigError, so the sync reports it as its repository's failure with this message
    and fix (like an unusable setting), not as a Candor bug.
    """

    def __init__(self, resource: str, problem: str) -> None:
        super().__init__(
            f"The stored GitHub {resource} cursor (meta.sync_state) is unreadable: {problem}; "
            f"{FULL_REFRESH_FIX}."
        )


class UncheckedCursorValue(TypeError):
    """A value about to be written into a cursor is not of the cursor's type: a Candor bug (a
    value reached the cursor without passing the normalizers' checks)."""

    def __init__(self, resource: str, field: str, value: Any, expected: str) -> None:
        super().__init__(
            f"refusing to write the GitHub {resource} cursor: {field} is {shown(value)}, "
            f"expected {expected}; the stored cursor was left as it was"
        )


def shown(value: Any) -> str:
    """A value for a message: numbers and short strings as written, anything else by type."""
    if isinstance(value, bool) or value is None:
        return json_type(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return f"the string {value[:40]!r}"
    if isinstance(value, datetime):
        return f"the time {value.isoformat()}"
    return json_type(value)


def is_id(value: Any) -> bool:
    """True for a GitHub id the warehouse stores: a positive integer within BIGINT."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= BIGINT_MAX


def is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def is_utc_time(value: Any) -> bool:
    return isinstance(value, datetime) and value.utcoffset() is not None


# ------------------------------------------------------------------ writing


def write_id(resource: str, field: str, value: Any) -> int:
    if not is_id(value):
        raise UncheckedCursorValue(resource, field, value, "a GitHub id (a positive integer)")
    return value


def write_optional_id(resource: str, field: str, value: Any) -> int | None:
    return None if value is None else write_id(resource, field, value)


def write_count(resource: str, field: str, value: Any) -> int:
    if not is_count(value):
        raise UncheckedCursorValue(resource, field, value, "a whole number, 0 or more")
    return value


def write_text(resource: str, field: str, value: Any) -> str:
    if not isinstance(value, str):
        raise UncheckedCursorValue(resource, field, value, "a string")
    return value


def write_flag(resource: str, field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise UncheckedCursorValue(resource, field, value, "true or false")
    return value


def write_time(resource: str, field: str, value: Any) -> str:
    """The ISO 8601 text of a timezone-aware time (UTC)."""
    if not is_utc_time(value):
        raise UncheckedCursorValue(resource, field, value, "a time with a UTC offset")
    return value.astimezone(UTC).isoformat()


# ------------------------------------------------------------------ reading


def read_object(resource: str, field: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UnreadableCursor(resource, f"{field} is {shown(value)}, expected an object")
    return value


def read_list(resource: str, field: str, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise UnreadableCursor(resource, f"{field} is {shown(value)}, expected a list")
    return value


def read_id(resource: str, field: str, value: Any) -> int:
    if not is_id(value):
        raise UnreadableCursor(resource, f"{field} is {shown(value)}, expected a GitHub id")
    return value


def read_optional_id(resource: str, field: str, value: Any) -> int | None:
    return None if value is None else read_id(resource, field, value)


def read_count(resource: str, field: str, value: Any) -> int:
    if not is_count(value):
        raise UnreadableCursor(
            resource, f"{field} is {shown(value)}, expected a whole number, 0 or more"
        )
    return value


def read_text(resource: str, field: str, value: Any) -> str:
    if not isinstance(value, str):
        raise UnreadableCursor(resource, f"{field} is {shown(value)}, expected a string")
    return value


def read_flag(resource: str, field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise UnreadableCursor(resource, f"{field} is {shown(value)}, expected true or false")
    return value


def read_time(resource: str, field: str, value: Any) -> datetime:
    """A stored ISO 8601 time with a UTC offset, as a UTC datetime."""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.utcoffset() is not None:
            return parsed.astimezone(UTC)
    raise UnreadableCursor(
        resource, f"{field} is {shown(value)}, expected an ISO 8601 time with a UTC offset"
    )


def read_optional_time(resource: str, field: str, value: Any) -> datetime | None:
    return None if value is None else read_time(resource, field, value)
