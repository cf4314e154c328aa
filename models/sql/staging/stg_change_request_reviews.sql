-- staging.stg_change_request_reviews: Conformed reviews of change requests (GitHub reviews;
--   GitLab approvals later), including unsubmitted drafts (submitted_at NULL). Generated union
--   by name of each source's stg_<source>_change_request_reviews.
-- grain: one row per (source, repo, review_id)
-- materialized: view
-- conformed: change_request_reviews
-- columns:
--   source: where the review comes from: github (later gitlab)
--   change_number: number of the reviewed change request
--   review_id: the source's review id
--   reviewer_login: the source's account name of the reviewer
select source, repo, change_number, review_id, reviewer_login, state, submitted_at
from per_source
