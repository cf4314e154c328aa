-- marts.dora_team_week: DORA metrics per team and ISO week (Monday to Sunday, UTC): the raw
--   measures first, then each metric's DORA tier with its report year and the Quick Check
--   0-10 scores. Every team has a row for every week between the first and the last week with
--   any data; a week without deployments shows deployments = 0 and NULL rates, never 0 % or
--   "low". Definitions: docs/metrics.md. One definition for both grains
--   (staging.int_dora_team_period, where its consistency check runs); this is its projection.
-- grain: one row per (team, week_start)
-- materialized: table
-- columns:
--   week_start: Monday that starts the ISO week (UTC date)
--   iso_year: ISO 8601 week-numbering year of the week
--   iso_week: ISO 8601 week number, 1 to 53
with measures as (
    select * from staging.int_dora_team_period where grain = 'week'
),

benchmarks as (
    select * from staging.int_dora_team_period_benchmarks where grain = 'week'
),

freshness as (
    select * from staging.int_team_freshness
)

select
    -- period
    measures.team,
    measures.period_start as week_start,
    isoyear(measures.period_start) as iso_year,
    weekofyear(measures.period_start) as iso_week,
    -- measures, then benchmarks (columns documented in the two upstream models)
    measures.* exclude (grain, team, period_start),
    benchmarks.* exclude (grain, team, period_start),
    -- how fresh the data behind the row is (a number that could not be refreshed says so)
    freshness.data_synced_at,
    freshness.stale_repos
from measures
join benchmarks using (grain, team, period_start)
left join freshness on freshness.team = measures.team
order by measures.team, week_start
