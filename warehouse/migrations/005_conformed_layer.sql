-- Migration 005: the conformed staging layer (models/sql/staging, `-- conformed:` models).
--
-- GitHub's pull request staging models were renamed to the per-source names the conformed
-- layer reads (stg_github_change_requests, stg_github_change_request_commits,
-- stg_github_change_request_reviews). The models rebuild the new names on every run; the old
-- views would stay behind in a warehouse built before, reading like current ones, so they go.
drop view if exists staging.stg_github_pull_requests;
drop view if exists staging.stg_github_pull_commits;
drop view if exists staging.stg_github_pull_reviews;
