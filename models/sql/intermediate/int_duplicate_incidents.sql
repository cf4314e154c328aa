-- staging.int_duplicate_incidents: Issues that an incident tool's incident names as its own
--   record in an issue tracker: a PagerDuty incident whose title or notes name
--   owner/repo#N (or group/project#N), an issue of a repository of the same team (GitHub or
--   GitLab). When that issue is an incident or a near miss by the rules, it is the same event
--   recorded twice, and the incident tool's record is kept (it holds the timeline: who raised
--   it, acknowledgement, resolution): the issue stays in marts.incidents, linked to nothing
--   and counted in no incident figure, and the behavioural proxies count the event once. An
--   issue the incident names that is no incident (a follow-up, a fix) is untouched: only
--   marts.incidents and the incident and near-miss classes read this. The one place the
--   duplicate rule is applied.
-- grain: one row per (source, repo, number) of a named issue
-- materialized: table
-- columns:
--   source: the issue's source (github, gitlab)
--   repo: the issue's repository
--   number: the issue's number
--   kept_source: the source of the incident that names it (pagerduty)
--   kept_incident_id: that incident's id as marts.incidents writes it (<service>#N); the
--     earliest such incident when several name the issue
with owners as (
    select * from staging.stg_scope_owners
),

issues as (
    select * from staging.stg_issues
),

tool_records as (
    select owners.team, issues.source, issues.repo, issues.number
    from issues
    join owners
        on owners.source = issues.source
        and owners.repo = issues.repo
    where owners.scope_kind = 'service'
),

named as (
    -- a full reference only: a bare #N in an incident tool names no repository
    select tool_records.team, tool_records.source, tool_records.repo, tool_records.number,
        refs.ref_repo, refs.ref_number
    from tool_records
    join staging.int_record_references as refs
        on refs.source = tool_records.source
        and refs.repo = tool_records.repo
        and refs.number = tool_records.number
    where refs.marker = '#' and refs.ref_repo is not null
),

repository_issues as (
    select owners.team, issues.source, issues.repo, issues.number
    from issues
    join owners
        on owners.source = issues.source
        and owners.repo = issues.repo
    where owners.scope_kind = 'repository'
)

select
    repository_issues.source,
    repository_issues.repo,
    repository_issues.number,
    named.source as kept_source,
    named.repo || '#' || named.number as kept_incident_id
from named
join repository_issues
    on repository_issues.team = named.team
    and repository_issues.repo = named.ref_repo
    and repository_issues.number = named.ref_number
qualify row_number() over (
    partition by repository_issues.source, repository_issues.repo, repository_issues.number
    order by named.number, named.repo, named.source
) = 1
