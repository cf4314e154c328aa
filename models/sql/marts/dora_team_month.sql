-- marts.dora_team_month: DORA metrics per team and calendar month (UTC): the raw measures
--   first, then each metric's DORA tier with its report year and the Quick Check 0-10 scores.
--   Every team has a row for every month between the first and the last month with any data;
--   a month without deployments shows deployments = 0 and NULL rates, never 0 % or "low".
--   Definitions: docs/metrics.md. One definition for both grains
--   (staging.int_dora_team_period, where its consistency check runs); this is its projection.
-- grain: one row per (team, month_start)
-- materialized: table
-- columns:
--   month_start: first day of the calendar month (UTC date)
with measures as (
    select * from staging.int_dora_team_period where grain = 'month'
),

benchmarks as (
    select * from staging.int_dora_team_period_benchmarks where grain = 'month'
),

freshness as (
    select * from staging.int_team_freshness
)

select
    -- period
    measures.team,
    measures.period_start as month_start,
    -- measures, then benchmarks (columns documented in the two upstream models)
    measures.* exclude (grain, team, period_start),
    benchmarks.* exclude (grain, team, period_start),
    -- how fresh the data behind the row is (a number that could not be refreshed says so)
    freshness.data_synced_at,
    freshness.stale_repos
from measures
join benchmarks using (grain, team, period_start)
left join freshness on freshness.team = measures.team
order by measures.team, month_start
