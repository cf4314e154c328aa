-- staging.stg_github_issues: GitHub issues (pull requests excluded) in every state: GitHub's
--   part of the conformed staging.stg_issues.
-- grain: one row per (repo, number)
-- materialized: view
-- columns:
--   repo: repository full name, owner/name
--   number: issue number within the repository
--   title: issue title
--   body: issue description; explicit references to deployments are read from it
--   author_login: GitHub login of the person who opened the issue
--   state: open or closed
--   labels: label names as GitHub reports them
--   priority: NULL: GitHub issues have no incident priority
--   urgency: NULL: GitHub issues have no incident urgency
--   customer_impact: NULL: a GitHub issue cannot say whether customers were affected
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
        number,
        -- description
        title,
        body,
        author_login,
        state,
        labels,
        -- incident-tool fields GitHub issues do not have
        cast(null as varchar) as priority,
        cast(null as varchar) as urgency,
        cast(null as boolean) as customer_impact,
        -- timing
        created_at,
        updated_at,
        closed_at
    from source
)

select * from renamed
