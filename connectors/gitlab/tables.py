"""The GitLab source's raw tables (migration 013 creates them with their descriptions)."""

from __future__ import annotations

from connectors.contract import RawTable, SourceTables
from connectors.gitlab import records
from connectors.gitlab.settings import SOURCE

GITLAB_TABLES = SourceTables(
    SOURCE,
    (
        RawTable("raw.gitlab_projects", "projects", records.Project),
        RawTable("raw.gitlab_deployments", "deployments", records.Deployment),
        RawTable("raw.gitlab_deployment_compares", "deployment_compares",
                 records.DeploymentCompare),
        RawTable("raw.gitlab_deployment_commits", "deployment_commits",
                 records.DeploymentCommit),
        RawTable("raw.gitlab_merge_requests", "merge_requests", records.MergeRequest),
        RawTable("raw.gitlab_merge_request_commits", "merge_request_commits",
                 records.MergeRequestCommit),
        RawTable("raw.gitlab_merge_request_notes", "merge_request_notes",
                 records.MergeRequestNote),
        RawTable("raw.gitlab_issues", "issues", records.Issue),
    ),
)
