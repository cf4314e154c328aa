"""The GitLab source: projects' deployments, merge requests and issues (REST API v4)."""
