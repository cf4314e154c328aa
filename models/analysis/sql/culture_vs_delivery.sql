-- marts.culture_vs_delivery: The team-wave panel: each team's culture scores in a survey wave
--   beside its delivery in a window after the wave closed (lagged: does culture now predict
--   delivery next?) and a window before it (concurrent). The lagged window is the
--   analysis_window_days (default 90) days starting the day after closes_on; the concurrent
--   window is the same number of days ending with closes_on. A deployment or change belongs to
--   the window its finish time (UTC) falls in, start included, end excluded: one finished on
--   the closing day itself is concurrent, never lagged. Windows are cut to the data there is:
--   from the organization's first production deployment to its latest recorded event (no later
--   than the team's last successful sync); exposure_days and coverage_share say how much of
--   the window that left. Behavioural proxies (marts.behaviour_team_month) are summed over the
--   calendar months whose 15th day falls inside the window. Culture figures of a suppressed team-wave (fewer respondents than
--   the anonymity minimum) are NULL, and so is their respondent count: this table never
--   reveals them. Rates are left to the models as numerators and denominators; never average
--   the percentages. Definitions: docs/metrics.md (culture vs delivery panel).
-- grain: one row per (team, wave)
-- materialized: table
-- columns:
--   team: team name as in candor.yaml
--   wave: survey wave name as imported
--   closes_on: date the wave closed (UTC); windows are measured from it
--   window_days: configured window length in days (staging.stg_meta_settings)
--   team_size: roster size: distinct people (staging.stg_roster), whatever their accounts
--   psysafe_score: team mean of Edmondson team psychological safety (1-7); NULL when suppressed
--     or not surveyed
--   psysafe_n: scored respondents behind psysafe_score; NULL when suppressed
--   psysafe_rwg: within-team agreement rwg(j) of psysafe_score; NULL when suppressed
--   psysafe_suppressed: true when the psysafe figures are hidden for anonymity
--   westrum_score: team mean of Westrum organizational culture (1-7); NULL when suppressed or
--     not surveyed
--   westrum_n: scored respondents behind westrum_score; NULL when suppressed
--   westrum_rwg: within-team agreement rwg(j) of westrum_score; NULL when suppressed
--   westrum_suppressed: true when the westrum figures are hidden for anonymity
--   lag_window_start: first instant of the lagged window (UTC), the day after closes_on
--   lag_window_end: end of the lagged window (UTC, excluded)
--   lag_exposure_days: days of the lagged window covered by data (0 when none)
--   lag_coverage_share: lag_exposure_days / window_days
--   lag_deployments: production deployments finished in the lagged window
--   lag_failed_deployments: of those, deployments counted as failed (change failure numerator)
--   lag_rework_deployments: of those, rework deployments (rework rate numerator)
--   lag_changes: changes (pull requests and direct pushes) deployed in the lagged window
--   lag_pull_requests: of those, pull requests
--   lag_lead_time_n: changes of the window with a known lead time
--   lag_lead_time_median_hours: median lead time of those changes (interpolated for even n)
--   lag_recovery_n: failed deployments of the window with a known recovery time
--   lag_recovery_median_hours: median failed deployment recovery time of those deployments
--   lag_incidents: incidents created in the lagged window (near misses and duplicates not counted)
--   lag_behaviour_months: calendar months of marts.behaviour_team_month counted for the
--     lagged window: those whose 15th day falls inside it
--   lag_near_misses: near misses reported in those months (NULL when no near-miss rule)
--   lag_proactive_issues: proactive issues raised in those months
--   lag_reactive_issues: reactive records (customer-impacting incidents, issues caused by one,
--     issues raised by non-members) in those months
--   lag_review_events: review events of roster members in those months
--   lag_review_equality: mean of the months' review_equality (1 - normalized Gini over the
--     roster); months where it is NULL are left out
--   lag_reviewer_share: mean of the months' reviewer_share
--   con_window_start: first instant of the concurrent window (UTC)
--   con_window_end: end of the concurrent window (UTC, excluded): the day after closes_on
--   con_exposure_days: days of the concurrent window covered by data
--   con_coverage_share: con_exposure_days / window_days
--   con_deployments: production deployments finished in the concurrent window
--   con_failed_deployments: of those, deployments counted as failed
--   con_rework_deployments: of those, rework deployments
--   con_changes: changes deployed in the concurrent window
--   con_pull_requests: of those, pull requests
--   con_lead_time_n: changes of the window with a known lead time
--   con_lead_time_median_hours: median lead time of those changes
--   con_recovery_n: failed deployments of the window with a known recovery time
--   con_recovery_median_hours: median failed deployment recovery time of those deployments
--   con_incidents: incidents created in the concurrent window (near misses and duplicates not counted)
--   con_behaviour_months: calendar months counted for the concurrent window (15th inside it)
--   con_near_misses: near misses reported in those months
--   con_proactive_issues: proactive issues raised in those months
--   con_reactive_issues: reactive records in those months
--   con_review_events: review events of roster members in those months
--   con_review_equality: mean of the months' review_equality
--   con_reviewer_share: mean of the months' reviewer_share
with culture as (
    select * from marts.culture_team_wave
),

deployments as (
    select team, finished_at, is_failed, is_rework, recovery_hours from marts.deployments
),

changes as (
    select team, kind, deployed_at, lead_time_hours from marts.changes
),

incidents as (
    select team, created_at from marts.incidents
    where not is_near_miss and duplicate_of_id is null
),

behaviour as (
    select team, month_start, near_misses, proactive_issues, reactive_records, review_events,
           review_equality, reviewer_share
    from marts.behaviour_team_month
),

roster as (
    select team, count(distinct member) as team_size from staging.stg_roster group by team
),

freshness as (
    select team, data_synced_at from staging.int_team_freshness
),

setting as (
    select analysis_window_days as window_days from staging.stg_meta_settings
),

data_span as (
    -- the organization's recorded history: nothing is known before its first production
    -- deployment or after its latest event
    select
        (select min(finished_at) from deployments) as data_start,
        greatest((select max(finished_at) from deployments),
                 (select max(deployed_at) from changes),
                 (select max(created_at) from incidents)) as data_end
),

team_waves as (
    -- one row per team-wave with each instrument's figures side by side; a suppressed row
    -- already carries NULL figures (models/culture), kept NULL here
    select
        team,
        wave,
        max(closes_on) as closes_on,
        max(mean) filter (where instrument = 'psysafe') as psysafe_score,
        max(n_respondents) filter (where instrument = 'psysafe') as psysafe_n,
        max(rwg_j) filter (where instrument = 'psysafe') as psysafe_rwg,
        coalesce(bool_or(suppressed) filter (where instrument = 'psysafe'), false)
            as psysafe_suppressed,
        max(mean) filter (where instrument = 'westrum') as westrum_score,
        max(n_respondents) filter (where instrument = 'westrum') as westrum_n,
        max(rwg_j) filter (where instrument = 'westrum') as westrum_rwg,
        coalesce(bool_or(suppressed) filter (where instrument = 'westrum'), false)
            as westrum_suppressed
    from culture
    group by team, wave
),

windows as (
    -- window arithmetic on naive UTC timestamps, converted at the end: a timestamptz minus
    -- days is computed in the session time zone and would move by an hour across DST
    select
        bounds.team,
        bounds.wave,
        bounds.side,
        bounds.window_start,
        bounds.window_end,
        greatest(bounds.window_start, data_span.data_start) as covered_start,
        least(bounds.window_end, data_span.data_end,
              coalesce(freshness.data_synced_at, data_span.data_end)) as covered_end
    from (
        select
            team_waves.team,
            team_waves.wave,
            side.name as side,
            timezone('UTC', side.naive_start) as window_start,
            timezone('UTC', side.naive_start + to_days(setting.window_days)) as window_end
        from team_waves
        cross join setting
        cross join lateral (
            select 'lag' as name, (team_waves.closes_on + 1)::timestamp as naive_start
            union all
            select 'con',
                   (team_waves.closes_on + 1)::timestamp - to_days(setting.window_days)
        ) as side
    ) as bounds
    cross join data_span
    left join freshness on freshness.team = bounds.team
),

window_deployments as (
    select
        windows.team, windows.wave, windows.side,
        count(deployments.finished_at) as deployments,
        count(*) filter (where deployments.is_failed) as failed_deployments,
        count(*) filter (where deployments.is_rework) as rework_deployments,
        count(deployments.recovery_hours) filter (where deployments.is_failed) as recovery_n,
        median(deployments.recovery_hours) filter (where deployments.is_failed)
            as recovery_median_hours
    from windows
    left join deployments
        on deployments.team = windows.team
        and deployments.finished_at >= windows.window_start
        and deployments.finished_at < windows.window_end
    group by windows.team, windows.wave, windows.side
),

window_changes as (
    select
        windows.team, windows.wave, windows.side,
        count(changes.deployed_at) as changes,
        count(*) filter (where changes.kind = 'pull_request') as pull_requests,
        count(changes.lead_time_hours) as lead_time_n,
        median(changes.lead_time_hours) as lead_time_median_hours
    from windows
    left join changes
        on changes.team = windows.team
        and changes.deployed_at >= windows.window_start
        and changes.deployed_at < windows.window_end
    group by windows.team, windows.wave, windows.side
),

window_incidents as (
    select
        windows.team, windows.wave, windows.side,
        count(incidents.created_at) as incidents
    from windows
    left join incidents
        on incidents.team = windows.team
        and incidents.created_at >= windows.window_start
        and incidents.created_at < windows.window_end
    group by windows.team, windows.wave, windows.side
),

window_behaviour as (
    select
        windows.team, windows.wave, windows.side,
        count(behaviour.month_start) as behaviour_months,
        sum(behaviour.near_misses) as near_misses,
        sum(behaviour.proactive_issues) as proactive_issues,
        sum(behaviour.reactive_records) as reactive_issues,
        sum(behaviour.review_events) as review_events,
        avg(behaviour.review_equality) as review_equality,
        avg(behaviour.reviewer_share) as reviewer_share
    from windows
    left join behaviour
        on behaviour.team = windows.team
        -- a month counts for the window holding its 15th day (UTC midnight)
        and timezone('UTC', (behaviour.month_start + 14)::timestamp) >= windows.window_start
        and timezone('UTC', (behaviour.month_start + 14)::timestamp) < windows.window_end
    group by windows.team, windows.wave, windows.side
),

measured as (
    select
        windows.*,
        greatest(0, epoch(windows.covered_end) - epoch(windows.covered_start)) / 86400.0
            as exposure_days,
        window_deployments.* exclude (team, wave, side),
        window_changes.* exclude (team, wave, side),
        window_incidents.incidents,
        window_behaviour.* exclude (team, wave, side)
    from windows
    join window_deployments using (team, wave, side)
    join window_changes using (team, wave, side)
    join window_incidents using (team, wave, side)
    join window_behaviour using (team, wave, side)
),

lagged as (
    select * from measured where side = 'lag'
),

concurrent as (
    select * from measured where side = 'con'
)

select
    -- identity
    team_waves.team,
    team_waves.wave,
    team_waves.closes_on,
    setting.window_days,
    coalesce(roster.team_size, 0) as team_size,
    -- culture (NULL when suppressed)
    team_waves.* exclude (team, wave, closes_on),
    -- lagged window: after the wave closed
    lagged.window_start as lag_window_start,
    lagged.window_end as lag_window_end,
    lagged.exposure_days as lag_exposure_days,
    lagged.exposure_days / setting.window_days as lag_coverage_share,
    lagged.deployments as lag_deployments,
    lagged.failed_deployments as lag_failed_deployments,
    lagged.rework_deployments as lag_rework_deployments,
    lagged.changes as lag_changes,
    lagged.pull_requests as lag_pull_requests,
    lagged.lead_time_n as lag_lead_time_n,
    lagged.lead_time_median_hours as lag_lead_time_median_hours,
    lagged.recovery_n as lag_recovery_n,
    lagged.recovery_median_hours as lag_recovery_median_hours,
    lagged.incidents as lag_incidents,
    lagged.behaviour_months as lag_behaviour_months,
    lagged.near_misses as lag_near_misses,
    lagged.proactive_issues as lag_proactive_issues,
    lagged.reactive_issues as lag_reactive_issues,
    lagged.review_events as lag_review_events,
    lagged.review_equality as lag_review_equality,
    lagged.reviewer_share as lag_reviewer_share,
    -- concurrent window: before the wave closed
    concurrent.window_start as con_window_start,
    concurrent.window_end as con_window_end,
    concurrent.exposure_days as con_exposure_days,
    concurrent.exposure_days / setting.window_days as con_coverage_share,
    concurrent.deployments as con_deployments,
    concurrent.failed_deployments as con_failed_deployments,
    concurrent.rework_deployments as con_rework_deployments,
    concurrent.changes as con_changes,
    concurrent.pull_requests as con_pull_requests,
    concurrent.lead_time_n as con_lead_time_n,
    concurrent.lead_time_median_hours as con_lead_time_median_hours,
    concurrent.recovery_n as con_recovery_n,
    concurrent.recovery_median_hours as con_recovery_median_hours,
    concurrent.incidents as con_incidents,
    concurrent.behaviour_months as con_behaviour_months,
    concurrent.near_misses as con_near_misses,
    concurrent.proactive_issues as con_proactive_issues,
    concurrent.reactive_issues as con_reactive_issues,
    concurrent.review_events as con_review_events,
    concurrent.review_equality as con_review_equality,
    concurrent.reviewer_share as con_reviewer_share
from team_waves
cross join setting
left join roster on roster.team = team_waves.team
join lagged on lagged.team = team_waves.team and lagged.wave = team_waves.wave
join concurrent on concurrent.team = team_waves.team and concurrent.wave = team_waves.wave
order by team_waves.team, team_waves.closes_on
