-- marts.dora_tier_bands: The DORA performance tiers of the 2021, 2023 and 2024 reports and
--   the Quick Check answer buckets, as the numeric intervals Candor assigns measured values
--   to: a value v falls in the row with lower_bound <= v < upper_bound (NULL upper_bound: no
--   limit). DORA's tables have gaps (2021 lead time jumps from < 1 hour to 1 day - 1 week) and
--   shared bands; Candor closes every gap by giving it to the worse neighbour, names shared
--   bands with both tiers (medium/low), and draws change failure rate bands for 2023 and
--   2024, where DORA publishes cluster values, at the midpoints between them. Those cuts are
--   Candor's (boundary_source = candor); dora_wording keeps what DORA wrote, certainty how
--   sure the transcription of that cell is (docs/metrics.md).
-- grain: one row per (benchmark, report_year, metric, tier)
-- materialized: table
-- columns:
--   benchmark: dora_tier (a report's performance levels) or quick_check (the Quick Check
--     answer buckets scored 0-10)
--   report_year: DORA report year of the tier table (2021, 2023, 2024), or the Quick Check
--     edition (2025; the 2024 edition has the same buckets)
--   metric: lead_time, deployment_frequency, change_failure_rate or recovery_time (2021:
--     time to restore service)
--   tier: elite, high, medium, low, or a shared band such as medium/low; for quick_check the
--     answer text
--   tier_rank: 1 for the best band, increasing to the worst
--   quick_check_code: Quick Check answer code, 6 best to 1 worst; NULL for dora_tier rows
--   lower_bound: smallest value in the band (inclusive), in unit
--   upper_bound: first value above the band (exclusive), in unit; NULL for no limit
--   unit: hours (lead time, recovery), deployments_per_day, or fraction (0 to 1)
--   dora_wording: the cell as DORA wrote it
--   certainty: source of the DORA cell: primary (report or dora.dev), secondary (copies
--     quoting the report), unconfirmed, or disputed (secondary copies disagree)
--   boundary_source: dora when the interval transcribes DORA's wording (gaps given to the
--     worse neighbour), candor when the cut is Candor's own
--   note: how the interval was drawn, when it is not a plain transcription
with bands (
    benchmark, report_year, metric, tier, tier_rank, quick_check_code,
    lower_bound, upper_bound, unit, dora_wording, certainty, boundary_source, note
) as (
    values
    -- DORA 2021 (report p. 9)
    ('dora_tier', 2021, 'deployment_frequency', 'elite', 1, null,
        2.0, null, 'deployments_per_day', 'On demand (multiple deploys per day)',
        'primary', 'dora', 'multiple per day read as at least 2 per day'),
    ('dora_tier', 2021, 'deployment_frequency', 'high', 2, null,
        1.0 / 31, 2.0, 'deployments_per_day', 'Once per week - once per month',
        'primary', 'dora', 'daily to multiple per day is a gap: given to high'),
    ('dora_tier', 2021, 'deployment_frequency', 'medium', 3, null,
        1.0 / 184, 1.0 / 31, 'deployments_per_day', 'Once per month - once every 6 months',
        'primary', 'dora', null),
    ('dora_tier', 2021, 'deployment_frequency', 'low', 4, null,
        0.0, 1.0 / 184, 'deployments_per_day', 'Fewer than once per 6 months',
        'primary', 'dora', null),
    ('dora_tier', 2021, 'lead_time', 'elite', 1, null,
        0.0, 1.0, 'hours', 'Less than 1 hour', 'primary', 'dora', null),
    ('dora_tier', 2021, 'lead_time', 'high', 2, null,
        1.0, 168.0, 'hours', '1 day - 1 week', 'primary', 'dora',
        '1 hour to 1 day is a gap: given to high'),
    ('dora_tier', 2021, 'lead_time', 'medium', 3, null,
        168.0, 4368.0, 'hours', '1 month - 6 months', 'primary', 'dora',
        '1 week to 1 month is a gap: given to medium'),
    ('dora_tier', 2021, 'lead_time', 'low', 4, null,
        4368.0, null, 'hours', 'More than 6 months', 'primary', 'dora', null),
    ('dora_tier', 2021, 'recovery_time', 'elite', 1, null,
        0.0, 1.0, 'hours', 'Less than 1 hour', 'primary', 'dora',
        '2021 measured time to restore service'),
    ('dora_tier', 2021, 'recovery_time', 'high', 2, null,
        1.0, 24.0, 'hours', 'Less than 1 day', 'primary', 'dora', null),
    ('dora_tier', 2021, 'recovery_time', 'medium', 3, null,
        24.0, 168.0, 'hours', '1 day - 1 week', 'primary', 'dora', null),
    ('dora_tier', 2021, 'recovery_time', 'low', 4, null,
        168.0, null, 'hours', 'More than 6 months', 'primary', 'dora',
        '1 week to 6 months is a gap: given to low'),
    ('dora_tier', 2021, 'change_failure_rate', 'elite', 1, null,
        0.0, 0.155, 'fraction', '0-15 %', 'primary', 'dora',
        'whole percent: below 15.5 %'),
    ('dora_tier', 2021, 'change_failure_rate', 'high/medium/low', 2, null,
        0.155, null, 'fraction', '16-30 % (high, medium and low alike)', 'primary', 'dora',
        'the report gives high, medium and low one band, so they cannot be told apart'),
    -- DORA 2023 (report PDF unavailable: elite from the infographic, the rest secondary)
    ('dora_tier', 2023, 'deployment_frequency', 'elite', 1, null,
        2.0, null, 'deployments_per_day', 'On demand', 'primary', 'dora',
        'multiple per day read as at least 2 per day'),
    ('dora_tier', 2023, 'deployment_frequency', 'high', 2, null,
        1.0 / 7, 2.0, 'deployments_per_day', 'Once per day - once per week',
        'secondary', 'dora', null),
    ('dora_tier', 2023, 'deployment_frequency', 'medium/low', 3, null,
        0.0, 1.0 / 7, 'deployments_per_day', 'Once per week - once per month (both)',
        'secondary', 'dora', 'medium and low share one band'),
    ('dora_tier', 2023, 'lead_time', 'elite', 1, null,
        0.0, 24.0, 'hours', 'Less than 1 day', 'primary', 'dora', null),
    ('dora_tier', 2023, 'lead_time', 'high', 2, null,
        24.0, 168.0, 'hours', '1 day - 1 week', 'secondary', 'dora', null),
    ('dora_tier', 2023, 'lead_time', 'medium/low', 3, null,
        168.0, null, 'hours', '1 week - 1 month (medium; low unconfirmed)', 'unconfirmed',
        'dora', 'the low cell is unconfirmed and repeats the medium band'),
    ('dora_tier', 2023, 'recovery_time', 'elite', 1, null,
        0.0, 1.0, 'hours', 'Less than 1 hour', 'primary', 'dora', null),
    ('dora_tier', 2023, 'recovery_time', 'high', 2, null,
        1.0, 24.0, 'hours', 'Less than 1 day', 'secondary', 'dora', null),
    ('dora_tier', 2023, 'recovery_time', 'medium', 3, null,
        24.0, 168.0, 'hours', '1 day - 1 week', 'secondary', 'dora', null),
    ('dora_tier', 2023, 'recovery_time', 'low', 4, null,
        168.0, null, 'hours', '1 month - 6 months', 'secondary', 'dora',
        '1 week to 1 month is a gap: given to low'),
    ('dora_tier', 2023, 'change_failure_rate', 'elite', 1, null,
        0.0, 0.075, 'fraction', '5 %', 'primary', 'candor',
        'cluster value; bands cut at the midpoints between cluster values'),
    ('dora_tier', 2023, 'change_failure_rate', 'high', 2, null,
        0.075, 0.125, 'fraction', '10 %', 'secondary', 'candor', 'cluster value'),
    ('dora_tier', 2023, 'change_failure_rate', 'medium', 3, null,
        0.125, 0.395, 'fraction', '15 %', 'secondary', 'candor', 'cluster value'),
    ('dora_tier', 2023, 'change_failure_rate', 'low', 4, null,
        0.395, null, 'fraction', '64 %', 'secondary', 'candor', 'cluster value'),
    -- DORA 2024 (all cells secondary; three copies agree)
    ('dora_tier', 2024, 'deployment_frequency', 'elite', 1, null,
        2.0, null, 'deployments_per_day', 'On demand', 'secondary', 'dora',
        'multiple per day read as at least 2 per day'),
    ('dora_tier', 2024, 'deployment_frequency', 'high', 2, null,
        1.0 / 7, 2.0, 'deployments_per_day', 'Once per day - once per week',
        'secondary', 'dora', null),
    ('dora_tier', 2024, 'deployment_frequency', 'medium', 3, null,
        1.0 / 31, 1.0 / 7, 'deployments_per_day', 'Once per week - once per month',
        'secondary', 'dora', null),
    ('dora_tier', 2024, 'deployment_frequency', 'low', 4, null,
        0.0, 1.0 / 31, 'deployments_per_day', 'Once per month - once every 6 months',
        'secondary', 'dora', null),
    ('dora_tier', 2024, 'lead_time', 'elite', 1, null,
        0.0, 24.0, 'hours', 'Less than 1 day', 'secondary', 'dora', null),
    ('dora_tier', 2024, 'lead_time', 'high', 2, null,
        24.0, 168.0, 'hours', '1 day - 1 week', 'secondary', 'dora', null),
    ('dora_tier', 2024, 'lead_time', 'medium', 3, null,
        168.0, 720.0, 'hours', '1 week - 1 month', 'secondary', 'dora', null),
    ('dora_tier', 2024, 'lead_time', 'low', 4, null,
        720.0, null, 'hours', '1 month - 6 months', 'secondary', 'dora', null),
    ('dora_tier', 2024, 'recovery_time', 'elite', 1, null,
        0.0, 1.0, 'hours', 'Less than 1 hour', 'secondary', 'dora', null),
    ('dora_tier', 2024, 'recovery_time', 'high/medium', 2, null,
        1.0, 24.0, 'hours', 'Less than 1 day (high and medium alike)', 'disputed', 'dora',
        'another copy gives medium 1 day - 1 week and low more than 1 week'),
    ('dora_tier', 2024, 'recovery_time', 'low', 4, null,
        24.0, null, 'hours', '1 week - 1 month', 'disputed', 'dora',
        '1 day to 1 week is a gap: given to low'),
    ('dora_tier', 2024, 'change_failure_rate', 'elite', 1, null,
        0.0, 0.075, 'fraction', '5 %', 'secondary', 'candor',
        'cluster value; bands cut at the midpoints between cluster values'),
    ('dora_tier', 2024, 'change_failure_rate', 'medium', 3, null,
        0.075, 0.15, 'fraction', '10 %', 'secondary', 'candor',
        'cluster value; medium (10 %) is better than high (20 %) in the 2024 report'),
    ('dora_tier', 2024, 'change_failure_rate', 'high', 2, null,
        0.15, 0.30, 'fraction', '20 %', 'secondary', 'candor',
        'cluster value; worse than medium in the 2024 report'),
    ('dora_tier', 2024, 'change_failure_rate', 'low', 4, null,
        0.30, null, 'fraction', '40 %', 'secondary', 'candor', 'cluster value'),
    -- Quick Check answer buckets (dora.md 6.1); the numeric cuts are Candor's (6.4)
    ('quick_check', 2025, 'lead_time', 'Less than one hour', 1, 6,
        0.0, 1.0, 'hours', 'Less than one hour', 'primary', 'candor', null),
    ('quick_check', 2025, 'lead_time', 'Less than one day', 2, 5,
        1.0, 24.0, 'hours', 'Less than one day', 'primary', 'candor', null),
    ('quick_check', 2025, 'lead_time', 'One day to one week', 3, 4,
        24.0, 168.0, 'hours', 'One day to one week', 'primary', 'candor', null),
    ('quick_check', 2025, 'lead_time', 'One week to one month', 4, 3,
        168.0, 720.0, 'hours', 'One week to one month', 'primary', 'candor', 'month = 30 days'),
    ('quick_check', 2025, 'lead_time', 'One to six months', 5, 2,
        720.0, 4368.0, 'hours', 'One to six months', 'primary', 'candor',
        'six months = 182 days'),
    ('quick_check', 2025, 'lead_time', 'More than six months', 6, 1,
        4368.0, null, 'hours', 'More than six months', 'primary', 'candor', null),
    ('quick_check', 2025, 'recovery_time', 'Less than one hour', 1, 6,
        0.0, 1.0, 'hours', 'Less than one hour', 'primary', 'candor', null),
    ('quick_check', 2025, 'recovery_time', 'Less than one day', 2, 5,
        1.0, 24.0, 'hours', 'Less than one day', 'primary', 'candor', null),
    ('quick_check', 2025, 'recovery_time', 'One day to one week', 3, 4,
        24.0, 168.0, 'hours', 'One day to one week', 'primary', 'candor', null),
    ('quick_check', 2025, 'recovery_time', 'One week to one month', 4, 3,
        168.0, 720.0, 'hours', 'One week to one month', 'primary', 'candor',
        'month = 30 days'),
    ('quick_check', 2025, 'recovery_time', 'One to six months', 5, 2,
        720.0, 4368.0, 'hours', 'One to six months', 'primary', 'candor',
        'six months = 182 days'),
    ('quick_check', 2025, 'recovery_time', 'More than six months', 6, 1,
        4368.0, null, 'hours', 'More than six months', 'primary', 'candor', null),
    ('quick_check', 2025, 'deployment_frequency', 'On demand (multiple deploys per day)', 1, 6,
        2.0, null, 'deployments_per_day', 'On demand (multiple deploys per day)',
        'primary', 'candor', 'at least 2 per day'),
    ('quick_check', 2025, 'deployment_frequency', 'Between once per hour and once per day',
        2, 5, 1.0, 2.0, 'deployments_per_day', 'Between once per hour and once per day',
        'primary', 'candor', 'overlaps the top answer in DORA wording: cut at 2 per day'),
    ('quick_check', 2025, 'deployment_frequency', 'Between once per day and once per week',
        3, 4, 1.0 / 7, 1.0, 'deployments_per_day', 'Between once per day and once per week',
        'primary', 'candor', null),
    ('quick_check', 2025, 'deployment_frequency', 'Between once per week and once per month',
        4, 3, 1.0 / 31, 1.0 / 7, 'deployments_per_day',
        'Between once per week and once per month', 'primary', 'candor',
        'once per month = 1/31 per day, so any calendar month with one deployment counts'),
    ('quick_check', 2025, 'deployment_frequency',
        'Between once per month and once every six months', 5, 2, 1.0 / 184, 1.0 / 31,
        'deployments_per_day', 'Between once per month and once every six months',
        'primary', 'candor', 'six months = at most 184 days'),
    ('quick_check', 2025, 'deployment_frequency', 'Less than once per six months', 6, 1,
        0.0, 1.0 / 184, 'deployments_per_day', 'Less than once per six months',
        'primary', 'candor', null)
),

typed as (
    select
        -- which table
        cast(benchmark as varchar) as benchmark,
        cast(report_year as integer) as report_year,
        cast(metric as varchar) as metric,
        -- band
        cast(tier as varchar) as tier,
        cast(tier_rank as integer) as tier_rank,
        cast(quick_check_code as integer) as quick_check_code,
        cast(lower_bound as double) as lower_bound,
        cast(upper_bound as double) as upper_bound,
        cast(unit as varchar) as unit,
        -- provenance
        cast(dora_wording as varchar) as dora_wording,
        cast(certainty as varchar) as certainty,
        cast(boundary_source as varchar) as boundary_source,
        cast(note as varchar) as note
    from bands
)

select * from typed
