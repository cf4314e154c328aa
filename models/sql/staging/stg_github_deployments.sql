-- staging.stg_github_deployments: GitHub deployments to every environment, as fetched.
--   A deployment is a request to deploy a commit; whether and when it finished is in
--   stg_github_deployment_statuses.
-- grain: one row per (repo, deployment_id)
-- materialized: view
-- columns:
--   repo: repository full name, owner/name
--   deployment_id: GitHub deployment id
--   environment: environment name as GitHub reports it (case kept; the production rule in
--     meta.team_repos decides which names count as production)
--   sha: deployed commit sha, lowercase hex
--   ref: branch, tag or sha the deployment was requested for
--   task: deployment task, usually 'deploy'
--   creator_login: GitHub login of the person or app that created the deployment
--   created_at: when the deployment was requested (UTC); not the deploy time
with source as (
    select * from raw.github_deployments
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
        task,
        creator_login,
        -- timing
        created_at
    from source
)

select * from renamed
