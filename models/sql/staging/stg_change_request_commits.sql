-- staging.stg_change_request_commits: Conformed commits of each change request as its source
--   lists them (the branch's commits, before any squash or rebase on merge). Generated union by
--   name of each source's stg_<source>_change_request_commits.
-- grain: one row per (source, repo, change_number, sha)
-- materialized: view
-- conformed: change_request_commits
-- columns:
--   source: where the change request lives: github (later gitlab)
--   change_number: number of the change request (pull request / merge request)
--   author_login: the source's account name of the commit author, when it could match one
select source, repo, change_number, sha, authored_at, committed_at, author_login, message
from per_source
