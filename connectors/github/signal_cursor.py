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
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from connectors.github.deployment_cursor import DeploymentCursor
from connectors.github.normalize import parse_time


@dataclass
class SignalCursor:
    signal: str
    chain: DeploymentCursor = field(default_factory=DeploymentCursor)
    created_since: datetime | None = None
    resolved: dict[int, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, text: str | None, signal: str) -> SignalCursor:
        """The stored cursor of `signal`; None, or a cursor another signal wrote, is empty."""
        if not text:
            return cls(signal)
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("signal") != signal:
                return cls(signal)
            return cls(
                signal=signal,
                chain=DeploymentCursor.from_json(json.dumps(data.get("chain") or {})),
                created_since=parse_time(data.get("created_since")),
                resolved={int(k): str(v) for k, v in (data.get("resolved") or {}).items()},
            )
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            raise ValueError(
                f"The stored GitHub {signal} deployments cursor {text[:80]!r} is unreadable "
                f"({err}); run once with --full-refresh to rebuild it."
            ) from err

    def to_json(self) -> str:
        data = {"signal": self.signal, "chain": json.loads(self.chain.to_json())}
        if self.created_since is not None:
            data["created_since"] = self.created_since.isoformat()
        if self.resolved:
            data["resolved"] = {str(k): v for k, v in sorted(self.resolved.items())}
        return json.dumps(data, sort_keys=True)


def written_by(text: str | None, signal: str) -> bool:
    """True if the stored cursor `text` was written by `signal`."""
    try:
        data = json.loads(text) if text else None
    except ValueError:
        return False
    return isinstance(data, dict) and data.get("signal") == signal
