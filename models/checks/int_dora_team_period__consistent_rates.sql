-- staging.int_dora_team_period: one row per grain, team and period; rates within 0..1 and numerators within their denominators (both marts.dora_team_week and marts.dora_team_month are projections of this one definition)
with keyed as (
    select *, count(*) over (partition by grain, team, period_start) as rows_for_key
    from staging.int_dora_team_period
)

select grain, team, period_start, deployments, failed_deployments, rework_deployments,
    change_failure_rate, rework_rate, rows_for_key
from keyed
where rows_for_key > 1
    or failed_deployments > deployments
    or rework_deployments > deployments
    or change_failure_rate not between 0 and 1
    or rework_rate not between 0 and 1
