-- staging.stg_gitlab_review_comments: Comments on lines of GitLab merge request diffs
--   (DiffNote notes): GitLab's part of the conformed staging.stg_review_comments.
-- grain: one row per (repo, comment_id)
-- materialized: view
-- columns:
--   repo: project path with its namespace
--   change_number: merge request the comment is on (!N)
--   comment_id: the note's id
--   author_login: GitLab username of the commenter
--   created_at: when the comment was written (UTC)
--   body: the comment's text
with source as (
    select * from raw.gitlab_merge_request_notes
    where note_type = 'DiffNote' and not is_system
)

select
    -- identity
    repo,
    mr_iid as change_number,
    note_id as comment_id,
    -- comment
    author_username as author_login,
    created_at,
    body
from source
