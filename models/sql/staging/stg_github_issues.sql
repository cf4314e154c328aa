-- staging.stg_github_issues: GitHub issues (pull requests excluded) in every state.
-- grain: one row per (repo, issue_number)
-- materialized: view
-- columns:
--   repo: repository full name, owner/name
--   issue_number: issue number within the repository
--   title: issue title
--   body: issue description; explicit references to deployments are read from it
--   author_login: GitHub login of the person who opened the issue
--   state: open or closed
--   labels: label names as GitHub reports them
--   created_at: when the issue was opened (UTC)
--   updated_at: last update (UTC)
--   closed_at: when the issue was closed (UTC); NULL while open
with source as (
    select * from raw.github_issues
),

renamed as (
    select
        -- identity
        repo,
        number as issue_number,
        -- description
        title,
        body,
        author_login,
        state,
        labels,
        -- timing
        created_at,
        updated_at,
        closed_at
    from source
)

select * from renamed
