-- staging.int_merged_pull_requests: Merged pull requests of the teams' repositories with the
--   times lead time is built from, and whether the rules call them a hotfix or a revert.
-- grain: one row per (source, repo, pr_number) with merged_at set
-- materialized: table
-- columns:
--   team: team that owns the repository (meta.team_repos)
--   source: where the repository lives (github; later gitlab)
--   repo: repository full name, owner/name
--   pr_number: pull request (merge request) number within the repository
--   title: pull request title
--   author_login: GitHub login of the pull request author
--   head_ref: source branch name
--   labels: label names as GitHub reports them
--   merge_commit_sha: commit that landed on the base branch (merge, squash or last rebased
--     commit), lowercase
--   commit_count: commits listed on the pull request
--   first_commit_at: earliest authored_at of the pull request's commits (UTC); survives
--     squash and rebase merges; NULL when no commits were fetched
--   opened_at: when the pull request was opened (UTC)
--   first_review_at: first review submitted by someone other than the author, at or before
--     the merge (UTC); NULL when merged without such a review
--   merged_at: when it was merged (UTC)
--   is_hotfix: true when a label is in the hotfix_labels setting (any case) or the source
--     branch matches hotfix_head_branch_regex
--   hotfix_reason: label or head_branch (label wins when both apply); NULL when no hotfix
--   is_revert: true when the title matches revert_title_regex
--   reverted_pr_number: for a revert pull request, the number of the pull request of the same
--     repository its body names per revert_body_regex (GitHub's "Reverts owner/repo#N");
--     NULL otherwise
with pull_requests as (
    select * rename (number as pr_number) from staging.stg_change_requests
    where is_merged
),

pull_commits as (
    select * rename (change_number as pr_number) from staging.stg_change_request_commits
),

reviews as (
    select * rename (change_number as pr_number) from staging.stg_change_request_reviews
),

team_repos as (
    select team, source, repo from meta.team_repos
),

settings as (
    select * from staging.stg_meta_settings
),

first_commits as (
    select source, repo, pr_number, min(authored_at) as first_commit_at,
        count(*) as commit_count
    from pull_commits
    group by source, repo, pr_number
),

first_reviews as (
    -- a review after the merge did not gate it, and a self-review is not a pickup
    select pull_requests.source, pull_requests.repo, pull_requests.pr_number,
        min(reviews.submitted_at) as first_review_at
    from pull_requests
    join reviews
        on reviews.source = pull_requests.source
        and reviews.repo = pull_requests.repo
        and reviews.pr_number = pull_requests.pr_number
    where reviews.submitted_at <= pull_requests.merged_at
        and reviews.reviewer_login is distinct from pull_requests.author_login
    group by pull_requests.source, pull_requests.repo, pull_requests.pr_number
),

classified as (
    -- the rules' patterns are read as constants (getvariable: compiled once, not per row)
    select
        pull_requests.*,
        coalesce(
            list_has_any(
                list_transform(pull_requests.labels, lambda l: lower(l)), settings.hotfix_labels
            ),
            false
        ) as has_hotfix_label,
        coalesce(
            regexp_matches(
                pull_requests.head_ref,
                getvariable('stg_meta_settings').hotfix_head_branch_regex
            ),
            false
        ) as has_hotfix_branch,
        coalesce(
            regexp_matches(
                pull_requests.title, getvariable('stg_meta_settings').revert_title_regex
            ),
            false
        ) as is_revert,
        -- '' when the body does not match: try_cast turns it (and any oversized number) to NULL
        try_cast(
            regexp_extract(
                coalesce(pull_requests.body, ''),
                getvariable('stg_meta_settings').revert_body_regex,
                1
            ) as integer
        ) as body_reverted_pr_number
    from pull_requests
    cross join settings
),

final as (
    select
        -- identity
        team_repos.team,
        classified.source,
        classified.repo,
        classified.pr_number,
        classified.title,
        classified.author_login,
        classified.head_ref,
        classified.labels,
        classified.merge_commit_sha,
        -- lead time milestones
        coalesce(first_commits.commit_count, 0) as commit_count,
        first_commits.first_commit_at,
        classified.opened_at,
        first_reviews.first_review_at,
        classified.merged_at,
        -- rule classification
        classified.has_hotfix_label or classified.has_hotfix_branch as is_hotfix,
        case
            when classified.has_hotfix_label then 'label'
            when classified.has_hotfix_branch then 'head_branch'
        end as hotfix_reason,
        classified.is_revert,
        case when classified.is_revert then classified.body_reverted_pr_number end
            as reverted_pr_number
    from classified
    join team_repos
        on team_repos.source = classified.source
        and team_repos.repo = classified.repo
    left join first_commits
        on first_commits.source = classified.source
        and first_commits.repo = classified.repo
        and first_commits.pr_number = classified.pr_number
    left join first_reviews
        on first_reviews.source = classified.source
        and first_reviews.repo = classified.repo
        and first_reviews.pr_number = classified.pr_number
)

select * from final
