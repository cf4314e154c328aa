-- staging.stg_issues: Conformed issues of every source (today GitHub; GitLab issues and
--   PagerDuty incidents later), one union by name of the per-source staging models with a
--   `source` column, so the behavioural proxies never read a source's own tables. Columns a
--   source cannot fill (priority, urgency, customer impact: incident-tool fields) are NULL.
-- grain: one row per (source, repo, number)
-- materialized: view
-- columns:
--   source: where the record comes from: github (later gitlab, pagerduty)
--   repo: repository (or project / service) the record belongs to; owner/name on GitHub
--   number: the record's number within repo
--   title: title
--   body: description text; references to other records (#N, owner/repo#N) are read from it
--   author_login: the source's account name of whoever opened it
--   labels: label names as the source reports them (case kept)
--   priority: incident-tool priority name (e.g. P5); NULL when the source has none (GitHub)
--   urgency: incident-tool urgency (e.g. low); NULL when the source has none (GitHub)
--   customer_impact: true when the source says customers were affected, false when it says
--     they were not; NULL when the source cannot say (GitHub)
--   created_at: when it was opened (UTC)
--   closed_at: when it was closed (UTC); NULL while open
with github as (
    select
        'github' as source,
        repo,
        issue_number as number,
        title,
        body,
        author_login,
        labels,
        -- incident-tool fields GitHub issues do not have
        cast(null as varchar) as priority,
        cast(null as varchar) as urgency,
        cast(null as boolean) as customer_impact,
        created_at,
        closed_at
    from staging.stg_github_issues
),

unioned as (
    -- a new source adds `union all by name select ... from staging.stg_<source>_issues`
    select * from github
)

select * from unioned
