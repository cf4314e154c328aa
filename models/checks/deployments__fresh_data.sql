-- marts.deployments: every team's newest production deployment is at most 30 days older than the last sync
-- severity: warn
-- The last sync is measured on the clock of the data: `data_clock` in meta.settings when the
-- source serves a fixed moment (the simulated organization of `sandbox:` ends on a set date,
-- written by the team_reference asset), else the wall-clock time of the source's last sync.
with last_sync as (
    select source, max(synced_at) as synced_at from meta.sync_state group by source
),

data_clock as (
    -- an aggregate without GROUP BY: one row, NULL when no source sets a clock
    select max(cast(value as timestamptz)) as clock from meta.settings where name = 'data_clock'
),

newest as (
    select team, source, max(finished_at) as newest_deployment
    from marts.deployments
    group by team, source
)

select newest.team, newest.source, newest.newest_deployment,
    coalesce(data_clock.clock, last_sync.synced_at) as synced_at
from newest
left join last_sync on last_sync.source = newest.source
cross join data_clock
where newest.newest_deployment < coalesce(data_clock.clock, last_sync.synced_at) - interval 30 day
