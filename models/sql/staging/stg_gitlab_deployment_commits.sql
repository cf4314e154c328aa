-- staging.stg_gitlab_deployment_commits: Commits between a GitLab deployment and the previous
--   successful deployment of the same project and environment, as the connector compared them:
--   GitLab's part of the conformed staging.stg_deployment_commits.
-- grain: one row per (repo, deployment_id, sha)
-- materialized: view
-- columns:
--   repo: project path with its namespace
--   deployment_id: the deployment whose change set holds the commit
--   base_sha: sha of the previous deployment compared against, lowercase
--   sha: the commit, lowercase hex
--   authored_at: when the commit was authored (UTC)
--   committed_at: when the commit was committed (UTC)
--   author_login: NULL: GitLab names a commit's author only by name and e-mail, never stored
--   message: full commit message
with source as (
    select * from raw.gitlab_deployment_commits
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
        cast(null as varchar) as author_login,
        message
    from source
)

select * from renamed
