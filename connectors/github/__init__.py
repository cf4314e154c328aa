"""connectors/github: GitHub deployments, pull requests and issues as plain records.

Entry points: `sync.sync_repos` (many repositories in parallel) and `sync.sync_repo` (one), with
`client.GitHubClientSettings` / `client.make_github`. Records and cursors: `records.py`.
Helpers: `paging.py` (ETag first page, Link paging, early stop), `normalize.py` (JSON to
records), `deployments.py`, `pulls.py`, `issues.py` (one resource each), `settings.py` (limits).
"""
