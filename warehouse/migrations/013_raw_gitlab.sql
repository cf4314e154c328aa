-- Migration 013: the GitLab source's raw tables (connectors/gitlab/).
--
-- One row set per project, keyed by the project's path (`repo`, e.g. acme/platform/web), the
-- scope a full refresh replaces. Rows hold what GitLab answered, field by field: no answer is
-- stored whole, because GitLab embeds people's names and e-mail addresses in them. No rule of
-- what counts as production, an incident or a review is applied here.

create table if not exists raw.gitlab_projects (
    repo            varchar     not null,
    project_id      bigint      not null,
    name            varchar,
    default_branch  varchar,
    web_url         varchar,
    created_at      timestamptz,
    primary key (repo)
);
comment on table raw.gitlab_projects is 'GitLab projects candor.yaml lists (teams[].repos.gitlab), read at every sync (GET /projects/:path).';
comment on column raw.gitlab_projects.repo is 'Project path with its namespace, e.g. acme/platform/web: the repository name every model uses.';
comment on column raw.gitlab_projects.project_id is 'GitLab project id.';
comment on column raw.gitlab_projects.name is 'Project name as shown in GitLab.';
comment on column raw.gitlab_projects.default_branch is 'The default branch, usually main.';
comment on column raw.gitlab_projects.web_url is 'The project''s page.';
comment on column raw.gitlab_projects.created_at is 'When the project was created (UTC).';

create table if not exists raw.gitlab_deployments (
    repo           varchar     not null,
    deployment_id  bigint      not null,
    iid            bigint      not null,
    environment    varchar     not null,
    status         varchar     not null,
    sha            varchar     not null,
    ref            varchar,
    username       varchar,
    created_at     timestamptz not null,
    updated_at     timestamptz not null,
    finished_at    timestamptz,
    primary key (repo, deployment_id)
);
comment on table raw.gitlab_deployments is 'GitLab deployments to every environment (GET /projects/:id/deployments by updated_after); the latest answer replaces the row, so a running deployment becomes success or failed.';
comment on column raw.gitlab_deployments.repo is 'Project path (raw.gitlab_projects.repo).';
comment on column raw.gitlab_deployments.deployment_id is 'GitLab deployment id (unique in the instance).';
comment on column raw.gitlab_deployments.iid is 'Deployment number within the project.';
comment on column raw.gitlab_deployments.environment is 'Environment name; production is decided by meta.team_repos.production_environment_regex.';
comment on column raw.gitlab_deployments.status is 'created, running, success, failed, canceled, blocked or skipped, at the last read.';
comment on column raw.gitlab_deployments.sha is 'Deployed commit sha, lowercase.';
comment on column raw.gitlab_deployments.ref is 'Branch or tag deployed.';
comment on column raw.gitlab_deployments.username is 'GitLab username of who deployed.';
comment on column raw.gitlab_deployments.created_at is 'When the deployment was created (UTC); not the deploy time.';
comment on column raw.gitlab_deployments.updated_at is 'Last change of the deployment (UTC): the deploy time of a successful deployment without a job.';
comment on column raw.gitlab_deployments.finished_at is 'When the deployment''s job finished (deployable.finished_at, UTC); NULL for a deployment created through the API, which has no job.';

create table if not exists raw.gitlab_deployment_compares (
    repo                varchar  not null,
    deployment_id       bigint   not null,
    base_deployment_id  bigint   not null,
    base_sha            varchar  not null,
    head_sha            varchar  not null,
    status              varchar  not null,
    ahead_by            integer,
    behind_by           integer,
    change_set_known    boolean  not null,
    unknown_reason      varchar,
    primary key (repo, deployment_id)
);
comment on table raw.gitlab_deployment_compares is 'How each successful deployment relates to the previous successful deployment of the same environment, from GitLab''s repository compare (base to head, then head to base when nothing is ahead). Every environment is compared; SQL keeps production ones.';
comment on column raw.gitlab_deployment_compares.repo is 'Project path.';
comment on column raw.gitlab_deployment_compares.deployment_id is 'The later deployment of the pair (compare to).';
comment on column raw.gitlab_deployment_compares.base_deployment_id is 'The previous successful deployment of the same environment, by finish time (compare from).';
comment on column raw.gitlab_deployment_compares.base_sha is 'Sha of the base deployment, lowercase.';
comment on column raw.gitlab_deployment_compares.head_sha is 'Sha of this deployment, lowercase.';
comment on column raw.gitlab_deployment_compares.status is 'ahead (new commits), behind (an ancestor was deployed: a rollback), identical, or unknown (GitLab refused the compare).';
comment on column raw.gitlab_deployment_compares.ahead_by is 'Commits head has and base lacks; NULL when unknown.';
comment on column raw.gitlab_deployment_compares.behind_by is 'Commits base has and head lacks; NULL when not asked (ahead) or unknown.';
comment on column raw.gitlab_deployment_compares.change_set_known is 'False when the compare failed: the deployment''s commits are not known.';
comment on column raw.gitlab_deployment_compares.unknown_reason is 'GitLab''s answer when the compare failed; NULL when known.';

create table if not exists raw.gitlab_deployment_commits (
    repo           varchar     not null,
    deployment_id  bigint      not null,
    base_sha       varchar     not null,
    sha            varchar     not null,
    authored_at    timestamptz,
    committed_at   timestamptz,
    message        varchar,
    primary key (repo, deployment_id, sha)
);
comment on table raw.gitlab_deployment_commits is 'Commits of each successful deployment''s change set (raw.gitlab_deployment_compares ahead).';
comment on column raw.gitlab_deployment_commits.repo is 'Project path.';
comment on column raw.gitlab_deployment_commits.deployment_id is 'The deployment whose change set holds the commit.';
comment on column raw.gitlab_deployment_commits.base_sha is 'Sha of the base deployment compared against.';
comment on column raw.gitlab_deployment_commits.sha is 'The commit, lowercase.';
comment on column raw.gitlab_deployment_commits.authored_at is 'When the commit was authored (UTC).';
comment on column raw.gitlab_deployment_commits.committed_at is 'When the commit was committed (UTC).';
comment on column raw.gitlab_deployment_commits.message is 'Full commit message (revert rules read it).';

create table if not exists raw.gitlab_merge_requests (
    repo               varchar     not null,
    iid                bigint      not null,
    mr_id              bigint      not null,
    title              varchar,
    description        varchar,
    author_username    varchar,
    state              varchar     not null,
    source_branch      varchar,
    target_branch      varchar,
    sha                varchar,
    merge_commit_sha   varchar,
    squash_commit_sha  varchar,
    labels             varchar[],
    created_at         timestamptz not null,
    updated_at         timestamptz not null,
    merged_at          timestamptz,
    closed_at          timestamptz,
    primary key (repo, iid)
);
comment on table raw.gitlab_merge_requests is 'GitLab merge requests in every state (GET /projects/:id/merge_requests by updated_after); the latest answer replaces the row.';
comment on column raw.gitlab_merge_requests.repo is 'Project path.';
comment on column raw.gitlab_merge_requests.iid is 'Merge request number within the project (!N).';
comment on column raw.gitlab_merge_requests.mr_id is 'GitLab merge request id (unique in the instance).';
comment on column raw.gitlab_merge_requests.title is 'Title.';
comment on column raw.gitlab_merge_requests.description is 'Description; NULL when empty.';
comment on column raw.gitlab_merge_requests.author_username is 'GitLab username of the author.';
comment on column raw.gitlab_merge_requests.state is 'opened, closed, merged or locked.';
comment on column raw.gitlab_merge_requests.source_branch is 'Branch merged from.';
comment on column raw.gitlab_merge_requests.target_branch is 'Branch merged into.';
comment on column raw.gitlab_merge_requests.sha is 'Head of the source branch; after a fast-forward (rebase) merge, the commit that landed.';
comment on column raw.gitlab_merge_requests.merge_commit_sha is 'The merge commit; NULL after fast-forward merges and when a squash landed without one.';
comment on column raw.gitlab_merge_requests.squash_commit_sha is 'The squash commit of a squash merge; NULL otherwise.';
comment on column raw.gitlab_merge_requests.labels is 'Label names.';
comment on column raw.gitlab_merge_requests.created_at is 'When it was opened (UTC).';
comment on column raw.gitlab_merge_requests.updated_at is 'Last change (UTC): the incremental sync''s watermark.';
comment on column raw.gitlab_merge_requests.merged_at is 'When it was merged (UTC).';
comment on column raw.gitlab_merge_requests.closed_at is 'When it was closed without merging (UTC); GitLab leaves it NULL for merged ones.';

create table if not exists raw.gitlab_merge_request_commits (
    repo           varchar     not null,
    mr_iid         bigint      not null,
    sha            varchar     not null,
    authored_at    timestamptz,
    committed_at   timestamptz,
    message        varchar,
    primary key (repo, mr_iid, sha)
);
comment on table raw.gitlab_merge_request_commits is 'Commits of each merge request (GET .../merge_requests/:iid/commits), read whole whenever the merge request changed.';
comment on column raw.gitlab_merge_request_commits.repo is 'Project path.';
comment on column raw.gitlab_merge_request_commits.mr_iid is 'The merge request (!N).';
comment on column raw.gitlab_merge_request_commits.sha is 'The commit, lowercase.';
comment on column raw.gitlab_merge_request_commits.authored_at is 'When the commit was authored (UTC); the first one starts lead time.';
comment on column raw.gitlab_merge_request_commits.committed_at is 'When the commit was committed (UTC).';
comment on column raw.gitlab_merge_request_commits.message is 'Full commit message.';

create table if not exists raw.gitlab_merge_request_notes (
    repo             varchar     not null,
    mr_iid           bigint      not null,
    note_id          bigint      not null,
    note_type        varchar,
    is_system        boolean     not null,
    author_username  varchar,
    body             varchar,
    created_at       timestamptz not null,
    updated_at       timestamptz,
    primary key (repo, note_id)
);
comment on table raw.gitlab_merge_request_notes is 'Notes of each merge request (GET .../merge_requests/:iid/notes): comments, line comments (DiffNote) and GitLab''s system notes (approvals, requested changes), read whole whenever the merge request changed.';
comment on column raw.gitlab_merge_request_notes.repo is 'Project path.';
comment on column raw.gitlab_merge_request_notes.mr_iid is 'The merge request (!N).';
comment on column raw.gitlab_merge_request_notes.note_id is 'GitLab note id.';
comment on column raw.gitlab_merge_request_notes.note_type is 'NULL for a comment, DiffNote for a comment on a line of the diff, DiscussionNote for a thread reply.';
comment on column raw.gitlab_merge_request_notes.is_system is 'True for a note GitLab wrote about an action ("approved this merge request", "requested changes").';
comment on column raw.gitlab_merge_request_notes.author_username is 'GitLab username of who wrote it or acted.';
comment on column raw.gitlab_merge_request_notes.body is 'The note''s text.';
comment on column raw.gitlab_merge_request_notes.created_at is 'When it was written (UTC).';
comment on column raw.gitlab_merge_request_notes.updated_at is 'Last edit (UTC).';

create table if not exists raw.gitlab_issues (
    repo             varchar     not null,
    iid              bigint      not null,
    issue_id         bigint      not null,
    title            varchar,
    description      varchar,
    author_username  varchar,
    state            varchar     not null,
    issue_type       varchar,
    labels           varchar[],
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    closed_at        timestamptz,
    primary key (repo, iid)
);
comment on table raw.gitlab_issues is 'GitLab issues and incidents in every state (GET /projects/:id/issues by updated_after); the latest answer replaces the row.';
comment on column raw.gitlab_issues.repo is 'Project path.';
comment on column raw.gitlab_issues.iid is 'Issue number within the project (#N).';
comment on column raw.gitlab_issues.issue_id is 'GitLab issue id (unique in the instance).';
comment on column raw.gitlab_issues.title is 'Title; references to changes (a sha, !MR) are read from it and the description.';
comment on column raw.gitlab_issues.description is 'Description; NULL when empty.';
comment on column raw.gitlab_issues.author_username is 'GitLab username of who opened it.';
comment on column raw.gitlab_issues.state is 'opened or closed.';
comment on column raw.gitlab_issues.issue_type is 'issue, incident, test_case or task: an incident is an incident whatever its labels.';
comment on column raw.gitlab_issues.labels is 'Label names.';
comment on column raw.gitlab_issues.created_at is 'When it was opened (UTC): an incident''s detection.';
comment on column raw.gitlab_issues.updated_at is 'Last change (UTC): the incremental sync''s watermark.';
comment on column raw.gitlab_issues.closed_at is 'When it was closed (UTC): an incident''s recovery.';
