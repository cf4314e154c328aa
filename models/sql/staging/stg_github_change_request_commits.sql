-- staging.stg_github_change_request_commits: Commits of each pull request as GitHub lists
--   them (the branch's commits, before any squash or rebase on merge): GitHub's part of the
--   conformed staging.stg_change_request_commits.
-- grain: one row per (repo, change_number, sha)
-- materialized: view
-- columns:
--   repo: repository full name, owner/name
--   change_number: pull request number
--   sha: commit sha on the pull request branch, lowercase
--   authored_at: when the commit was authored (UTC); survives squash and rebase merges
--   committed_at: when the commit was committed (UTC)
--   author_login: GitHub login of the commit author, when GitHub could match one
--   message: full commit message
with source as (
    select * from raw.github_pull_commits
),

renamed as (
    select
        -- identity
        repo,
        pr_number as change_number,
        lower(sha) as sha,
        -- commit
        authored_at,
        committed_at,
        author_login,
        message
    from source
)

select * from renamed
