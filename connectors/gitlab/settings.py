"""The GitLab connector's fixed facts: its source name, the resources it tracks, and the limits
of GitLab's API it works within (reference: apis.md §2)."""

from __future__ import annotations

from datetime import timedelta

SOURCE = "gitlab"
RESOURCES = ("projects", "deployments", "merge_requests", "issues")
PAGE = 100  # GitLab's largest page
OVERLAP = timedelta(hours=1)
"""Each incremental list starts (`updated_after`) this long before the last sync's clock, so a
record GitLab wrote a little late is still read; rows are upserted by key, so the overlap
stores nothing twice."""
GITLAB_COM = "https://gitlab.com"
