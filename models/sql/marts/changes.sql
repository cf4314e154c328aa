-- marts.changes: Changes that reached production, with their lead time. A change is a merged
--   pull request, shipped by the first production deployment (by finish time) whose change
--   set holds its merge commit (merge, squash or rebase), or a commit pushed without a pull
--   request (kind 'commit'), shipped by the first deployment whose change set holds it.
--   Lead time runs from the earliest authored commit to the deployment's finish. A negative
--   span (clock skew) is NULL, never clamped, and listed in negative_spans.
-- grain: one row per shipped pull request (source, repo, pr_number) or direct-push commit
--   (source, repo, sha)
-- materialized: table
-- columns:
--   team: team that owns the repository (meta.team_repos)
--   source: where the repository lives: github (later gitlab); with repo, the repository
--   repo: repository full name, owner/name
--   kind: pull_request, or commit for a commit pushed without a pull request
--   pr_number: pull request number; NULL for kind 'commit'
--   sha: the pull request's merge commit, or the direct-push commit, lowercase
--   title: pull request title, or the first line of the commit message
--   author_login: GitHub login of the pull request or commit author
--   is_hotfix: the pull request is a hotfix by label or branch (false for commits)
--   is_revert: the pull request title matches revert_title_regex (false for commits)
--   first_commit_at: earliest authored commit of the pull request, or the commit's authored
--     time (UTC): where lead time starts
--   opened_at: when the pull request was opened (UTC); NULL for commits
--   first_review_at: first review by someone other than the author, before the merge (UTC)
--   merged_at: when the pull request was merged (UTC); NULL for commits
--   deployment_id: production deployment that shipped the change
--   environment: production environment of that deployment
--   deployed_at: finish time of that deployment (UTC): where lead time ends and the period
--     the change belongs to
--   lead_time_hours: deployed_at - first_commit_at in hours; NULL when negative or unknown
--   coding_hours: first commit -> pull request opened, hours
--   pickup_hours: opened -> first review, hours; NULL without a review before merge
--   review_hours: first review -> merged, hours; NULL without a review before merge
--   deploy_hours: merged -> deployed, hours
--   negative_spans: names of the spans that were negative and set to NULL (data quality:
--     clock skew or rewritten history), empty when none
--   negative_span_count: number of entries in negative_spans
with change_set_prs as (
    select * from staging.int_deployment_change_set_pull_requests
    where is_shipping_deployment
),

merged_prs as (
    select * from staging.int_merged_pull_requests
),

direct_pushes as (
    select * from staging.int_deployment_change_set_commits
    where is_direct_push and is_first_shipment
),

shipped as (
    -- pull requests
    select
        merged_prs.team,
        merged_prs.source,
        merged_prs.repo,
        'pull_request' as kind,
        merged_prs.pr_number,
        merged_prs.merge_commit_sha as sha,
        merged_prs.title,
        merged_prs.author_login,
        merged_prs.is_hotfix,
        merged_prs.is_revert,
        merged_prs.first_commit_at,
        merged_prs.opened_at,
        merged_prs.first_review_at,
        merged_prs.merged_at,
        change_set_prs.deployment_id,
        change_set_prs.environment,
        change_set_prs.finished_at as deployed_at
    from change_set_prs
    join merged_prs
        on merged_prs.source = change_set_prs.source
        and merged_prs.repo = change_set_prs.repo
        and merged_prs.pr_number = change_set_prs.pr_number
    union all
    -- commits pushed without a pull request
    select
        team,
        source,
        repo,
        'commit',
        null,
        sha,
        split_part(message, chr(10), 1),
        author_login,
        false,
        false,
        authored_at,
        null,
        null,
        null,
        deployment_id,
        environment,
        finished_at
    from direct_pushes
),

raw_spans as (
    select
        *,
        (epoch(deployed_at) - epoch(first_commit_at)) / 3600.0 as lead_time_span,
        (epoch(opened_at) - epoch(first_commit_at)) / 3600.0 as coding_span,
        (epoch(first_review_at) - epoch(opened_at)) / 3600.0 as pickup_span,
        (epoch(merged_at) - epoch(first_review_at)) / 3600.0 as review_span,
        (epoch(deployed_at) - epoch(merged_at)) / 3600.0 as deploy_span
    from shipped
),

checked as (
    select
        *,
        list_filter(
            [
                case when lead_time_span < 0 then 'lead_time' end,
                case when coding_span < 0 then 'coding' end,
                case when pickup_span < 0 then 'pickup' end,
                case when review_span < 0 then 'review' end,
                case when deploy_span < 0 then 'deploy' end
            ],
            lambda name: name is not null
        ) as negative_spans
    from raw_spans
),

final as (
    select
        -- identity
        team,
        source,
        repo,
        kind,
        pr_number,
        sha,
        title,
        author_login,
        is_hotfix,
        is_revert,
        -- milestones
        first_commit_at,
        opened_at,
        first_review_at,
        merged_at,
        -- shipping deployment
        deployment_id,
        environment,
        deployed_at,
        -- durations in hours (negative spans are NULL)
        case when lead_time_span >= 0 then lead_time_span end as lead_time_hours,
        case when coding_span >= 0 then coding_span end as coding_hours,
        case when pickup_span >= 0 then pickup_span end as pickup_hours,
        case when review_span >= 0 then review_span end as review_hours,
        case when deploy_span >= 0 then deploy_span end as deploy_hours,
        -- data quality
        negative_spans,
        len(negative_spans) as negative_span_count
    from checked
)

select * from final
