-- staging.int_deployment_change_set_commits: The change set of each production deployment
--   that has a predecessor in its chain (first deployments of a chain have none), with the
--   merged pull request each commit belongs to. A commit belongs to a merged pull request
--   when it is its merge commit, one of its listed commits, or a rebased copy of one (same
--   authored time and message: rebase merges rewrite shas but keep both). A commit that
--   belongs to no merged pull request is a direct push.
-- grain: one row per (source, repo, deployment_id, sha)
-- materialized: table
-- columns:
--   team: team that owns the repository (meta.team_repos)
--   repo: repository full name, owner/name
--   environment: production environment of the deployment
--   deployment_id: the deployment whose change set holds the commit
--   finished_at: deploy (finish) time of that deployment (UTC)
--   sha: the commit, lowercase
--   authored_at: when the commit was authored (UTC)
--   committed_at: when the commit was committed (UTC)
--   author_login: GitHub login of the commit author
--   message: full commit message
--   base_matches_chain: true when the connector compared against the sha of the previous
--     deployment of this chain; false flags a change set computed from another base
--   pr_number: merged pull request the commit belongs to (the lowest number when several
--     claim it); NULL for a direct push
--   pr_link: how the commit was tied to pr_number: merge_commit, pull_commit or rebased_copy
--   is_direct_push: true when the commit belongs to no merged pull request
--   is_first_shipment: true for the earliest deployment (by finish time, then id) of the
--     repository, any production environment, whose change set holds this sha
with deployments as (
    select * from staging.int_production_deployments
    where not is_first_of_chain
),

commits as (
    select * from staging.stg_deployment_commits
),

merged_prs as (
    select * from staging.int_merged_pull_requests
),

pull_commits as (
    select * rename (change_number as pr_number) from staging.stg_change_request_commits
),

change_set as (
    select
        deployments.team,
        deployments.source,
        deployments.repo,
        deployments.environment,
        deployments.deployment_id,
        deployments.finished_at,
        commits.sha,
        commits.authored_at,
        commits.committed_at,
        commits.author_login,
        commits.message,
        commits.base_sha = deployments.previous_sha as base_matches_chain
    from deployments
    join commits
        on commits.source = deployments.source
        and commits.repo = deployments.repo
        and commits.deployment_id = deployments.deployment_id
),

pr_claims as (
    -- every way a merged pull request can claim a change-set commit, best evidence first
    select change_set.source, change_set.repo, change_set.deployment_id, change_set.sha,
        merged_prs.pr_number, 'merge_commit' as pr_link, 1 as evidence_rank
    from change_set
    join merged_prs
        on merged_prs.source = change_set.source
        and merged_prs.repo = change_set.repo
        and merged_prs.merge_commit_sha = change_set.sha
    union all
    select change_set.source, change_set.repo, change_set.deployment_id, change_set.sha,
        pull_commits.pr_number, 'pull_commit', 2
    from change_set
    join pull_commits
        on pull_commits.source = change_set.source
        and pull_commits.repo = change_set.repo
        and pull_commits.sha = change_set.sha
    join merged_prs
        on merged_prs.source = pull_commits.source
        and merged_prs.repo = pull_commits.repo
        and merged_prs.pr_number = pull_commits.pr_number
    union all
    select change_set.source, change_set.repo, change_set.deployment_id, change_set.sha,
        pull_commits.pr_number, 'rebased_copy', 3
    from change_set
    join pull_commits
        on pull_commits.source = change_set.source
        and pull_commits.repo = change_set.repo
        and pull_commits.authored_at = change_set.authored_at
        and pull_commits.message = change_set.message
        and pull_commits.sha <> change_set.sha
    join merged_prs
        on merged_prs.source = pull_commits.source
        and merged_prs.repo = pull_commits.repo
        and merged_prs.pr_number = pull_commits.pr_number
),

best_claims as (
    -- The best claim of each commit. A grouped min over (rank, number, link) rather than a
    -- row_number() window: the window sorts wide rows per partition, 3.5x the cost at 10x.
    select source, repo, deployment_id, sha,
        min({'evidence_rank': evidence_rank, 'pr_number': pr_number, 'pr_link': pr_link})
            as claim
    from pr_claims
    group by source, repo, deployment_id, sha
),

first_shipments as (
    -- the earliest deployment (finish time, then id) of the repository shipping each sha;
    -- grouped, for the same reason as best_claims
    select source, repo, sha,
        arg_min(deployment_id, {'finished_at': finished_at, 'deployment_id': deployment_id})
            as deployment_id
    from change_set
    group by source, repo, sha
),

final as (
    select
        -- deployment
        change_set.team,
        change_set.source,
        change_set.repo,
        change_set.environment,
        change_set.deployment_id,
        change_set.finished_at,
        -- commit
        change_set.sha,
        change_set.authored_at,
        change_set.committed_at,
        change_set.author_login,
        change_set.message,
        change_set.base_matches_chain,
        -- ownership
        best_claims.claim.pr_number,
        best_claims.claim.pr_link,
        best_claims.claim is null as is_direct_push,
        first_shipments.deployment_id is not null as is_first_shipment
    from change_set
    left join best_claims
        on best_claims.source = change_set.source
        and best_claims.repo = change_set.repo
        and best_claims.deployment_id = change_set.deployment_id
        and best_claims.sha = change_set.sha
    left join first_shipments
        on first_shipments.source = change_set.source
        and first_shipments.repo = change_set.repo
        and first_shipments.sha = change_set.sha
        and first_shipments.deployment_id = change_set.deployment_id
)

-- Written in grain order. Unordered, the parallel write leaves partly filled row groups that the
-- next checkpoint merges and compresses again: 0.65 s at 100x the demo, against 0.05 s for the
-- sort (the one table of the models where this showed).
select * from final
order by source, repo, deployment_id, sha
