-- staging.int_production_deployment_attempts: Every deployment to a production environment
--   of a team's repository, with its outcome: 'deployed' (has a success status; finished at
--   the first one), 'failed_attempt' (a failure or error status and no success: counted
--   separately, never a deployment) or 'pending' (neither yet; ignored by the metrics).
--   'inactive' is never a failure.
-- grain: one row per (repo, deployment_id) whose environment matches the repository's
--   production_environment_regex in meta.team_repos
-- materialized: view
-- columns:
--   team: team that owns the repository (meta.team_repos)
--   repo: repository full name, owner/name
--   environment: production environment name as GitHub reports it
--   deployment_id: GitHub deployment id
--   sha: deployed commit sha, lowercase
--   ref: branch, tag or sha the deployment was requested for
--   creator_login: GitHub login of the person or app that created the deployment
--   created_at: when the deployment was requested (UTC)
--   outcome: deployed, failed_attempt or pending
--   finished_at: deploy (finish) time = created_at of the first success status (UTC); NULL
--     unless outcome = 'deployed'
--   failed_at: created_at of the first failure or error status (UTC); for a failed attempt,
--     the time that places it in a period
with deployments as (
    select * from staging.stg_github_deployments
),

statuses as (
    select * from staging.stg_github_deployment_statuses
),

team_repos as (
    select team, repo, production_environment_regex
    from meta.team_repos
    where source = 'github'
),

status_times as (
    select
        repo,
        deployment_id,
        min(created_at) filter (where state = 'success') as first_success_at,
        min(created_at) filter (where state in ('failure', 'error')) as first_failure_at
    from statuses
    group by repo, deployment_id
),

production as (
    -- the regex carries (?i) when the rule is case-insensitive
    select team_repos.team, deployments.*
    from deployments
    join team_repos on team_repos.repo = deployments.repo
    where regexp_matches(deployments.environment, team_repos.production_environment_regex)
),

classified as (
    select
        -- identity
        production.team,
        production.repo,
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
        on status_times.repo = production.repo
        and status_times.deployment_id = production.deployment_id
)

select * from classified
