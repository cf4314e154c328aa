-- staging.stg_github_change_request_reviews: Reviews of pull requests: GitHub's part of the
--   conformed staging.stg_change_request_reviews.
-- grain: one row per (repo, review_id)
-- materialized: view
-- columns:
--   repo: repository full name, owner/name
--   change_number: reviewed pull request number
--   review_id: GitHub review id
--   reviewer_login: GitHub login of the reviewer
--   state: review verdict, uppercase: APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED
--   submitted_at: when the review was submitted (UTC); NULL for an unsubmitted draft
with source as (
    select * from raw.github_pull_reviews
),

renamed as (
    select
        -- identity
        repo,
        pr_number as change_number,
        review_id,
        -- review
        reviewer_login,
        upper(state) as state,
        submitted_at
    from source
)

select * from renamed
