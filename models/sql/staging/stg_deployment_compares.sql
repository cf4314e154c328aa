-- staging.stg_deployment_compares: Conformed compare facts of each production deployment with
--   its base: whether the change set is known, and how the two commits relate. Generated union
--   by name of each source's stg_<source>_deployment_compares.
-- grain: one row per (source, repo, deployment_id)
-- materialized: view
-- conformed: deployment_compares
-- columns:
--   source: where the compare comes from: github (later gitlab)
select source, repo, deployment_id, base_deployment_id, base_sha, head_sha, status, ahead_by,
    behind_by, change_set_known, unknown_reason
from per_source
