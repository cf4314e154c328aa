-- staging.stg_github_pull_reviews: Submitted reviews of pull requests.
-- grain: one row per (repo, review_id)
-- materialized: view
-- columns:
--   repo: repository full name, owner/name
--   pr_number: reviewed pull request number
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
        pr_number,
        review_id,
        -- review
        reviewer_login,
        upper(state) as state,
        submitted_at
    from source
)

select * from renamed
