"""The PagerDuty connector's fixed facts: its source name, the resources it tracks, and the
limits of PagerDuty's API it works within (reference: apis.md §3)."""

from __future__ import annotations

from datetime import timedelta

SOURCE = "pagerduty"
RESOURCES = ("services", "incidents", "log_entries")

WINDOW = timedelta(days=180)
"""Longest since/until range asked for: PagerDuty refuses ranges over six months, and 180 days
is under every six calendar months."""
OVERLAP = timedelta(hours=1)
"""Each incremental window starts this long before the last one ended, so a record PagerDuty
indexed a little late is still read; rows are upserted by id, so the overlap stores nothing
twice."""
PAGE = 100  # PagerDuty's largest page
