-- Migration 001: schemas, bookkeeping tables and the raw GitHub tables.
--
-- raw.* tables hold what the GitHub connector fetched, one table per API entity, keyed by the
-- entity's natural key, with the source payload (JSON) kept for audit and later re-derivation.
-- Every timestamp is UTC (TIMESTAMPTZ). Loads are upserts by key (see warehouse/loading.py).

create schema if not exists raw;
create schema if not exists staging;
create schema if not exists marts;
create schema if not exists analysis;
create schema if not exists meta;

-- ---------------------------------------------------------------- meta
create table if not exists meta.sync_state (
    source      varchar not null,   -- 'github'
    scope       varchar not null,   -- repository full name, e.g. 'acme/payments-api'
    resource    varchar not null,   -- 'deployments', 'pull_requests', 'issues', ...
    cursor      varchar,            -- watermark: max id or ISO timestamp, resource-specific
    etag        varchar,            -- ETag of the first page at the last fetch
    synced_at   timestamptz not null,
    primary key (source, scope, resource)
);
comment on table meta.sync_state is 'Incremental sync cursors: one row per source, scope (repository) and resource; written in the same transaction as the rows the cursor covers.';
comment on column meta.sync_state.cursor is 'Resource-specific watermark (highest deployment id, or updated_at of the newest PR/issue seen).';
comment on column meta.sync_state.etag is 'ETag of the first page of the list at the last fetch, sent back as If-None-Match.';

create table if not exists meta.team_repos (
    team                          varchar not null,
    source                        varchar not null,
    repo                          varchar not null,
    production_environment_regex  varchar not null,
    primary key (source, repo)
);
comment on table meta.team_repos is 'Which team owns which repository, and which deployment environments count as production for it (case-insensitive regular expression). Written from candor.yaml at each run.';

create table if not exists meta.team_members (
    team    varchar not null,
    source  varchar not null,
    login   varchar not null,
    primary key (team, source, login)
);
comment on table meta.team_members is 'Team roster: per-source identities (logins) of each team member. Written from candor.yaml at each run.';

create table if not exists meta.settings (
    name   varchar primary key,
    value  varchar not null
);
comment on table meta.settings is 'Metric rules from candor.yaml that the SQL models read (hotfix/revert/incident patterns, linking window, benchmark year). Written at each run.';

-- ---------------------------------------------------------------- raw.github_*
create table if not exists raw.github_deployments (
    repo                   varchar not null,
    deployment_id          bigint  not null,
    environment            varchar not null,
    sha                    varchar not null,
    ref                    varchar,
    task                   varchar,
    creator_login          varchar,
    created_at             timestamptz not null,
    payload                json,
    primary key (repo, deployment_id)
);
comment on table raw.github_deployments is 'GitHub deployments (GET /repos/{o}/{r}/deployments), all environments. Deploy time is not here: it is the first success status.';

create table if not exists raw.github_deployment_statuses (
    repo           varchar not null,
    deployment_id  bigint  not null,
    status_id      bigint  not null,
    state          varchar not null,   -- error, failure, inactive, pending, success, queued, in_progress
    created_at     timestamptz not null,
    payload        json,
    primary key (repo, status_id)
);
comment on table raw.github_deployment_statuses is 'Statuses of GitHub deployments (GET .../deployments/{id}/statuses).';

create table if not exists raw.github_deployment_commits (
    repo            varchar not null,
    deployment_id   bigint  not null,
    base_sha        varchar not null,   -- sha of the previous successful deployment of the same environment
    sha             varchar not null,   -- a commit in the change set
    authored_at     timestamptz,
    committed_at    timestamptz,
    author_login    varchar,
    message         varchar,
    primary key (repo, deployment_id, sha)
);
comment on table raw.github_deployment_commits is 'Change set of each successful production deployment: commits from compare(previous successful deployment sha ... this sha) of the same repository and environment.';

create table if not exists raw.github_pull_requests (
    repo              varchar not null,
    number            integer not null,
    title             varchar,
    author_login      varchar,
    state             varchar not null,   -- open, closed
    head_ref          varchar,
    base_ref          varchar,
    head_sha          varchar,
    merge_commit_sha  varchar,
    labels            varchar[],
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    closed_at         timestamptz,
    merged_at         timestamptz,
    payload           json,
    primary key (repo, number)
);
comment on table raw.github_pull_requests is 'GitHub pull requests, all states (GET /repos/{o}/{r}/pulls?state=all).';

create table if not exists raw.github_pull_commits (
    repo          varchar not null,
    pr_number     integer not null,
    sha           varchar not null,
    authored_at   timestamptz,
    committed_at  timestamptz,
    author_login  varchar,
    message       varchar,
    primary key (repo, pr_number, sha)
);
comment on table raw.github_pull_commits is 'Commits of each pull request (GET .../pulls/{n}/commits); authored_at survives squash and rebase merges.';

create table if not exists raw.github_pull_reviews (
    repo            varchar not null,
    pr_number       integer not null,
    review_id       bigint  not null,
    reviewer_login  varchar,
    state           varchar,   -- APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED
    submitted_at    timestamptz,
    payload         json,
    primary key (repo, review_id)
);
comment on table raw.github_pull_reviews is 'Reviews of each pull request (GET .../pulls/{n}/reviews).';

create table if not exists raw.github_review_comments (
    repo            varchar not null,
    pr_number       integer not null,
    comment_id      bigint  not null,
    author_login    varchar,
    created_at      timestamptz,
    payload         json,
    primary key (repo, comment_id)
);
comment on table raw.github_review_comments is 'Line comments on pull request diffs (GET .../pulls/{n}/comments).';

create table if not exists raw.github_issues (
    repo           varchar not null,
    number         integer not null,
    title          varchar,
    body           varchar,
    author_login   varchar,
    state          varchar not null,   -- open, closed
    labels         varchar[],
    created_at     timestamptz not null,
    updated_at     timestamptz not null,
    closed_at      timestamptz,
    payload        json,
    primary key (repo, number)
);
comment on table raw.github_issues is 'GitHub issues (pull requests dropped from the list), all states, with labels.';
