-- staging.stg_workflow_runs: Conformed CI runs of every source that can signal a deployment
--   (GitHub Actions runs; GitLab pipelines later), for repositories whose deployment signal is
--   workflow. Generated union by name of each source's stg_<source>_workflow_runs.
-- grain: one row per (source, repo, run_id)
-- materialized: view
-- conformed: workflow_runs
-- columns:
--   source: where the run comes from: github (later gitlab)
--   actor_login: the source's account name of whoever started the run
select source, repo, run_id, workflow_id, workflow_name, workflow_path, head_branch, head_sha,
    event, status, conclusion, actor_login, created_at, updated_at
from per_source
