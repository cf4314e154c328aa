-- staging.stg_gitlab_change_request_commits: Commits of each GitLab merge request as GitLab
--   lists them: GitLab's part of the conformed staging.stg_change_request_commits.
-- grain: one row per (repo, change_number, sha)
-- materialized: view
-- columns:
--   repo: project path with its namespace
--   change_number: merge request number (!N)
--   sha: commit sha, lowercase
--   authored_at: when the commit was authored (UTC); survives squash and rebase merges
--   committed_at: when the commit was committed (UTC)
--   author_login: NULL: GitLab names a commit's author only by name and e-mail, never stored
--   message: full commit message
with source as (
    select * from raw.gitlab_merge_request_commits
),

renamed as (
    select
        -- identity
        repo,
        mr_iid as change_number,
        lower(sha) as sha,
        -- commit
        authored_at,
        committed_at,
        cast(null as varchar) as author_login,
        message
    from source
)

select * from renamed
