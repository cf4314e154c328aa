-- staging.stg_gitlab_change_requests: GitLab merge requests in every state: GitLab's part of
--   the conformed staging.stg_change_requests. The commit a merged request landed is its
--   merge commit, else its squash commit, else (a fast-forward merge) its head sha: GitLab
--   leaves merge_commit_sha NULL after fast-forward and squash merges.
-- grain: one row per (repo, number)
-- materialized: view
-- columns:
--   repo: project path with its namespace
--   number: merge request number within the project (!N)
--   title: merge request title
--   body: merge request description, NULL when empty
--   author_login: GitLab username of the author
--   state: open or closed (a merged or locked merge request is closed), as for GitHub
--   head_ref: source branch name
--   base_ref: target branch name
--   head_sha: head of the source branch, lowercase
--   merge_commit_sha: the commit that landed on the target branch (merge, squash or
--     fast-forwarded head), lowercase; NULL when not merged
--   labels: label names
--   is_merged: true when the merge request was merged
--   opened_at: when it was opened (UTC)
--   updated_at: last update (UTC)
--   closed_at: when it was closed or merged (UTC)
--   merged_at: when it was merged (UTC); NULL when closed without merge
--   reference_marker: how a reference names it in text: '!' (!N, group/project!N; GitLab's
--     #N is an issue)
with source as (
    select * from raw.gitlab_merge_requests
),

renamed as (
    select
        -- identity
        repo,
        iid as number,
        -- description
        title,
        description as body,
        author_username as author_login,
        case when state = 'opened' then 'open' else 'closed' end as state,
        source_branch as head_ref,
        target_branch as base_ref,
        lower(sha) as head_sha,
        case when merged_at is not null
            then lower(coalesce(merge_commit_sha, squash_commit_sha, sha))
        end as merge_commit_sha,
        labels,
        merged_at is not null as is_merged,
        -- timing
        created_at as opened_at,
        updated_at,
        coalesce(closed_at, merged_at) as closed_at,
        merged_at,
        -- how text names it
        '!' as reference_marker
    from source
)

select * from renamed
