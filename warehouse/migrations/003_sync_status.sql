-- Migration 003: per-repository sync status, and the compare fact of each production deployment.
--
-- meta.sync_status records, per source, repository and resource, when a sync was last tried,
-- when it last succeeded and why the last one failed (DESIGN §8: one bad repository never stops
-- the others; its failure is recorded in meta with its reason and its cursor stays). A success
-- row is written in the transaction of the repository's batch and cursors; a failure row in a
-- transaction of its own, which touches nothing else.
--
-- raw.github_deployment_compares keeps GitHub's compare of each production deployment with the
-- previous successful deployment of its environment, so SQL can tell a rollback (behind), a
-- redeploy (identical) and a change set GitHub would not give (unknown).

-- ---------------------------------------------------------------- meta.sync_status
create table if not exists meta.sync_status (
    source                varchar     not null,   -- 'github'
    scope                 varchar     not null,   -- repository full name
    resource              varchar     not null,   -- 'deployments', 'pull_requests', 'issues'
    last_attempt_at       timestamptz not null,
    last_success_at       timestamptz,            -- NULL: never synced successfully
    last_error            varchar,                -- NULL after a success
    consecutive_failures  integer     not null,
    primary key (source, scope, resource)
);
comment on table meta.sync_status is 'Health of the incremental sync: one row per source, scope (repository) and resource, updated by every run that tried it. A failed repository keeps its rows and cursors from its last success; this table says since when, and why.';
comment on column meta.sync_status.source is 'Data source: github (later gitlab, pagerduty).';
comment on column meta.sync_status.scope is 'What was synced within the source: the repository full name, e.g. acme/payments-api.';
comment on column meta.sync_status.resource is 'API resource: deployments, pull_requests or issues. A repository''s resources are synced together, so they succeed or fail together.';
comment on column meta.sync_status.last_attempt_at is 'When (UTC) the last run that tried this resource started its GitHub sync; every row of one run has the same value.';
comment on column meta.sync_status.last_success_at is 'Start (UTC) of the last run whose sync of this resource succeeded and was stored: the data is at least this fresh. NULL if it never succeeded.';
comment on column meta.sync_status.last_error is 'Why the last attempt failed, with the fix (e.g. which token variable to check); NULL when the last attempt succeeded.';
comment on column meta.sync_status.consecutive_failures is 'Failed attempts since the last success (0 after a success).';

-- ---------------------------------------------------------------- raw.github_deployment_compares
create table if not exists raw.github_deployment_compares (
    repo                varchar not null,
    deployment_id       bigint  not null,   -- the later deployment: compare head
    base_deployment_id  bigint,             -- previous successful deployment of the environment
    base_sha            varchar,
    head_sha            varchar not null,
    status              varchar not null,   -- ahead, behind, identical, diverged, unknown
    ahead_by            integer,
    behind_by           integer,
    change_set_known    boolean not null,
    unknown_reason      varchar,
    primary key (repo, deployment_id)
);
comment on table raw.github_deployment_compares is 'GitHub''s compare (base_sha...head_sha) of each successful production deployment with the previous successful deployment of the same repository and environment: one row per deployment that has a predecessor (the first success of an environment is its baseline and has no row; a redeploy of the same sha is identical, 0/0, without a request). When GitHub refuses the compare (404 "No common ancestor" after orphan deploy commits or a history rewrite, or 422), status is unknown and the deployment has no change set rows; it still becomes the base of the next deployment''s compare, so the pull requests merged in the unknown range are never counted as shipped. Unknown pairs are compared again on the next few runs and replaced when GitHub answers.';
comment on column raw.github_deployment_compares.repo is 'Repository full name, owner/name.';
comment on column raw.github_deployment_compares.deployment_id is 'The production deployment this row describes (compare head); raw.github_deployments.deployment_id.';
comment on column raw.github_deployment_compares.base_deployment_id is 'The previous successful deployment of the same environment (compare base).';
comment on column raw.github_deployment_compares.base_sha is 'Sha of the base deployment: start of the compare range.';
comment on column raw.github_deployment_compares.head_sha is 'Sha of this deployment: end of the compare range.';
comment on column raw.github_deployment_compares.status is 'ahead (new commits), behind (an ancestor of the base was deployed: a rollback; empty change set), identical (same commit: a redeploy), diverged (both sides have commits; the change set is head''s side) or unknown (GitHub refused the compare).';
comment on column raw.github_deployment_compares.ahead_by is 'Commits in head that are not in base (GitHub''s ahead_by); NULL when unknown.';
comment on column raw.github_deployment_compares.behind_by is 'Commits in base that are not in head (GitHub''s behind_by); with ahead_by = 0 and behind_by > 0 the deployment went back to an older commit. NULL when unknown.';
comment on column raw.github_deployment_compares.change_set_known is 'False when the compare was refused: the deployment''s commits (raw.github_deployment_commits) are not known, and none are stored for it.';
comment on column raw.github_deployment_compares.unknown_reason is 'Why the change set is unknown: GitHub''s answer, e.g. "GitHub answered 404 to GET .../compare/a...b: No common ancestor between a and b."; NULL when known.';
