-- Migration 004: deployment signals per repository: GitHub Actions runs and releases.
--
-- Many repositories never call GitHub's Deployments API: they deploy from an Actions workflow,
-- or by publishing a release. rules.repo_rules.<repo>.deployments in candor.yaml chooses the
-- signal of each repository (environment, workflow or release); meta.repo_deployment_signals
-- carries that choice to the SQL models, and the two raw tables hold what the connector read.
-- staging.int_production_deployment_attempts unions the three signals.

-- ---------------------------------------------------------------- meta.repo_deployment_signals
create table if not exists meta.repo_deployment_signals (
    source            varchar not null,   -- 'github'
    repo              varchar not null,
    signal            varchar not null,   -- environment, workflow, release
    workflow_regex    varchar,            -- signal workflow: searched in name and path
    workflow_branch   varchar,            -- signal workflow: NULL = any branch
    release_tag_regex varchar,            -- signal release
    primary key (source, repo)
);
comment on table meta.repo_deployment_signals is 'Where each repository''s production deployments come from (rules.repo_rules.<repo>.deployments in candor.yaml): environment (the Deployments API, the default), workflow (GitHub Actions runs of a deploy workflow) or release (published releases). A repository of meta.team_repos without a row here uses environment. Written from candor.yaml at each run.';
comment on column meta.repo_deployment_signals.source is 'Where the repository lives: github.';
comment on column meta.repo_deployment_signals.repo is 'Repository full name, owner/name (as in meta.team_repos).';
comment on column meta.repo_deployment_signals.signal is 'environment, workflow or release: which GitHub objects are the repository''s production deployments.';
comment on column meta.repo_deployment_signals.workflow_regex is 'For signal workflow: RE2 regular expression searched in a run''s workflow name and in its workflow file path; a run matching either is a deploy run. NULL otherwise.';
comment on column meta.repo_deployment_signals.workflow_branch is 'For signal workflow: only runs on this branch count; NULL means any branch.';
comment on column meta.repo_deployment_signals.release_tag_regex is 'For signal release: RE2 regular expression a release''s tag must match (searched) for the release to count as a deployment. NULL otherwise.';

-- ---------------------------------------------------------------- raw.github_workflow_runs
create table if not exists raw.github_workflow_runs (
    repo           varchar     not null,
    run_id         bigint      not null,
    workflow_id    bigint,
    name           varchar,
    path           varchar,
    head_branch    varchar,
    head_sha       varchar     not null,
    event          varchar,
    status         varchar     not null,   -- queued, in_progress, completed, ...
    conclusion     varchar,                -- success, failure, cancelled, ...; NULL until completed
    run_attempt    integer,
    actor_login    varchar,
    created_at     timestamptz not null,
    run_started_at timestamptz,
    updated_at     timestamptz not null,
    payload        json,
    primary key (repo, run_id)
);
comment on table raw.github_workflow_runs is 'GitHub Actions runs (GET /repos/{o}/{r}/actions/runs) of the deploy workflow of each repository whose deployments come from a workflow (meta.repo_deployment_signals); only runs whose workflow name or path matches the rule are kept. A run is read again while it is not completed; the latest answer replaces the row.';
comment on column raw.github_workflow_runs.repo is 'Repository full name, owner/name.';
comment on column raw.github_workflow_runs.run_id is 'GitHub workflow run id; a re-run keeps the id and raises run_attempt.';
comment on column raw.github_workflow_runs.workflow_id is 'Id of the workflow (the workflow file) the run belongs to.';
comment on column raw.github_workflow_runs.name is 'Workflow name, e.g. Deploy production.';
comment on column raw.github_workflow_runs.path is 'Workflow file path, e.g. .github/workflows/deploy.yml (GitHub may append @ref).';
comment on column raw.github_workflow_runs.head_branch is 'Branch the run ran on.';
comment on column raw.github_workflow_runs.head_sha is 'Commit the run ran on: the deployed sha of a successful deploy run.';
comment on column raw.github_workflow_runs.event is 'What triggered the run: push, workflow_dispatch, schedule, ...';
comment on column raw.github_workflow_runs.status is 'Run status: queued, in_progress, completed (and the other waiting states).';
comment on column raw.github_workflow_runs.conclusion is 'Outcome once completed: success, failure, timed_out, startup_failure, cancelled, skipped, neutral, action_required, stale; NULL before.';
comment on column raw.github_workflow_runs.run_attempt is 'Attempt number of the run (1 unless re-run); the list shows the latest attempt only.';
comment on column raw.github_workflow_runs.actor_login is 'Login of the user or app whose action started the run.';
comment on column raw.github_workflow_runs.created_at is 'When the run was created (UTC); the list''s created filter and the sync cursor use it.';
comment on column raw.github_workflow_runs.run_started_at is 'When the latest attempt started (UTC).';
comment on column raw.github_workflow_runs.updated_at is 'When the run last changed (UTC): for a completed run, when it finished; the deploy time of a successful deploy run.';
comment on column raw.github_workflow_runs.payload is 'The run object exactly as the API returned it (JSON).';

-- ---------------------------------------------------------------- raw.github_releases
create table if not exists raw.github_releases (
    repo             varchar     not null,
    release_id       bigint      not null,
    tag_name         varchar     not null,
    name             varchar,
    draft            boolean     not null,
    prerelease       boolean     not null,
    target_commitish varchar,
    sha              varchar,
    author_login     varchar,
    created_at       timestamptz not null,
    published_at     timestamptz,
    payload          json,
    primary key (repo, release_id)
);
comment on table raw.github_releases is 'GitHub releases (GET /repos/{o}/{r}/releases) of each repository whose deployments come from releases (meta.repo_deployment_signals), drafts and prereleases included. The tag''s commit (sha) is resolved for published, non-draft, non-prerelease releases whose tag matches the rule.';
comment on column raw.github_releases.repo is 'Repository full name, owner/name.';
comment on column raw.github_releases.release_id is 'GitHub release id.';
comment on column raw.github_releases.tag_name is 'The release''s git tag, e.g. v1.4.0.';
comment on column raw.github_releases.name is 'Release title.';
comment on column raw.github_releases.draft is 'True for an unpublished draft: never a deployment.';
comment on column raw.github_releases.prerelease is 'True when marked as a prerelease: never a deployment.';
comment on column raw.github_releases.target_commitish is 'Branch or commit the tag was created from, as GitHub reports it (often a branch name, so not the deployed commit).';
comment on column raw.github_releases.sha is 'Commit the tag points to (GET .../git/ref/tags/{tag}, annotated tags followed to their commit): the deployed sha. NULL when the release is not a deployment candidate (draft, prerelease, tag not matching).';
comment on column raw.github_releases.author_login is 'Login of the user who created the release.';
comment on column raw.github_releases.created_at is 'When the release was created (UTC); not the deploy time.';
comment on column raw.github_releases.published_at is 'When the release was published (UTC): the deploy time; NULL for drafts.';
comment on column raw.github_releases.payload is 'The release object exactly as the API returned it (JSON).';
