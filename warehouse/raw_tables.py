"""Which record type goes to which raw table: the one place that maps records to tables.

Columns are the record's dataclass fields, in declaration order and with the same names
(connectors/github/records.py is written to match migrations 001, 003 and 004). The key is not
repeated here: it is the table's primary key in the catalog, which is also what DuckDB's upsert
uses. Tables are written in this order within a batch's transaction.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any

from connectors.github import records

GITHUB_SOURCE = "github"

# Compact separators: the payload is stored as text and parsed by DuckDB; spaces add nothing.
_encode_json = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def _json_text(value: dict[str, Any] | None) -> str | None:
    """An API payload as JSON text; a missing payload stays SQL NULL (not the JSON `null`)."""
    return None if value is None else _encode_json(value)


@dataclass(frozen=True)
class RawTable:
    """A raw table and the records that fill it."""

    name: str  # schema-qualified, e.g. raw.github_deployments
    batch_field: str  # RepoBatch attribute holding the records
    record_type: type
    description: str  # what the table holds, in plain words (shown in Dagster)

    @cached_property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self.record_type))

    @cached_property
    def converters(self) -> dict[int, Callable[[Any], Any]]:
        """Per column position, how a field value becomes a column value, where it must change.

        dict fields (the API payload) become JSON text. Every other field (str, int, aware
        datetime, tuple of str for VARCHAR[]) is bound as it is.
        """
        hints = typing.get_type_hints(self.record_type)
        return {
            position: _json_text
            for position, column in enumerate(self.columns)
            if typing.get_origin(hints[column]) is dict
        }


RAW_GITHUB_TABLES: tuple[RawTable, ...] = (
    RawTable(
        "raw.github_deployments",
        "deployments",
        records.Deployment,
        "GitHub deployments of every configured repository, all environments.",
    ),
    RawTable(
        "raw.github_deployment_statuses",
        "deployment_statuses",
        records.DeploymentStatus,
        "Statuses of GitHub deployments (success, failure, ...).",
    ),
    RawTable(
        "raw.github_deployment_commits",
        "deployment_commits",
        records.DeploymentCommit,
        "Change set of each successful production deployment (commits since the previous "
        "successful deployment of the same environment).",
    ),
    RawTable(
        "raw.github_deployment_compares",
        "deployment_compares",
        records.DeploymentCompare,
        "GitHub's compare of each successful production deployment with the previous one of "
        "its environment: ahead, behind (a rollback), identical (a redeploy), diverged, or "
        "unknown when GitHub refused it (404 no common ancestor, 422): then the deployment has "
        "no change set, and the pull requests in that range are not counted as shipped.",
    ),
    RawTable(
        "raw.github_pull_requests",
        "pull_requests",
        records.PullRequest,
        "GitHub pull requests, all states.",
    ),
    RawTable(
        "raw.github_pull_commits",
        "pull_commits",
        records.PullCommit,
        "Commits of each pull request (authored time survives squash merges).",
    ),
    RawTable(
        "raw.github_pull_reviews",
        "pull_reviews",
        records.PullReview,
        "Reviews of each pull request.",
    ),
    RawTable(
        "raw.github_review_comments",
        "review_comments",
        records.ReviewComment,
        "Line comments on pull request diffs.",
    ),
    RawTable(
        "raw.github_workflow_runs",
        "workflow_runs",
        records.WorkflowRun,
        "GitHub Actions runs of the deploy workflow of repositories that deploy by workflow "
        "(a successful run is a deployment of its head_sha, a failed one a failed attempt).",
    ),
    RawTable(
        "raw.github_releases",
        "releases",
        records.Release,
        "GitHub releases of repositories that deploy by release (a published, non-draft, "
        "non-prerelease release whose tag matches the rule deploys the tag's commit).",
    ),
    RawTable(
        "raw.github_issues",
        "issues",
        records.Issue,
        "GitHub issues with labels (pull requests dropped).",
    ),
)
