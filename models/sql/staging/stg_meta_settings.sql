-- staging.stg_meta_settings: The metric rules from meta.settings (written from candor.yaml),
--   typed, as exactly one row the models cross-join. A missing rule is NULL and switches that
--   rule off; only benchmark_year has a default (2024).
-- grain: exactly one row
-- materialized: view
-- columns:
--   hotfix_labels: lowercase labels that mark a pull request as a hotfix (setting
--     hotfix_labels, a JSON list)
--   hotfix_head_branch_regex: regular expression on a pull request's source branch that marks
--     a hotfix (setting hotfix_head_branch_regex)
--   revert_title_regex: regular expression on a pull request title that marks a revert
--     (setting revert_title_regex)
--   revert_message_regex: regular expression on a commit message that marks a revert; its
--     first capture group is the reverted sha (setting revert_message_regex)
--   revert_body_regex: regular expression on the body of a revert pull request; its first
--     capture group is the number of the reverted pull request (setting revert_body_regex)
--   incident_labels: lowercase labels that make a GitHub issue an incident (setting
--     incident_labels, a JSON list)
--   incident_link_window_hours: how long before an incident a deployment may have finished to
--     be linked to it by time window (setting incident_link_window_hours)
--   stale_after_hours: how long after its last successful sync a repository's data counts as
--     stale (setting stale_after_hours); NULL: never
--   benchmark_year: DORA report year whose tier table is used: 2021, 2023 or 2024 (setting
--     benchmark_year, default 2024)
--   analysis_window_days: days of delivery around each survey wave that
--     marts.culture_vs_delivery measures (setting analysis_window_days, default 90)
with source as (
    select name, value from meta.settings
),

pivoted as (
    -- an aggregate without GROUP BY returns one row even when meta.settings is empty
    select
        max(value) filter (where name = 'hotfix_labels') as hotfix_labels,
        max(value) filter (where name = 'hotfix_head_branch_regex') as hotfix_head_branch_regex,
        max(value) filter (where name = 'revert_title_regex') as revert_title_regex,
        max(value) filter (where name = 'revert_message_regex') as revert_message_regex,
        max(value) filter (where name = 'revert_body_regex') as revert_body_regex,
        max(value) filter (where name = 'incident_labels') as incident_labels,
        max(value) filter (where name = 'incident_link_window_hours') as incident_link_window_hours,
        max(value) filter (where name = 'stale_after_hours') as stale_after_hours,
        max(value) filter (where name = 'benchmark_year') as benchmark_year,
        max(value) filter (where name = 'analysis_window_days') as analysis_window_days
    from source
),

typed as (
    select
        -- hotfix rule
        list_transform(cast(cast(hotfix_labels as json) as varchar[]), lambda l: lower(l))
            as hotfix_labels,
        hotfix_head_branch_regex,
        -- revert rule
        revert_title_regex,
        revert_message_regex,
        revert_body_regex,
        -- incident rule
        list_transform(cast(cast(incident_labels as json) as varchar[]), lambda l: lower(l))
            as incident_labels,
        cast(incident_link_window_hours as double) as incident_link_window_hours,
        -- freshness
        cast(stale_after_hours as double) as stale_after_hours,
        -- benchmarks
        coalesce(cast(benchmark_year as integer), 2024) as benchmark_year,
        -- culture vs delivery
        coalesce(cast(analysis_window_days as integer), 90) as analysis_window_days
    from pivoted
)

select * from typed
