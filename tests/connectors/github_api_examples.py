"""Recorded and documented GitHub answers to feed the connector, by endpoint.

Read from the shared reference (`../shared/reference/api-examples/github`, see its INDEX.md:
PyGithub's and octokit's recorded api.github.com traffic and GitHub's OpenAPI examples) when
the checkout has it, plus the hand-made fixtures of tests/fixtures/github, which the repository
always has. Each endpoint maps to a list of answer bodies (lists of objects; compare: objects).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "reference" / "api-examples" / "github"
FIXTURES = ROOT / "tests" / "fixtures" / "github"

# endpoint -> (shared example files, fixture files); an object body is one item of a list.
SOURCES = {
    "deployments": (
        ["deployments_list.json", "openapi_deployments_list.json", "deployment_single.json"],
        ["deployments.json"],
    ),
    "statuses": (
        ["deployment_statuses_list.json", "openapi_deployment_statuses_list.json"],
        ["deployment_statuses.json"],
    ),
    "pulls": (
        ["pulls_list_closed.json", "pulls_list_open.json", "openapi_pulls_list.json",
         "pull_single_merged.json", "openapi_pull_single.json"],
        ["pull_squash_merged.json"],
    ),
    "pull_commits": (["pull_commits.json", "openapi_pull_commits.json"], ["pull_commits.json"]),
    "reviews": ([], ["pull_reviews.json"]),
    "comments": ([], ["review_comments.json"]),
    "issues": (
        ["issues_since.json", "issues_by_label.json", "openapi_issues_list.json",
         "octokit_paginate_issues_5pages.json"],
        ["issues_with_pull.json"],
    ),
    "compare": ([], ["compare_ahead.json"]),
}


def _bodies(path: Path) -> list[Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if path.parent == FIXTURES:
        return [data]
    if "interactions" in data:  # octokit: one recorded body per page
        return [i["response"]["body"] for i in data["interactions"]]
    return [data["response"]["body"]]


@cache
def examples() -> dict[str, list[Any]]:
    """Answer bodies per endpoint; list endpoints always get lists."""
    found: dict[str, list[Any]] = {}
    for endpoint, (shared, fixtures) in SOURCES.items():
        paths = [SHARED / name for name in shared if (SHARED / name).is_file()]
        paths += [FIXTURES / name for name in fixtures]
        bodies = [body for path in paths for body in _bodies(path)]
        if endpoint != "compare":
            bodies = [b if isinstance(b, list) else [b] for b in bodies]
        found[endpoint] = bodies
    return found


def uses_shared_reference() -> bool:
    return SHARED.is_dir()
