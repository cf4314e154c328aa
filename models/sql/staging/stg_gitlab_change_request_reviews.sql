-- staging.stg_gitlab_change_request_reviews: Reviews of GitLab merge requests, read from their
--   notes: GitLab's part of the conformed staging.stg_change_request_reviews. GitLab has no
--   review objects: an approval is the system note "approved this merge request", a request
--   for changes the system note "requested changes", and a comment (not on a diff line) by
--   anyone but the author is a review that commented. Line comments are review comments
--   (stg_gitlab_review_comments); other system notes (pushes, label changes) are no review.
-- grain: one row per (repo, review_id)
-- materialized: view
-- columns:
--   repo: project path with its namespace
--   change_number: reviewed merge request number (!N)
--   review_id: the note's id
--   reviewer_login: GitLab username of the reviewer
--   state: APPROVED, CHANGES_REQUESTED or COMMENTED
--   submitted_at: when the note was written (UTC)
with notes as (
    select * from raw.gitlab_merge_request_notes
),

merge_requests as (
    select repo, iid, author_username from raw.gitlab_merge_requests
),

classified as (
    select
        notes.repo,
        notes.mr_iid,
        notes.note_id,
        notes.author_username,
        notes.created_at,
        case
            when notes.is_system and notes.body = 'approved this merge request' then 'APPROVED'
            when notes.is_system and notes.body = 'requested changes' then 'CHANGES_REQUESTED'
            when not notes.is_system and coalesce(notes.note_type, '') <> 'DiffNote'
                and notes.author_username is distinct from merge_requests.author_username
                then 'COMMENTED'
        end as state
    from notes
    left join merge_requests
        on merge_requests.repo = notes.repo
        and merge_requests.iid = notes.mr_iid
)

select
    -- identity
    repo,
    mr_iid as change_number,
    note_id as review_id,
    -- review
    author_username as reviewer_login,
    state,
    created_at as submitted_at
from classified
where state is not null
