-- staging.int_production_deployment_attempts: Every production deployment attempt of a team's
--   repository, from the repository's deployment signal (meta.repo_deployment_signals; a
--   repository without a row uses environment), with its outcome: 'deployed' (counts as a
--   production deployment, finished at finished_at), 'failed_attempt' (counted separately,
--   never a deployment) or 'pending' (neither yet; ignored by the metrics).
--   - environment: a GitHub deployment whose environment matches the repository's
--     production_environment_regex; deployed at its first success status, failed when it has a
--     failure or error status and no success. 'inactive' is never a failure.
--   - workflow: an Actions run whose workflow name or path matches workflow_regex (searched),
--     on workflow_branch when one is set; a completed run with conclusion success is deployed
--     at its updated_at (sha = head_sha); failure, timed_out or startup_failure is a failed
--     attempt (failed at updated_at); cancelled, skipped, neutral, action_required and stale
--     runs are left out; a run not completed yet is pending. The workflow name is the chain
--     (environment column).
--   - release: a release that is published (published_at set), not a draft, not a prerelease,
--     and whose tag matches release_tag_regex (searched): deployed at published_at, sha = the
--     tag's commit; releases have no failed attempts; the chain is 'release'.
-- grain: one row per (source, repo, deployment_id); deployment_id is the deployment, run or
--   release id of the repository's signal
-- materialized: view
-- columns:
--   team: team that owns the repository (meta.team_repos)
--   source: where the repository lives (github; later gitlab): with repo, the repository
--   repo: repository full name, owner/name
--   signal: where the attempt comes from: environment, workflow or release
--   environment: the chain: production environment name as GitHub reports it, the workflow
--     name, or 'release'
--   deployment_id: GitHub deployment id, workflow run id or release id
--   sha: deployed commit sha, lowercase
--   ref: branch, tag or sha the deployment was requested for (run: head_branch; release: tag)
--   creator_login: GitHub login of the person or app that created the deployment, started the
--     run or created the release
--   created_at: when the deployment was requested, the run created or the release created (UTC)
--   outcome: deployed, failed_attempt or pending
--   finished_at: deploy (finish) time (UTC): first success status, run updated_at, or release
--     published_at; NULL unless outcome = 'deployed'
--   failed_at: for a failed attempt, the time that places it in a period (UTC): first failure
--     or error status, or run updated_at; NULL otherwise
with deployments as (
    select * from staging.stg_deployments
),

statuses as (
    select * from staging.stg_deployment_statuses
),

team_repos as (
    select
        team_repos.team,
        team_repos.source,
        team_repos.repo,
        team_repos.production_environment_regex,
        coalesce(signals.signal, 'environment') as signal,
        signals.workflow_regex,
        signals.workflow_branch,
        signals.release_tag_regex
    from meta.team_repos as team_repos
    left join meta.repo_deployment_signals as signals
        on signals.source = team_repos.source
        and signals.repo = team_repos.repo
),

workflow_runs as (
    select * from staging.stg_workflow_runs
),

releases as (
    select * from staging.stg_releases
),

deploy_workflows as (
    select workflows.source, workflows.repo, workflows.workflow_name, workflows.workflow_path
    from (select distinct source, repo, workflow_name, workflow_path from workflow_runs)
        as workflows
    join team_repos
        on team_repos.source = workflows.source
        and team_repos.repo = workflows.repo
    where team_repos.signal = 'workflow'
        and (regexp_matches(coalesce(workflows.workflow_name, ''), team_repos.workflow_regex)
            or regexp_matches(coalesce(workflows.workflow_path, ''), team_repos.workflow_regex))
),

status_times as (
    select
        source,
        repo,
        deployment_id,
        min(created_at) filter (where state = 'success') as first_success_at,
        min(created_at) filter (where state in ('failure', 'error')) as first_failure_at
    from statuses
    group by source, repo, deployment_id
),

production_environments as (
    -- Each repository's rule is matched once per distinct environment name, not per
    -- deployment: a pattern read from a column is compiled for every row it meets, and a repo
    -- has thousands of deployments to a handful of environments. The regex carries (?i) when
    -- the rule is case-insensitive.
    select team_repos.team, environments.source, environments.repo, environments.environment
    from (select distinct source, repo, environment from deployments) as environments
    join team_repos
        on team_repos.source = environments.source
        and team_repos.repo = environments.repo
    where team_repos.signal = 'environment'
        and regexp_matches(environments.environment, team_repos.production_environment_regex)
),

production as (
    select production_environments.team, deployments.*
    from deployments
    join production_environments
        on production_environments.source = deployments.source
        and production_environments.repo = deployments.repo
        and production_environments.environment = deployments.environment
),

classified as (
    select
        -- identity
        production.team,
        production.source,
        production.repo,
        'environment' as signal,
        production.environment,
        production.deployment_id,
        production.sha,
        production.ref,
        production.creator_login,
        production.created_at,
        -- outcome
        case
            when status_times.first_success_at is not null then 'deployed'
            when status_times.first_failure_at is not null then 'failed_attempt'
            else 'pending'
        end as outcome,
        status_times.first_success_at as finished_at,
        status_times.first_failure_at as failed_at
    from production
    left join status_times
        on status_times.source = production.source
        and status_times.repo = production.repo
        and status_times.deployment_id = production.deployment_id
),

deploy_runs as (
    select
        -- identity
        team_repos.team,
        workflow_runs.source,
        workflow_runs.repo,
        'workflow' as signal,
        workflow_runs.workflow_name as environment,
        workflow_runs.run_id as deployment_id,
        workflow_runs.head_sha as sha,
        workflow_runs.head_branch as ref,
        workflow_runs.actor_login as creator_login,
        workflow_runs.created_at,
        -- outcome
        case
            when workflow_runs.status <> 'completed' then 'pending'
            when workflow_runs.conclusion = 'success' then 'deployed'
            else 'failed_attempt'
        end as outcome,
        case when workflow_runs.status = 'completed' and workflow_runs.conclusion = 'success'
            then workflow_runs.updated_at end as finished_at,
        case when workflow_runs.status = 'completed'
            and workflow_runs.conclusion in ('failure', 'timed_out', 'startup_failure')
            then workflow_runs.updated_at end as failed_at
    from workflow_runs
    join team_repos
        on team_repos.source = workflow_runs.source
        and team_repos.repo = workflow_runs.repo
    -- the rule matched once per distinct workflow (as production_environments does)
    join deploy_workflows
        on deploy_workflows.source = workflow_runs.source
        and deploy_workflows.repo = workflow_runs.repo
        and deploy_workflows.workflow_name is not distinct from workflow_runs.workflow_name
        and deploy_workflows.workflow_path is not distinct from workflow_runs.workflow_path
    where team_repos.signal = 'workflow'
        and (team_repos.workflow_branch is null
            or workflow_runs.head_branch = team_repos.workflow_branch)
        -- cancelled, skipped, neutral, action_required, stale: neither deployed nor failed
        and (workflow_runs.status <> 'completed'
            or workflow_runs.conclusion in ('success', 'failure', 'timed_out', 'startup_failure'))
),

released as (
    select
        -- identity
        team_repos.team,
        releases.source,
        releases.repo,
        'release' as signal,
        'release' as environment,
        releases.release_id as deployment_id,
        releases.sha,
        releases.tag_name as ref,
        releases.author_login as creator_login,
        releases.created_at,
        -- outcome: a published release is deployed; there are no failed attempts
        'deployed' as outcome,
        releases.published_at as finished_at,
        cast(null as timestamptz) as failed_at
    from releases
    join team_repos
        on team_repos.source = releases.source
        and team_repos.repo = releases.repo
    where team_repos.signal = 'release'
        and not releases.is_draft
        and not releases.is_prerelease
        and releases.published_at is not null
        and releases.sha is not null
        and regexp_matches(releases.tag_name, team_repos.release_tag_regex)
)

select * from classified
union all by name
select * from deploy_runs
union all by name
select * from released
