-- staging.int_deployment_remediations: Production deployments that a later deployment of the
--   same chain remediated, one row per piece of evidence: the failures found from the
--   deployments alone, before any incident is read (marts.incidents reads them to link an
--   incident whose fix was a revert or a rollback). rollback: a later deployment of the same
--   chain redeployed an older sha (not the immediately previous one), or deployed an ancestor
--   of the previous deployment's sha that was never deployed itself (the compare says
--   "behind": redeploying the last green build), so the deployment just before it failed.
--   revert: a later deployment's change set holds a commit whose message matches
--   revert_message_regex (or a pull request titled per revert_title_regex whose commits do)
--   naming a sha this deployment was the latest of its chain to ship; or a later deployment
--   carries a revert pull request whose body names (revert_body_regex) a pull request this
--   deployment was the latest of its chain to carry. hotfix: the next deployment of the chain
--   carries a hotfix pull request.
-- grain: one row per (source, repo, deployment_id, failure_method, evidence)
-- materialized: table
-- columns:
--   team: team that owns the repository (meta.team_repos)
--   repo: repository full name, owner/name
--   environment: production environment of the failed deployment
--   deployment_id: the failed deployment
--   finished_at: finish time of the failed deployment (UTC)
--   failure_method: rollback, revert or hotfix
--   link_method: the same as failure_method (provenance, as marts.deployment_failures says it)
--   remediating_deployment_id: rollback, revert or hotfix deployment that marked this one
--     failed
--   remediating_finished_at: finish time of the remediating deployment (UTC)
--   reverted_sha: sha prefix named by the revert (for a revert found by its pull request
--     body: the reverted pull request's merge commit); NULL unless failure_method = revert
--   evidence: what matched, in words
with deployments as (
    select * from staging.int_production_deployments
),

change_set_commits as (
    select * from staging.int_deployment_change_set_commits
),

change_set_prs as (
    select * from staging.int_deployment_change_set_pull_requests
),

pull_commits as (
    select * rename (change_number as pr_number) from staging.stg_change_request_commits
),

compares as (
    select * from staging.stg_deployment_compares
),

rollbacks as (
    select
        previous.team, previous.source, previous.repo, previous.environment,
        previous.deployment_id, previous.finished_at,
        'rollback' as failure_method, 'rollback' as link_method,
        rollback_deployment.deployment_id as remediating_deployment_id,
        rollback_deployment.finished_at as remediating_finished_at,
        null as reverted_sha,
        'deployment ' || rollback_deployment.deployment_id || ' redeployed '
            || left(rollback_deployment.sha, 12) || ' of deployment ' || earlier.deployment_id
            as evidence
    from deployments as rollback_deployment
    join deployments as previous
        on previous.source = rollback_deployment.source
        and previous.repo = rollback_deployment.repo
        and previous.deployment_id = rollback_deployment.previous_deployment_id
    join deployments as earlier
        on earlier.source = rollback_deployment.source
        and earlier.repo = rollback_deployment.repo
        and earlier.environment = rollback_deployment.environment
        and earlier.sha = rollback_deployment.sha
        and earlier.chain_position < previous.chain_position
    where rollback_deployment.sha <> previous.sha
    qualify row_number() over (
        partition by rollback_deployment.source, rollback_deployment.repo,
            rollback_deployment.deployment_id
        order by earlier.chain_position desc
    ) = 1
),

ancestor_rollbacks as (
    -- the deployment went backwards to a commit no deployment of the chain had shipped: compare
    -- of the previous deployment's sha with this one's is "behind" (an ancestor); a redeploy of
    -- an earlier deployment's exact sha is the rollback above, not counted twice
    select
        previous.team, previous.source, previous.repo, previous.environment,
        previous.deployment_id, previous.finished_at,
        'rollback', 'rollback',
        rollback_deployment.deployment_id,
        rollback_deployment.finished_at,
        null,
        'deployment ' || rollback_deployment.deployment_id || ' deployed '
            || left(rollback_deployment.sha, 12) || ', an ancestor of deployment '
            || previous.deployment_id || ' sha ' || left(previous.sha, 12) || ' ('
            || compares.behind_by || ' commits behind)'
    from deployments as rollback_deployment
    join deployments as previous
        on previous.source = rollback_deployment.source
        and previous.repo = rollback_deployment.repo
        and previous.deployment_id = rollback_deployment.previous_deployment_id
    join compares
        on compares.source = rollback_deployment.source
        and compares.repo = rollback_deployment.repo
        and compares.deployment_id = rollback_deployment.deployment_id
        and compares.base_sha = previous.sha
    where compares.status = 'behind'
        and rollback_deployment.sha <> previous.sha
        and not exists (
            select 1 from rollbacks
            where rollbacks.source = rollback_deployment.source
                and rollbacks.repo = rollback_deployment.repo
                and rollbacks.remediating_deployment_id = rollback_deployment.deployment_id
        )
),

revert_references as (
    -- the rule is read as a constant (getvariable: compiled once, not per row); a message
    -- that does not match gives an empty list, and unnest no row
    -- a reverting commit in the change set
    select change_set_commits.source, change_set_commits.repo, change_set_commits.environment,
        change_set_commits.deployment_id, change_set_commits.finished_at,
        unnest(regexp_extract_all(
            change_set_commits.message, getvariable('stg_meta_settings').revert_message_regex, 1
        )) as reverted_sha,
        'commit ' || left(change_set_commits.sha, 12) as reverted_by
    from change_set_commits
    union all
    -- a revert pull request in the change set whose own commits name the reverted sha
    select change_set_prs.source, change_set_prs.repo, change_set_prs.environment,
        change_set_prs.deployment_id, change_set_prs.finished_at,
        unnest(regexp_extract_all(
            pull_commits.message, getvariable('stg_meta_settings').revert_message_regex, 1
        )),
        'pull request #' || change_set_prs.pr_number
    from change_set_prs
    join pull_commits
        on pull_commits.source = change_set_prs.source
        and pull_commits.repo = change_set_prs.repo
        and pull_commits.pr_number = change_set_prs.pr_number
    where change_set_prs.is_revert
),

reverts as (
    select
        reverted.team, reverted.source, reverted.repo, reverted.environment,
        reverted.deployment_id, reverted.finished_at,
        'revert', 'revert',
        revert_references.deployment_id,
        revert_references.finished_at,
        lower(revert_references.reverted_sha),
        revert_references.reverted_by || ' reverts ' || lower(revert_references.reverted_sha)
    from revert_references
    join change_set_commits as reverted
        on reverted.source = revert_references.source
        and reverted.repo = revert_references.repo
        and reverted.environment = revert_references.environment
        and left(reverted.sha, 7) = left(lower(revert_references.reverted_sha), 7)
        and starts_with(reverted.sha, lower(revert_references.reverted_sha))
        and reverted.finished_at < revert_references.finished_at
    where length(revert_references.reverted_sha) >= 7
    -- after a rollback a commit can ship twice: the latest shipment is the one reverted
    qualify row_number() over (
        partition by revert_references.source, revert_references.repo,
            revert_references.deployment_id, revert_references.reverted_sha,
            revert_references.reverted_by
        order by reverted.finished_at desc, reverted.deployment_id desc
    ) = 1
),

body_reverts as (
    -- a revert pull request whose body names the reverted pull request (GitHub's "Reverts
    -- owner/repo#N"), whether or not its commits say which sha they revert
    select
        reverted.team, reverted.source, reverted.repo, reverted.environment,
        reverted.deployment_id, reverted.finished_at,
        'revert', 'revert',
        revert_prs.deployment_id,
        revert_prs.finished_at,
        reverted.merge_commit_sha,
        'pull request #' || revert_prs.pr_number || ' reverts pull request #'
            || reverted.pr_number || ' (named in its body)'
    from change_set_prs as revert_prs
    join change_set_prs as reverted
        on reverted.source = revert_prs.source
        and reverted.repo = revert_prs.repo
        and reverted.environment = revert_prs.environment
        and reverted.pr_number = revert_prs.reverted_pr_number
        and reverted.finished_at < revert_prs.finished_at
    where revert_prs.is_revert
    -- after a rollback a pull request can ship twice: the latest shipment is the one reverted
    qualify row_number() over (
        partition by revert_prs.source, revert_prs.repo, revert_prs.deployment_id,
            revert_prs.pr_number
        order by reverted.finished_at desc, reverted.deployment_id desc
    ) = 1
),

hotfixes as (
    select
        previous.team, previous.source, previous.repo, previous.environment,
        previous.deployment_id, previous.finished_at,
        'hotfix', 'hotfix',
        hotfix.deployment_id,
        hotfix.finished_at,
        null,
        'deployment ' || hotfix.deployment_id || ' carries hotfix pull request #'
            || change_set_prs.pr_number || ' (' || change_set_prs.hotfix_reason || ')'
    from change_set_prs
    join deployments as hotfix
        on hotfix.source = change_set_prs.source
        and hotfix.repo = change_set_prs.repo
        and hotfix.deployment_id = change_set_prs.deployment_id
    join deployments as previous
        on previous.source = hotfix.source
        and previous.repo = hotfix.repo
        and previous.deployment_id = hotfix.previous_deployment_id
    where change_set_prs.is_hotfix
),

unioned as (
    select * from rollbacks
    union all
    select * from ancestor_rollbacks
    union all
    select * from reverts
    union all
    select * from body_reverts
    union all
    select * from hotfixes
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
        cast(reverted_sha as varchar) as reverted_sha,
        evidence
    from unioned
)

select * from final
