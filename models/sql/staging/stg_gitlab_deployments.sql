-- staging.stg_gitlab_deployments: GitLab deployments to every environment, as fetched:
--   GitLab's part of the conformed staging.stg_deployments. Whether and when each finished is
--   in stg_gitlab_deployment_statuses.
-- grain: one row per (repo, deployment_id)
-- materialized: view
-- columns:
--   repo: project path with its namespace, e.g. acme/web
--   deployment_id: GitLab deployment id
--   environment: environment name as GitLab reports it (the production rule in
--     meta.team_repos decides which names count as production)
--   sha: deployed commit sha, lowercase hex
--   ref: branch or tag deployed
--   task: 'deploy': GitLab deployments have no task
--   creator_login: GitLab username of who deployed
--   created_at: when the deployment was created (UTC); not the deploy time
with source as (
    select * from raw.gitlab_deployments
),

renamed as (
    select
        -- identity
        repo,
        deployment_id,
        environment,
        -- what was deployed
        lower(sha) as sha,
        ref,
        'deploy' as task,
        username as creator_login,
        -- timing
        created_at
    from source
)

select * from renamed
