-- marts.deployments: every team's newest production deployment is at most 30 days older than the last sync
-- severity: warn
with last_sync as (
    select max(synced_at) as synced_at from meta.sync_state where source = 'github'
),

newest as (
    select team, max(finished_at) as newest_deployment
    from marts.deployments
    group by team
)

select newest.team, newest.newest_deployment, last_sync.synced_at
from newest, last_sync
where newest.newest_deployment < last_sync.synced_at - interval 30 day
