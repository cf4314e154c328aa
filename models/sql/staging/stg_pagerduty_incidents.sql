-- staging.stg_pagerduty_incidents: PagerDuty incidents with their timeline read from the log
--   entries: when each was acknowledged and resolved, and who raised it. Resolution time:
--   resolved_at as answered; when the answer lacks it (PagerDuty's older shape) and the
--   incident is resolved, last_status_change_at, else the first resolve entry; never the
--   last status change of an unresolved incident (an acknowledged incident is not resolved).
--   Raised by: person when a user triggered it, monitoring when an integration or the service
--   did.
-- grain: one row per (account, incident_id)
-- materialized: view
-- columns:
--   account: the PagerDuty account's label (sources.pagerduty.account)
--   incident_id: PagerDuty incident id
--   incident_number: the incident's number in the account
--   service_id: the service it was raised on
--   title: incident title
--   notes: the text of its annotations (notes), oldest first, separated by blank lines; NULL
--     without any
--   status: triggered, acknowledged or resolved at the last read
--   urgency: high or low
--   priority: priority name (P1..P5); NULL when none
--   created_at: when it was triggered (UTC)
--   acknowledged_at: first acknowledgement (UTC); NULL when never acknowledged
--   resolved_at: when it was resolved (UTC; see the fallback above); NULL while open
--   resolved_at_from: which field gave resolved_at: resolved_at, last_status_change_at or
--     resolve_log_entry; NULL while open
--   raised_by: person or monitoring (the trigger entry's agent); NULL when its trigger entry
--     has not been read
--   raised_by_user_id: the PagerDuty user id of the person who triggered it; NULL otherwise
with incidents as (
    select * from raw.pagerduty_incidents
),

log_entries as (
    select * from raw.pagerduty_log_entries
),

timeline as (
    select
        account,
        incident_id,
        min(created_at) filter (where entry_type = 'acknowledge') as acknowledged_at,
        min(created_at) filter (where entry_type = 'resolve') as resolve_entry_at,
        arg_min(agent_type, created_at) filter (where entry_type = 'trigger') as trigger_agent,
        arg_min(agent_id, created_at) filter (where entry_type = 'trigger') as trigger_agent_id,
        string_agg(note, chr(10) || chr(10) order by created_at, log_entry_id)
            filter (where entry_type = 'annotate' and note is not null) as notes
    from log_entries
    group by account, incident_id
),

resolved as (
    select
        incidents.*,
        timeline.acknowledged_at,
        timeline.trigger_agent,
        timeline.trigger_agent_id,
        timeline.notes,
        case
            when incidents.resolved_at is not null then 'resolved_at'
            when incidents.status <> 'resolved' then null
            when incidents.last_status_change_at is not null then 'last_status_change_at'
            when timeline.resolve_entry_at is not null then 'resolve_log_entry'
        end as resolved_at_from,
        case
            when incidents.resolved_at is not null then incidents.resolved_at
            when incidents.status = 'resolved' then
                coalesce(incidents.last_status_change_at, timeline.resolve_entry_at)
        end as resolved_time
    from incidents
    left join timeline
        on timeline.account = incidents.account
        and timeline.incident_id = incidents.incident_id
)

select
    -- identity
    account,
    incident_id,
    incident_number,
    service_id,
    -- description
    title,
    notes,
    status,
    urgency,
    priority,
    -- timing
    created_at,
    acknowledged_at,
    resolved_time as resolved_at,
    resolved_at_from,
    -- who raised it
    case
        when trigger_agent is null then null
        when trigger_agent = 'user_reference' then 'person'
        else 'monitoring'
    end as raised_by,
    case when trigger_agent = 'user_reference' then trigger_agent_id end as raised_by_user_id
from resolved
