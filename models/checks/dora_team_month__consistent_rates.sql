-- marts.dora_team_month: one row per team and month; rates within 0..1 and numerators within their denominators
with keyed as (
    select *, count(*) over (partition by team, month_start) as rows_for_key
    from marts.dora_team_month
)

select team, month_start, deployments, failed_deployments, rework_deployments,
    change_failure_rate, rework_rate, rows_for_key
from keyed
where rows_for_key > 1
    or failed_deployments > deployments
    or rework_deployments > deployments
    or change_failure_rate not between 0 and 1
    or rework_rate not between 0 and 1
