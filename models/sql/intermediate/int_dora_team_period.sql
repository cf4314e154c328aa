-- staging.int_dora_team_period: DORA measures per team and period, for both grains (week,
--   month). Every team in meta.team_repos gets a row for every period between the first and
--   the last period holding any fact in the warehouse; a period without deployments has
--   deployments = 0 and NULL rates, medians and frequency (no data is not "low").
-- grain: one row per (grain, team, period_start)
-- materialized: table
-- columns:
--   grain: week or month
--   team: team (meta.team_repos)
--   period_start: first day of the period (Monday for weeks), UTC date
--   period_days: days in the period: 7 for a week, 28 to 31 for a month
--   deployments: production deployments that finished in the period (change failure and
--     rework rate denominator)
--   deploy_days: distinct UTC dates with at least one production deployment
--   deployments_per_day: deployments / period_days; NULL when there were no deployments
--   failed_deploy_attempts: deployments to production that got a failure or error status and
--     no success, by the time of their first failure status (not deployments)
--   changes: changes (pull requests and direct-push commits) whose deployment finished in
--     the period
--   changes_pull_requests: of which merged pull requests
--   changes_direct_pushes: of which commits pushed without a pull request
--   changes_with_negative_spans: changes with at least one negative span set to NULL
--   lead_time_median_hours: median lead time in hours over the period's changes
--     (quantile_cont 0.5: the mean of the two middle values for an even count)
--   lead_time_p90_hours: 90th percentile of lead time in hours (quantile_cont 0.9, linear
--     interpolation)
--   failed_deployments: deployments of the period counted as failed (change failure rate
--     numerator)
--   change_failure_rate: failed_deployments / deployments, 0 to 1; NULL without deployments
--   recovered_failures: failed deployments of the period with a recovery time
--   recovery_median_hours: median failed deployment recovery time in hours over the failed
--     deployments that finished in the period and have recovered
--   incidents: incidents created in the period
--   time_to_restore_median_hours: median closed - created in hours over the closed incidents
--     created in the period (classic time to restore, every incident)
--   rework_deployments: deployments of the period counted as rework (rework rate numerator)
--   rework_rate: rework_deployments / deployments, 0 to 1; NULL without deployments
with facts as (
    select * from staging.int_dora_period_facts
),

teams as (
    select distinct team from meta.team_repos
),

bounds as (
    select grain, min(period_start) as first_period, max(period_start) as last_period
    from facts
    group by grain
),

periods as (
    select
        grain,
        cast(unnest(generate_series(
            first_period,
            last_period,
            case grain when 'week' then interval 7 day else interval 1 month end
        )) as date) as period_start
    from bounds
),

spine as (
    select
        periods.grain,
        teams.team,
        periods.period_start,
        case periods.grain when 'week' then 7 else day(last_day(periods.period_start)) end
            as period_days
    from periods
    cross join teams
),

measures as (
    select
        grain,
        team,
        period_start,
        -- throughput
        count(*) filter (where fact = 'deployment') as deployments,
        count(distinct occurred_on) filter (where fact = 'deployment') as deploy_days,
        count(*) filter (where fact = 'failed_attempt') as failed_deploy_attempts,
        count(*) filter (where fact = 'change') as changes,
        count(*) filter (where change_kind = 'pull_request') as changes_pull_requests,
        count(*) filter (where change_kind = 'commit') as changes_direct_pushes,
        count(*) filter (where has_negative_span) as changes_with_negative_spans,
        quantile_cont(lead_time_hours, 0.5) as lead_time_median_hours,
        quantile_cont(lead_time_hours, 0.9) as lead_time_p90_hours,
        -- instability
        count(*) filter (where is_failed) as failed_deployments,
        count(recovery_hours) as recovered_failures,
        quantile_cont(recovery_hours, 0.5) as recovery_median_hours,
        count(*) filter (where fact = 'incident') as incidents,
        quantile_cont(time_to_restore_hours, 0.5) as time_to_restore_median_hours,
        count(*) filter (where is_rework) as rework_deployments
    from facts
    group by grain, team, period_start
),

final as (
    select
        -- period
        spine.grain,
        spine.team,
        spine.period_start,
        spine.period_days,
        -- throughput
        coalesce(measures.deployments, 0) as deployments,
        coalesce(measures.deploy_days, 0) as deploy_days,
        case when measures.deployments > 0 then measures.deployments / spine.period_days end
            as deployments_per_day,
        coalesce(measures.failed_deploy_attempts, 0) as failed_deploy_attempts,
        coalesce(measures.changes, 0) as changes,
        coalesce(measures.changes_pull_requests, 0) as changes_pull_requests,
        coalesce(measures.changes_direct_pushes, 0) as changes_direct_pushes,
        coalesce(measures.changes_with_negative_spans, 0) as changes_with_negative_spans,
        measures.lead_time_median_hours,
        measures.lead_time_p90_hours,
        -- instability
        coalesce(measures.failed_deployments, 0) as failed_deployments,
        measures.failed_deployments / nullif(measures.deployments, 0) as change_failure_rate,
        coalesce(measures.recovered_failures, 0) as recovered_failures,
        measures.recovery_median_hours,
        coalesce(measures.incidents, 0) as incidents,
        measures.time_to_restore_median_hours,
        coalesce(measures.rework_deployments, 0) as rework_deployments,
        measures.rework_deployments / nullif(measures.deployments, 0) as rework_rate
    from spine
    left join measures
        on measures.grain = spine.grain
        and measures.team = spine.team
        and measures.period_start = spine.period_start
)

select * from final
