-- staging.stg_change_requests: Conformed change requests of every source (GitHub pull
--   requests today; GitLab merge requests later), one union by name of the per-source staging
--   models with a `source` column: who opened each, for the review participation proxy.
-- grain: one row per (source, repo, number)
-- materialized: view
-- columns:
--   source: where the change request lives: github (later gitlab)
--   repo: repository (or project) full name
--   number: pull request (merge request) number within repo
--   author_login: the source's account name of the author; reviewing one's own change request
--     is not review participation
--   opened_at: when it was opened (UTC)
--   merged_at: when it was merged (UTC); NULL when not merged
with github as (
    select
        'github' as source,
        repo,
        pr_number as number,
        author_login,
        opened_at,
        merged_at
    from staging.stg_github_pull_requests
),

unioned as (
    -- a new source adds `union all by name select ... from its staging model`
    select * from github
)

select * from unioned
