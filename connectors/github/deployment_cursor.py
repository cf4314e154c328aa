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
        pending = values.read_list(resource, "pending", data.get("pending", []))
        successes = values.read_object(resource, "last_success", data.get("last_success", {}))
        unknown = values.read_list(resource, "unknown", data.get("unknown", []))
        recent = values.read_list(resource, "recent", data.get("recent", []))
        unchained = values.read_list(resource, "unchained", data.get("unchained", []))
        read_unchained = [
            _read_unchained(resource, f"unchained[{i}]", u) for i, u in enumerate(unchained)
        ]
        read_pending = [_read_pending(resource, f"pending[{i}]", p) for i, p in enumerate(pending)]
        read_unknown = [_read_unknown(resource, f"unknown[{i}]", u) for i, u in enumerate(unknown)]
        read_recent = [_read_recent(resource, f"recent[{i}]", r) for i, r in enumerate(recent)]
        return cls(
            max_id=values.read_optional_id(resource, "max_id", data.get("max_id")),
            pending={p.deployment_id: p for p in read_pending},
            last_success={
                env: _read_success(resource, f"last_success[{env!r}]", s)
                for env, s in successes.items()
            },
            unknown={u.deployment_id: u for u in read_unknown},
            recent={r.deployment_id: r for r in read_recent},
            unchained={u.deployment_id: u for u in read_unchained},
        )

    def to_json(self, resource: str = RESOURCE) -> str:
        """The cursor as stored; raises UncheckedCursorValue for a value not of its type."""
        return json.dumps(self.to_data(resource), sort_keys=True)

    def to_data(self, resource: str = RESOURCE) -> dict[str, Any]:
        """The cursor as JSON-ready data, every value checked before it is written."""
        # Checked first, then sorted: sorting unchecked ids could fail with a bare TypeError.
        unknown = sorted((_write_unknown(resource, u) for u in self.unknown.values()),
                         key=lambda item: item["id"])
        pending = sorted((_write_pending(resource, p) for p in self.pending.values()),
                         key=lambda item: item["id"])
        recent = sorted((_write_recent(resource, r) for r in self.recent.values()),
                        key=lambda item: item["id"])
        unchained = sorted((_write_unchained(resource, u) for u in self.unchained.values()),
                           key=lambda item: item["id"])
        successes = {
            values.write_text(resource, "last_success environment", env): _write_success(
                resource, success
            )
            for env, success in self.last_success.items()
        }
        return {
            **({"unknown": unknown} if unknown else {}),
            **({"recent": recent} if recent else {}),
            **({"unchained": unchained} if unchained else {}),
            "max_id": values.write_optional_id(resource, "max_id", self.max_id),
            "pending": pending,
            "last_success": dict(sorted(successes.items())),
        }


def _read_pending(resource: str, where: str, raw: Any) -> PendingDeployment:
    item = values.read_object(resource, where, raw)
    return PendingDeployment(
        values.read_id(resource, f"{where}.id", item.get("id")),
        values.read_text(resource, f"{where}.environment", item.get("environment")),
        values.read_text(resource, f"{where}.sha", item.get("sha")),
        _read_etag(resource, where, item),
    )


def _read_etag(resource: str, where: str, item: dict[str, Any]) -> str | None:
    """A statuses ETag (left out when none was served: older cursors, the direct load)."""
    raw = item.get("etag")
    return None if raw is None else values.read_text(resource, f"{where}.etag", raw)


def _write_etag(resource: str, field: str, etag: str | None) -> dict[str, str]:
    return {} if etag is None else {"etag": values.write_text(resource, field, etag)}


def _read_success(resource: str, where: str, raw: Any) -> SuccessfulDeployment:
    item = values.read_object(resource, where, raw)
    return SuccessfulDeployment(
        values.read_id(resource, f"{where}.id", item.get("id")),
        values.read_text(resource, f"{where}.sha", item.get("sha")),
        values.read_time(resource, f"{where}.at", item.get("at")),
    )


def _read_unknown(resource: str, where: str, raw: Any) -> UnknownChangeSet:
    item = values.read_object(resource, where, raw)
    return UnknownChangeSet(
        values.read_id(resource, f"{where}.id", item.get("id")),
        values.read_id(resource, f"{where}.base_id", item.get("base_id")),
        values.read_text(resource, f"{where}.base_sha", item.get("base_sha")),
        values.read_text(resource, f"{where}.sha", item.get("sha")),
        values.read_count(resource, f"{where}.retries_left", item.get("retries_left")),
    )


def _read_recent(resource: str, where: str, raw: Any) -> RecentDeployment:
    item = values.read_object(resource, where, raw)
    return RecentDeployment(
        values.read_id(resource, f"{where}.id", item.get("id")),
        values.read_text(resource, f"{where}.environment", item.get("environment")),
        values.read_text(resource, f"{where}.sha", item.get("sha")),
        values.read_time(resource, f"{where}.created_at", item.get("created_at")),
        values.read_flag(resource, f"{where}.succeeded", item.get("succeeded")),
        _read_etag(resource, where, item),
    )


def _read_unchained(resource: str, where: str, raw: Any) -> UnchainedDeployment:
    item = values.read_object(resource, where, raw)
    return UnchainedDeployment(
        values.read_id(resource, f"{where}.id", item.get("id")),
        values.read_text(resource, f"{where}.environment", item.get("environment")),
        values.read_text(resource, f"{where}.sha", item.get("sha")),
        values.read_time(resource, f"{where}.at", item.get("at")),
    )


def _write_unchained(resource: str, unchained: UnchainedDeployment) -> dict[str, Any]:
    return {
        "id": values.write_id(resource, "unchained id", unchained.deployment_id),
        "environment": values.write_text(resource, "unchained environment",
                                         unchained.environment),
        "sha": values.write_text(resource, "unchained sha", unchained.sha),
        "at": values.write_time(resource, "unchained at", unchained.at),
    }


def _write_recent(resource: str, recent: RecentDeployment) -> dict[str, Any]:
    return {
        "id": values.write_id(resource, "recent id", recent.deployment_id),
        "environment": values.write_text(resource, "recent environment", recent.environment),
        "sha": values.write_text(resource, "recent sha", recent.sha),
        "created_at": values.write_time(resource, "recent created_at", recent.created_at),
        "succeeded": values.write_flag(resource, "recent succeeded", recent.succeeded),
        **_write_etag(resource, "recent etag", recent.etag),
    }


def _write_pending(resource: str, pending: PendingDeployment) -> dict[str, Any]:
    return {
        "id": values.write_id(resource, "pending id", pending.deployment_id),
        "environment": values.write_text(resource, "pending environment", pending.environment),
        "sha": values.write_text(resource, "pending sha", pending.sha),
        **_write_etag(resource, "pending etag", pending.etag),
    }


def _write_success(resource: str, success: SuccessfulDeployment) -> dict[str, Any]:
    return {
        "id": values.write_id(resource, "last_success id", success.deployment_id),
        "sha": values.write_text(resource, "last_success sha", success.sha),
        "at": values.write_time(resource, "last_success at", success.at),
    }


def _write_unknown(resource: str, pair: UnknownChangeSet) -> dict[str, Any]:
    return {
        "id": values.write_id(resource, "unknown id", pair.deployment_id),
        "base_id": values.write_id(resource, "unknown base_id", pair.base_deployment_id),
        "base_sha": values.write_text(resource, "unknown base_sha", pair.base_sha),
        "sha": values.write_text(resource, "unknown sha", pair.sha),
        "retries_left": values.write_count(resource, "unknown retries_left", pair.retries_left),
    }
