-- staging.int_near_misses: The records (issues and incidents of every source) the near-miss
--   rule (rules.near_miss in candor.yaml, staging.stg_meta_proxy_rules) calls near misses, with
--   the part that matched, first in this order: a near-miss label; the title pattern; an
--   incident tool's priority or urgency, on an incident its source says affected no customer.
--   The one place the rule is applied: marts.incidents links no near miss to a deployment (a
--   problem caught before it hurt anyone fails nothing), and the behavioural proxies count them
--   (staging.int_issue_behaviour).
-- grain: one row per (source, repo, number) that is a near miss
-- materialized: table
-- columns:
--   source: where the record comes from
--   repo: repository, or incident-tool service, of the record
--   number: record number within repo
--   near_miss_matched_by: label, title, priority or urgency
with settings as (
    select * from staging.stg_meta_proxy_rules
),

issues as (
    select * from staging.stg_issues
),

matched as (
    select
        issues.source,
        issues.repo,
        issues.number,
        case
            when list_has_any(
                list_transform(coalesce(issues.labels, []), lambda l: lower(l)),
                settings.near_miss_labels
            ) then 'label'
            when coalesce(
                regexp_matches(
                    issues.title, getvariable('stg_meta_proxy_rules').near_miss_title_regex
                ),
                false
            ) then 'title'
            -- incident tools: low priority or urgency counts only when the source says no
            -- customer was affected
            when issues.customer_impact = false
                and list_contains(settings.near_miss_priorities, lower(issues.priority))
                then 'priority'
            when issues.customer_impact = false
                and list_contains(settings.near_miss_urgencies, lower(issues.urgency))
                then 'urgency'
        end as near_miss_matched_by
    from issues
    cross join settings
)

select * from matched where near_miss_matched_by is not null
