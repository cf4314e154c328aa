"""Reading GitHub JSON with every field's type checked, so a malformed answer is named, not fatal.

GitHub documents the type of every field the connector reads. An answer that breaks that shape (a
proxy's page, an API change, a bug upstream, a stray 2^63 id) must stop only the repository it
came from, with a message a user can act on: the object, the field and what was wrong, never a
bare `KeyError` or DuckDB's "string indices must be integers". Two errors carry this:

- `MalformedObject`: one object is wrong ("issue id 123: field 'labels' is a string, expected a
  list"); raised by `ApiObject` readers in the normalizers, which do not know the endpoint;
- `MalformedAnswer`: the same, or a whole answer (not JSON, not a list, a Link loop), with the
  endpoint it came from ("GET /repos/acme/api/issues: ..."). `reading(path)` turns the first into
  the second; `sync.sync_repo` adds the repository.

Integers are checked against the warehouse column they end up in: ids are BIGINT, pull request
and issue numbers and compare counts INTEGER. A value outside is refused here, naming the field,
rather than failing the repository's write with an out-of-range cast.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

BIGINT_MAX = 2**63 - 1
"""Largest id the warehouse stores (DuckDB BIGINT, 64-bit signed)."""

INTEGER_MAX = 2**31 - 1
"""Largest pull request / issue number and compare count the warehouse stores (DuckDB INTEGER)."""


class MalformedObject(ValueError):
    """A GitHub JSON object lacks a field the connector reads, or has it with another type."""


class MalformedAnswer(RuntimeError):
    """An answer of one endpoint the connector cannot read. The message starts `GET <path>:`."""

    def __init__(self, path: str, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(f"GET {path}: {detail}")


@contextlib.contextmanager
def reading(path: str) -> Iterator[None]:
    """Name the endpoint `path` in any MalformedObject raised while its answer is read."""
    try:
        yield
    except MalformedObject as err:
        raise MalformedAnswer(path, str(err)) from err


def json_type(value: Any) -> str:
    """The JSON type of a decoded value, in words: 'a string', 'an object', 'null', ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _is_integer(value: Any) -> bool:
    # JSON true/false decode to Python bools, which are ints: never an id.
    return isinstance(value, int) and not isinstance(value, bool)


class ApiObject:
    """One JSON object of a GitHub answer, read field by field with its type checked.

    `kind` names the object in messages ('issue', 'deployment status'); `key` is the field that
    identifies it ('id', 'number', 'sha'), shown when it is readable, e.g. 'issue id 123'.
    Nested objects (`child`) keep the outer label and name their fields with a dotted path
    ('commit.author.date').
    """

    __slots__ = ("_prefix", "label", "raw")

    def __init__(self, raw: Any, kind: str, key: str | None = "id", *, _prefix: str = "") -> None:
        if not isinstance(raw, dict):
            raise MalformedObject(f"{kind} is {json_type(raw)}, expected an object")
        self.raw: dict[str, Any] = raw
        self._prefix = _prefix
        self.label = kind if key is None else _label(kind, key, raw.get(key))

    def _fail(self, key: str, problem: str) -> MalformedObject:
        return MalformedObject(f"{self.label}: field {self._prefix + key!r} {problem}")

    def _value(self, key: str, required: bool, expected: str) -> Any:
        if key not in self.raw:
            if required:
                raise self._fail(key, f"is missing, expected {expected}")
            return None
        value = self.raw[key]
        if value is None and required:
            raise self._fail(key, f"is null, expected {expected}")
        return value

    def integer(self, key: str, *, minimum: int = 1, maximum: int = BIGINT_MAX) -> int:
        """A required whole number within [minimum, maximum] (the warehouse column's range)."""
        expected = "an integer"
        value = self._value(key, True, expected)
        if not _is_integer(value):
            # Never rounded or parsed: a PR number 1.5 would become #2 and overwrite it, a
            # string id would end up in the cursor. The value is shown so the record is found.
            raise self._fail(key, f"is {_shown(value)}, expected {expected}")
        if value > maximum:
            column = "BIGINT" if maximum == BIGINT_MAX else "INTEGER"
            raise self._fail(
                key, f"is {value}, beyond the largest value the warehouse stores ({column})"
            )
        if value < minimum:
            raise self._fail(key, f"is {value}, expected at least {minimum}")
        return value

    def id(self, key: str = "id") -> int:
        """A GitHub id: a positive integer that fits BIGINT."""
        return self.integer(key)

    def number(self, key: str = "number") -> int:
        """A pull request or issue number: a positive integer that fits INTEGER."""
        return self.integer(key, maximum=INTEGER_MAX)

    def count(self, key: str) -> int:
        """A count (compare's ahead_by / behind_by): 0 or more, fits INTEGER."""
        return self.integer(key, minimum=0, maximum=INTEGER_MAX)

    def text(self, key: str, *, required: bool = True) -> str | None:
        """A string; an optional one may be missing or null (None)."""
        value = self._value(key, required, "a string")
        if value is not None and not isinstance(value, str):
            raise self._fail(key, f"is {json_type(value)}, expected a string")
        return value

    def flag(self, key: str) -> bool:
        """A required JSON boolean (a release's `draft`, `prerelease`)."""
        value = self._value(key, True, "a boolean")
        if not isinstance(value, bool):
            raise self._fail(key, f"is {json_type(value)}, expected a boolean")
        return value

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        """A required string that is one of `allowed`."""
        value = self.text(key)
        if value not in allowed:
            raise self._fail(key, f"is {value!r}, expected one of {', '.join(allowed)}")
        return value

    def time(self, key: str, *, required: bool = True) -> datetime | None:
        """An ISO 8601 timestamp with a UTC offset, as a UTC datetime."""
        expected = "an ISO 8601 timestamp"
        value = self._value(key, required, expected)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._fail(key, f"is {json_type(value)}, expected {expected}")
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise self._fail(key, f"is {value[:40]!r}, not {expected}") from None
        if parsed.tzinfo is None:
            raise self._fail(key, f"is {value[:40]!r}, a time without a UTC offset")
        return parsed.astimezone(UTC)

    def child(self, key: str) -> ApiObject | None:
        """A nested object, or None when it is missing or null (a deleted user, for one)."""
        value = self.raw.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self._fail(key, f"is {json_type(value)}, expected an object")
        return ApiObject(value, self.label, None, _prefix=f"{self._prefix}{key}.")

    def login(self, key: str) -> str | None:
        """The `login` of a nested user object, or None for a missing (null) user."""
        user = self.child(key)
        return None if user is None else user.text("login", required=False)

    def labels(self, key: str = "labels") -> tuple[str, ...]:
        """Names of a `labels` list of label objects, in GitHub's order; missing or null: ()."""
        value = self.raw.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self._fail(key, f"is {json_type(value)}, expected a list")
        names = []
        for position, label in enumerate(value):
            if not isinstance(label, dict):
                raise self._fail(
                    key, f"item {position} is {json_type(label)}, expected a label object"
                )
            name = label.get("name")
            if not isinstance(name, str):
                raise self._fail(
                    f"{key}[{position}].name", f"is {json_type(name)}, expected a string"
                )
            names.append(name)
        return tuple(names)


def _shown(value: Any) -> str:
    """A wrong value in a message: a number as written, a short string quoted, else its type."""
    if isinstance(value, float):
        return f"the number {value!r}"
    if isinstance(value, str) and len(value) <= 40:
        return f"the string {value!r}"
    return json_type(value)


def _label(kind: str, key: str, value: Any) -> str:
    if key == "number" and _is_integer(value):
        return f"{kind} #{value}"
    if key == "sha" and isinstance(value, str):
        return f"{kind} {value[:12]}"
    if _is_integer(value):
        return f"{kind} {key} {value}"
    # An identifier of the wrong type is quoted as it came, so '7' is not read as the id 7.
    if isinstance(value, float) or (isinstance(value, str) and len(value) <= 40):
        return f"{kind} {key} {value!r}"
    return kind
