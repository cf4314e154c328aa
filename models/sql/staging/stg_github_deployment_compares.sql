-- staging.stg_github_deployment_compares: How each successful production deployment relates to
--   the previous successful deployment of the same repository and environment, as GitHub's
--   compare answered (base_sha...head_sha): ahead (new commits), behind (an ancestor was
--   deployed: a rollback), identical (a redeploy), diverged, or unknown (compare refused, e.g.
--   404 "no common ancestor" after a history rewrite; the change set is then unknown).
-- grain: one row per (repo, deployment_id)
-- materialized: view
-- columns:
--   repo: repository full name, owner/name
--   deployment_id: the later deployment of the pair (compare head)
--   base_deployment_id: the previous successful deployment of the same environment (compare
--     base)
--   base_sha: sha of the base deployment, lowercase
--   head_sha: sha of this deployment, lowercase
--   status: ahead, behind, identical, diverged or unknown
--   ahead_by: commits in head not in base; NULL when unknown
--   behind_by: commits in base not in head; > 0 with ahead_by = 0 means head is an ancestor
--   change_set_known: false when compare failed: the deployment's commits are not known
--   unknown_reason: why the change set is unknown (GitHub's answer); NULL when known
with source as (
    select * from raw.github_deployment_compares
),

renamed as (
    select
        -- identity
        repo,
        deployment_id,
        base_deployment_id,
        lower(base_sha) as base_sha,
        lower(head_sha) as head_sha,
        -- relation
        status,
        ahead_by,
        behind_by,
        change_set_known,
        unknown_reason
    from source
)

select * from renamed
