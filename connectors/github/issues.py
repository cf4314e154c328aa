"""Issues of one repository (incident issues among them), pull requests dropped.

Read as `state=all&sort=updated&direction=desc` down to the watermark (max `updated_at` seen),
boundary included. The `since` filter is deliberately not used: the first page must
have the same URL on every run for its saved ETag to match, so that an unchanged repository
answers 304; with `since=<watermark>` the URL changes whenever the watermark moves. Reading down
to the watermark costs the same pages, as the list is sorted by `updated_at`.
"""

from __future__ import annotations

from github.Requester import Requester

from connectors.github import normalize
from connectors.github.paging import RequestCounter
from connectors.github.records import Cursor, RepoBatch
from connectors.github.settings import SOURCE
from connectors.github.shape import reading
from connectors.github.watermark import advance, fetch_updated_since

RESOURCE = "issues"


def sync_issues(
    requester: Requester, batch: RepoBatch, previous: Cursor | None, counter: RequestCounter
) -> Cursor:
    """Add issues updated since the watermark to `batch`; return the new cursor."""
    repo = batch.repo
    watermark, listed = fetch_updated_since(
        requester, f"/repos/{repo}/issues", previous, counter, "issue"
    )
    issues = {}
    with reading(listed.path):
        for raw in listed.items:
            record = normalize.issue(repo, raw)
            if record is not None:
                issues.setdefault(record.number, record)
        # Every listed item counts for the watermark, pull requests too: the list was read down
        # to the old watermark, whatever the item type.
        newest = advance(watermark, [normalize.updated_at(raw, "issue") for raw in listed.items])
    batch.issues.extend(issues.values())

    return Cursor(
        source=SOURCE,
        scope=repo,
        resource=RESOURCE,
        cursor=newest.isoformat() if newest else None,
        etag=listed.etag,
    )
