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
comment on column meta.sync_state.source is 'Data source the cursor belongs to: github (later gitlab, pagerduty).';
comment on column meta.sync_state.scope is 'What the cursor covers within the source: the repository full name, e.g. acme/payments-api.';
comment on column meta.sync_state.resource is 'API resource the cursor tracks: deployments, pull_requests, issues, ...';
comment on column meta.sync_state.synced_at is 'When (UTC) the run that wrote this cursor committed its rows.';

create table if not exists meta.team_repos (
    team                          varchar not null,
    source                        varchar not null,
    repo                          varchar not null,
    production_environment_regex  varchar not null,
    primary key (source, repo)
);
comment on table meta.team_repos is 'Which team owns which repository, and which deployment environments count as production for it (case-insensitive regular expression). Written from candor.yaml at each run.';
comment on column meta.team_repos.team is 'Team name as declared under teams: in candor.yaml.';
comment on column meta.team_repos.source is 'Where the repository lives: github (later gitlab).';
comment on column meta.team_repos.repo is 'Repository full name, e.g. acme/payments-api; belongs to exactly one team.';
comment on column meta.team_repos.production_environment_regex is 'Regular expression a deployment environment must match to count as production for this repository (rules.production_environment, or its repo_rules override).';

create table if not exists meta.team_members (
    team    varchar not null,
    source  varchar not null,
    login   varchar not null,
    primary key (team, source, login)
);
comment on table meta.team_members is 'Team roster: per-source identities (logins) of each team member. Written from candor.yaml at each run.';
comment on column meta.team_members.team is 'Team name as declared under teams: in candor.yaml.';
comment on column meta.team_members.source is 'Which system the login belongs to: github (later gitlab, pagerduty).';
comment on column meta.team_members.login is 'The member''s user name in that source; the whole roster counts, silent members included.';

create table if not exists meta.settings (
    name   varchar primary key,
    value  varchar not null
);
comment on table meta.settings is 'Metric rules from candor.yaml that the SQL models read (hotfix/revert/incident patterns, linking window, benchmark year). Written at each run.';
comment on column meta.settings.name is 'Rule name, e.g. revert_title_regex, incident_link_window_hours, benchmark_year.';
comment on column meta.settings.value is 'Rule value as text (lists as JSON arrays); the models cast it.';

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
comment on column raw.github_deployments.repo is 'Repository full name, owner/name.';
comment on column raw.github_deployments.deployment_id is 'GitHub deployment id (unique within GitHub; increases over time).';
comment on column raw.github_deployments.environment is 'Target environment name as sent by the deploy tool; production is decided by meta.team_repos.production_environment_regex.';
comment on column raw.github_deployments.sha is 'Commit sha that was deployed.';
comment on column raw.github_deployments.ref is 'Branch, tag or sha the deployment was requested for.';
comment on column raw.github_deployments.task is 'Deployment task name, usually deploy.';
comment on column raw.github_deployments.creator_login is 'Login of the user or app that created the deployment.';
comment on column raw.github_deployments.created_at is 'When the deployment was requested (UTC); not when it finished.';
comment on column raw.github_deployments.payload is 'The deployment object exactly as the API returned it (JSON), for audit and re-derivation.';

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
comment on column raw.github_deployment_statuses.repo is 'Repository full name, owner/name.';
comment on column raw.github_deployment_statuses.deployment_id is 'The deployment this status belongs to (raw.github_deployments.deployment_id).';
comment on column raw.github_deployment_statuses.status_id is 'GitHub deployment status id.';
comment on column raw.github_deployment_statuses.state is 'error, failure, inactive, pending, success, queued or in_progress; the first success marks the deployment as finished.';
comment on column raw.github_deployment_statuses.created_at is 'When the status was reported (UTC).';
comment on column raw.github_deployment_statuses.payload is 'The status object exactly as the API returned it (JSON).';

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
comment on column raw.github_deployment_commits.repo is 'Repository full name, owner/name.';
comment on column raw.github_deployment_commits.deployment_id is 'The production deployment whose change set holds this commit.';
comment on column raw.github_deployment_commits.base_sha is 'Sha of the previous successful production deployment of the same environment (start of the compare range).';
comment on column raw.github_deployment_commits.sha is 'A commit in the change set.';
comment on column raw.github_deployment_commits.authored_at is 'When the commit was authored (UTC); lead time of a direct push starts here.';
comment on column raw.github_deployment_commits.committed_at is 'When the commit was committed (UTC); differs from authored_at after rebases and squashes.';
comment on column raw.github_deployment_commits.author_login is 'GitHub login of the commit author, when GitHub could match the author e-mail to an account.';
comment on column raw.github_deployment_commits.message is 'Full commit message; revert detection reads it.';

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
comment on column raw.github_pull_requests.repo is 'Repository full name, owner/name.';
comment on column raw.github_pull_requests.number is 'Pull request number within the repository.';
comment on column raw.github_pull_requests.title is 'Pull request title; revert detection reads it.';
comment on column raw.github_pull_requests.author_login is 'Login of the pull request author.';
comment on column raw.github_pull_requests.state is 'open or closed (a merged pull request is closed with merged_at set).';
comment on column raw.github_pull_requests.head_ref is 'Source branch name; hotfix detection reads it.';
comment on column raw.github_pull_requests.base_ref is 'Target branch name.';
comment on column raw.github_pull_requests.head_sha is 'Last commit of the source branch.';
comment on column raw.github_pull_requests.merge_commit_sha is 'Merge, squash or rebase commit that landed the pull request; a deployment ships the pull request when its change set contains this sha.';
comment on column raw.github_pull_requests.labels is 'Label names; hotfix and incident rules read them.';
comment on column raw.github_pull_requests.created_at is 'When the pull request was opened (UTC).';
comment on column raw.github_pull_requests.updated_at is 'Last update (UTC); the incremental sync cursor.';
comment on column raw.github_pull_requests.closed_at is 'When it was closed or merged (UTC); NULL while open.';
comment on column raw.github_pull_requests.merged_at is 'When it was merged (UTC); NULL if closed without merging or still open.';
comment on column raw.github_pull_requests.payload is 'The pull request object exactly as the API returned it (JSON).';

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
comment on column raw.github_pull_commits.repo is 'Repository full name, owner/name.';
comment on column raw.github_pull_commits.pr_number is 'The pull request this commit belongs to.';
comment on column raw.github_pull_commits.sha is 'Commit sha on the pull request branch.';
comment on column raw.github_pull_commits.authored_at is 'When the commit was authored (UTC); the earliest one starts the pull request''s lead time.';
comment on column raw.github_pull_commits.committed_at is 'When the commit was committed (UTC).';
comment on column raw.github_pull_commits.author_login is 'GitHub login of the commit author, when known.';
comment on column raw.github_pull_commits.message is 'Full commit message.';

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
comment on column raw.github_pull_reviews.repo is 'Repository full name, owner/name.';
comment on column raw.github_pull_reviews.pr_number is 'The reviewed pull request.';
comment on column raw.github_pull_reviews.review_id is 'GitHub review id.';
comment on column raw.github_pull_reviews.reviewer_login is 'Login of the reviewer; pickup time starts at the first review by someone other than the author.';
comment on column raw.github_pull_reviews.state is 'APPROVED, CHANGES_REQUESTED, COMMENTED or DISMISSED.';
comment on column raw.github_pull_reviews.submitted_at is 'When the review was submitted (UTC); NULL for a pending review.';
comment on column raw.github_pull_reviews.payload is 'The review object exactly as the API returned it (JSON).';

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
comment on column raw.github_review_comments.repo is 'Repository full name, owner/name.';
comment on column raw.github_review_comments.pr_number is 'The pull request whose diff was commented on.';
comment on column raw.github_review_comments.comment_id is 'GitHub review comment id.';
comment on column raw.github_review_comments.author_login is 'Login of the commenter.';
comment on column raw.github_review_comments.created_at is 'When the comment was written (UTC).';
comment on column raw.github_review_comments.payload is 'The comment object exactly as the API returned it (JSON), body included.';

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
comment on column raw.github_issues.repo is 'Repository full name, owner/name.';
comment on column raw.github_issues.number is 'Issue number within the repository.';
comment on column raw.github_issues.title is 'Issue title.';
comment on column raw.github_issues.body is 'Issue text; explicit incident links (a deployment sha or #PR) are read from it.';
comment on column raw.github_issues.author_login is 'Login of the user who opened the issue.';
comment on column raw.github_issues.state is 'open or closed.';
comment on column raw.github_issues.labels is 'Label names; an incident label makes the issue an incident.';
comment on column raw.github_issues.created_at is 'When the issue was opened (UTC); an incident''s metrics belong to this period.';
comment on column raw.github_issues.updated_at is 'Last update (UTC); the incremental sync cursor.';
comment on column raw.github_issues.closed_at is 'When the issue was closed (UTC); NULL while open. Closing an incident counts as recovery when no remediating deployment exists.';
comment on column raw.github_issues.payload is 'The issue object exactly as the API returned it (JSON).';
