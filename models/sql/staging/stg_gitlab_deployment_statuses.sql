-- staging.stg_gitlab_deployment_statuses: The outcome of each GitLab deployment as one status
--   (GitLab keeps one status per deployment, where GitHub keeps a list): GitLab's part of the
--   conformed staging.stg_deployment_statuses. success is deployed at its job's finish, or,
--   for a deployment created through the API (no job), at its last update; failed is a failed
--   attempt at the same time; canceled, created, running, blocked and skipped are neither
--   (their state is kept as GitLab's word, which no metric reads as deployed or failed).
-- grain: one row per (repo, status_key)
-- materialized: view
-- columns:
--   repo: project path with its namespace
--   deployment_id: the deployment this status belongs to
--   status_key: the deployment id and GitLab's status, e.g. '4711:success' (a deployment has
--     one status at a time; a later read replaces it)
--   status_id: NULL: GitLab statuses have no id
--   state: success, failure (GitLab: failed), in_progress (running), pending (created,
--     blocked), or GitLab's word for the rest (canceled, skipped)
--   created_at: when the status was reached (UTC): the job's finish, else the deployment's
--     last update
with source as (
    select * from raw.gitlab_deployments
),

renamed as (
    select
        -- identity
        repo,
        deployment_id,
        deployment_id || ':' || status as status_key,
        cast(null as bigint) as status_id,
        -- status
        case status
            when 'success' then 'success'
            when 'failed' then 'failure'
            when 'running' then 'in_progress'
            when 'created' then 'pending'
            when 'blocked' then 'pending'
            else status
        end as state,
        case
            when status in ('success', 'failed') then coalesce(finished_at, updated_at)
            else updated_at
        end as created_at
    from source
)

select * from renamed
