-- marts.deployments: Production deployments: successful deployments to an environment the
--   repository's rule calls production, timed by their first success status, with their
--   change set, whether and why they failed, how long recovery took, and whether they were
--   rework. Failed deploy attempts (failure or error and no success) are not deployments and
--   are not here.
-- grain: one row per (source, repo, deployment_id)
-- materialized: table
-- columns:
--   team: team that owns the repository (meta.team_repos)
--   source: where the repository lives: github (later gitlab); with repo, the repository
--   repo: repository full name, owner/name
--   environment: production environment name; repo and environment form one chain
--   deployment_id: the source's deployment id (GitHub: deployment, workflow run or release
--     id, per the repository's deployment signal)
--   sha: deployed commit sha, lowercase
--   ref: branch, tag or sha the deployment was requested for
--   creator_login: GitHub login of the person or app that created the deployment
--   created_at: when the deployment was requested (UTC)
--   finished_at: deploy time: the first success status (UTC); decides the period
--   chain_position: 1 for the first deployment of the chain, then 2, 3, ...
--   previous_deployment_id: the immediately previous deployment of the chain
--   is_first_of_chain: true for the chain's first deployment: no change set, nothing
--     attributed to it
--   change_set_size: commits in the change set (compare previous deployment's sha ... sha)
--   change_set_pull_requests: merged pull requests whose merge commit is in the change set
--   change_set_direct_pushes: change-set commits that belong to no merged pull request
--   change_set_base_mismatch: true when the connector's change set was compared against a
--     sha other than the previous deployment's (data quality)
--   change_set_unknown_reason: why the change set is unknown (GitHub refused the compare,
--     e.g. 404 "no common ancestor" after a history rewrite): change_set_size is then 0 and
--     the pull requests merged in that range count as not shipped; NULL when known
--   is_failed: true when at least one failure rule applies (marts.deployment_failures)
--   failure_methods: sorted distinct failure methods: incident, revert, rollback, hotfix
--   failure_link_methods: sorted distinct provenance of the links: explicit, time_window,
--     rollback, revert, hotfix
--   linked_incidents: incidents linked to this deployment
--   remediated_by_deployment_id: first rollback, revert or hotfix deployment (by finish
--     time) that marked this deployment failed
--   detected_at: for a failed deployment, when the failure was detected: the earliest linked
--     incident's creation, else the deployment's finish (UTC)
--   recovered_at: finish of the first remediating deployment, else (when every linked
--     incident is closed) the latest linked incident's close (UTC); NULL while unrecovered
--   recovery_hours: failed deployment recovery time, recovered_at - detected_at in hours;
--     NULL while unrecovered or when negative
--   recovery_negative_span: true when recovered_at was before detected_at (an incident
--     filed after the remediation); recovery_hours is then NULL
--   is_rework: true for a rollback, revert, hotfix or fix-forward deployment
--   rework_reasons: sorted reasons: fix_forward (finished while an incident linked to an
--     earlier deployment of the same repository was open), hotfix, revert, rollback
with deployments as (
    select * from staging.int_production_deployments
),

change_set_commits as (
    select * from staging.int_deployment_change_set_commits
),

failures as (
    select * from marts.deployment_failures
),

incidents as (
    select * from marts.incidents
),

compares as (
    select * from staging.stg_deployment_compares
),

change_sets as (
    select
        source,
        repo,
        deployment_id,
        count(*) as change_set_size,
        count(distinct pr_number) filter (where pr_link = 'merge_commit')
            as change_set_pull_requests,
        count(*) filter (where is_direct_push) as change_set_direct_pushes,
        bool_or(not base_matches_chain) as change_set_base_mismatch
    from change_set_commits
    group by source, repo, deployment_id
),

failure_summary as (
    select
        source,
        repo,
        deployment_id,
        list_sort(list_distinct(list(failure_method))) as failure_methods,
        list_sort(list_distinct(list(link_method))) as failure_link_methods,
        count(*) filter (where failure_method = 'incident') as linked_incidents,
        arg_min(remediating_deployment_id, remediating_finished_at)
            as remediated_by_deployment_id,
        min(remediating_finished_at) as first_remediation_at
    from failures
    group by source, repo, deployment_id
),

incident_times as (
    -- every deployment an incident fails (one per production environment of the release)
    select
        failures.source,
        failures.repo,
        failures.deployment_id,
        min(incidents.created_at) as first_incident_at,
        -- NULL while any linked incident is open
        case when bool_and(not incidents.is_open) then max(incidents.closed_at) end
            as last_incident_closed_at
    from failures
    join incidents
        on incidents.source = failures.incident_source
        and incidents.incident_id = failures.incident_id
    where failures.failure_method = 'incident'
    group by failures.source, failures.repo, failures.deployment_id
),

remediations as (
    select distinct source, repo, remediating_deployment_id as deployment_id,
        failure_method as reason
    from failures
    where remediating_deployment_id is not null
),

fix_forwards as (
    -- linked_deployment_finished_at is the latest of the release's deployments, so a
    -- deployment of the release itself is never its own fix-forward
    select distinct deployments.source, deployments.repo, deployments.deployment_id,
        'fix_forward' as reason
    from deployments
    join incidents
        on incidents.linked_source = deployments.source
        and incidents.linked_repo = deployments.repo
        and incidents.linked_deployment_finished_at < deployments.finished_at
        and incidents.created_at <= deployments.finished_at
        and (incidents.closed_at is null or deployments.finished_at <= incidents.closed_at)
),

rework as (
    select source, repo, deployment_id, list_sort(list_distinct(list(reason))) as rework_reasons
    from (select * from remediations union all by name select * from fix_forwards)
    group by source, repo, deployment_id
),

recovery as (
    select
        failure_summary.source,
        failure_summary.repo,
        failure_summary.deployment_id,
        coalesce(incident_times.first_incident_at, deployments.finished_at) as detected_at,
        coalesce(failure_summary.first_remediation_at, incident_times.last_incident_closed_at)
            as recovered_at
    from failure_summary
    join deployments
        on deployments.source = failure_summary.source
        and deployments.repo = failure_summary.repo
        and deployments.deployment_id = failure_summary.deployment_id
    left join incident_times
        on incident_times.source = failure_summary.source
        and incident_times.repo = failure_summary.repo
        and incident_times.deployment_id = failure_summary.deployment_id
),

final as (
    select
        -- identity
        deployments.team,
        deployments.source,
        deployments.repo,
        deployments.environment,
        deployments.deployment_id,
        deployments.sha,
        deployments.ref,
        deployments.creator_login,
        -- timing
        deployments.created_at,
        deployments.finished_at,
        -- chain and change set
        deployments.chain_position,
        deployments.previous_deployment_id,
        deployments.is_first_of_chain,
        coalesce(change_sets.change_set_size, 0) as change_set_size,
        coalesce(change_sets.change_set_pull_requests, 0) as change_set_pull_requests,
        coalesce(change_sets.change_set_direct_pushes, 0) as change_set_direct_pushes,
        coalesce(change_sets.change_set_base_mismatch, false) as change_set_base_mismatch,
        case when not compares.change_set_known then
            coalesce(compares.unknown_reason, 'compare refused')
        end as change_set_unknown_reason,
        -- failure
        failure_summary.deployment_id is not null as is_failed,
        coalesce(failure_summary.failure_methods, []) as failure_methods,
        coalesce(failure_summary.failure_link_methods, []) as failure_link_methods,
        coalesce(failure_summary.linked_incidents, 0) as linked_incidents,
        failure_summary.remediated_by_deployment_id,
        -- recovery
        recovery.detected_at,
        recovery.recovered_at,
        case when recovery.recovered_at >= recovery.detected_at then
            (epoch(recovery.recovered_at) - epoch(recovery.detected_at)) / 3600.0
        end as recovery_hours,
        coalesce(recovery.recovered_at < recovery.detected_at, false) as recovery_negative_span,
        -- rework
        rework.deployment_id is not null as is_rework,
        coalesce(rework.rework_reasons, []) as rework_reasons
    from deployments
    left join change_sets
        on change_sets.source = deployments.source
        and change_sets.repo = deployments.repo
        and change_sets.deployment_id = deployments.deployment_id
    left join compares
        on compares.source = deployments.source
        and compares.repo = deployments.repo
        and compares.deployment_id = deployments.deployment_id
    left join failure_summary
        on failure_summary.source = deployments.source
        and failure_summary.repo = deployments.repo
        and failure_summary.deployment_id = deployments.deployment_id
    left join recovery
        on recovery.source = deployments.source
        and recovery.repo = deployments.repo
        and recovery.deployment_id = deployments.deployment_id
    left join rework
        on rework.source = deployments.source
        and rework.repo = deployments.repo
        and rework.deployment_id = deployments.deployment_id
)

select * from final
