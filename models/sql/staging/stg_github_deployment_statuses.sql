-- staging.stg_github_deployment_statuses: Status changes of GitHub deployments (queued,
--   in_progress, success, failure, error, inactive, pending).
-- grain: one row per (repo, status_id)
-- materialized: view
-- columns:
--   repo: repository full name, owner/name
--   deployment_id: the deployment this status belongs to
--   status_id: GitHub deployment status id
--   state: lowercase status: success, failure, error, inactive, pending, queued, in_progress
--   created_at: when the status was set (UTC); the first success is the deploy time
with source as (
    select * from raw.github_deployment_statuses
),

renamed as (
    select
        -- identity
        repo,
        deployment_id,
        status_id,
        -- status
        lower(state) as state,
        created_at
    from source
)

select * from renamed
