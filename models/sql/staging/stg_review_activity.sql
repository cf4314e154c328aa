-- staging.stg_review_activity: Review events of every source: submitted reviews and review
--   (diff line) comments on change requests, read from the conformed stg_change_request_reviews
--   and stg_review_comments. A review not yet submitted (a pending draft) is no event and is
--   left out.
-- grain: one row per (source, repo, activity_kind, activity_id)
-- materialized: view
-- columns:
--   source: where the event comes from: github (later gitlab)
--   repo: repository (or project) of the reviewed change request
--   change_number: number of the reviewed change request (pull request / merge request)
--   activity_kind: review (a submitted review) or review_comment (a comment on the diff)
--   activity_id: the source's id of the review or comment
--   actor_login: the source's account name of the reviewer or commenter
--   occurred_at: when the review was submitted or the comment written (UTC); decides the month
--   body: the comment's text (review comments); NULL for reviews
with reviews as (
    select
        source,
        repo,
        change_number,
        'review' as activity_kind,
        review_id as activity_id,
        reviewer_login as actor_login,
        submitted_at as occurred_at,
        cast(null as varchar) as body
    from staging.stg_change_request_reviews
    where submitted_at is not null
),

review_comments as (
    select
        source,
        repo,
        change_number,
        'review_comment' as activity_kind,
        comment_id as activity_id,
        author_login as actor_login,
        created_at as occurred_at,
        body
    from staging.stg_review_comments
    where created_at is not null
),

unioned as (
    select * from reviews
    union all by name
    select * from review_comments
)

select * from unioned
