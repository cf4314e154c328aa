-- staging.stg_pagerduty_issues: PagerDuty incidents as records of the conformed
--   staging.stg_issues: every one is an incident (is_incident), on its service (repo), with
--   its notes as the text changes are named in.
-- grain: one row per (repo, number)
-- materialized: view
-- columns:
--   repo: the incident's service id (teams own services in meta.team_services)
--   number: the incident's number in the account
--   title: incident title
--   body: the incident's notes (references to changes are read from title and notes)
--   author_login: the PagerDuty user id of the person who triggered it (a member's pagerduty
--     identity in candor.yaml); NULL when monitoring raised it
--   labels: empty: PagerDuty incidents carry no labels
--   priority: priority name (P1..P5); NULL when none
--   urgency: high or low
--   customer_impact: NULL: PagerDuty does not say whether customers were affected
--   is_incident: true: an incident tool's record is an incident whatever its labels
--   raised_by: person or monitoring
--   created_at: when it was triggered (UTC)
--   acknowledged_at: first acknowledgement (UTC)
--   closed_at: when it was resolved (UTC); NULL while open
with source as (
    select * from staging.stg_pagerduty_incidents
)

select
    -- identity
    service_id as repo,
    incident_number as number,
    -- description
    title,
    notes as body,
    raised_by_user_id as author_login,
    cast([] as varchar[]) as labels,
    priority,
    urgency,
    cast(null as boolean) as customer_impact,
    true as is_incident,
    raised_by,
    -- timing
    created_at,
    acknowledged_at,
    resolved_at as closed_at
from source
