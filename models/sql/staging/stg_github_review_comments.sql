-- staging.stg_github_review_comments: Line comments on pull request diffs: GitHub's part of
--   the conformed staging.stg_review_comments.
-- grain: one row per (repo, comment_id)
-- materialized: view
-- columns:
--   repo: repository full name, owner/name
--   change_number: pull request the comment is on
--   comment_id: GitHub review comment id
--   author_login: GitHub login of the commenter
--   created_at: when the comment was written (UTC)
--   body: the comment's text (the API's body, stored by the connector); NULL when empty
with source as (
    select * from raw.github_review_comments
),

renamed as (
    select
        -- identity
        repo,
        pr_number as change_number,
        comment_id,
        -- comment
        author_login,
        created_at,
        body
    from source
)

select * from renamed
