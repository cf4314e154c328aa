-- staging.int_dora_team_period_benchmarks: The DORA tier (of the report year in the
--   benchmark_year setting) and the Quick Check 0-10 score of each team-period measure. A
--   measure that is NULL (no deployments, no changes, no recovered failure) gets no tier and
--   no score, never the worst one. Rework rate has no tier in any report year.
-- grain: one row per (grain, team, period_start)
-- materialized: view
-- columns:
--   grain: week or month
--   team: team (meta.team_repos)
--   period_start: first day of the period (Monday for weeks), UTC date
--   tier_report_year: DORA report year of the tier columns (benchmark_year setting)
--   deployment_frequency_tier: tier of deployments_per_day
--   lead_time_tier: tier of lead_time_median_hours
--   change_failure_rate_tier: tier of change_failure_rate
--   recovery_tier: tier of recovery_median_hours
--   quick_check_edition: Quick Check edition whose scoring is used (2025: five metrics)
--   quick_check_deployment_frequency: 0-10 score: (answer code - 1) / 5 * 10 for the bucket of
--     deployments_per_day (marts.dora_tier_bands)
--   quick_check_lead_time: 0-10 score of lead_time_median_hours, same formula
--   quick_check_recovery: 0-10 score of recovery_median_hours, same formula
--   quick_check_change_failure: 0-10 score: 10 - change failure percentage / 10
--   quick_check_rework: 0-10 score: 10 - rework percentage / 10
--   quick_check_throughput: mean of the lead time, deployment frequency and recovery scores
--     present
--   quick_check_stability: mean of the change failure and rework scores present
--   quick_check_overall: mean of the five metric scores present; NULL when none
with periods as (
    select * from staging.int_dora_team_period
),

settings as (
    select * from staging.stg_meta_settings
),

bands as (
    select * from marts.dora_tier_bands
),

measured as (
    -- one row per measure, so one join assigns every tier and bucket
    select grain, team, period_start, 'deployment_frequency' as metric,
        deployments_per_day as value
    from periods
    union all
    select grain, team, period_start, 'lead_time', lead_time_median_hours from periods
    union all
    select grain, team, period_start, 'change_failure_rate', change_failure_rate from periods
    union all
    select grain, team, period_start, 'recovery_time', recovery_median_hours from periods
),

placed as (
    select measured.grain, measured.team, measured.period_start, measured.metric,
        bands.benchmark, bands.tier, bands.quick_check_code
    from measured
    cross join settings
    join bands
        on bands.metric = measured.metric
        and measured.value >= bands.lower_bound
        and (bands.upper_bound is null or measured.value < bands.upper_bound)
        and (
            (bands.benchmark = 'dora_tier' and bands.report_year = settings.benchmark_year)
            or bands.benchmark = 'quick_check'
        )
),

pivoted as (
    select
        grain,
        team,
        period_start,
        max(tier) filter (where benchmark = 'dora_tier' and metric = 'deployment_frequency')
            as deployment_frequency_tier,
        max(tier) filter (where benchmark = 'dora_tier' and metric = 'lead_time')
            as lead_time_tier,
        max(tier) filter (where benchmark = 'dora_tier' and metric = 'change_failure_rate')
            as change_failure_rate_tier,
        max(tier) filter (where benchmark = 'dora_tier' and metric = 'recovery_time')
            as recovery_tier,
        max(quick_check_code) filter (
            where benchmark = 'quick_check' and metric = 'deployment_frequency'
        ) as deployment_frequency_code,
        max(quick_check_code) filter (where benchmark = 'quick_check' and metric = 'lead_time')
            as lead_time_code,
        max(quick_check_code) filter (
            where benchmark = 'quick_check' and metric = 'recovery_time'
        ) as recovery_code
    from placed
    group by grain, team, period_start
),

scored as (
    select
        periods.grain,
        periods.team,
        periods.period_start,
        -- banded metrics: (code - 1) / (6 - 1) * 10
        (pivoted.deployment_frequency_code - 1) / 5 * 10 as quick_check_deployment_frequency,
        (pivoted.lead_time_code - 1) / 5 * 10 as quick_check_lead_time,
        (pivoted.recovery_code - 1) / 5 * 10 as quick_check_recovery,
        -- percentage metrics: 10 - percent / 10 (rates lie in 0..1, so no clamping is
        -- needed; and greatest/least would turn a NULL rate into a score)
        10 - periods.change_failure_rate * 10 as quick_check_change_failure,
        10 - periods.rework_rate * 10 as quick_check_rework
    from periods
    left join pivoted
        on pivoted.grain = periods.grain
        and pivoted.team = periods.team
        and pivoted.period_start = periods.period_start
),

final as (
    select
        -- period
        scored.grain,
        scored.team,
        scored.period_start,
        -- DORA tiers
        settings.benchmark_year as tier_report_year,
        pivoted.deployment_frequency_tier,
        pivoted.lead_time_tier,
        pivoted.change_failure_rate_tier,
        pivoted.recovery_tier,
        -- Quick Check scores
        2025 as quick_check_edition,
        scored.quick_check_deployment_frequency,
        scored.quick_check_lead_time,
        scored.quick_check_recovery,
        scored.quick_check_change_failure,
        scored.quick_check_rework,
        list_avg(list_filter(
            [quick_check_lead_time, quick_check_deployment_frequency, quick_check_recovery],
            lambda score: score is not null
        )) as quick_check_throughput,
        list_avg(list_filter(
            [quick_check_change_failure, quick_check_rework], lambda score: score is not null
        )) as quick_check_stability,
        list_avg(list_filter(
            [
                quick_check_lead_time, quick_check_deployment_frequency, quick_check_recovery,
                quick_check_change_failure, quick_check_rework
            ],
            lambda score: score is not null
        )) as quick_check_overall
    from scored
    cross join settings
    left join pivoted
        on pivoted.grain = scored.grain
        and pivoted.team = scored.team
        and pivoted.period_start = scored.period_start
)

select * from final
