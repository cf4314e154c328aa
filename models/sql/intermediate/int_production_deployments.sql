-- staging.int_production_deployments: Successful production deployments ordered into chains:
--   a chain is one repository and one environment, ordered by finish time (deployment id
--   breaks ties). The first deployment of a chain has no predecessor and so no change set.
-- grain: one row per (source, repo, deployment_id) with outcome 'deployed'
-- materialized: table
-- columns:
--   team: team that owns the repository (meta.team_repos)
--   source: where the repository lives (github; later gitlab)
--   repo: repository full name, owner/name
--   environment: production environment name; with repo it names the chain
--   deployment_id: GitHub deployment id
--   sha: deployed commit sha, lowercase
--   ref: branch, tag or sha the deployment was requested for
--   creator_login: GitHub login of the person or app that created the deployment
--   created_at: when the deployment was requested (UTC)
--   finished_at: deploy (finish) time: first success status (UTC)
--   chain_position: 1 for the first deployment of the chain, then 2, 3, ...
--   previous_deployment_id: the immediately previous deployment of the same chain; NULL for
--     the first
--   previous_sha: sha of that previous deployment
--   is_first_of_chain: true when the deployment has no predecessor (baseline: nothing is
--     attributed to it)
with attempts as (
    select * from staging.int_production_deployment_attempts
    where outcome = 'deployed'
),

chained as (
    select
        -- identity
        team,
        source,
        repo,
        environment,
        deployment_id,
        sha,
        ref,
        creator_login,
        -- timing
        created_at,
        finished_at,
        -- chain
        row_number() over chain as chain_position,
        lag(deployment_id) over chain as previous_deployment_id,
        lag(sha) over chain as previous_sha,
        lag(deployment_id) over chain is null as is_first_of_chain
    from attempts
    window chain as (partition by source, repo, environment order by finished_at, deployment_id)
)

select * from chained
