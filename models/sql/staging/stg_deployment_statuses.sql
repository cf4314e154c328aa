-- staging.stg_deployment_statuses: Conformed deployment statuses of every source, in the
--   GitHub vocabulary (success, failure, error, inactive, in_progress, queued, pending); a
--   source with other words maps them in its own staging model. Generated union by name of each
--   source's stg_<source>_deployment_statuses.
-- grain: one row per (source, repo, status_key)
-- materialized: view
-- conformed: deployment_statuses
-- columns:
--   source: where the status comes from: github (later gitlab)
select source, repo, deployment_id, status_key, status_id, state, created_at
from per_source
