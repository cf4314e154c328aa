-- staging.stg_change_requests: Conformed change requests of every source (GitHub pull
--   requests today; GitLab merge requests later) in every state. Generated union by name of
--   each source's stg_<source>_change_requests.
-- grain: one row per (source, repo, number)
-- materialized: view
-- conformed: change_requests
-- columns:
--   source: where the change request lives: github (later gitlab)
--   repo: repository (or project) full name
--   number: pull request (merge request) number within repo
--   author_login: the source's account name of the author; reviewing one's own change request
--     is not review participation
--   labels: label names as the source reports them (case kept)
--   merge_commit_sha: commit that landed on the target branch (merge, squash or last rebased
--     commit), lowercase; NULL when not merged
--   opened_at: when it was opened (UTC)
--   merged_at: when it was merged (UTC); NULL when not merged
--   reference_marker: how text names a change request of the source: '#' (GitHub #N),
--     '!' (GitLab !N); marts.incidents reads references by it
select source, repo, number, title, body, author_login, state, head_ref, base_ref, head_sha,
    merge_commit_sha, labels, is_merged, opened_at, updated_at, closed_at, merged_at,
    reference_marker
from per_source
