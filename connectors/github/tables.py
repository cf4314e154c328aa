"""The GitHub source's raw tables: which record type fills which table (migrations 001 and 004
create them and carry their descriptions as COMMENT ON)."""

from __future__ import annotations

from connectors.contract import RawTable, SourceTables
from connectors.github import records
from connectors.github.settings import SOURCE

GITHUB_TABLES = SourceTables(
    SOURCE,
    (
        RawTable("raw.github_deployments", "deployments", records.Deployment),
        RawTable("raw.github_deployment_statuses", "deployment_statuses",
                 records.DeploymentStatus),
        RawTable("raw.github_deployment_commits", "deployment_commits", records.DeploymentCommit),
        RawTable("raw.github_deployment_compares", "deployment_compares",
                 records.DeploymentCompare),
        RawTable("raw.github_pull_requests", "pull_requests", records.PullRequest),
        RawTable("raw.github_pull_commits", "pull_commits", records.PullCommit),
        RawTable("raw.github_pull_reviews", "pull_reviews", records.PullReview),
        RawTable("raw.github_review_comments", "review_comments", records.ReviewComment),
        RawTable("raw.github_workflow_runs", "workflow_runs", records.WorkflowRun),
        RawTable("raw.github_releases", "releases", records.Release),
        RawTable("raw.github_issues", "issues", records.Issue),
    ),
)
