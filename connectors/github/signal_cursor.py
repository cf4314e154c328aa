"""Cursors of the workflow and release deployment signals, stored like the deployments cursor.

Whatever its signal, a repository's deployments are one resource (`deployments`) in
meta.sync_state and meta.sync_status, so freshness and failure reporting do not depend on the
signal. The JSON says which signal wrote it; a cursor of another signal (the rule changed) reads
as empty, so the new signal starts from scratch:

    {"signal": "workflow", "created_since": "2026-03-01T10:00:00+00:00", "chain": {...}}
    {"signal": "release", "resolved": {"400012": "ab12..."}, "chain": {...}}

- `chain`: a DeploymentCursor (deployment_cursor.py) of which only `last_success` (per chain:
  workflow name, or `release`) and `unknown` (refused compares, asked again) are used.
- `created_since`: the next listing of runs starts at this `created` time: the creation of the
  oldest deploy run not completed yet, else of the newest run listed.
- `resolved`: release id → the commit its tag pointed to, so a tag is resolved once.

Values are checked on writing and reading as in the deployments cursor (cursor_values.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from connectors.github import cursor_values as values
from connectors.github.cursor_values import UnreadableCursor
from connectors.github.deployment_cursor import DeploymentCursor


@dataclass
class SignalCursor:
    signal: str
    chain: DeploymentCursor = field(default_factory=DeploymentCursor)
    created_since: datetime | None = None
    resolved: dict[int, str] = field(default_factory=dict)

    @property
    def resource(self) -> str:
        """The cursor's name in messages: `workflow deployments`, `release deployments`."""
        return f"{self.signal} deployments"

    @classmethod
    def from_json(cls, text: str | None, signal: str) -> SignalCursor:
        """The stored cursor of `signal`; None, or a cursor another signal wrote, is empty.

        Raises UnreadableCursor when the text is this signal's cursor with a value of the wrong
        type (or is not JSON at all).
        """
        empty = cls(signal)
        if not text:
            return empty
        try:
            data = json.loads(text)
        except ValueError:
            raise UnreadableCursor(empty.resource, f"{text[:80]!r} is not JSON") from None
        if not isinstance(data, dict) or data.get("signal") != signal:
            return empty
        resource = empty.resource
        resolved = values.read_object(resource, "resolved", data.get("resolved") or {})
        return cls(
            signal=signal,
            chain=DeploymentCursor.from_data(data.get("chain") or {}, resource),
            created_since=values.read_optional_time(
                resource, "created_since", data.get("created_since")
            ),
            resolved={
                _release_id(resource, key): values.read_text(resource, f"resolved[{key!r}]", sha)
                for key, sha in resolved.items()
            },
        )

    def to_json(self) -> str:
        """The cursor as stored; raises UncheckedCursorValue for a value not of its type."""
        resource = self.resource
        data = {"signal": self.signal, "chain": self.chain.to_data(resource)}
        if self.created_since is not None:
            data["created_since"] = values.write_time(resource, "created_since",
                                                      self.created_since)
        if self.resolved:
            checked = {
                values.write_id(resource, "resolved release id", release_id): values.write_text(
                    resource, "resolved sha", sha
                )
                for release_id, sha in self.resolved.items()
            }
            data["resolved"] = {str(k): v for k, v in sorted(checked.items())}
        return json.dumps(data, sort_keys=True)


def _release_id(resource: str, key: str) -> int:
    """A `resolved` key: JSON object keys are strings, so the release id is its digits."""
    number = int(key) if key.isascii() and key.isdigit() else None
    return values.read_id(resource, f"resolved key {key!r}", key if number is None else number)


def written_by(text: str | None, signal: str) -> bool:
    """True if the stored cursor `text` was written by `signal`."""
    try:
        data = json.loads(text) if text else None
    except ValueError:
        return False
    return isinstance(data, dict) and data.get("signal") == signal
