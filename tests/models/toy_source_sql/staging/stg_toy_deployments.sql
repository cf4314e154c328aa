-- staging.stg_toy_deployments: The toy source's rollouts as conformed deployments (test-owned).
-- grain: one row per (repo, deployment_id)
-- materialized: view
-- columns:
--   repo: the toy project
--   deployment_id: the toy rollout id
--   environment: the rollout target
--   sha: deployed commit, lowercase
--   ref: NULL: the toy tool does not say which ref was deployed
--   creator_login: NULL: the toy tool does not say who started the rollout
--   created_at: when the rollout started (UTC)
select
    project as repo,
    rollout_id as deployment_id,
    target as environment,
    lower(commit_sha) as sha,
    cast(null as varchar) as ref,
    cast(null as varchar) as creator_login,
    started_at as created_at
from raw.toy_rollouts
