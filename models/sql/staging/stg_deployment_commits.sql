-- staging.stg_deployment_commits: Conformed change sets: the commits each production
--   deployment shipped since its base (the previous deployment of its chain), as the source's
--   compare returned them. Generated union by name of each source's
--   stg_<source>_deployment_commits.
-- grain: one row per (source, repo, deployment_id, sha)
-- materialized: view
-- conformed: deployment_commits
-- columns:
--   source: where the change set comes from: github (later gitlab)
--   author_login: the source's account name of the commit author, when it could match one
select source, repo, deployment_id, base_sha, sha, authored_at, committed_at, author_login,
    message
from per_source
