-- staging.stg_github_workflow_runs: GitHub Actions runs of the deploy workflow of repositories
--   that deploy by workflow (meta.repo_deployment_signals), as fetched: the latest attempt of
--   each run.
-- grain: one row per (repo, run_id)
-- materialized: view
-- columns:
--   repo: repository full name, owner/name
--   run_id: GitHub workflow run id
--   workflow_id: id of the workflow the run belongs to
--   workflow_name: workflow name; with repo it names the deployment chain
--   workflow_path: workflow file path, e.g. .github/workflows/deploy.yml
--   head_branch: branch the run ran on
--   head_sha: commit the run ran on, lowercase: the deployed sha of a successful run
--   event: what triggered the run (push, workflow_dispatch, ...)
--   status: lowercase run status: queued, in_progress, completed, ...
--   conclusion: lowercase outcome once completed (success, failure, timed_out, cancelled, ...)
--   actor_login: GitHub login that started the run
--   created_at: when the run was created (UTC)
--   updated_at: when the run last changed (UTC); for a completed run, its finish
with source as (
    select * from raw.github_workflow_runs
),

renamed as (
    select
        -- identity
        repo,
        run_id,
        workflow_id,
        coalesce(name, path) as workflow_name,
        path as workflow_path,
        -- what ran
        head_branch,
        lower(head_sha) as head_sha,
        event,
        actor_login,
        -- outcome
        lower(status) as status,
        lower(conclusion) as conclusion,
        -- timing
        created_at,
        updated_at
    from source
)

select * from renamed
