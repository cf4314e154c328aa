-- Per-team DORA figures of the latest complete month in the warehouse (for `candor demo`).
-- A month is complete when the newest production deployment finished on or after its last day.
with newest as (
    select cast(max(finished_at) as date) as last_day from marts.deployments
),

chosen as (
    select max(month_start) as month_start
    from marts.dora_team_month, newest
    where month_start + interval 1 month <= newest.last_day + interval 1 day
)

select
    m.team,
    m.month_start,
    m.deployments,
    m.lead_time_median_hours,
    m.lead_time_p90_hours,
    m.failed_deployments,
    m.change_failure_rate,
    m.recovery_median_hours,
    m.rework_deployments,
    m.rework_rate,
    m.tier_report_year,
    m.deployment_frequency_tier,
    m.lead_time_tier,
    m.change_failure_rate_tier,
    m.recovery_tier,
    m.quick_check_overall
from marts.dora_team_month as m
join chosen using (month_start)
order by m.team
