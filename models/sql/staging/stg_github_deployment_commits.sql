-- staging.stg_github_deployment_commits: Commits between a deployment and the previous
--   successful deployment of the same repository and environment, as the connector compared
--   them (compare base_sha...sha).
-- grain: one row per (repo, deployment_id, sha)
-- materialized: view
-- columns:
--   repo: repository full name, owner/name
--   deployment_id: the deployment whose change set holds the commit
--   base_sha: sha of the previous deployment the connector compared against, lowercase
--   sha: the commit, lowercase hex
--   authored_at: when the commit was authored (UTC); kept by rebase and cherry-pick
--   committed_at: when the commit was committed (UTC)
--   author_login: GitHub login of the commit author, when GitHub could match one
--   message: full commit message
with source as (
    select * from raw.github_deployment_commits
),

renamed as (
    select
        -- identity
        repo,
        deployment_id,
        lower(base_sha) as base_sha,
        lower(sha) as sha,
        -- commit
        authored_at,
        committed_at,
        author_login,
        message
    from source
)

select * from renamed
