-- staging.stg_github_pull_commits: Commits of each pull request as GitHub lists them (the
--   branch's commits, before any squash or rebase on merge).
-- grain: one row per (repo, pr_number, sha)
-- materialized: view
-- columns:
--   repo: repository full name, owner/name
--   pr_number: pull request number
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
        pr_number,
        lower(sha) as sha,
        -- commit
        authored_at,
        committed_at,
        author_login,
        message
    from source
)

select * from renamed
