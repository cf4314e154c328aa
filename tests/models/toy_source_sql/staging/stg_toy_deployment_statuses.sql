-- staging.stg_toy_deployment_statuses: The toy source's rollout results in the conformed
--   status vocabulary (test-owned): ok is success, broken is failure, running has no status.
-- grain: one row per (repo, deployment_id)
-- materialized: view
-- columns:
--   repo: the toy project
--   deployment_id: the toy rollout id
--   status_key: the rollout id as text: one status per rollout
--   status_id: the rollout id
--   state: success or failure
--   created_at: when the rollout ended (UTC)
select
    project as repo,
    rollout_id as deployment_id,
    cast(rollout_id as varchar) as status_key,
    rollout_id as status_id,
    case result when 'ok' then 'success' else 'failure' end as state,
    ended_at as created_at
from raw.toy_rollouts
where result in ('ok', 'broken') and ended_at is not null
