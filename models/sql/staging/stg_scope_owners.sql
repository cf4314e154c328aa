-- staging.stg_scope_owners: Which team owns each scope records belong to: a repository
--   (meta.team_repos) or an incident tool's service (meta.team_services). The one place that
--   says whose a record is, so an issue, an incident or a review is the team's whatever its
--   source. A scope no team lists is in no row: its records belong to no team.
-- grain: one row per (source, repo)
-- materialized: view
-- columns:
--   team: the owning team
--   source: github, pagerduty, ...
--   repo: the repository full name, or the service id of an incident tool
--   sync_scope: the scope of meta.sync_status holding the scope's freshness: the repository
--     itself, or the service's account
--   scope_kind: repository or service (an incident tool's, which holds no changes)
with repositories as (
    select team, source, repo, repo as sync_scope, 'repository' as scope_kind from meta.team_repos
),

services as (
    select team, source, service_id as repo, account as sync_scope, 'service' as scope_kind
    from meta.team_services
)

select * from repositories
union all
select * from services
