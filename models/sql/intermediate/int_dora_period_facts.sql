-- staging.int_dora_period_facts: Every fact a DORA period counts, once per period grain
--   (week and month), keyed by the period it belongs to: a deployment or a change by the UTC
--   time its deployment finished, a failed deploy attempt by its first failure status, an
--   incident by its creation. Weeks are ISO weeks starting Monday; months are calendar
--   months; both in UTC whatever the session time zone. dora_team_week and dora_team_month
--   aggregate this one model, so both grains share one definition of membership.
-- grain: one row per (grain, fact, source, repo, fact_id)
-- materialized: view
-- columns:
--   grain: week or month
--   period_start: first day of the period (a Monday for weeks), UTC date
--   team: team the fact belongs to (meta.team_repos)
--   fact: deployment, failed_attempt, change or incident
--   source: source of the fact's repository (or incident): github (later gitlab, pagerduty)
--   repo: repository of the fact
--   fact_id: deployment id, pull request number, commit sha or incident id (owner/repo#N for
--     a GitHub issue), as text
--   occurred_at: the time that places the fact in its period (UTC)
--   occurred_on: UTC calendar date of occurred_at (deploy days count these)
--   change_kind: pull_request or commit for changes; NULL otherwise
--   is_failed: deployment counted as failed (change failure rate numerator)
--   is_rework: deployment counted as rework (rework rate numerator)
--   lead_time_hours: lead time of a change; NULL when unknown or negative
--   has_negative_span: change with at least one negative span set to NULL
--   recovery_hours: failed deployment recovery time; NULL while unrecovered
--   time_to_restore_hours: incident closed - created; NULL while open
with deployments as (
    select * from marts.deployments
),

attempts as (
    select * from staging.int_production_deployment_attempts
    where outcome = 'failed_attempt'
),

changes as (
    select * from marts.changes
),

incidents as (
    -- a near miss hurt no one: nothing to restore; a duplicate counts as the incident it
    -- repeats
    select * from marts.incidents
    where not is_near_miss and duplicate_of_id is null
),

facts as (
    -- unions by name: each branch names its columns, and a column a branch leaves out is NULL
    select team, 'deployment' as fact, source, repo, cast(deployment_id as varchar) as fact_id,
        finished_at as occurred_at, is_failed, is_rework, recovery_hours
    from deployments
    union all by name
    select team, 'failed_attempt' as fact, source, repo,
        cast(deployment_id as varchar) as fact_id, failed_at as occurred_at
    from attempts
    union all by name
    select team, 'change' as fact, source, repo,
        coalesce(cast(pr_number as varchar), sha) as fact_id, deployed_at as occurred_at,
        kind as change_kind, lead_time_hours, negative_span_count > 0 as has_negative_span
    from changes
    union all by name
    select team, 'incident' as fact, source, repo, incident_id as fact_id,
        created_at as occurred_at, time_to_restore_hours
    from incidents
),

grains as (
    select * from (values ('week'), ('month')) as grains(grain)
),

keyed as (
    select
        -- period
        grains.grain,
        -- timezone('UTC', ...) gives UTC wall time, so keys ignore the session time zone
        cast(date_trunc(grains.grain, timezone('UTC', facts.occurred_at)) as date)
            as period_start,
        -- fact
        facts.team,
        facts.fact,
        facts.source,
        facts.repo,
        facts.fact_id,
        facts.occurred_at,
        cast(timezone('UTC', facts.occurred_at) as date) as occurred_on,
        cast(facts.change_kind as varchar) as change_kind,
        -- measures
        cast(facts.is_failed as boolean) as is_failed,
        cast(facts.is_rework as boolean) as is_rework,
        cast(facts.lead_time_hours as double) as lead_time_hours,
        cast(facts.has_negative_span as boolean) as has_negative_span,
        cast(facts.recovery_hours as double) as recovery_hours,
        cast(facts.time_to_restore_hours as double) as time_to_restore_hours
    from facts
    cross join grains
)

select * from keyed
