-- staging.stg_github_deployment_statuses: Status changes of GitHub deployments (queued,
--   in_progress, success, failure, error, inactive, pending).
-- grain: one row per (repo, status_key)
-- materialized: view
-- columns:
--   repo: repository full name, owner/name
--   deployment_id: the deployment this status belongs to
--   status_key: the status's identity in its source; GitHub: its node id, which REST and
--     GraphQL both give
--   status_id: GitHub's numeric deployment status id; NULL for a status read through GraphQL
--     (a backfill's older deployments), which has none
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
        node_id as status_key,
        status_id,
        -- status
        lower(state) as state,
        created_at
    from source
)

select * from renamed
