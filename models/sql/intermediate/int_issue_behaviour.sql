-- staging.int_issue_behaviour: Every issue and incident of the teams' repositories and
--   services (conformed staging.stg_issues), classified for the behavioural proxies by the
--   rules in staging.stg_meta_proxy_rules, with what matched: duplicate (an issue recording an
--   incident tool's incident or near miss again, staging.int_duplicate_incidents: the event is
--   counted once, as the incident tool's record); near_miss (the near-miss rule,
--   applied in staging.int_near_misses; wins over every other class, an incident label
--   included); incident (a marts.incidents row that is no near miss: a customer-impacting
--   incident); postmortem (a postmortem label); proactive (a proactive label, opened by a
--   member of the owning team's roster, not caused by an incident); reactive_caused_by_incident
--   (a proactive label, caused by an incident: it names one (#N, owner/repo#N) or was opened at
--   most proactive_incident_window_hours after one of the team's incidents was opened);
--   reactive_outsider (a proactive label, opened by an account not on the roster, bots
--   included); other (no rule applies). Heuristics: the rule text is in
--   staging.stg_meta_proxy_rules and marts.behaviour_team_month.
-- grain: one row per (source, repo, number)
-- materialized: table
-- columns:
--   team: team that owns the record's repository or service (staging.stg_scope_owners)
--   source: where the record comes from
--   repo: repository (project, service) of the record
--   number: record number within repo
--   created_at: when it was opened (UTC); decides its month
--   author_login: who opened it
--   author_is_bot: true when author_login matches bot_login_regex
--   author_on_roster: true when author_login is on the owning team's roster
--   behaviour_class: duplicate, near_miss, incident, postmortem, proactive,
--     reactive_caused_by_incident, reactive_outsider or other (see the model description)
--   near_miss_matched_by: which part of the near-miss rule matched: label, title, priority or
--     urgency (the first in that order); NULL for other classes
--   incident_raiser: for an incident: monitoring (bot author, or the incident tool says so),
--     team (author on the roster) or external (any other person); NULL for other classes
--   is_change_related: for an incident: true when marts.incidents links it to a deployment
--   has_postmortem: for a change-related incident: true when it carries a postmortem label or
--     a postmortem issue opened after it names it; NULL for other records
--   caused_by_incident_evidence: for a reactive_caused_by_incident issue: 'names <repo>#<n>'
--     or 'opened <h> h after <repo>#<n>'; NULL otherwise
with settings as (
    select * from staging.stg_meta_proxy_rules
),

owners as (
    select team, source, repo from staging.stg_scope_owners
),

roster as (
    select * from staging.stg_roster
),

issues as (
    select * from staging.stg_issues
),

incidents as (
    select source, repo, number, linked_deployment_id from marts.incidents
),

duplicates as (
    select source, repo, number from staging.int_duplicate_incidents
),

team_issues as (
    select
        owners.team,
        -- is_incident is decided below, from marts.incidents and the near-miss rule
        issues.* exclude (is_incident),
        list_transform(coalesce(issues.labels, []), lambda l: lower(l)) as labels_lower,
        coalesce(
            regexp_matches(
                issues.author_login, getvariable('stg_meta_proxy_rules').bot_login_regex
            ),
            false
        )
            as author_is_bot,
        roster.login is not null as author_on_roster
    from issues
    join owners on owners.source = issues.source and owners.repo = issues.repo
    left join roster
        on roster.team = owners.team
        and roster.source = issues.source
        and roster.login = issues.author_login
),

near_miss_matches as (
    select * from staging.int_near_misses
),

flagged as (
    select
        team_issues.*,
        near_miss_matches.near_miss_matched_by,
        incidents.number is not null and near_miss_matches.near_miss_matched_by is null
            and duplicates.number is null as is_incident,
        -- an incident or near miss an incident tool's record repeats (a named issue that is
        -- neither keeps its own class)
        duplicates.number is not null and (incidents.number is not null
            or near_miss_matches.near_miss_matched_by is not null) as is_duplicate,
        incidents.linked_deployment_id is not null as is_change_related,
        list_has_any(team_issues.labels_lower, settings.postmortem_labels) as has_postmortem_label,
        list_has_any(team_issues.labels_lower, settings.proactive_labels) as has_proactive_label
    from team_issues
    cross join settings
    left join near_miss_matches using (source, repo, number)
    left join duplicates using (source, repo, number)
    left join incidents
        on incidents.source = team_issues.source
        and incidents.repo = team_issues.repo
        and incidents.number = team_issues.number
),

references_named as (
    -- '#N' (same repository) or 'owner/repo#N' in the title or body
    -- (staging.int_record_references)
    select
        flagged.source, flagged.repo, flagged.number, flagged.created_at,
        coalesce(refs.ref_repo, flagged.repo) as ref_repo,
        refs.ref_number
    from flagged
    join staging.int_record_references as refs
        on refs.source = flagged.source
        and refs.repo = flagged.repo
        and refs.number = flagged.number
    where refs.marker = '#'
),

incident_records as (
    -- an issue repeating an incident tool's incident is still a record of an incident: an
    -- issue that names it was caused by one
    select team, source, repo, number, created_at from flagged
    where is_incident or (is_duplicate and near_miss_matched_by is null)
),

named_incidents as (
    select references_named.source, references_named.repo, references_named.number,
        'names ' || incident_records.repo || '#' || incident_records.number as evidence,
        1 as evidence_rank,
        incident_records.created_at as incident_created_at
    from references_named
    join incident_records
        on incident_records.source = references_named.source
        and incident_records.repo = references_named.ref_repo
        and incident_records.number = references_named.ref_number
),

windowed_incidents as (
    select flagged.source, flagged.repo, flagged.number,
        'opened ' || round(
            (epoch(flagged.created_at) - epoch(incident_records.created_at)) / 3600.0, 2
        ) || ' h after ' || incident_records.repo || '#' || incident_records.number as evidence,
        2 as evidence_rank,
        incident_records.created_at as incident_created_at
    from flagged
    cross join settings
    join incident_records
        on incident_records.team = flagged.team
        and incident_records.created_at <= flagged.created_at
        and epoch(flagged.created_at) - epoch(incident_records.created_at)
            <= settings.proactive_incident_window_hours * 3600
    where settings.proactive_incident_window_hours > 0
        and not (incident_records.repo = flagged.repo and incident_records.number = flagged.number)
),

caused_by_incident as (
    -- a named incident beats the time window; then the latest incident
    select source, repo, number, evidence
    from (select * from named_incidents union all select * from windowed_incidents)
    qualify row_number() over (
        partition by source, repo, number
        order by evidence_rank, incident_created_at desc, evidence
    ) = 1
),

postmortems as (
    -- change-related incidents named by a postmortem issue opened after them
    select distinct incident_records.source, incident_records.repo, incident_records.number
    from references_named
    join flagged as postmortem_issues
        on postmortem_issues.source = references_named.source
        and postmortem_issues.repo = references_named.repo
        and postmortem_issues.number = references_named.number
        and postmortem_issues.has_postmortem_label
    join incident_records
        on incident_records.source = references_named.source
        and incident_records.repo = references_named.ref_repo
        and incident_records.number = references_named.ref_number
        and incident_records.created_at <= references_named.created_at
),

classified as (
    select
        flagged.*,
        case
            when flagged.is_duplicate then 'duplicate'
            when flagged.near_miss_matched_by is not null then 'near_miss'
            when flagged.is_incident then 'incident'
            when flagged.has_postmortem_label then 'postmortem'
            when not flagged.has_proactive_label then 'other'
            when caused_by_incident.evidence is not null then 'reactive_caused_by_incident'
            when not flagged.author_on_roster then 'reactive_outsider'
            else 'proactive'
        end as behaviour_class,
        caused_by_incident.evidence as caused_by_incident_evidence,
        postmortems.number is not null as named_by_postmortem
    from flagged
    left join caused_by_incident using (source, repo, number)
    left join postmortems using (source, repo, number)
),

final as (
    select
        -- identity
        team,
        source,
        repo,
        number,
        created_at,
        -- who raised it
        author_login,
        author_is_bot,
        author_on_roster,
        -- classification
        behaviour_class,
        near_miss_matched_by,
        case when behaviour_class = 'incident' then
            -- an incident tool says itself when monitoring raised it (no author then)
            case when author_is_bot or raised_by = 'monitoring' then 'monitoring'
                when author_on_roster then 'team'
                else 'external' end
        end as incident_raiser,
        case when behaviour_class = 'incident' then is_change_related end as is_change_related,
        case when behaviour_class = 'incident' and is_change_related then
            has_postmortem_label or named_by_postmortem
        end as has_postmortem,
        case when behaviour_class = 'reactive_caused_by_incident' then
            caused_by_incident_evidence
        end as caused_by_incident_evidence
    from classified
)

select * from final
