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
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from connectors.github.normalize import parse_time


@dataclass(frozen=True)
class PendingDeployment:
    """A deployment whose statuses are re-polled: what its change set would need."""

    deployment_id: int
    environment: str
    sha: str


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


@dataclass
class DeploymentCursor:
    max_id: int | None = None
    pending: dict[int, PendingDeployment] = field(default_factory=dict)
    last_success: dict[str, SuccessfulDeployment] = field(default_factory=dict)
    unknown: dict[int, UnknownChangeSet] = field(default_factory=dict)

    @classmethod
    def from_json(cls, text: str | None) -> DeploymentCursor:
        """The cursor stored as `text`; None (never synced) is the empty cursor."""
        if not text:
            return cls()
        try:
            data = json.loads(text)
            return cls(
                max_id=data.get("max_id"),
                pending={
                    p["id"]: PendingDeployment(p["id"], p["environment"], p["sha"])
                    for p in data.get("pending", [])
                },
                last_success={
                    env: SuccessfulDeployment(s["id"], s["sha"], parse_time(s["at"]))
                    for env, s in data.get("last_success", {}).items()
                },
                unknown={
                    u["id"]: UnknownChangeSet(
                        u["id"], u["base_id"], u["base_sha"], u["sha"], u["retries_left"]
                    )
                    for u in data.get("unknown", [])
                },
            )
        except (ValueError, KeyError, TypeError) as err:
            raise ValueError(
                f"The stored GitHub deployments cursor {text[:80]!r} is unreadable ({err}); "
                "run once with --full-refresh to rebuild it."
            ) from err

    def to_json(self) -> str:
        unknown = [
            {
                "id": u.deployment_id,
                "base_id": u.base_deployment_id,
                "base_sha": u.base_sha,
                "sha": u.sha,
                "retries_left": u.retries_left,
            }
            for u in sorted(self.unknown.values(), key=lambda u: u.deployment_id)
        ]
        return json.dumps(
            {
                **({"unknown": unknown} if unknown else {}),
                "max_id": self.max_id,
                "pending": [
                    {"id": p.deployment_id, "environment": p.environment, "sha": p.sha}
                    for p in sorted(self.pending.values(), key=lambda p: p.deployment_id)
                ],
                "last_success": {
                    env: {"id": s.deployment_id, "sha": s.sha, "at": s.at.isoformat()}
                    for env, s in sorted(self.last_success.items())
                },
            },
            sort_keys=True,
        )
