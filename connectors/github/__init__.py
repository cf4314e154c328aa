"""connectors/github: GitHub deployments, pull requests and issues as plain records.

Entry points: `sync.sync_each_repo` (many repositories in parallel, each failure its own
`RepoFailure`), `sync.sync_repos` (the same, raising at the end if any failed) and
`sync.sync_repo` (one), with `client.GitHubClientSettings` / `client.make_github`. Records and
cursors: `records.py`. Helpers: `paging.py` (ETag first page, bounded Link paging, early stop),
`shape.py` (typed field reading: malformed answers name endpoint, record and field),
`normalize.py` (JSON to records), `deployments.py`, `change_sets.py`, `pulls.py`, `issues.py`
(one resource each), `production_rule.py` (the production rule in RE2), `errors.py` (the
errors a repository sync fails with) and `settings.py` (limits).
"""
