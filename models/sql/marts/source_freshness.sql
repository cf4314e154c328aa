-- marts.source_freshness: When the data behind each team's numbers last synced, per
--   repository or incident-tool service: a number that could not be refreshed says so instead
--   of standing stale. A repository is as fresh as its least fresh resource (deployments, pull
--   requests, issues), a service as its account's sync (services, incidents, log entries):
--   last_success_at is the oldest of their last successful syncs, NULL when one never
--   succeeded. It is stale when that is longer ago than stale_after_hours (rules.
--   stale_after_hours) at the time the marts were built, or when it never synced; with no
--   limit set nothing is stale.
-- grain: one row per (team, source, repo) in staging.stg_scope_owners
-- materialized: table
-- columns:
--   team: team that owns the repository or service (staging.stg_scope_owners)
--   source: data source: github, pagerduty
--   repo: repository full name, owner/name; or the incident tool's service id
--   last_success_at: oldest last successful sync of the repository's resources (UTC); NULL
--     when a resource never synced successfully
--   last_attempt_at: latest sync attempt of any of its resources (UTC); NULL if never tried
--   last_error: why its last attempt failed: the message, when every resource failed with the
--     same one (the whole repository failed); else 'resource: message' per failed resource;
--     NULL when the last attempt of every resource succeeded
--   is_stale: true when last_success_at is NULL or older than stale_after_hours before
--     assessed_at
--   stale_after_hours: the limit applied (rules.stale_after_hours); NULL means no limit
--   assessed_at: when staleness was assessed: the build of the marts (UTC)
with team_repos as (
    select team, source, repo, sync_scope from staging.stg_scope_owners
),

status as (
    select * from meta.sync_status
),

settings as (
    select * from staging.stg_meta_settings
),

per_repo as (
    select
        source,
        scope as repo,
        -- one resource that never succeeded leaves the repository without a complete sync
        case when bool_and(last_success_at is not null) then min(last_success_at) end
            as last_success_at,
        max(last_attempt_at) as last_attempt_at,
        case
            when bool_and(last_error is not null) and count(distinct last_error) = 1
                then min(last_error)
            else string_agg(resource || ': ' || last_error, '; ' order by resource)
                filter (where last_error is not null)
        end as last_error
    from status
    group by source, scope
),

final as (
    select
        -- identity
        team_repos.team,
        team_repos.source,
        team_repos.repo,
        -- syncs
        per_repo.last_success_at,
        per_repo.last_attempt_at,
        per_repo.last_error,
        -- staleness
        settings.stale_after_hours is not null and (
            per_repo.last_success_at is null
            or epoch(current_timestamp) - epoch(per_repo.last_success_at)
                > settings.stale_after_hours * 3600
        ) as is_stale,
        settings.stale_after_hours,
        current_timestamp as assessed_at
    from team_repos
    cross join settings
    left join per_repo
        on per_repo.source = team_repos.source
        and per_repo.repo = team_repos.sync_scope
)

select * from final
