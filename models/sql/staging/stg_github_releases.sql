-- staging.stg_github_releases: GitHub releases of repositories that deploy by release
--   (meta.repo_deployment_signals), drafts and prereleases included, as fetched.
-- grain: one row per (repo, release_id)
-- materialized: view
-- columns:
--   repo: repository full name, owner/name
--   release_id: GitHub release id
--   tag_name: the release's git tag
--   name: release title
--   is_draft: true for an unpublished draft
--   is_prerelease: true when marked as a prerelease
--   sha: commit the tag points to, lowercase; NULL when the connector did not resolve it (not
--     a deployment candidate)
--   author_login: GitHub login that created the release
--   created_at: when the release was created (UTC)
--   published_at: when it was published (UTC): the deploy time; NULL for drafts
with source as (
    select * from raw.github_releases
),

renamed as (
    select
        -- identity
        repo,
        release_id,
        tag_name,
        name,
        -- state
        draft as is_draft,
        prerelease as is_prerelease,
        -- what was released
        lower(sha) as sha,
        author_login,
        -- timing
        created_at,
        published_at
    from source
)

select * from renamed
