-- staging.int_deployment_change_set_pull_requests: Merged pull requests whose merge (or
--   squash, or last rebased) commit is in a production deployment's change set. A pull
--   request is shipped by the first such deployment by finish time; later deployments to
--   other production environments of the repository carry it too (hotfix and revert rules
--   look at every deployment that carries it).
-- grain: one row per (source, repo, deployment_id, pr_number)
-- materialized: table
-- columns:
--   team: team that owns the repository (meta.team_repos)
--   repo: repository full name, owner/name
--   environment: production environment of the deployment
--   deployment_id: deployment whose change set holds the pull request's merge commit
--   finished_at: deploy (finish) time of that deployment (UTC)
--   pr_number: pull request number
--   merge_commit_sha: the pull request's merge commit, lowercase
--   is_hotfix: the pull request is a hotfix (int_merged_pull_requests)
--   hotfix_reason: label or head_branch; NULL when not a hotfix
--   is_revert: the pull request title matches revert_title_regex
--   reverted_pr_number: the pull request a revert pull request's body names (same
--     repository); NULL otherwise
--   is_shipping_deployment: true for the deployment that shipped the pull request: the
--     earliest by finish time (then id) across the repository's production environments
with change_set as (
    select * from staging.int_deployment_change_set_commits
),

merged_prs as (
    select * from staging.int_merged_pull_requests
),

carried as (
    select
        -- deployment
        change_set.team,
        change_set.source,
        change_set.repo,
        change_set.environment,
        change_set.deployment_id,
        change_set.finished_at,
        -- pull request
        merged_prs.pr_number,
        merged_prs.merge_commit_sha,
        merged_prs.is_hotfix,
        merged_prs.hotfix_reason,
        merged_prs.is_revert,
        merged_prs.reverted_pr_number,
        row_number() over (
            partition by merged_prs.source, merged_prs.repo, merged_prs.pr_number
            order by change_set.finished_at, change_set.deployment_id
        ) = 1 as is_shipping_deployment
    from change_set
    join merged_prs
        on merged_prs.source = change_set.source
        and merged_prs.repo = change_set.repo
        and merged_prs.merge_commit_sha = change_set.sha
)

select * from carried
