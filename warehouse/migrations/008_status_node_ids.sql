-- Migration 008: deployment statuses keyed by their node id.
--
-- A backfill reads the statuses of its older deployments through GraphQL (one query for up to
-- 100 deployments, where REST takes one request each: connectors/github/deployment_statuses.py).
-- GraphQL's DeploymentStatus has no numeric id, only its global node id, which REST also gives
-- (`node_id`); so the node id is the key, and the REST id is kept where REST gave it. DuckDB
-- cannot change a primary key in place: the table is rebuilt, its rows carried over with the
-- node id read from the payload REST returned (every REST status has one).
create table raw.github_deployment_statuses_by_node (
    repo           varchar not null,
    deployment_id  bigint  not null,
    node_id        varchar not null,
    status_id      bigint,
    state          varchar not null,   -- error, failure, inactive, pending, success, queued, in_progress
    created_at     timestamptz not null,
    payload        json,
    primary key (repo, node_id)
);
insert into raw.github_deployment_statuses_by_node
select repo, deployment_id, payload ->> 'node_id', status_id, state, created_at, payload
from raw.github_deployment_statuses;
drop table raw.github_deployment_statuses;
alter table raw.github_deployment_statuses_by_node rename to github_deployment_statuses;

comment on table raw.github_deployment_statuses is 'Statuses of GitHub deployments (GET .../deployments/{id}/statuses, or a deployment''s statuses connection over GraphQL).';
comment on column raw.github_deployment_statuses.repo is 'Repository full name, owner/name.';
comment on column raw.github_deployment_statuses.deployment_id is 'The deployment this status belongs to (raw.github_deployments.deployment_id).';
comment on column raw.github_deployment_statuses.node_id is 'GitHub''s global node id of the status: REST''s node_id, GraphQL''s id. The key: both APIs give it.';
comment on column raw.github_deployment_statuses.status_id is 'GitHub''s numeric deployment status id; NULL when the status was read through GraphQL, which has none.';
comment on column raw.github_deployment_statuses.state is 'error, failure, inactive, pending, success, queued or in_progress (lower case, whichever API it came from); the first success marks the deployment as finished.';
comment on column raw.github_deployment_statuses.created_at is 'When the status was reported (UTC).';
comment on column raw.github_deployment_statuses.payload is 'The status object exactly as the API returned it (JSON): REST''s object, or the GraphQL node.';
