-- marts.incidents: The teams' incidents: every incident of an incident tool (PagerDuty) on a
--   service a team owns, and every issue (GitHub) in a team's repository that the rules call
--   an incident (a label in the incident_labels setting, any case), each linked to at most one
--   release (one deployment per production environment) with its provenance. explicit: the title or the text (an issue's
--   body, an incident's notes) names the deployed sha, the sha of a commit in its change set
--   (7 to 40 hex characters), or a pull request (#N in the same repository, owner/repo#N
--   elsewhere; at most 9 digits, a longer number is a ticket or log id, not a pull request) in
--   its change set; an issue's owner/repo#N names a repository of its own source, an incident
--   tool's (which has no repositories) one of any source; the latest such deployment that
--   finished at or before the incident was created. revert, then rollback: otherwise, the
--   incident's fix: the latest deployment of the same team that had finished when the
--   incident was created and that a revert or a rollback (staging.int_deployment_remediations)
--   undid while the incident was open. time_window: otherwise, the latest production
--   deployment of any repository of the same team that finished within
--   incident_link_window_hours before the incident was created. None of the last three when
--   the title or text names a change Candor knows (a pull request, or a commit of a pull
--   request or of any deployment) that no production deployment had shipped before the
--   incident: the reporter said which change it was, and it was not in production, so the
--   incident stays unlinked rather than blaming a fix or whatever deployed last. A release
--   reaches each production environment (prod-eu, prod-us) as a deployment of its own: the
--   method that linked the incident also links, in each other production environment of the
--   same repository, its latest deployment found by that method (by time window only one of
--   the same sha), so a two-region release fails in both regions (linked_deployments).
--   Otherwise unlinked: not every incident comes from a deployment. A near miss (staging.int_near_misses: the near-miss rule) is kept, but
--   linked to no deployment and counted in no incident figure: it was caught before it hurt
--   anyone. An issue that records an incident tool's incident again (its notes or title name
--   the issue: staging.int_duplicate_incidents) is kept with duplicate_of_id, linked to nothing
--   and counted in no incident figure: the event counts once, as the incident tool's record.
--   An incident on a service no team owns is in no row (the check
--   incidents__every_service_owned lists them).
-- grain: one row per (source, incident_id)
-- materialized: table
-- columns:
--   team: team that owns the issue's repository or the incident's service
--     (staging.stg_scope_owners)
--   source: where the incident was recorded: github, pagerduty (later gitlab)
--   incident_id: the incident's id within its source: owner/repo#N for a GitHub issue,
--     <service id>#N for a PagerDuty incident
--   repo: repository of the issue; the service id of a PagerDuty incident
--   number: issue number; the PagerDuty incident number
--   title: issue or incident title
--   labels: label names as GitHub reports them; empty for PagerDuty
--   raised_by: person or monitoring, as an incident tool records it; NULL for GitHub issues
--   created_at: when the issue was opened or the incident triggered (UTC); the period it
--     belongs to
--   closed_at: when it was closed (UTC); NULL while open
--   acknowledged_at: first acknowledgement in the incident tool (UTC); NULL for GitHub issues
--     and when never acknowledged
--   time_to_acknowledge_hours: acknowledged_at - created_at in hours; NULL without an
--     acknowledgement
--   is_open: true while the issue is not closed
--   time_to_restore_hours: closed_at - created_at in hours (classic time to restore, every
--     incident); NULL while open or when negative
--   linked_source: source of the linked deployment's repository; NULL when unlinked
--   linked_repo: repository of the linked deployment; NULL when unlinked
--   linked_environment: production environment of the linked deployment
--   linked_deployment_id: the deployment the incident is linked to: the latest of those it
--     marks as failed; NULL when unlinked
--   linked_deployment_finished_at: finish time of the linked deployment (UTC)
--   linked_deployments: every deployment the incident marks as failed, one per production
--     environment of the release (environment, deployment_id, finished_at, evidence), by
--     finish; the last is linked_deployment_id; empty when unlinked
--   link_method: explicit, revert, rollback or time_window; NULL when unlinked
--   is_change_related: true when linked to a deployment (the incident counts towards change
--     failure and failed deployment recovery); false for unlinked incidents and near misses
--   time_to_detect_hours: created_at - linked_deployment_finished_at in hours: how long the
--     failure went unnoticed; NULL when unlinked
--   is_near_miss: true when the near-miss rule calls it a near miss (never linked; not in the
--     incident counts or time to restore)
--   duplicate_of_source: for an issue that records an incident tool's incident again, that
--     incident's source (pagerduty); NULL otherwise
--   duplicate_of_id: that incident's incident_id; NULL otherwise
--   link_evidence: what matched for linked_deployment_id: 'sha <hex>', 'pull request
--     owner/repo#N', the revert or rollback that undid the deployment, or the gap in hours
--     for a time-window link; for a duplicate, the incident it repeats; for a near miss,
--     which part of the rule matched; for an unlinked incident whose title or text names a
--     change not shipped to production, which change (why nothing else was tried); else NULL
with issues as (
    select * rename (number as issue_number) from staging.stg_issues
),

owners as (
    select team, source, repo, scope_kind from staging.stg_scope_owners
),

settings as (
    select * from staging.stg_meta_settings
),

near_misses as (
    select * from staging.int_near_misses
),

duplicates as (
    select * from staging.int_duplicate_incidents
),

deployments as (
    select * from staging.int_production_deployments
),

pull_requests as (
    select source, repo, number as pr_number, reference_marker
    from staging.stg_change_requests
),

reference_markers as (
    -- how each source writes a change request: GitHub #N, GitLab !N (staging says)
    select distinct source, reference_marker from pull_requests
),

known_commits as (
    -- every commit Candor has seen: deployed to any environment (or by a deploy run or a
    -- release), or on a pull request. Repeats are kept (union all): they only join the few
    -- named shas, whose evidence is then reduced by min(); making 620k shas distinct first
    -- was a quarter of this model's time at 100x the demo.
    select sha from staging.stg_deployments
    union all
    select sha from staging.int_production_deployment_attempts
    union all
    select sha from staging.stg_change_request_commits
    union all
    select merge_commit_sha from staging.stg_change_requests
    where merge_commit_sha is not null
),

change_set_commits as (
    select * from staging.int_deployment_change_set_commits
),

change_set_prs as (
    select * from staging.int_deployment_change_set_pull_requests
),

remediations as (
    -- a revert or a rollback names the deployment it undid (found from the deployments alone)
    select * from staging.int_deployment_remediations
    where failure_method in ('revert', 'rollback')
),

incident_issues as (
    select owners.team, issues.*,
        -- an issue tracker's owner/repo#N names a repository of its own source; an incident
        -- tool's service holds no changes, so its reference may name a repository of any
        -- source
        case when owners.scope_kind = 'service' then null else issues.source end as ref_source,
        near_misses.near_miss_matched_by,
        duplicates.kept_source as duplicate_of_source,
        duplicates.kept_incident_id as duplicate_of_id
    from issues
    join owners
        on owners.source = issues.source
        and owners.repo = issues.repo
    left join near_misses
        on near_misses.source = issues.source
        and near_misses.repo = issues.repo
        and near_misses.number = issues.issue_number
    left join duplicates
        on duplicates.source = issues.source
        and duplicates.repo = issues.repo
        and duplicates.number = issues.issue_number
    cross join settings
    where coalesce(issues.is_incident, false)
        or list_has_any(list_transform(issues.labels, lambda l: lower(l)), settings.incident_labels)
),

linkable_issues as (
    -- a near miss was caught before it hurt anyone: it fails no deployment; an issue that
    -- records an incident tool's incident again is linked through that incident, once
    select * from incident_issues
    where near_miss_matched_by is null and duplicate_of_id is null
),

sha_references as (
    select source, repo, issue_number, created_at,
        unnest(regexp_extract_all(
            lower(coalesce(title, '') || ' ' || coalesce(body, '')), '\b[0-9a-f]{7,40}\b'
        )) as ref_sha
    from linkable_issues
),

pr_references as (
    -- #N or !N (staging.int_record_references): the marker says which sources' change
    -- requests it names (reference_markers), a path before it the repository
    select linkable_issues.source, linkable_issues.repo, linkable_issues.issue_number,
        linkable_issues.created_at, reference_markers.source as marker_source,
        refs.marker as ref_marker,
        coalesce(refs.ref_repo, linkable_issues.repo) as ref_repo,
        refs.ref_number
    from linkable_issues
    join staging.int_record_references as refs
        on refs.source = linkable_issues.source
        and refs.repo = linkable_issues.repo
        and refs.number = linkable_issues.issue_number
    join reference_markers
        on reference_markers.reference_marker = refs.marker
        -- an issue tracker's reference names a change of its own source
        and reference_markers.source
            = coalesce(linkable_issues.ref_source, reference_markers.source)
),

explicit_candidates as (
    -- the deployed sha itself (a sha names a commit whatever the source)
    select sha_references.source, sha_references.repo, sha_references.issue_number,
        deployments.source as linked_source, deployments.repo as linked_repo,
        deployments.deployment_id, deployments.finished_at,
        'sha ' || sha_references.ref_sha as evidence
    from sha_references
    join deployments
        -- the 7-character prefix is an equality key, so the join is hashed, not nested
        on left(deployments.sha, 7) = left(sha_references.ref_sha, 7)
        and starts_with(deployments.sha, sha_references.ref_sha)
    where deployments.finished_at <= sha_references.created_at
    union all
    -- a commit of the change set
    select sha_references.source, sha_references.repo, sha_references.issue_number,
        change_set_commits.source, change_set_commits.repo, change_set_commits.deployment_id, change_set_commits.finished_at,
        'sha ' || sha_references.ref_sha
    from sha_references
    join change_set_commits
        on left(change_set_commits.sha, 7) = left(sha_references.ref_sha, 7)
        and starts_with(change_set_commits.sha, sha_references.ref_sha)
    where change_set_commits.finished_at <= sha_references.created_at
    union all
    -- a pull request of the change set: #N is in the issue's repository, owner/repo#N in
    -- another repository of the issue's source
    select pr_references.source, pr_references.repo, pr_references.issue_number,
        change_set_prs.source, change_set_prs.repo, change_set_prs.deployment_id, change_set_prs.finished_at,
        case pr_references.ref_marker when '!' then 'merge request ' else 'pull request ' end
            || change_set_prs.repo || pr_references.ref_marker || change_set_prs.pr_number
    from pr_references
    join change_set_prs
        on change_set_prs.source = pr_references.marker_source
        and change_set_prs.repo = pr_references.ref_repo
        and change_set_prs.pr_number = pr_references.ref_number
    where change_set_prs.finished_at <= pr_references.created_at
),

unshipped_references as (
    -- the body names a known change, and no production deployment had shipped it
    select source, repo, issue_number, min(evidence) as evidence
    from (
        select pr_references.source, pr_references.repo, pr_references.issue_number,
            case pr_references.ref_marker when '!' then 'merge request ' else 'pull request '
            end || pr_references.ref_repo || pr_references.ref_marker
                || pr_references.ref_number as evidence
        from pr_references
        join pull_requests
            on pull_requests.source = pr_references.marker_source
            and pull_requests.repo = pr_references.ref_repo
            and pull_requests.pr_number = pr_references.ref_number
        union all
        select sha_references.source, sha_references.repo, sha_references.issue_number,
            'sha ' || sha_references.ref_sha
        from sha_references
        join known_commits
            on left(known_commits.sha, 7) = left(sha_references.ref_sha, 7)
            and starts_with(known_commits.sha, sha_references.ref_sha)
    ) as named
    where not exists (
        select 1 from explicit_candidates
        where explicit_candidates.source = named.source
            and explicit_candidates.repo = named.repo
            and explicit_candidates.issue_number = named.issue_number
    )
    group by source, repo, issue_number
),

remediation_candidates as (
    -- the incident's fix: a revert or a rollback of a deployment of the same team that had
    -- finished when the incident was created, shipped while the incident was open
    select linkable_issues.source, linkable_issues.repo, linkable_issues.issue_number,
        remediations.source as linked_source, remediations.repo as linked_repo,
        remediations.deployment_id, remediations.finished_at,
        remediations.evidence || ', while the incident was open' as evidence,
        remediations.failure_method as link_method
    from linkable_issues
    join remediations
        on remediations.team = linkable_issues.team
        and remediations.finished_at <= linkable_issues.created_at
        and remediations.remediating_finished_at >= linkable_issues.created_at
        and (linkable_issues.closed_at is null
            or remediations.remediating_finished_at <= linkable_issues.closed_at)
),

window_candidates as (
    select linkable_issues.source, linkable_issues.repo, linkable_issues.issue_number,
        deployments.source as linked_source, deployments.repo as linked_repo,
        deployments.deployment_id, deployments.finished_at,
        'finished ' || round(
            (epoch(linkable_issues.created_at) - epoch(deployments.finished_at)) / 3600.0, 2
        ) || ' h before the incident' as evidence
    from linkable_issues
    cross join settings
    join deployments
        on deployments.team = linkable_issues.team
        and deployments.finished_at <= linkable_issues.created_at
        and epoch(linkable_issues.created_at) - epoch(deployments.finished_at)
            <= settings.incident_link_window_hours * 3600
),

links as (
    -- in this order: what the reporter named, what the fix undid, then nearness
    select *, 'explicit' as link_method, 1 as method_rank from explicit_candidates
    union all
    select * exclude (link_method), link_method,
        case link_method when 'revert' then 2 else 3 end
    from remediation_candidates
    union all
    select *, 'time_window', 4 from window_candidates
),

inferred_links as (
    -- a change named in the text that no production deployment had shipped: the reporter
    -- said which change it was, and it was not in production, so no fix or nearness is
    -- read as its cause
    select links.*, deployments.environment, deployments.sha
    from links
    join deployments
        on deployments.source = links.linked_source
        and deployments.repo = links.linked_repo
        and deployments.deployment_id = links.deployment_id
    where links.method_rank = 1 or not exists (
        select 1 from unshipped_references
        where unshipped_references.source = links.source
            and unshipped_references.repo = links.repo
            and unshipped_references.issue_number = links.issue_number
    )
),

best_links as (
    -- the first method that found a deployment; then the latest deployment
    select * from inferred_links
    qualify row_number() over (
        partition by source, repo, issue_number
        order by method_rank, finished_at desc, deployment_id desc, evidence
    ) = 1
),

release_links as (
    -- a release reaches each production environment as a deployment of its own: the best
    -- link's method also links, in every other production environment of the same
    -- repository, its latest deployment found by that method (for the time window, only a
    -- deployment of the same sha: being near in time says nothing of another environment)
    select inferred_links.*
    from inferred_links
    join best_links
        on best_links.source = inferred_links.source
        and best_links.repo = inferred_links.repo
        and best_links.issue_number = inferred_links.issue_number
        and best_links.method_rank = inferred_links.method_rank
        and best_links.linked_source = inferred_links.linked_source
        and best_links.linked_repo = inferred_links.linked_repo
        and (best_links.link_method <> 'time_window' or best_links.sha = inferred_links.sha)
    qualify row_number() over (
        partition by inferred_links.source, inferred_links.repo, inferred_links.issue_number,
            inferred_links.environment
        order by inferred_links.finished_at desc, inferred_links.deployment_id desc,
            inferred_links.evidence
    ) = 1
),

release_summary as (
    select source, repo, issue_number,
        list({
            'environment': environment, 'deployment_id': deployment_id,
            'finished_at': finished_at, 'evidence': evidence
        } order by finished_at, deployment_id) as linked_deployments
    from release_links
    group by source, repo, issue_number
),

final as (
    select
        -- identity
        incident_issues.team,
        incident_issues.source,
        incident_issues.repo || '#' || incident_issues.issue_number as incident_id,
        incident_issues.repo,
        incident_issues.issue_number as number,
        incident_issues.title,
        incident_issues.labels,
        incident_issues.raised_by,
        -- timing
        incident_issues.created_at,
        incident_issues.closed_at,
        incident_issues.acknowledged_at,
        case when incident_issues.acknowledged_at >= incident_issues.created_at then
            (epoch(incident_issues.acknowledged_at) - epoch(incident_issues.created_at)) / 3600.0
        end as time_to_acknowledge_hours,
        incident_issues.closed_at is null as is_open,
        case when incident_issues.closed_at >= incident_issues.created_at then
            (epoch(incident_issues.closed_at) - epoch(incident_issues.created_at)) / 3600.0
        end as time_to_restore_hours,
        -- link to the failed deployment
        best_links.linked_source,
        best_links.linked_repo,
        best_links.environment as linked_environment,
        best_links.deployment_id as linked_deployment_id,
        best_links.finished_at as linked_deployment_finished_at,
        coalesce(release_summary.linked_deployments, []) as linked_deployments,
        best_links.link_method,
        best_links.deployment_id is not null as is_change_related,
        (epoch(incident_issues.created_at) - epoch(best_links.finished_at)) / 3600.0
            as time_to_detect_hours,
        coalesce(
            best_links.evidence,
            'the same incident as ' || incident_issues.duplicate_of_source || ' '
                || incident_issues.duplicate_of_id || ', which is linked and counted instead',
            'near miss (by its ' || incident_issues.near_miss_matched_by
                || '): it fails no deployment',
            'names ' || unshipped_references.evidence || ', which no production deployment '
                || 'had shipped before the incident: not linked by its fix or the time window'
        ) as link_evidence,
        incident_issues.near_miss_matched_by is not null as is_near_miss,
        incident_issues.duplicate_of_source,
        incident_issues.duplicate_of_id
    from incident_issues
    left join best_links
        on best_links.source = incident_issues.source
        and best_links.repo = incident_issues.repo
        and best_links.issue_number = incident_issues.issue_number
    left join release_summary
        on release_summary.source = incident_issues.source
        and release_summary.repo = incident_issues.repo
        and release_summary.issue_number = incident_issues.issue_number
    left join unshipped_references
        on unshipped_references.source = incident_issues.source
        and unshipped_references.repo = incident_issues.repo
        and unshipped_references.issue_number = incident_issues.issue_number
)

select * from final
