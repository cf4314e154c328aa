"""The pull-request cursor, with the progress of a pass that has not reached its watermark yet.

The pull-request list is read newest first (`sort=updated&direction=desc`) down to the
watermark of the last complete pass. A pass too long for one run (a backfill needing more
requests than a rate-limit window, a run stopped by its deadline or killed) is committed in
chunks, each with this cursor:

    {"watermark": "2024-03-01T10:00:00+00:00",  # or null: the pass reads the whole list
     "top": "2024-06-01T08:00:00+00:00",        # newest updated_at the pass listed
     "reached": "2024-05-02T12:00:00+00:00"}    # oldest updated_at fully detailed so far

Every pull request listed with `reached < updated_at <= top` is stored with its commits and
reviews. The next run lists from the first page again: pull requests updated since (above
`top`) are detailed, those in (`reached`, `top`] are skipped at no request cost, and the pass
goes on below `reached` (the boundary second is read again: another PR may share it) down to
`watermark`. A finished pass stores the plain watermark (ISO 8601 text, as before), with the
ETag of its first page; an unfinished one stores no ETag, so that a 304 can never cut a pass
short.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from connectors.github.normalize import parse_time


@dataclass(frozen=True)
class PullPass:
    """Progress of an unfinished pass over the pull-request list."""

    watermark: datetime | None
    top: datetime
    reached: datetime

    def done(self, updated_at: datetime) -> bool:
        """True for a listed PR this pass already stored (its row and details)."""
        return self.reached < updated_at <= self.top

    def to_text(self) -> str:
        return json.dumps(
            {
                "watermark": self.watermark.isoformat() if self.watermark else None,
                "top": self.top.isoformat(),
                "reached": self.reached.isoformat(),
            },
            sort_keys=True,
        )


def read_cursor(text: str | None) -> tuple[datetime | None, PullPass | None]:
    """(watermark of the last finished pass, the unfinished pass or None) of a stored cursor."""
    if not text:
        return None, None
    if not text.lstrip().startswith("{"):
        return parse_time(text), None
    try:
        data = json.loads(text)
        watermark = parse_time(data["watermark"]) if data.get("watermark") else None
        unfinished = PullPass(watermark, parse_time(data["top"]), parse_time(data["reached"]))
    except (ValueError, KeyError, TypeError) as err:
        raise ValueError(
            f"The stored GitHub pull-request cursor {text[:80]!r} is unreadable ({err}); "
            "run once with --full-refresh to rebuild it."
        ) from err
    return watermark, unfinished
