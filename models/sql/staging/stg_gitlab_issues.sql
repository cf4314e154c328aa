-- staging.stg_gitlab_issues: GitLab issues and incidents in every state: GitLab's part of the
--   conformed staging.stg_issues. An issue of GitLab's incident type (issue_type incident) is
--   an incident whatever its labels (is_incident); any other issue is one when the incident
--   rule (incident_labels) says so, as a GitHub issue.
-- grain: one row per (repo, number)
-- materialized: view
-- columns:
--   repo: project path with its namespace
--   number: issue number within the project (#N)
--   title: issue title
--   body: issue description; explicit references to deployments are read from it
--   author_login: GitLab username of who opened it
--   state: open or closed
--   labels: label names
--   priority: NULL: not read from GitLab
--   urgency: NULL: GitLab issues have no urgency
--   customer_impact: NULL: a GitLab issue cannot say whether customers were affected
--   is_incident: true for GitLab's incident type; NULL otherwise (the labels decide)
--   created_at: when it was opened (UTC)
--   updated_at: last update (UTC)
--   closed_at: when it was closed (UTC); NULL while open
with source as (
    select * from raw.gitlab_issues
),

renamed as (
    select
        -- identity
        repo,
        iid as number,
        -- description
        title,
        description as body,
        author_username as author_login,
        case when state = 'opened' then 'open' else 'closed' end as state,
        labels,
        -- incident-tool fields GitLab issues do not have
        cast(null as varchar) as priority,
        cast(null as varchar) as urgency,
        cast(null as boolean) as customer_impact,
        case when issue_type = 'incident' then true end as is_incident,
        -- timing
        created_at,
        updated_at,
        closed_at
    from source
)

select * from renamed
