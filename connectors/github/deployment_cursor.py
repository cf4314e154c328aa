"""The deployments cursor: what the connector must remember about a repo's deployments.

Stored as a JSON string in `meta.sync_state.cursor` (resource `deployments`); only this module
reads or writes it:

    {"max_id": 1234,
     "pending": [{"id": 1233, "environment": "production", "sha": "ab12..."}],
     "last_success": {"production": {"id": 1230, "sha": "cd34...",
                                     "at": "2024-03-01T10:00:00+00:00"}},
     "unknown": [{"id": 1229, "base_id": 1227, "base_sha": "ef56...", "sha": "0a1b...",
                  "retries_left": 2}]}

- `max_id`: highest deployment id fetched; the newest-first list is read down to it.
- `pending`: deployments with no final status yet, re-polled each run because they can finish
  later. Environment and sha are kept so a late success gets its change set without
  re-fetching the deployment.
- `last_success`: per production environment (lower-cased: GitHub environment names are not
  case-sensitive), the latest successful deployment by first success time: the base of the
  next deployment's change set.
- `unknown` (left out while empty, so older cursors read and write the same): production
  deployments whose compare GitHub refused (404, 422), asked again on each of the next
  `settings.COMPARE_RETRY_RUNS` runs; a retry that succeeds stores the real change set.
- `recent` (left out while empty): deployments with a final status created within
  `sources.github.status_repoll_days` of the API's clock, whose statuses are re-read each run
  because GitHub can still add some (an `inactive` when a newer one succeeds, a `success`
  after a `failure`): `{"id", "environment", "sha", "created_at", "succeeded"}`, `succeeded`
  saying whether its change set was already computed.
- `etag` of a pending or recent deployment (left out when GitHub served none): its statuses
  list's ETag when last read. The re-poll sends it as `If-None-Match`, and an unchanged list
  answers 304, which GitHub does not count against the rate limit.
- `unchained` (left out while empty): successful production deployments whose first success
  is known but whose change set is not computed yet, because the sync was committed in chunks
  (deployments.py) and stopped between its status pass and its change-set pass:
  `{"id", "environment", "sha", "at"}`, `at` the first success. The next sync chains them with
  its own successes in one order of first success, as one uninterrupted sync would.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from connectors.github import cursor_values as values
from connectors.github.cursor_values import UnreadableCursor

RESOURCE = "deployments"


@dataclass(frozen=True)
class PendingDeployment:
    """A deployment whose statuses are re-polled: what its change set would need."""

    deployment_id: int
    environment: str
    sha: str
    etag: str | None = None  # of its statuses list when last read: re-polled conditionally


@dataclass(frozen=True)
class SuccessfulDeployment:
    """The latest successful production deployment of one environment."""

    deployment_id: int
    sha: str
    at: datetime


@dataclass(frozen=True)
class UnknownChangeSet:
    """A deployment pair whose compare GitHub refused, to be compared again on later runs."""

    deployment_id: int
    base_deployment_id: int
    base_sha: str
    sha: str
    retries_left: int


@dataclass(frozen=True)
class RecentDeployment:
    """A finished deployment young enough for its statuses to be re-read."""

    deployment_id: int
    environment: str
    sha: str
    created_at: datetime
    succeeded: bool  # a success was seen: its change set is computed, never again
    etag: str | None = None  # of its statuses list when last read: re-polled conditionally


@dataclass(frozen=True)
class UnchainedDeployment:
    """A successful production deployment waiting for its change set."""

    deployment_id: int
    environment: str
    sha: str
    at: datetime  # its first success


@dataclass
class DeploymentCursor:
    max_id: int | None = None
    pending: dict[int, PendingDeployment] = field(default_factory=dict)
    last_success: dict[str, SuccessfulDeployment] = field(default_factory=dict)
    unknown: dict[int, UnknownChangeSet] = field(default_factory=dict)
    recent: dict[int, RecentDeployment] = field(default_factory=dict)
    unchained: dict[int, UnchainedDeployment] = field(default_factory=dict)

    @classmethod
    def from_json(cls, text: str | None, resource: str = RESOURCE) -> DeploymentCursor:
        """The cursor stored as `text`; None (never synced) is the empty cursor.

        `resource` names the cursor in messages (a signal cursor keeps one of these inside).
        Raises UnreadableCursor when the text is not this cursor's JSON.
        """
        if not text:
            return cls()
        try:
            data = json.loads(text)
        except ValueError:
            raise UnreadableCursor(resource, f"{text[:80]!r} is not JSON") from None
        return cls.from_data(data, resource)

    @classmethod
    def from_data(cls, data: Any, resource: str = RESOURCE) -> DeploymentCursor:
        """The cursor from its decoded JSON, every field's type checked."""
        data = values.read_object(resource, "the cursor", data)
        successes = values.read_object(resource, "last_success", data.get("last_success", {}))

        def entries(section: str, kind: type) -> dict[int, Any]:
            listed = values.read_list(resource, section, data.get(section, []))
            read = [_read(kind, resource, f"{section}[{i}]", raw) for i, raw in enumerate(listed)]
            return {entry.deployment_id: entry for entry in read}

        return cls(
            max_id=values.read_optional_id(resource, "max_id", data.get("max_id")),
            pending=entries("pending", PendingDeployment),
            last_success={
                env: _read(SuccessfulDeployment, resource, f"last_success[{env!r}]", s)
                for env, s in successes.items()
            },
            unknown=entries("unknown", UnknownChangeSet),
            recent=entries("recent", RecentDeployment),
            unchained=entries("unchained", UnchainedDeployment),
        )

    def to_json(self, resource: str = RESOURCE) -> str:
        """The cursor as stored; raises UncheckedCursorValue for a value not of its type."""
        return json.dumps(self.to_data(resource), sort_keys=True)

    def to_data(self, resource: str = RESOURCE) -> dict[str, Any]:
        """The cursor as JSON-ready data, every value checked before it is written."""

        def entries(section: str, kept: dict[int, Any]) -> list[dict[str, Any]]:
            # Checked first, then sorted: sorting unchecked ids could fail with a bare TypeError.
            written = [_write(section, resource, entry) for entry in kept.values()]
            return sorted(written, key=lambda item: item["id"])

        unknown = entries("unknown", self.unknown)
        recent = entries("recent", self.recent)
        unchained = entries("unchained", self.unchained)
        successes = {
            values.write_text(resource, "last_success environment", env): _write(
                "last_success", resource, success
            )
            for env, success in self.last_success.items()
        }
        return {
            **({"unknown": unknown} if unknown else {}),
            **({"recent": recent} if recent else {}),
            **({"unchained": unchained} if unchained else {}),
            "max_id": values.write_optional_id(resource, "max_id", self.max_id),
            "pending": entries("pending", self.pending),
            "last_success": dict(sorted(successes.items())),
        }


@dataclass(frozen=True)
class _Field:
    """One JSON key of a cursor entry: the attribute it holds and how it is checked.
    `optional`: left out of the JSON when None (and None when missing or null)."""

    key: str
    attribute: str
    kind: str  # a key of _READERS / _WRITERS
    optional: bool = False


_READERS = {"id": values.read_id, "text": values.read_text, "time": values.read_time,
            "flag": values.read_flag, "count": values.read_count}
_WRITERS = {"id": values.write_id, "text": values.write_text, "time": values.write_time,
            "flag": values.write_flag, "count": values.write_count}

_ID = _Field("id", "deployment_id", "id")
_ENVIRONMENT = _Field("environment", "environment", "text")
_SHA = _Field("sha", "sha", "text")
# A statuses ETag: left out when none was served (older cursors, the direct load).
_ETAG = _Field("etag", "etag", "text", optional=True)

_LAYOUTS: dict[type, tuple[_Field, ...]] = {
    PendingDeployment: (_ID, _ENVIRONMENT, _SHA, _ETAG),
    SuccessfulDeployment: (_ID, _SHA, _Field("at", "at", "time")),
    UnknownChangeSet: (_ID, _Field("base_id", "base_deployment_id", "id"),
                       _Field("base_sha", "base_sha", "text"), _SHA,
                       _Field("retries_left", "retries_left", "count")),
    RecentDeployment: (_ID, _ENVIRONMENT, _SHA, _Field("created_at", "created_at", "time"),
                       _Field("succeeded", "succeeded", "flag"), _ETAG),
    UnchainedDeployment: (_ID, _ENVIRONMENT, _SHA, _Field("at", "at", "time")),
}
"""The JSON of each kind of cursor entry, in one place for reading and writing."""


def _read(kind: type, resource: str, where: str, raw: Any) -> Any:
    """An entry of `kind` from its JSON object at `where` (e.g. 'pending[0]'), each field
    checked; a wrong one is named `where.key`."""
    item = values.read_object(resource, where, raw)
    fields = {}
    for spec in _LAYOUTS[kind]:
        value = item.get(spec.key)
        fields[spec.attribute] = None if spec.optional and value is None else _READERS[
            spec.kind](resource, f"{where}.{spec.key}", value)
    return kind(**fields)


def _write(section: str, resource: str, entry: Any) -> dict[str, Any]:
    """The JSON object of an entry of `section` (a wrong value is named 'section key')."""
    out = {}
    for spec in _LAYOUTS[type(entry)]:
        value = getattr(entry, spec.attribute)
        if spec.optional and value is None:
            continue
        out[spec.key] = _WRITERS[spec.kind](resource, f"{section} {spec.key}", value)
    return out
