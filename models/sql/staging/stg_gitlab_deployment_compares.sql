-- staging.stg_gitlab_deployment_compares: How each successful GitLab deployment relates to the
--   previous successful deployment of the same project and environment (the connector's
--   compare, base to head and, when nothing is ahead, head to base): GitLab's part of the
--   conformed staging.stg_deployment_compares.
-- grain: one row per (repo, deployment_id)
-- materialized: view
-- columns:
--   repo: project path with its namespace
--   deployment_id: the later deployment of the pair (compare head)
--   base_deployment_id: the previous successful deployment of the same environment
--   base_sha: sha of the base deployment, lowercase
--   head_sha: sha of this deployment, lowercase
--   status: ahead, behind, identical or unknown
--   ahead_by: commits in head not in base; NULL when unknown
--   behind_by: commits in base not in head; NULL when head has new commits (not asked) or
--     unknown
--   change_set_known: false when compare failed: the deployment's commits are not known
--   unknown_reason: why the change set is unknown (GitLab's answer); NULL when known
with source as (
    select * from raw.gitlab_deployment_compares
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
