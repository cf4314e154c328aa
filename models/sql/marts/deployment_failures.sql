-- marts.deployment_failures: Why a production deployment counts as failed, one row per piece
--   of evidence. rollback, revert and hotfix: a later deployment of the same chain remediated
--   it (staging.int_deployment_remediations says how: a redeploy of an older sha or of an
--   ancestor, a revert of a change it was the latest to ship, a hotfix in the next
--   deployment). incident: an incident is linked to it (marts.incidents: explicit, revert,
--   rollback or time_window); an incident linked to a release fails its deployment in every
--   production environment the release reached.
-- grain: one row per (source, repo, deployment_id, failure_method, evidence)
-- materialized: table
-- columns:
--   team: team that owns the repository (meta.team_repos)
--   repo: repository full name, owner/name
--   environment: production environment of the failed deployment
--   deployment_id: the failed deployment
--   finished_at: finish time of the failed deployment (UTC)
--   failure_method: rollback, revert, hotfix or incident
--   link_method: provenance of the link: rollback, revert, hotfix, or for incidents the
--     incident's link_method (explicit, revert, rollback or time_window)
--   remediating_deployment_id: rollback, revert or hotfix deployment that marked this one
--     failed; NULL for incidents
--   remediating_finished_at: finish time of the remediating deployment (UTC)
--   incident_source: source of the linked incident (marts.incidents); NULL unless
--     failure_method = incident
--   incident_id: id of the linked incident within its source; with incident_source, its key
--   incident_repo: repository of the linked incident; NULL unless failure_method = incident
--   incident_number: issue number of the linked incident
--   reverted_sha: sha prefix named by the revert (for a revert found by its pull request
--     body: the reverted pull request's merge commit); NULL unless failure_method = revert
--   evidence: what matched, in words
with remediations as (
    -- rollback, revert and hotfix: found from the deployments alone
    select * from staging.int_deployment_remediations
),

deployments as (
    select * from staging.int_production_deployments
),

incident_links as (
    -- an incident fails every deployment it is linked to: one per production environment of
    -- the release (marts.incidents.linked_deployments)
    select incidents.source as incident_source, incidents.incident_id,
        incidents.repo as incident_repo, incidents.number as incident_number,
        incidents.link_method, incidents.linked_source, incidents.linked_repo,
        unnest(incidents.linked_deployments) as linked
    from marts.incidents as incidents
    where incidents.linked_deployment_id is not null
),

incident_failures as (
    select
        deployments.team, deployments.source, deployments.repo, deployments.environment,
        deployments.deployment_id, deployments.finished_at,
        'incident' as failure_method, incident_links.link_method,
        null as remediating_deployment_id, null as remediating_finished_at,
        incident_links.incident_source, incident_links.incident_id,
        incident_links.incident_repo, incident_links.incident_number, null as reverted_sha,
        'incident ' || incident_links.incident_id || ' linked by '
            || incident_links.link_method || ': ' || incident_links.linked.evidence as evidence
    from incident_links
    join deployments
        on deployments.source = incident_links.linked_source
        and deployments.repo = incident_links.linked_repo
        and deployments.deployment_id = incident_links.linked.deployment_id
),

unioned as (
    select * from remediations
    union all by name
    select * from incident_failures
),

final as (
    select
        -- failed deployment
        team,
        source,
        repo,
        environment,
        deployment_id,
        finished_at,
        -- why it failed
        failure_method,
        link_method,
        cast(remediating_deployment_id as bigint) as remediating_deployment_id,
        cast(remediating_finished_at as timestamptz) as remediating_finished_at,
        cast(incident_source as varchar) as incident_source,
        cast(incident_id as varchar) as incident_id,
        cast(incident_repo as varchar) as incident_repo,
        cast(incident_number as integer) as incident_number,
        cast(reverted_sha as varchar) as reverted_sha,
        evidence
    from unioned
)

select * from final
