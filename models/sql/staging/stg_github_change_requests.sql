-- staging.stg_github_change_requests: GitHub pull requests in every state: GitHub's part of
--   the conformed staging.stg_change_requests.
-- grain: one row per (repo, number)
-- materialized: view
-- columns:
--   repo: repository full name, owner/name
--   number: pull request number within the repository
--   title: pull request title
--   body: pull request description (the API's body, stored by the connector), NULL when empty
--   author_login: GitHub login of the pull request author
--   state: open or closed (a merged pull request is closed)
--   head_ref: source branch name
--   base_ref: target branch name
--   head_sha: last commit of the source branch, lowercase
--   merge_commit_sha: commit that landed on the base branch (merge, squash or last rebased
--     commit), lowercase; NULL when not merged
--   labels: label names as GitHub reports them
--   is_merged: true when the pull request was merged
--   opened_at: when the pull request was opened (UTC)
--   updated_at: last update (UTC)
--   closed_at: when it was closed or merged (UTC)
--   merged_at: when it was merged (UTC); NULL when closed without merge
--   reference_marker: how a reference names it in text: '#' (#N, owner/repo#N)
with source as (
    select * from raw.github_pull_requests
),

renamed as (
    select
        -- identity
        repo,
        number,
        -- description
        title,
        body,
        author_login,
        state,
        head_ref,
        base_ref,
        lower(head_sha) as head_sha,
        lower(merge_commit_sha) as merge_commit_sha,
        labels,
        merged_at is not null as is_merged,
        -- timing
        created_at as opened_at,
        updated_at,
        closed_at,
        merged_at,
        -- how text names it
        '#' as reference_marker
    from source
)

select * from renamed
