-- staging.stg_review_comments: Conformed comments on change request diffs (GitHub review
--   comments; GitLab diff notes later). Generated union by name of each source's
--   stg_<source>_review_comments.
-- grain: one row per (source, repo, comment_id)
-- materialized: view
-- conformed: review_comments
-- columns:
--   source: where the comment comes from: github (later gitlab)
--   change_number: number of the change request the comment is on
--   comment_id: the source's comment id
--   author_login: the source's account name of the commenter
select source, repo, change_number, comment_id, author_login, created_at, body
from per_source
